"""The I/O shells: drive a :mod:`cloud._core.flow` flow, blocking or awaiting.

Each shell performs the effects a flow yields: a :class:`~cloud._core.request.Request` over httpx, and
the :mod:`cloud._core.messages` effects (sleep, wait for another caller's token fetch, a short blocking call, the
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
import time
import zlib
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from .. import errors
from . import deadlines, threads
from .flow import Flow
from .messages import Blocking, CallUser, Effect, Failure, Reply, Request, ShellSettings, Sleep, Wait
from .pools import AsyncPool, SyncPool

errors.redact_library_logs()

# asyncio is imported by the async shell's functions, not here: it is most of what an import of
# the package would cost (bench/cold_start.py), and blocking-only users never need it.


USER_AGENT = "wx-server-sdk-python"
ACCEPT_ENCODING = ("accept-encoding", "gzip, deflate")
"""The encodings ``_grow`` inflates within the reply limit (httpx's own decoders inflate a whole
chunk at once, so a small compressed chunk could become gigabytes before any check)."""


@functools.lru_cache(maxsize=256)
def _url(base: str, query: tuple[tuple[str, str], ...]) -> tuple[httpx.URL, str]:
    """The URL of a request, its query encoded as httpx encodes ``params`` (percent-encoding,
    ``safe=""``), and its host and port. Built once per distinct URL: httpx checks a URL character
    by character, which costs more than the rest of building a request, and most calls repeat
    theirs (same API and token)."""
    text = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query)
    url = httpx.URL(f"{base}?{text}" if text else base)
    return url, url.netloc.decode("ascii")


@functools.lru_cache(maxsize=64)
def _headers(netloc: str, extra: tuple[tuple[str, str], ...]) -> httpx.Headers:
    """The headers of every request to ``netloc`` carrying ``extra`` (the request copies them:
    httpx checks and encodes each header once here, not on every call)."""
    return httpx.Headers([("host", netloc), ("user-agent", USER_AGENT), ACCEPT_ENCODING, *extra])


def http_request(req: Request) -> httpx.Request:
    """The httpx request for ``req``, with what is left of the deadline as every phase's timeout.

    Its headers are complete as built (``stream=``), which spares httpx a second pass over them."""
    url, netloc = _url(req.url, req.query)
    seconds = max(req.timeout, 0.001)
    built = httpx.Request(
        req.method,
        url,
        headers=_headers(netloc, req.headers),
        stream=httpx.ByteStream(req.content),
        extensions={"timeout": {"connect": seconds, "read": seconds, "write": seconds, "pool": seconds}},
    )
    if req.content or req.method == "POST":
        built.headers["content-length"] = str(len(req.content))
    built.read()  # as httpx does for a body given whole: transports may read ``request.content``
    return built


_HEAD = {b"content-length": 0, b"content-encoding": 1, b"content-type": 2, b"x-openapi-seqid": 3}


def _head(resp: httpx.Response) -> list[str | None]:
    """Content-Length, Content-Encoding, Content-Type and x-openapi-seqid (None: absent), in one
    pass over the reply's headers; a repeated header's values joined as httpx joins them."""
    found: list[str | None] = [None, None, None, None]
    headers = resp.headers
    for key, value in headers.raw:
        index = _HEAD.get(key.lower())
        if index is not None:
            text = value.decode(headers.encoding)
            found[index] = text if found[index] is None else f"{found[index]}, {text}"
    return found


class _TooLargeError(Exception):
    pass


class _LateError(Exception):
    pass


def _accept(head: list[str | None], limit: int) -> Any:
    """Check the declared size; the decompressor for the reply's Content-Encoding (None: none)."""
    declared = head[0] or ""
    if declared.isdigit() and int(declared) > limit:
        raise _TooLargeError
    encoding = (head[1] or "identity").strip().lower()
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


_Stream = TypeVar("_Stream", httpx.SyncByteStream, httpx.AsyncByteStream)


def _raw(resp: httpx.Response, kind: type[_Stream]) -> _Stream:
    """The reply's raw bytes as the transport gives them (what ``iter_raw``/``aiter_raw`` pass on,
    without their per-call bookkeeping). A transport that answers with the other kind of stream
    fails the attempt (its stream, which this shell cannot close, is left to the garbage collector)."""
    stream = resp.stream
    if not isinstance(stream, kind):
        raise httpx.StreamError(f"the transport answered with a {type(stream).__name__}, not a {kind.__name__}")
    return stream


