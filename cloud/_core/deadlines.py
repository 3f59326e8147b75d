"""The call's deadline enforced on every exchange, blocking or async.

httpcore gives each read the same timeout, so a server that drips its reply a byte at a time never
trips it: a blocking call with ``timeout=2`` once took 35 s. The async shell bounds the whole
exchange with a :class:`Watchdog`, one per event loop; the blocking shell has no such tool, so its
network streams shorten every read, write and TLS handshake to what is left of the deadline of the
call this thread is making (:func:`bounded`), and fail with httpcore's own timeout once it has passed.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpcore

if TYPE_CHECKING:
    import asyncio

_local = threading.local()


@contextmanager
def bounded(deadline: float) -> Iterator[None]:
    """Socket operations of this thread end by ``deadline`` (``time.monotonic()``) inside the block."""
    _local.deadline = deadline
    try:
        yield
    finally:
        _local.deadline = None


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    deadline: float | None = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("request timeout")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    __slots__ = ("_inner",)

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> _Stream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class Backend(httpcore.NetworkBackend):
    """A network backend whose streams keep to the deadline of the call in progress."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        left = _left(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, left, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _Stream(self._inner.connect_unix_socket(path, _left(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(transport: Any) -> Any:
    """``transport`` (an ``httpx.HTTPTransport``) with its pool's network backend kept to deadlines.

    httpx has no public way to pass httpcore a backend; its pool's ``_network_backend`` is where
    httpcore 1.x keeps it (tests/test_hardening.py fails if that ever changes)."""
    pool = getattr(transport, "_pool", None)
    inner = getattr(pool, "_network_backend", None)
    if inner is not None and not isinstance(inner, Backend):
        pool._network_backend = Backend(inner)  # type: ignore[union-attr]
    return transport


class Watchdog:
    """Cancels the tasks whose exchange outlives its deadline: one timer per event loop for all
    the calls in flight.

    ``asyncio.timeout`` makes, schedules and cancels a timer per call; with 1,000 calls in flight
    that was a sixth of a call's CPU (bench/vs_node.py). Here a call costs a dictionary entry, and
    the one timer is moved only when a call's deadline comes before every other's."""

    __slots__ = ("_at", "_due", "_late", "_loop", "_timer")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._due: dict[asyncio.Task[Any], float] = {}  # task -> deadline, in ``loop.time()``
        self._late: set[asyncio.Task[Any]] = set()  # cancelled here, not yet told
        self._timer: asyncio.TimerHandle | None = None
        self._at = math.inf

    def enter(self, task: asyncio.Task[Any], seconds: float) -> None:
        """Cancel ``task`` if it has not :meth:`left` within ``seconds``."""
        deadline = self._loop.time() + seconds
        self._due[task] = deadline
        if deadline < self._at:
            self._arm(deadline)

    def left(self, task: asyncio.Task[Any]) -> bool:
        """``task`` is out of its exchange: True when it was cancelled here for being late."""
        if self._due.pop(task, None) is not None or not self._late:
            return False
        late = task in self._late
        self._late.discard(task)
        return late

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._at = None, math.inf

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._at = when
        self._timer = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._timer, self._at = None, math.inf
        now = self._loop.time() + 0.001  # the loop runs a timer up to its clock's resolution early
        soonest = math.inf
        for task, deadline in list(self._due.items()):
            if deadline <= now:
                del self._due[task]
                self._late.add(task)
                task.cancel()
            else:
                soonest = min(soonest, deadline)
        if soonest < math.inf:
            self._arm(soonest)
