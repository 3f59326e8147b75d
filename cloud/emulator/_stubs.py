"""Scripted replies: :class:`Scripted` (a reply chosen by a test), and :class:`Stubs`, an emulator's
per-API stubs and its queue of replies for whatever request comes next."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .. import catalog
from . import _checks as checks
from ._replies import Answer

LOCAL_APIS: dict[str, str] = {name: e.path for name, e in catalog.cloud_apis().items() if e.sdk}
"""The storage, function and database calls by the names the SDK gives them → their (POST) path;
the first name of a path is the one a recorded call carries (``downloadFile`` asks for a temporary
URL: it shares ``getTempFileURL``'s path)."""
LOCAL_NAMES: dict[str, str] = {}
for _name, _path in LOCAL_APIS.items():
    LOCAL_NAMES.setdefault(_path, _name)


def endpoint_of(api: str) -> tuple[str, str]:
    """The (method, path) of ``api`` by any of its names: catalogued, ``cloudPay.<api>``, or one of
    :data:`LOCAL_APIS`. ValueError for a name none of them knows."""
    if api in LOCAL_APIS:
        return "POST", LOCAL_APIS[api]
    endpoint = catalog.pay_endpoint(api[9:]) if api.startswith("cloudPay.") else catalog.lookup(api)
    if endpoint is None:
        raise ValueError(catalog.not_found(api)[0])
    return endpoint.method, endpoint.path


@dataclass(frozen=True)
class Scripted:
    """A reply to give instead of the emulated one (queued with ``enqueue``, or a ``stub``).
    Checked when made: ValueError for a body JSON cannot say (NaN, ...) or a header HTTP cannot."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """Seconds to wait before answering."""
    _payload: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        body = self.body
        if isinstance(body, (dict, list)):
            try:
                body = checks.dumps(body)
            except ValueError as exc:
                raise ValueError(f"the body is {exc}") from None
        if isinstance(body, str):
            try:
                body = body.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("the body has a lone surrogate, which is not text") from None
        object.__setattr__(self, "_payload", body)
        for name, value in self._headers():
            problem = checks.header_problem(name, value)
            if problem is not None:
                raise ValueError(problem)

    def _headers(self) -> list[tuple[str, str]]:
        headers = list(self.headers)
        if self.content_type is not None:
            headers.append(("content-type", self.content_type))
        return headers

    def encoded(self) -> tuple[int, list[tuple[str, str]], bytes]:
        return self.status, self._headers(), self._payload

    def answer(self) -> Answer:
        """This reply as the emulator gives it."""
        return Answer(*self.encoded(), self.delay)


@dataclass
class _ApiStubs:
    """One API's stubs: counted ones first, in order, then the standing one."""

    name: str
    """The name it was first stubbed under (messages say it)."""
    counted: deque[tuple[Scripted, int]] = field(default_factory=deque)
    standing: Scripted | None = None

    def take(self) -> Scripted | None:
        if self.counted:
            reply, left = self.counted.popleft()
            if left > 1:
                self.counted.appendleft((reply, left - 1))
            return reply
        return self.standing


@dataclass
class Stubs:
    """The replies scripted so far: per API (by method and path), and queued for any request.
    Not thread-safe: the emulator holds its lock around every use."""

    _per_api: dict[tuple[str, str], _ApiStubs] = field(default_factory=dict)
    _queue: deque[Scripted] = field(default_factory=deque)

    def add(self, api: str, reply: Scripted, times: int | None = None) -> None:
        """Answer calls to ``api`` (any name of its endpoint) with ``reply``: the next ``times``
        calls, before any standing stub; with no ``times``, every call (replacing the standing one).
        ValueError for an API not in the catalogue or a ``times`` that is not a count."""
        where = endpoint_of(api)
        if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
            raise ValueError(f"times must be a whole number of calls, 1 or more, got {times!r}")
        stubs = self._per_api.setdefault(where, _ApiStubs(api))
        if times is None:
            stubs.standing = reply
        else:
            stubs.counted.append((reply, times))

    def enqueue(self, replies: tuple[Scripted, ...]) -> None:
        self._queue.extend(replies)

    def next_queued(self) -> Scripted | None:
        """The queued reply for the request at hand, if any (taken off the queue)."""
        return self._queue.popleft() if self._queue else None

    def take(self, method: str, path: str) -> Scripted | None:
        """The stubbed reply for a call to this endpoint, if any (a counted one is used up)."""
        stubs = self._per_api.get((method, path))
        return stubs.take() if stubs else None

    def pending(self) -> list[tuple[str, int]]:
        """What ``times`` stubs and queued replies have not been used: (API name or ``"queued"``, count)."""
        left = [(stubs.name, sum(n for _, n in stubs.counted)) for stubs in self._per_api.values()]
        return [*((name, n) for name, n in left if n), *((("queued", len(self._queue)),) if self._queue else ())]

    def clear(self) -> None:
        self._per_api.clear()
        self._queue.clear()
