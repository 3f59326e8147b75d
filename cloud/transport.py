"""The I/O shells: drive a :mod:`cloud.call` flow, blocking or awaiting.

Each shell performs the effects a flow yields: a :class:`~cloud.request.Request` over httpx, and
the :mod:`cloud.effects` (sleep, wait for another caller's token fetch, a short blocking call, the
user's token provider). The two shells differ only in how they wait; what they send is decided by
:func:`_stream_args`, what a failed exchange means by :func:`failure_of`, and reply limits by
``_accept`` and ``_grow``, once for both.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from . import errors
from .call import Flow
from .effects import Blocking, CallUser, Sleep, Wait
from .request import Request
from .response import Failure, Reply

errors.redact_library_logs()


_timeout: Any = getattr(asyncio, "timeout", None)


@dataclass(frozen=True)
class SyncPool:
    """The blocking client and the gate that keeps waiting callers out of httpx's pool queue."""

    client: httpx.Client
    gate: threading.BoundedSemaphore


@dataclass(frozen=True)
class AsyncPool:
    """One event loop's client, and its gate (O(1) waiting; httpx's own queue is not)."""

    client: httpx.AsyncClient
    gate: asyncio.Semaphore


@dataclass(frozen=True)
class Limits:
    """Per-instance settings of the shells: the largest reply read, and the secrets to scrub."""

    max_reply_bytes: int
    secrets: tuple[str | None, ...]


def _stream_args(req: Request) -> dict[str, Any]:
    """``client.stream(...)`` arguments for one request: what is left of the deadline for every phase."""
    return {
        "method": req.method,
        "url": req.url,
        "params": req.query,
        "headers": req.headers,
        "content": req.content,
        "timeout": httpx.Timeout(max(req.timeout, 0.001)),
    }


class _TooLargeError(Exception):
    pass


class _LateError(Exception):
    pass


def _accept(resp: httpx.Response, limit: int) -> None:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLargeError


def _grow(body: bytearray, chunk: bytes, limit: int, deadline: float) -> None:
    body += chunk
    if len(body) > limit:
        raise _TooLargeError
    if time.monotonic() > deadline:
        raise _LateError


def failure_of(exc: Exception, limits: Limits) -> Failure:
    """What a transport error means to the caller, with every secret taken out of its text."""
    if isinstance(exc, _TooLargeError):
        return Failure("connect", f"reply body over {limits.max_reply_bytes} bytes (maxReplyBytes)", sent=True)
    if isinstance(exc, (_LateError, asyncio.TimeoutError)):
        return Failure("timeout", "request timeout", sent=True)
    sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol))
    if isinstance(exc, httpx.TimeoutException):
        kind, detail = "timeout", "connect timeout" if isinstance(exc, httpx.ConnectTimeout) else "request timeout"
    else:
        kind, detail = "connect", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Failure(kind, errors.redact(detail, limits.secrets), sent=sent)  # type: ignore[arg-type]


def send_sync(pool: SyncPool, req: Request, limits: Limits) -> Reply | Failure:
    """One request, its reply read within the attempt's time and the size limit."""
    deadline = time.monotonic() + req.timeout
    if not pool.gate.acquire(timeout=max(req.timeout, 0.001)):
        return Failure("timeout", "request timeout (all connections busy)")
    try:
        return _exchange_sync(pool.client, req, limits, deadline)
    finally:
        pool.gate.release()


def _exchange_sync(client: httpx.Client, req: Request, limits: Limits, deadline: float) -> Reply | Failure:
    try:
        with client.stream(**_stream_args(req)) as resp:
            _accept(resp, limits.max_reply_bytes)
            body = bytearray()
            for chunk in resp.iter_bytes():
                _grow(body, chunk, limits.max_reply_bytes, deadline)
            return Reply(resp.status_code, resp.headers.get("content-type", ""), bytes(body))
    except (httpx.RequestError, _TooLargeError, _LateError) as exc:
        return failure_of(exc, limits)


async def send_async(pool: AsyncPool, req: Request, limits: Limits) -> Reply | Failure:
    """One request, its reply read within the attempt's time (enforced exactly) and the size limit."""
    deadline = time.monotonic() + req.timeout
    client = pool.client

    async def exchange() -> Reply:
        async with pool.gate, client.stream(**_stream_args(req)) as resp:
            _accept(resp, limits.max_reply_bytes)
            body = bytearray()
            async for chunk in resp.aiter_bytes():
                _grow(body, chunk, limits.max_reply_bytes, deadline)
            return Reply(resp.status_code, resp.headers.get("content-type", ""), bytes(body))

    try:
        if _timeout is not None:  # Python 3.11+: no extra task per request
            async with _timeout(max(req.timeout, 0.001) + 0.05):
                return await exchange()
        return await asyncio.wait_for(exchange(), timeout=max(req.timeout, 0.001) + 0.05)
    except (httpx.RequestError, _TooLargeError, _LateError, asyncio.TimeoutError) as exc:
        return failure_of(exc, limits)


def run_sync(flow: Flow, client: SyncPool, limits: Limits) -> dict[str, Any]:
    """Drive ``flow`` to its result, blocking."""
    try:
        effect = next(flow)
        while True:
            try:
                value = _perform_sync(effect, client, limits)
            except Exception as exc:  # an effect failed: the flow decides what it means
                effect = flow.throw(exc)
            else:
                effect = flow.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()  # on any way out (even KeyboardInterrupt) the flow's cleanup runs


async def run_async(flow: Flow, client: AsyncPool, limits: Limits) -> dict[str, Any]:
    """Drive ``flow`` to its result, awaiting."""
    try:
        effect = next(flow)
        while True:
            try:
                value = await _perform_async(effect, client, limits)
            except Exception as exc:
                effect = flow.throw(exc)
            else:
                effect = flow.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()  # on cancellation too: a token fetch this call leads is released


def _perform_sync(effect: Any, client: SyncPool, limits: Limits) -> Any:
    if isinstance(effect, Request):
        return send_sync(client, effect, limits)
    if isinstance(effect, Wait):
        concurrent.futures.wait([effect.future], effect.timeout)
        return None
    if isinstance(effect, Sleep):
        time.sleep(effect.seconds)
        return None
    if isinstance(effect, Blocking):
        return effect.fn(*effect.args)
    if isinstance(effect, CallUser):
        result = effect.fn(*effect.args)
        return _run_coroutine(result) if inspect.isawaitable(result) else result
    raise TypeError(f"unknown effect {effect!r}")


async def _perform_async(effect: Any, client: AsyncPool, limits: Limits) -> Any:
    if isinstance(effect, Request):
        return await send_async(client, effect, limits)
    if isinstance(effect, Wait):
        # asyncio.wait neither cancels the shared future on timeout nor when this task is cancelled
        await asyncio.wait([asyncio.wrap_future(effect.future)], timeout=effect.timeout)
        return None
    if isinstance(effect, Sleep):
        await asyncio.sleep(effect.seconds)
        return None
    if isinstance(effect, Blocking):
        return await asyncio.to_thread(effect.fn, *effect.args)
    if isinstance(effect, CallUser):
        if inspect.iscoroutinefunction(effect.fn):
            return await effect.fn(*effect.args)
        result = await asyncio.to_thread(effect.fn, *effect.args)
        return await result if inspect.isawaitable(result) else result
    raise TypeError(f"unknown effect {effect!r}")


def _run_coroutine(awaitable: Any) -> Any:
    """Run an async token provider's awaitable from blocking code (in its own thread when this
    thread already runs an event loop)."""

    async def wrapped() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrapped())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, wrapped()).result()
