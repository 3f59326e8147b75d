"""What a cloud function knows about its caller and environment: ``getWXContext`` and
``DYNAMIC_CURRENT_ENV``, read from the environment the way wx-server-sdk does (node-behaviour.md §7),
or, inside a request to a WeChat Cloud Run service wrapped by :func:`wsgi` / :func:`asgi`, from
that request's ``X-WX-*`` headers (a context variable: per request and per task, never shared)."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass, field
from typing import Any

_DIGITS = 4000
"""Longer integer text is kept as text (Python parses at most 4,300 digits by default)."""
_HIDDEN = frozenset({"API_TOKEN", "TRIGGER_API_TOKEN_V0", "WX_API_TOKEN", "WX_TRIGGER_API_TOKEN_V0"})
_INTEGER = r"-?[0-9]+"  # JavaScript's \d (0-9 only); compiled on first use (re caches it), not at import


class _CurrentEnv:
    """Stands for "the environment this function runs in" in ``cloud.init(env=...)``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "cloud.DYNAMIC_CURRENT_ENV"


DYNAMIC_CURRENT_ENV: Any = _CurrentEnv()


def getWXContext(environ: Mapping[str, str] | None = None) -> dict[str, Any]:  # noqa: N802 - Node's name
    """``{"OPENID", "APPID", "UNIONID", "ENV", "SOURCE", ...}``. Inside a wrapped request (and no
    ``environ`` given): the request's ``X-WX-*`` headers, ``X-WX-`` removed, ``-`` → ``_``
    (``X-WX-FROM-OPENID`` → ``FROM_OPENID``), values as sent, ``CLIENTIP`` from ``X-Forwarded-For``.
    Otherwise from the names listed in ``WX_CONTEXT_KEYS``: ``WX_`` prefix removed, integer strings
    parsed. Tokens are never shown."""
    request = _REQUEST.get()
    if environ is None and request is not None:
        return dict(request.context)
    env = os.environ if environ is None else environ
    keys = env.get("WX_CONTEXT_KEYS")
    context: dict[str, Any] = {}
    if not keys:
        return context
    for key in keys.split(","):
        if not key or key in _HIDDEN or key not in env:
            continue
        value: Any = env[key]
        if len(value) <= _DIGITS and re.fullmatch(_INTEGER, value):
            value = int(value)
        context[key[3:] if key.startswith("WX_") and len(key) > 3 else key] = value
    current = env.get("TCB_ENV") or env.get("SCF_NAMESPACE")
    if current:
        context["ENV"] = current
    if env.get("TCB_SOURCE"):
        context["SOURCE"] = env["TCB_SOURCE"]
    return context


TOKEN_HEADER = "x-wx-cloudbase-access-token"
"""The platform's cloudbase_access_token for this request's environment: used, never shown."""


@dataclass(frozen=True)
class WXRequest:
    """The caller's identity of one request into a Cloud Run service (from its headers)."""

    context: Mapping[str, str]
    cloudbase_token: str | None = field(default=None, repr=False)


_REQUEST: contextvars.ContextVar[WXRequest | None] = contextvars.ContextVar("cloud_wx_request", default=None)


def current_request() -> WXRequest | None:
    """The request being served in this thread or task, if any."""
    return _REQUEST.get()


def from_headers(headers: Iterable[tuple[str, str]]) -> WXRequest:
    """A request's context from its headers (names in any case). A header sent twice is both
    values joined by ``,``, as WSGI servers join them; the platform's tokens are not shown."""
    context: dict[str, str] = {}
    token = None
    for name, value in headers:
        lower = name.lower()
        if lower == TOKEN_HEADER:
            token = value.strip() or None
        elif lower.startswith("x-wx-") and len(lower) > 5:
            key = lower[5:].upper().replace("-", "_")
            if key not in _HIDDEN:
                context[key] = f"{context[key]},{value}" if key in context else value
        elif lower == "x-forwarded-for" and value.strip():
            context.setdefault("CLIENTIP", value.split(",")[0].strip())
    return WXRequest(context, token)


def _wsgi_headers(environ: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in environ.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield key[5:].replace("_", "-"), value


def wsgi(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """``app`` (any WSGI application) with ``getWXContext()`` and its calls seeing each request's
    ``X-WX-*`` headers: the app, and the iteration of what it returns, run in a context of their own."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        ctx = contextvars.copy_context()
        ctx.run(_REQUEST.set, from_headers(_wsgi_headers(environ)))
        result = ctx.run(app, environ, start_response)
        return (_SizedInContext if isinstance(result, Sized) else _InContext)(ctx, result)

    wrapped.__wrapped__ = app  # type: ignore[attr-defined]
    return wrapped


class _InContext:
    """A WSGI response whose iteration and ``close`` run in the request's context."""

    def __init__(self, ctx: contextvars.Context, result: Iterable[bytes]) -> None:
        self._ctx, self._result, self._iterator = ctx, result, None

    def __iter__(self) -> _InContext:
        return self

    def __next__(self) -> bytes:
        if self._iterator is None:
            self._iterator = self._ctx.run(iter, self._result)  # type: ignore[assignment]
        return self._ctx.run(next, self._iterator)  # type: ignore[arg-type, no-any-return]

    def close(self) -> None:
        close = getattr(self._result, "close", None)
        if close is not None:
            self._ctx.run(close)


class _SizedInContext(_InContext):
    """An answer that says how many parts it has (a server sets Content-Length for one part)."""

    def __len__(self) -> int:
        return len(self._result)  # type: ignore[arg-type]  # made only for a Sized answer


def asgi(app: Callable[..., Any]) -> Callable[..., Any]:
    """``app`` (any ASGI application) with ``getWXContext()`` and its calls seeing each HTTP or
    WebSocket request's ``X-WX-*`` headers, in the request's task and the tasks it starts."""

    async def wrapped(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> Any:
        if scope.get("type") not in ("http", "websocket"):
            return await app(scope, receive, send)
        headers = ((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", ()))
        token = _REQUEST.set(from_headers(headers))
        try:
            return await app(scope, receive, send)
        finally:
            _REQUEST.reset(token)

    wrapped.__wrapped__ = app  # type: ignore[attr-defined]
    return wrapped
