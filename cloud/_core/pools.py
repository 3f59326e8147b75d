"""Connection pools and their lifetimes: one blocking pool per instance, one async pool per event loop.

Each call leases the pool it uses. Replacing a pool (``close``, ``aclose``, a new config) retires
it: calls in flight finish on it and the last one out closes it, so no call sees its connection
closed under it. An async pool lives as long as its event loop: a loop shut down the usual way
(``asyncio.run``, or ``loop.shutdown_asyncgens()``) closes its connections, and a pool whose loop
was closed without that is forgotten when the next pool is made (the garbage collector then closes
its sockets). After ``os.fork()`` the child forgets every pool without closing it: the connections
are the parent's.
"""

from __future__ import annotations

import functools
import ssl
import threading
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING

import httpx

from . import deadlines

if TYPE_CHECKING:
    import asyncio

    from .config import Config


class Lease:
    """How many calls use a pool, and whether it has been retired; says when it may be closed."""

    __slots__ = ("_closing", "_lock", "_retired", "_users")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._retired = False
        self._closing = False

    def enter(self) -> None:
        with self._lock:
            self._users += 1

    def leave(self) -> bool:
        """One call is done with the pool: True when the caller must now close it (once)."""
        with self._lock:
            self._users -= 1
            return self._close_now()

    def retire(self) -> bool:
        """No new call will use the pool: True when the caller must close it now (once)."""
        with self._lock:
            self._retired = True
            return self._close_now()

    def _close_now(self) -> bool:
        if self._retired and self._users == 0 and not self._closing:
            self._closing = True
            return True
        return False


class SyncPool:
    """The blocking transport, and the gate that keeps waiting callers out of httpx's pool queue."""

    __slots__ = ("gate", "lease", "transport")

    def __init__(self, transport: httpx.BaseTransport, max_connections: int) -> None:
        self.transport = transport
        self.gate = threading.BoundedSemaphore(max_connections)
        self.lease = Lease()

    def __repr__(self) -> str:
        return f"<SyncPool {type(self.transport).__name__}>"


class AsyncPool:
    """One event loop's transport, gate (O(1) waiting; httpx's own queue is not) and watchdog of
    deadlines, closed with the loop: :meth:`watch` ties it to the loop's shutdown."""

    __slots__ = ("_keeper", "gate", "lease", "loop", "transport", "watchdog")

    def __init__(self, transport: httpx.AsyncBaseTransport, max_connections: int, loop: asyncio.AbstractEventLoop):
        import asyncio

        self.transport = transport
        self.gate = asyncio.Semaphore(max_connections)
        self.lease = Lease()
        self.loop = loop
        self.watchdog = deadlines.Watchdog(loop)
        self._keeper: AsyncGenerator[None, None] | None = None

    def watch(self, forget: Callable[[AsyncPool], None]) -> None:
        """Close the pool when its loop shuts down its async generators (``asyncio.run`` does),
        then ``forget(self)``. Called from a task of the loop, before the pool is used."""

        async def keeper() -> AsyncGenerator[None, None]:
            try:
                yield
            finally:
                forget(self)
                self.watchdog.close()
                await self.transport.aclose()

        self._keeper = keeper()  # held here: the loop keeps only a weak reference to it
        started = self._keeper.asend(None)  # the loop's first-iteration hook registers it
        try:
            started.send(None)  # runs to the first ``yield`` without suspending
        except StopIteration:
            pass

    async def release(self) -> None:
        """Close the connections now (in the pool's loop)."""
        if self._keeper is not None:
            await self._keeper.aclose()
        else:
            self.watchdog.close()
            await self.transport.aclose()

    def release_soon(self) -> None:
        """Close the connections from any thread: in the pool's loop if it still runs, else leave
        them to the loop's shutdown or the garbage collector."""
        if not self.loop.is_closed():
            try:
                self.loop.call_soon_threadsafe(lambda: self.loop.create_task(self.release()))
            except RuntimeError:  # closed in between
                pass

    def __repr__(self) -> str:
        return f"<AsyncPool {type(self.transport).__name__}>"


def _limits(cfg: Config) -> httpx.Limits:
    """As many connections kept alive as may be open, so a burst does not churn connections."""
    return httpx.Limits(max_connections=cfg.max_connections, max_keepalive_connections=cfg.max_connections)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS configuration for every pool: making one loads the CA bundle (about 35 ms), which
    a pool per event loop (``asyncio.run`` per call) would otherwise pay each time."""
    return httpx.create_ssl_context()


def sync_pool(cfg: Config, proxy: str | None) -> SyncPool:
    """A blocking pool for ``cfg``: its ``transport``, else httpx's, through ``proxy`` if any."""
    made = cfg.transport
    if made is None:
        made = deadlines.install(httpx.HTTPTransport(verify=_ssl_context(), limits=_limits(cfg), proxy=proxy))
    return SyncPool(made, cfg.max_connections)


def async_pool(cfg: Config, proxy: str | None, loop: asyncio.AbstractEventLoop) -> AsyncPool:
    """``loop``'s pool for ``cfg``: its ``transport``, else httpx's, through ``proxy`` if any."""
    made = cfg.transport
    if made is None:
        made = httpx.AsyncHTTPTransport(verify=_ssl_context(), limits=_limits(cfg), proxy=proxy)
    return AsyncPool(made, cfg.max_connections, loop)