def _reply(resp: httpx.Response, head: list[str | None], body: bytes | bytearray) -> Reply:
    return Reply(resp.status_code, head[2] or "", bytes(body), head[3])


def _whole(resp: httpx.Response, head: list[str | None], limit: int, deadline: float) -> Reply:
    """The reply of an in-process transport, which comes read and decoded already."""
    declared = head[0] or ""
    body = resp.content
    if (declared.isdigit() and int(declared) > limit) or len(body) > limit:
        raise _TooLargeError
    if body and time.monotonic() > deadline:
        raise _LateError
    return _reply(resp, head, body)


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
        stream = _raw(resp, httpx.SyncByteStream)
        try:
            head = _head(resp)
            if resp.is_stream_consumed:
                return _whole(resp, head, settings.max_reply_bytes, deadline)
            inflate = _accept(head, settings.max_reply_bytes)
            body = bytearray()
            with deadlines.bounded(deadline):
                for chunk in stream:
                    _grow(body, chunk, settings.max_reply_bytes, deadline, inflate)
            return _reply(resp, head, body)
        finally:
            stream.close()  # what ``resp.close()`` does, without its bookkeeping
    except (httpx.RequestError, httpx.StreamError, httpx.InvalidURL, _TooLargeError, _LateError) as exc:
        return failure_of(exc, settings)


async def send_async(pool: AsyncPool, req: Request, settings: ShellSettings) -> Reply | Failure:
    """One request, its reply read within the attempt's time (enforced by the pool's watchdog,
    whatever the transport does with its timeouts) and the size limit."""
    import asyncio

    deadline = time.monotonic() + req.timeout
    task = asyncio.current_task()
    if task is None:
        raise RuntimeError("an async cloud call runs in an asyncio task")
    late = False
    pool.watchdog.enter(task, max(req.timeout, 0.001) + 0.05)
    try:
        try:
            async with pool.gate:
                resp = await pool.transport.handle_async_request(http_request(req))
                stream = _raw(resp, httpx.AsyncByteStream)
                try:
                    head = _head(resp)
                    if resp.is_stream_consumed:
                        return _whole(resp, head, settings.max_reply_bytes, deadline)
                    inflate = _accept(head, settings.max_reply_bytes)
                    body = bytearray()
                    async for chunk in stream:
                        _grow(body, chunk, settings.max_reply_bytes, deadline, inflate)
                    return _reply(resp, head, body)
                finally:
                    await stream.aclose()  # what ``resp.aclose()`` does, without its bookkeeping
        finally:
            late = pool.watchdog.left(task)
            if late and hasattr(task, "uncancel"):  # Python 3.11+ counts cancels:
                late = task.uncancel() == 0  # the caller's own cancel goes on
    except asyncio.CancelledError:
        if not late:
            raise
        return failure_of(_LateError(), settings)
    except (httpx.RequestError, httpx.StreamError, httpx.InvalidURL, _TooLargeError, _LateError) as exc:
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
                if type(effect) is Request:  # most effects: one coroutine less
                    value = await send_async(pool, effect, settings)
                else:
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
            return threads.in_thread(effect.fn, effect.args).result(effect.timeout)
        except concurrent.futures.TimeoutError:
            raise TimeoutError from None
    if isinstance(effect, CallUser):
        if effect.timeout is None:
            return threads.call_user(effect.fn, effect.args, None)
        try:
            return threads.in_thread(threads.call_user, (effect.fn, effect.args, effect.timeout)).result(
                max(effect.timeout, 0)
            )
        except concurrent.futures.TimeoutError:
            raise TimeoutError from None
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
            return await asyncio.wait_for(
                asyncio.wrap_future(threads.in_thread(effect.fn, effect.args)), effect.timeout
            )
        except asyncio.TimeoutError:
            raise TimeoutError from None
    if isinstance(effect, CallUser):
        if effect.timeout is None:
            return await threads.call_user_async(effect.fn, effect.args)
        try:
            return await asyncio.wait_for(threads.call_user_async(effect.fn, effect.args), max(effect.timeout, 0))
        except asyncio.TimeoutError:
            raise TimeoutError from None
    raise TypeError(f"unknown effect {effect!r}")
