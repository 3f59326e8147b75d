"""Running a ported cloud function the way the cloud runs it: ``python -m cloud run DIR``.

Loads ``index.py`` from the function's folder, calls ``main(event, context)`` (async or not) and
returns what a Node caller would receive, as JSON text. When the folder's ``config.json`` lists
``permissions.openapi``, calls to other APIs fail with -604101 before any I/O, as in the cloud.
With no credentials in the environment the calls go to the in-process emulator (said on stderr),
which has a token for any appid; with a token source (``WX_ACCESS_TOKEN``, ``WX_SECRET``,
``WX_TOKEN_MODE``) or an API base they go where the configuration says. ``WX_APPID`` alone is the
caller's context, as in the cloud.
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import os
import sys
import traceback
import uuid
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NoReturn

from .._client import platform
from .._core import clock as clock_
from .._js import json as jsjson
from ..emulator import ScenarioError, load_scenario
from ..emulator._functions import over_limit, time_limit
from . import folder as loader
from . import local
from .folder import RunError, check_event, load, locate, read_permissions

__all__ = [
    "RunError", "TimeLimitError", "check_event", "load", "locate", "needs_emulator", "parse_event",
    "read_permissions", "run",
]  # fmt: skip


def parse_event(text: str, where: str = "--event") -> dict[str, Any]:
    """An event given as text: strict JSON (no NaN or Infinity) holding an object."""
    try:
        event = jsjson.parse_json(text)
    except ValueError as exc:
        raise RunError(f"{where} is not JSON: {exc}") from None
    check_event(event, where)
    return event


CONFIGURING = ("WX_ACCESS_TOKEN", "WX_SECRET", "WX_TOKEN_MODE", "WX_API_BASE")
"""What points calls somewhere other than the emulator. ``WX_APPID`` alone does not: in the
cloud it is the caller's context (``getWXContext().APPID``)."""


def needs_emulator(environ: Mapping[str, str], api_base: str | None) -> bool:
    """True when nothing points calls anywhere: no token source, no API base."""
    return not api_base and not any(environ.get(name) for name in CONFIGURING)


def run(
    target: str | os.PathLike[str],
    event: Any = None,
    *,
    api_base: str | None = None,
    context: Mapping[str, Any] | None = None,
    scenario: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    clock: int | None = None,
    limited: bool = False,
    process_wide: bool = False,
) -> str:
    """Run the function at ``target`` with ``event``; the JSON text its caller would receive.
    ``context`` is what ``getWXContext()`` returns in it; ``scenario`` scripts the emulator's
    replies; ``defaults`` are what the platform provides instead of the emulator (compare's side);
    ``clock`` (epoch milliseconds) stops the function's clock there (:mod:`cloud._core.clock`);
    ``limited``: :class:`TimeLimitError` when ``main`` runs past its time limit, as the cloud stops it;
    ``process_wide``: the platform is also what the function's own threads see (a process of its own).
    What it set up (the emulator, permissions, ``init`` calls, the context) is undone after; what
    the function prints goes to stderr, so that stdout holds only the result."""
    path = locate(target)
    event = {} if event is None else event
    check_event(event)
    variables = {} if context is None else loader.context_environ(context)
    event = loader.caller_event(event, context)
    provided = {**loader.permitted(path.parent), **(defaults or {})}
    if api_base:
        provided["apiBase"] = api_base
    if defaults is None and needs_emulator(os.environ, api_base):
        emulator, emulated = local.emulated(functions=path.parent.parent)  # callFunction: sibling folders
        try:
            load_scenario(emulator, scenario or {})
        except ScenarioError as exc:
            raise RunError(f"--scenario: {exc}") from None
        provided.update(emulated)
        print("cloud: no token source or API base configured; calls go to the in-process emulator", file=sys.stderr)
    elif scenario is not None:
        raise RunError("--scenario scripts the emulator, but a token source or API base is configured")
    stopped = contextlib.nullcontext() if clock is None else clock_.frozen(clock)
    logs = contextlib.redirect_stdout(sys.stderr)  # what it prints is its log, as console.log is in the cloud
    with (
        loader.kept(),
        loader.environ(variables),
        platform.provided(provided, process_wide=process_wide),
        stopped,
        logs,
    ):
        context_ = {"function_name": path.parent.name, "request_id": str(uuid.uuid4())}
        with _no_hard_exit() if process_wide else contextlib.nullcontext():
            return _main(path, event, context_, time_limit(path.parent) if limited else None)


