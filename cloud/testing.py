"""Testing a ported cloud function without WeChat: stub replies, check what was sent.

    from cloud.testing import stubbed

    with stubbed() as wx:                      # or: async with stubbed() as wx
        wx.stub("security.msgSecCheck", error=87014, errmsg="risky content")
        result = wx.run("functions/check", {"text": "..."})   # index.py's main(event, context)
        wx.assert_called("security.msgSecCheck", body={"content": "..."})

Inside the block every ``cloud`` instance (the module-level one too, even if the function called
``cloud.init()`` on import) sends its calls to an in-process emulator, which takes any token.
Catalogued APIs you did not stub answer with their documented example; with ``strict=True`` they
are refused (48001), and leaving the block raises AssertionError if that happened, even when the
function caught the error (:meth:`Stubber.check_strict` checks earlier). With ``check_pending=True``
leaving it also fails when a ``times=`` stub was not used up (:meth:`Stubber.assert_no_pending_stubs`).
A block left by an exception only lets it through. Stubbed replies are written in
WeChat's own form (snake_case, ``errcode``); calls are seen as sent over HTTP, after conversion
and routing, with tokens shown as ``***``. The pytest plugin (:mod:`cloud.pytest_plugin`) gives
the same handle as the ``wx`` fixture. One block at a time: it sets process-wide defaults.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from ._client import platform
from ._core import clock as clock_
from ._run import bodydiff, local
from ._run import folder as loader
from .emulator import Delivery, Emulator, Recorded
from .emulator import _checks as checks
from .emulator._functions import over_limit, time_limit
from .emulator._scenario import reply_of
from .emulator._stubs import endpoint_of
from .emulator._tokens import TOKEN_PATHS

__all__ = ["Call", "Delivery", "Stubber", "UploadedFile", "stubbed"]

_UNSET: Any = object()


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart call, as sent."""

    filename: str
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class Call:
    """One cloud call as it went over HTTP. ``body`` is the JSON body as data, a multipart body as
    ``{name: text or UploadedFile}``, other text as ``str``, nothing as ``None``."""

    api: str | None
    method: str
    path: str
    query: dict[str, str]
    body: Any

    @classmethod
    def of(cls, recorded: Recorded) -> Call:
        return cls(recorded.api, recorded.method, recorded.path, recorded.redacted_query, _body(recorded))

    def __repr__(self) -> str:  # a secret a port put in its params is shown as ***, as in recorded requests
        shown = checks.redact(self.body)
        return (
            f"Call(api={self.api!r}, method={self.method!r}, path={self.path!r}, query={self.query!r}, body={shown!r})"
        )


def _body(recorded: Recorded) -> Any:
    if not recorded.body:
        return None
    parts = recorded.parts()
    if parts:
        return {
            p.name: UploadedFile(p.filename, p.content_type, p.content)
            if p.filename is not None
            else p.content.decode("utf-8", "replace")
            for p in parts
        }
    try:
        return json.loads(recorded.body)
    except ValueError:
        return recorded.body.decode("utf-8", "replace")


