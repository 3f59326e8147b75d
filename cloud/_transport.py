"""The I/O shells: drive a :mod:`cloud._call` flow, blocking or awaiting.

Each shell performs the effects a flow yields: a :class:`~cloud._request.Request` over httpx, and
the :mod:`cloud._messages` effects (sleep, wait for another caller's token fetch, a short blocking call, the
user's token provider). The two shells differ only in how they wait; what they send is decided by
:func:`http_request`, what a failed exchange means by :func:`failure_of`, and reply limits by
``_accept`` and ``_grow``, once for both.

Requests go straight to an httpx transport (its public ``handle_request`` API), not through an
``httpx.Client``: a cloud call needs none of the client's cookie jar, redirects, auth or URL
merging, and they cost more than the rest of the call (bench/client_cost.py).
"""

from __future__ import annotations

import concurrent.futures
import functools
import inspect
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from . import _deadlines as deadlines
from . import errors
from ._call import Flow
from ._messages import Blocking, CallUser, Effect, Failure, Reply, Request, Sleep, Wait
from ._pools import AsyncPool, SyncPool

errors.redact_library_logs()

# asyncio is imported by the async shell's functions, not here: it is most of what an import of
# the package would cost (bench/cold_start.py), and blocking-only users never need it.


@dataclass(frozen=True)
class ShellSettings:
    """Per-instance settings of the shells: the largest reply read, and the secrets to scrub."""

    max_reply_bytes: int
    secrets: tuple[str | None, ...] = field(repr=False)


USER_AGENT = "wx-server-sdk-python"
ACCEPT_ENCODING = ("accept-encoding", "gzip, deflate")
"""The encodings ``_grow`` inflates within the reply limit (httpx's own decoders inflate a whole
chunk at once, so a small compressed chunk could become gigabytes before any check)."""


@functools.lru_cache(maxsize=256)
def _url(base: str, query: tuple[tuple[str, str], ...]) -> httpx.URL:
    """The URL of a request, its query encoded as httpx encodes ``params`` (percent-encoding,
    ``safe=""``). Built once per distinct URL: httpx checks a URL character by character, which
    costs more than the rest of building a request, and most calls repeat theirs (same API and token)."""
    text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    return httpx.URL(f"{base}?{text}" if text else base)


def http_request(req: Request) -> httpx.Request:
    """The httpx request for ``req``, with what is left of the deadline as every phase's timeout.

    Its headers are complete as built (``stream=``), which spares httpx a second pass over them."""
    url = _url(req.url, req.query)
    headers = [("host", url.netloc.decode("ascii")), ("user-agent", USER_AGENT), ACCEPT_ENCODING, *req.headers]
    if req.content or req.method == "POST":
        headers.append(("content-length", str(len(req.content))))
    seconds = max(req.timeout, 0.001)
    built = httpx.Request(
        req.method,
        url,
        headers=headers,
        stream=httpx.ByteStream(req.content),
        extensions={"timeout": {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}},
    )
    built.read()  # as httpx does for a body given whole: transports may read ``request.content``
    return built


class _TooLargeError(Exception):
    pass


class _LateError(Exception):
    pass


def _accept(resp: httpx.Response, limit: int) -> Any:
    """Check the declared size; the decompressor for the reply's Content-Encoding (None: none, or
    the reply was read and decoded already, as in-process transports give it)."""
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLargeError
    if resp.is_stream_consumed:
        return None
    encoding = resp.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    if encoding not in ("identity", ""):
        raise httpx.DecodingError(f"unsupported Content-Encoding {encoding[:40]!r}")
    return None