class TimeLimitError(RunError):
    """``main`` ran past the function's time limit; it may still be running, in a thread of its own."""


class _HardExit(SystemExit):
    """``os._exit`` called in the function's run: the process would end with no result and no word."""


@contextlib.contextmanager
def _no_hard_exit() -> Iterator[None]:
    """For a process that runs one function (``python -m cloud run``): ``os._exit`` in it raises
    :class:`_HardExit` instead, so that the run ends with an error (exit 2), not silently with 0.
    A forked child still exits as it asks."""
    real, pid = os._exit, os.getpid()

    def refused(status: int) -> NoReturn:
        if os.getpid() != pid:
            real(status)
        raise _HardExit(status)

    os._exit = refused
    try:
        yield
    finally:
        os._exit = real


def _main(path: Path, event: Any, context: Any, limit: float | None = None) -> str:
    main = load(path).main
    try:
        with loader.unawaited(path.parent, _print_dropped):
            result = loader.call_within(main, event, context, limit)
    except loader.TooLongError:
        raise TimeLimitError(over_limit(path, limit or 0)) from None
    except SystemExit as exc:  # the cloud would end the instance: the caller gets no result
        where = loader.where(exc, path.parent)
        how = "os._exit" if isinstance(exc, _HardExit) else "sys.exit"
        said = f"main called {how}({exc.code!r}): a cloud function returns its result or raises"
        raise RunError(f"{where}: {said}") from None
    except TypeError as exc:  # "'coroutine' object is not subscriptable": a call not awaited
        if "coroutine" not in str(exc):
            raise
        message = f"{loader.where(exc, path.parent)}: TypeError: {exc} ({AWAIT_HINT})"
        _forget(exc)
        raise RunError(message) from None
    check_result(result, path)
    return jsjson.node_dumps(result)


AWAIT_HINT = loader.AWAIT_HINT


def _print_dropped(lines: list[str]) -> None:
    for line in lines:
        print(f"cloud run: {line}", file=sys.stderr)


def _forget(exc: BaseException) -> None:
    """Drop ``exc``'s frames now, so the coroutine they hold goes without a "never awaited"
    warning: the hint already said so."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()


def check_result(result: Any, path: Path) -> None:
    """Raise :class:`RunError` naming where in ``result`` a value is not JSON (a coroutine, most
    often: a call not awaited); a coroutine found is closed, so Python does not warn of it."""
    found = loader.not_json(result, "the result")
    if found is None:
        return
    at, value = found
    if len(at) > 160:
        at = f"{at[:100]}…{at[-50:]}"
    if value is loader.CYCLE:
        raise RunError(f"{path}: main returned a value that contains itself at {at}, which JSON cannot write")
    if value is loader.DEEP:
        raise RunError(f"{path}: main returned a value nested deeper than {loader.MAX_RESULT_DEPTH} levels at {at}")
    if isinstance(value, int) and not isinstance(value, bool):
        raise RunError(f"{path}: main returned an integer over 1024 bits in {at}, which is not JSON")
    hint, place = "", str(path)
    if inspect.iscoroutine(value):
        place = loader.made_at(value, path.parent) or place  # the line of the call not awaited
        value.close()
        hint = f" ({AWAIT_HINT})"
    elif inspect.isawaitable(value):
        hint = f" ({AWAIT_HINT})"
    raise RunError(f"{place}: main returned a {type(value).__name__} in {at}, which is not JSON{hint}")