class Stubber:
    """The handle of a :func:`stubbed` block (the ``wx`` fixture): stubs, calls, assertions."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self._context: dict[str, Any] = {}
        self._environ: AbstractContextManager[None] = nullcontext()
        self.check_pending = False
        """When True, the block's end (the test's, for the fixture) fails on stubs not used up."""
        self._reported = 0  # strict refusals already reported
        self._ended = False
        self._clock: int | None = None
        self._frozen: AbstractContextManager[None] = nullcontext()

    @property
    def context(self) -> dict[str, Any]:
        """What ``cloud.getWXContext()`` gives inside the block, as the platform gives it
        (``wx.context = {"OPENID": "o1", "FROM_APPID": "wxB"}``); ``{}``: the environment's."""
        return dict(self._context)

    @context.setter
    def context(self, value: dict[str, Any]) -> None:
        variables = loader.context_environ(value, "wx.context")
        self.close_context()
        self._environ = loader.environ(variables)
        self._environ.__enter__()
        self._context = dict(value)

    def close_context(self) -> None:
        """Undo :attr:`context` (the block's end does)."""
        self._environ.__exit__(None, None, None)
        self._environ, self._context = nullcontext(), {}

    @property
    def clock(self) -> int | None:
        """The instant the clock is stopped at, in epoch milliseconds, as ``--clock`` stops it
        (``wx.clock = "2026-01-02T03:04:05Z"`` or ``1767323045000``); ``None``: the real time."""
        return self._clock

    @clock.setter
    def clock(self, value: str | int | None) -> None:
        ms = None if value is None else clock_.parse(str(value))
        self.close_clock()
        if ms is not None:
            self._frozen = clock_.frozen(ms)
            self._frozen.__enter__()
            self._clock = ms

    def close_clock(self) -> None:
        """Start the clock again (the block's end does)."""
        self._frozen.__exit__(None, None, None)
        self._frozen, self._clock = nullcontext(), None

    def __repr__(self) -> str:
        return f"<cloud.testing.Stubber calls={len(self.calls)} strict={self.strict}>"

    @property
    def strict(self) -> bool:
        """When True, calls to APIs with no stub are refused (48001) and fail :meth:`check_strict`."""
        return self.emulator.strict

    @strict.setter
    def strict(self, value: bool) -> None:
        self.emulator.strict = bool(value)

    def stub(
        self,
        api: str,
        reply: Any = _UNSET,
        *,
        error: int | None = None,
        errmsg: str | None = None,
        status: int | None = None,
        body: str | bytes | None = None,
        content_type: str | None = None,
        delay: float = 0.0,
        times: int | None = None,
    ) -> None:
        """Answer calls to ``api`` with ``reply`` (WeChat's JSON, snake_case), or WeChat's error
        ``error`` (with ``errmsg``), or HTTP ``status``, or a raw ``body``, after ``delay``
        seconds; every call, or the next ``times`` (those come first). A later stub for the same
        API without ``times`` replaces the earlier one."""
        item: dict[str, Any] = {"delay": delay}
        if reply is not _UNSET:
            item["json"] = reply
        if error is not None:
            item["error"] = error
        if errmsg is not None:
            item["errmsg"] = errmsg
        if status is not None:
            item["status"] = status
        if isinstance(body, bytes):
            item["bodyBase64"] = base64.b64encode(body).decode("ascii")
        elif body is not None:
            item["body"] = body
        if content_type is not None:
            item["contentType"] = content_type
        self.emulator.stub(api, reply_of(item, f"stub({api!r})"), times=times)

    @property
    def calls(self) -> list[Call]:
        """Every cloud call made so far, in order (token fetches left out)."""
        return [Call.of(r) for r in list(self.emulator.requests) if r.path not in TOKEN_PATHS]

    def calls_to(self, api: str) -> list[Call]:
        """The calls to ``api`` (any name of its endpoint)."""
        wanted = self._endpoint(api)
        return [c for c in self.calls if (c.method, c.path) == wanted]

    def assert_called(self, api: str, *, body: Any = _UNSET, query: dict[str, str] | None = None,
                      times: int | None = None) -> Call:  # fmt: skip
        """Assert that ``api`` was called (``times`` times, if given), one of the calls with this
        ``body`` and these ``query`` parameters (the ones named). Returns the matching call; the
        error shows what was sent, and for a body, a diff against the closest call."""
        __tracebackhide__ = True  # pytest shows the test's line, not this function's
        made = self.calls_to(api)
        if not made:
            seen = ", ".join(c.api or c.path for c in self.calls) or "none"
            raise AssertionError(f"{api} was not called (calls made: {seen})")
        if times is not None and len(made) != times:
            raise AssertionError(f"{api} was called {len(made)} time(s), expected {times}")
        matching = [
            c
            for c in made
            if (body is _UNSET or c.body == body) and all(c.query.get(k) == v for k, v in (query or {}).items())
        ]
        if matching:
            return matching[0]
        if query and not any(all(c.query.get(k) == v for k, v in query.items()) for c in made):
            raise AssertionError(f"{api} was called, but not with query {query}; sent: {[c.query for c in made]}")
        closest = min(made, key=lambda c: bodydiff.distance(body, c.body))
        which = f"call {made.index(closest) + 1} of {len(made)}"
        raise AssertionError(f"{api} was called, but not with this body (- expected, + sent in {which}):\n"
                             + bodydiff.diff(body, closest.body))  # fmt: skip

    def assert_not_called(self, api: str) -> None:
        __tracebackhide__ = True
        made = self.calls_to(api)
        if made:
            raise AssertionError(f"{api} was called {len(made)} time(s), expected none")

    def check_strict(self) -> None:
        """In strict mode, fail if an API was called without a stub (even if the function caught
        the 48001). The block's end (the test's, for the fixture) checks it too, once per refusal."""
        __tracebackhide__ = True
        unexpected = self.emulator.unexpected
        if len(unexpected) > self._reported:
            self._reported = len(unexpected)
            names = ", ".join(sorted({r.api or r.path for r in unexpected}))
            raise AssertionError(f"strict mode: called without a stub: {names} (add wx.stub(...) for each)")

    def assert_no_pending_stubs(self) -> None:
        """Fail if a ``times=`` stub (or a queued reply) was not used up: a call the test set up
        for did not happen. Stubs without ``times`` never count."""
        __tracebackhide__ = True
        left = self.emulator.pending()
        if left:
            said = ", ".join(f"{name} ({n} {'reply' if n == 1 else 'replies'} left)" for name, n in left)
            raise AssertionError(f"stubs not used up: {said}")

    def _end(self) -> None:
        """The checks at the end of a block or test, once: strict refusals, and pending stubs
        when :attr:`check_pending` is set."""
        __tracebackhide__ = True
        if not self._ended:
            self._ended = True
            self.check_strict()
            if self.check_pending:
                self.assert_no_pending_stubs()

    def seed(self, collections: Mapping[str, list[Mapping[str, Any]]]) -> None:
        """Make these collections in the emulator's database with these documents (replacing any of
        the same name): CloudBase reads and writes only collections that exist (-502005 otherwise)."""
        self.emulator.database.seed({name: [dict(doc) for doc in docs] for name, docs in collections.items()})

    def documents(self, collection: str) -> list[dict[str, Any]]:
        """The documents of ``collection`` in the emulator's database, in the order they were added."""
        return self.emulator.database.store.documents(collection)

    def reset(self) -> None:
        """Forget stubs, calls, documents and stored files (the strict and check_pending settings stay)."""
        strict = self.emulator.strict
        self.emulator.reset()
        self.emulator.strict = strict
        self._reported = 0

    def run(self, function: str | os.PathLike[str], event: Any = None, context: Any = None) -> Any:
        """Run a cloud function (its folder, or its ``.py`` file) as ``python -m cloud run`` does,
        ``config.json`` permissions and time limit included (its ``timeout``, else 3 s: a ``main``
        still running then fails the test); returns what ``main`` returned (awaited)."""
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("an event loop is running here: use await wx.arun(...)")
        with self._function(function, event, context) as (main, path, event, context, limit):
            try:
                result = loader.call_within(main, event, context, limit)
            except loader.TooLongError:
                raise AssertionError(over_limit(path, limit)) from None
        return loader.returned(result, path.parent)

    async def arun(self, function: str | os.PathLike[str], event: Any = None, context: Any = None) -> Any:
        """:meth:`run`, from async code (``main`` past its time limit is cancelled, if it awaits)."""
        import asyncio

        with self._function(function, event, context) as (main, path, event, context, limit):
            try:
                result = await asyncio.wait_for(loader.acall(main, event, context), limit)
            except asyncio.TimeoutError:
                raise AssertionError(over_limit(path, limit)) from None
        return loader.returned(result, path.parent)

    @contextmanager
    def _function(self, function: str | os.PathLike[str], event: Any, context: Any) -> Iterator[Any]:
        """For the block: ``main`` (loaded as :func:`_function` loads it), its path, its arguments
        (``userInfo`` added to the event when :attr:`context` names a caller, as the platform adds it)
        and its time limit; ``callFunction`` in it runs the function folders next to its own."""
        path = loader.locate(function)
        self.emulator.functions.folder = path.parent.parent
        event = loader.caller_event({} if event is None else event, self._context)
        with loader.kept(), _function(function) as main:  # its chdir and environment changes are its own
            yield main, path, event, _context(function, context), time_limit(path.parent)

    @property
    def payment_targets(self) -> dict[str, Any]:
        """Where payment notifications go: a callback function's name → its folder, a Cloud Run
        service's name → its WSGI/ASGI app or base URL (``wx.payment_targets["pay_cb"] = "functions/pay_cb"``)."""
        return self.emulator.payment_targets

    def notify_payment(self, out_trade_no: str) -> Delivery:
        """Pay the order ``unifiedOrder`` made and deliver WeChat's payment notification to the
        callback it named (a function runs as :meth:`run` runs it, its calls answered here). The
        :class:`~cloud.emulator.Delivery` has the callback's ``answer``; ``accepted`` is False, with
        ``retry`` saying so, when it was not ``{"errcode": 0}``: WeChat would send it again."""
        self.emulator.function_runner = lambda folder, event: self.run(folder, event)
        return self.emulator.notify_payment(out_trade_no)

    async def anotify_payment(self, out_trade_no: str) -> Delivery:
        """:meth:`notify_payment`, from async code (the callback runs in a thread of its own)."""
        import asyncio

        return await asyncio.to_thread(self.notify_payment, out_trade_no)

    def _endpoint(self, api: str) -> tuple[str, str]:
        return endpoint_of(api)