def _grow(body: bytearray, chunk: bytes, limit: int, deadline: float, inflate: Any = None) -> None:
    """Add a raw chunk to ``body``, inflated by ``inflate`` (from ``_accept``) no further than
    one byte past ``limit``."""
    if inflate is None:
        body += chunk
    while inflate is not None and chunk:
        room = limit - len(body) + 1
        try:
            out = inflate.decompress(chunk, room)
        except zlib.error as exc:
            raise httpx.DecodingError(f"bad compressed reply: {exc}") from None
        body += out
        chunk = inflate.unconsumed_tail if len(out) < room else b""  # a full ``room``: over the limit
    if len(body) > limit:
        raise _TooLargeError
    if time.monotonic() > deadline:
        raise _LateError


def _reply(resp: httpx.Response, body: bytearray) -> Reply:
    headers = resp.headers
    return Reply(resp.status_code, headers.get("content-type", ""), bytes(body), headers.get("x-openapi-seqid"))


def failure_of(exc: Exception, settings: ShellSettings) -> Failure:
    """What a transport error means to the caller, with every secret taken out of its text."""
    if isinstance(exc, _TooLargeError):
        return Failure("too-large", f"reply body over {settings.max_reply_bytes} bytes (maxReplyBytes)", sent=True)
    if isinstance(exc, _LateError):
        return Failure("timeout", "request timeout", sent=True)
    unsent = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol, httpx.InvalidURL)
    sent = not isinstance(exc, unsent)
    if isinstance(exc, httpx.TimeoutException):
        kind, detail = "timeout", "connect timeout" if isinstance(exc, httpx.ConnectTimeout) else "request timeout"
    else:
        kind, detail = "connect", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Failure(kind, errors.redact(detail, settings.secrets), sent=sent)  # type: ignore[arg-type]


def send_sync(pool: SyncPool, req: Request, settings: ShellSettings) -> Reply | Failure:
    """One request, its reply read within the attempt's time and the size limit."""
    deadline = time.monotonic() + req.timeout
    if not pool.gate.acquire(timeout=max(req.timeout, 0.001)):
        return Failure("timeout", "request timeout (all connections busy)")
    try:
        return _exchange_sync(pool.transport, req, settings, deadline)
    finally:
        pool.gate.release()


def _exchange_sync(
    transport: httpx.BaseTransport, req: Request, settings: ShellSettings, deadline: float
) -> Reply | Failure:
    try:
        with deadlines.bounded(deadline):
            resp = transport.handle_request(http_request(req))
        try:
            inflate = _accept(resp, settings.max_reply_bytes)
            body = bytearray()
            with deadlines.bounded(deadline):
                for chunk in resp.iter_bytes() if resp.is_stream_consumed else resp.iter_raw():
                    _grow(body, chunk, settings.max_reply_bytes, deadline, inflate)
            return _reply(resp, body)
        finally:
            resp.close()
    except (httpx.RequestError, httpx.InvalidURL, _TooLargeError, _LateError) as exc:
        return failure_of(exc, settings)


async def send_async(pool: AsyncPool, req: Request, settings: ShellSettings) -> Reply | Failure:
    """One request, its reply read within the attempt's time (enforced exactly) and the size limit."""
    import asyncio

    deadline = time.monotonic() + req.timeout
    transport = pool.transport

    async def exchange() -> Reply:
        async with pool.gate:
            resp = await transport.handle_async_request(http_request(req))
            try:
                inflate = _accept(resp, settings.max_reply_bytes)
                body = bytearray()
                chunks = resp.aiter_bytes() if resp.is_stream_consumed else resp.aiter_raw()
                async for chunk in chunks:
                    _grow(body, chunk, settings.max_reply_bytes, deadline, inflate)
                return _reply(resp, body)
            finally:
                await resp.aclose()

    timeout = getattr(asyncio, "timeout", None)
    try:
        if timeout is not None:  # Python 3.11+: no extra task per request
            async with timeout(max(req.timeout, 0.001) + 0.05):
                return await exchange()
        return await asyncio.wait_for(exchange(), timeout=max(req.timeout, 0.001) + 0.05)
    except asyncio.TimeoutError:
        return failure_of(_LateError(), settings)
    except (httpx.RequestError, httpx.InvalidURL, _TooLargeError, _LateError) as exc:
        return failure_of(exc, settings)


