"""Building the HTTPS request of a cloud call: params → checked JSON → method, URL and body.

Pure: nothing here does I/O. Anything we would not send as the user meant it (a params value
that is not a mapping, values JSON cannot hold, non-string keys, NaN) raises CloudSDKError -501007
here, before any I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors, jsjson
from .catalog import Endpoint
from .convert import rebuild_object, to_snake

if TYPE_CHECKING:
    from .tokens.model import Token

MAX_DEPTH = 256
"""Deepest nesting of params we send; deeper input is refused, not sent or crashed on."""


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request to send. ``query`` holds the token: never print it, print ``str(request)``."""

    method: str
    url: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def __repr__(self) -> str:
        names = "&".join(f"{k}=***" for k, _ in self.query)
        return f"<Request {self.method} {self.url}{'?' + names if names else ''} ({len(self.content)} bytes)>"

    __str__ = __repr__


def encode(params: Any, *, convert_case: bool, display_name: str) -> bytes:
    """The JSON body for ``params`` (checked, keys converted unless ``convert_case`` is False)."""
    body = prepare_params(params, convert_case=convert_case, display_name=display_name)
    try:
        return jsjson.dumps(body).encode("utf-8")
    except UnicodeEncodeError:
        raise errors.invalid_params(display_name, "params contain a lone surrogate, which is not valid text") from None


def build(endpoint: Endpoint, content: bytes, *, api_base: str, token: Token) -> Request:
    """The request for ``endpoint`` with this body, carrying ``token`` in its query parameter."""
    query = () if token.param is None or token.value is None else ((token.param, token.value),)
    return Request(
        method=endpoint.method,
        url=api_base + endpoint.path,
        query=query,
        headers=(("content-type", "application/json"),),
        content=content,
    )


class _UnsendableError(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.path: list[str] = []


def prepare_params(params: Any, *, convert_case: bool, display_name: str) -> dict[str, Any]:
    """``params`` as the JSON object we send: keys converted (unless ``convert_case`` is False),
    numbers written as JavaScript writes them, everything else checked."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise errors.invalid_params(
            display_name, f"params must be a dict (an object in Node), got {type(params).__name__}"
        )
    rename = to_snake if convert_case else _same
    try:
        result: dict[str, Any] = _walk(params, rename, 0)
    except _UnsendableError as bad:
        where = ".".join(reversed(bad.path)) or "params"
        raise errors.invalid_params(display_name, f"params.{where}: {bad.reason}" if bad.path else bad.reason) from None
    return result


def _same(key: str) -> str:
    return key


def _walk(value: Any, rename: Any, depth: int) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _UnsendableError(f"{value!r} cannot be sent as JSON")
        return jsjson.number(value)
    if depth >= MAX_DEPTH:
        raise _UnsendableError(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping):

        def checked(key: Any) -> str:
            if not isinstance(key, str):
                raise _UnsendableError(f"keys must be strings, got {type(key).__name__} {key!r}")
            return rename(key)  # type: ignore[no-any-return]

        def item(key: str, val: Any) -> Any:
            try:
                return _walk(val, rename, depth + 1)
            except _UnsendableError as bad:
                bad.path.append(str(key))
                raise

        return rebuild_object(value, checked, item)
    if isinstance(value, (list, tuple)):
        out = []
        for index, val in enumerate(value):
            try:
                out.append(_walk(val, rename, depth + 1))
            except _UnsendableError as bad:
                bad.path.append(str(index))
                raise
        return out
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise _UnsendableError("bytes cannot be sent as JSON; this API takes no file upload")
    raise _UnsendableError(f"a {type(value).__name__} cannot be sent as JSON")