class stubbed:  # noqa: N801 - used as a function: with stubbed() as wx
    """Point every ``cloud`` instance at a fresh in-process emulator for the block; a
    :class:`Stubber` is its value. ``with`` and ``async with`` both work. Leaving the block
    normally raises AssertionError after a strict refusal, or (``check_pending``) a stub not used up."""

    def __init__(self, *, strict: bool = False, check_pending: bool = False) -> None:
        self._strict, self._check_pending = strict, check_pending
        self._platform: AbstractContextManager[Any] = nullcontext()

    def __enter__(self) -> Stubber:
        emulator, defaults = local.emulated(any_token=True, strict=self._strict)
        self._platform = platform.provided(defaults)  # init/updateConfig made in the block are undone after it
        self._platform.__enter__()
        self._stubber = Stubber(emulator)
        self._stubber.check_pending = self._check_pending
        return self._stubber

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        __tracebackhide__ = True
        try:
            self._stubber.close_context()
            self._stubber.close_clock()
        finally:
            self._platform.__exit__(None, None, None)
        if kind is None:  # an exception on its way out is the news: the checks would hide it
            self._stubber._end()

    async def __aenter__(self) -> Stubber:
        return self.__enter__()

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        __tracebackhide__ = True
        self.__exit__(kind, *exc)


@contextmanager
def _function(function: str | os.PathLike[str]) -> Iterator[Any]:
    """The ``main`` of the function at ``function``, loaded and run under its ``config.json``
    permissions (for the block; ``init`` calls made in it stay for the ``stubbed`` block); a call
    it left without ``await`` (which never ran), or returned so, fails the test as ``cloud run`` reports it."""
    path = loader.locate(function)
    defaults = loader.permitted(path.parent)
    provided = platform.provided(defaults, restore_instances=False) if defaults else nullcontext()
    with provided, loader.unawaited(path.parent, loader.fail_dropped), loader.origins():
        yield loader.load(path).main


def _context(function: str | os.PathLike[str], context: Any) -> Any:
    return {"function_name": loader.locate(function).parent.name} if context is None else context