def run_sync(flow: Flow, pool: SyncPool, settings: ShellSettings) -> dict[str, Any]:
    """Drive ``flow`` to its result, blocking."""
    try:
        effect = next(flow)
        while True:
            try:
                value = _perform_sync(effect, pool, settings)
            except Exception as exc:  # an effect failed: the flow decides what it means
                effect = flow.throw(exc)
            else:
                effect = flow.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()  # on any way out (even KeyboardInterrupt) the flow's cleanup runs


async def run_async(flow: Flow, pool: AsyncPool, settings: ShellSettings) -> dict[str, Any]:
    """Drive ``flow`` to its result, awaiting."""
    try:
        effect = next(flow)
        while True:
            try:
                value = await _perform_async(effect, pool, settings)
            except Exception as exc:
                effect = flow.throw(exc)
            else:
                effect = flow.send(value)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()  # on cancellation too: a token fetch this call leads is released


def _perform_sync(effect: Effect, pool: SyncPool, settings: ShellSettings) -> Any:
    if isinstance(effect, Request):
        return send_sync(pool, effect, settings)
    if isinstance(effect, Wait):
        concurrent.futures.wait([effect.future], effect.timeout)
        return None
    if isinstance(effect, Sleep):
        time.sleep(effect.seconds)
        return None
    if isinstance(effect, Blocking):
        if effect.timeout is None:
            return effect.fn(*effect.args)
        try:
            return _in_thread(effect.fn, effect.args).result(effect.timeout)
        except concurrent.futures.TimeoutError:
            raise TimeoutError from None
    if isinstance(effect, CallUser):
        result = effect.fn(*effect.args)
        return _run_coroutine(result) if inspect.isawaitable(result) else result
    raise TypeError(f"unknown effect {effect!r}")


async def _perform_async(effect: Effect, pool: AsyncPool, settings: ShellSettings) -> Any:
    import asyncio

    if isinstance(effect, Request):
        return await send_async(pool, effect, settings)
    if isinstance(effect, Wait):
        # asyncio.wait neither cancels the shared future on timeout nor when this task is cancelled
        await asyncio.wait([asyncio.wrap_future(effect.future)], timeout=effect.timeout)
        return None
    if isinstance(effect, Sleep):
        await asyncio.sleep(effect.seconds)
        return None
    if isinstance(effect, Blocking):
        if effect.timeout is None:
            return await asyncio.to_thread(effect.fn, *effect.args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(_in_thread(effect.fn, effect.args)), effect.timeout)
        except asyncio.TimeoutError:
            raise TimeoutError from None
    if isinstance(effect, CallUser):
        if inspect.iscoroutinefunction(effect.fn):
            return await effect.fn(*effect.args)
        result = await asyncio.to_thread(effect.fn, *effect.args)
        return await result if inspect.isawaitable(result) else result
    raise TypeError(f"unknown effect {effect!r}")


def _in_thread(fn: Callable[..., Any], args: tuple[Any, ...]) -> concurrent.futures.Future[Any]:
    """``fn(*args)`` in a daemon thread of its own, so that a caller who stops waiting leaves
    nothing behind to wait for (a pool's worker would hold up its shutdown)."""
    future: concurrent.futures.Future[Any] = concurrent.futures.Future()
    future.set_running_or_notify_cancel()  # a waiter that gives up cannot cancel it under the thread

    def work() -> None:
        try:
            future.set_result(fn(*args))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=work, name="wx-cloud-blocking", daemon=True).start()
    return future


def _run_coroutine(awaitable: Any) -> Any:
    """Run an async token provider's awaitable from blocking code (in its own thread when this
    thread already runs an event loop)."""
    import asyncio

    async def wrapped() -> Any:
        return await awaitable

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(wrapped())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, wrapped()).result()
