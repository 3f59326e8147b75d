"""Every thread the library starts: the user's functions (a token provider, a cloud function's
``main``, a payment callback) and short blocking calls (a Redis command), run off the caller's
thread where a deadline must hold, and the emulator's server and answers. Each runs in a daemon
thread of its own, in a copy of the caller's context variables (the platform, the request context)."""

from __future__ import annotations

import concurrent.futures
import contextvars
import inspect
import threading
from collections.abc import Callable
from typing import Any


def call_user(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float | None) -> Any:
    """The user's ``fn(*args)``, blocking; an awaitable it returns is run to its end (or ``timeout``)."""
    result = fn(*args)
    return run_coroutine(result, timeout) if inspect.isawaitable(result) else result


async def call_user_async(fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """The user's ``fn(*args)``, awaited; a blocking one runs in a thread of its own (one that never
    returns then holds up neither the event loop nor its default executor's shutdown)."""
    import asyncio

    if inspect.iscoroutinefunction(fn):
        return await fn(*args)
    result = await asyncio.wrap_future(in_thread(fn, args))
    return await result if inspect.isawaitable(result) else result


def in_thread(
    fn: Callable[..., Any], args: tuple[Any, ...], name: str = "wx-cloud-blocking"
) -> concurrent.futures.Future[Any]:
    """``fn(*args)`` in a daemon thread of its own, in a copy of the caller's context variables, so
    that a caller who stops waiting leaves nothing behind to wait for (a pool's worker would hold up
    its shutdown)."""
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    future.set_running_or_notify_cancel()  # a waiter that gives up cannot cancel it under the thread
    context = contextvars.copy_context()

    def work() -> None:
        try:
            future.set_result(context.run(fn, *args))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=work, name=name, daemon=True).start()
    return future


def run_coroutine(awaitable: Any, timeout: float | None = None) -> Any:
    """Run an async token provider's awaitable from blocking code (in its own thread when this
    thread already runs an event loop), cancelled after ``timeout`` seconds (TimeoutError)."""
    import asyncio

    async def wrapped() -> Any:
        if timeout is None:
            return await awaitable
        try:
            return await asyncio.wait_for(awaitable, max(timeout, 0))
        except asyncio.TimeoutError:
            raise TimeoutError from None

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrapped())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, wrapped()).result()
