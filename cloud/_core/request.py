"""Building the HTTPS request of a cloud call: params → checked JSON → method, URL and body.

Pure: nothing here does I/O. Anything we would not send as the user meant it (a params value
that is not a mapping, values JSON cannot hold, non-string keys, NaN, a file for an API that takes
none) raises CloudSDKError -501007 here, before any I/O.

Routing follows the cloud-call rule: all params come in one object and the endpoint decides where
each goes. GET APIs put every param in the query string; POST APIs put their ``query_params`` in
the URL and the rest in the JSON body; multipart APIs send ``media`` params (Node's
``{contentType, value: bytes}`` shape) as file parts and the rest as form fields. Fixed ``query``
values are added. In a query string or form field a string goes as it is, anything else as its
JSON text.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import catalog, errors
from .._js import json as jsjson
from .._js.case import rebuild_object, to_snake
from .._js.value import NULL, js_str
from ..catalog import Endpoint
from .context import DYNAMIC_CURRENT_ENV
from .messages import Request

if TYPE_CHECKING:
    from .._tokens.model import Token

MAX_DEPTH = 256
"""Deepest nesting of params we send; deeper input is refused, not sent or crashed on."""
MAX_INT_BITS = 1024
"""Largest integer we send, in bits (about 308 digits, where JavaScript's numbers end); Python
would not even write one over 4,300 digits as text."""


@dataclass(frozen=True, slots=True)
class MediaPart:
    """A file to upload: Node's ``{contentType, value}`` param, named as Node names it."""

    name: str
    content_type: str
    value: bytes
    filename: str


@dataclass(frozen=True, slots=True)
class Payload:
    """The params of one call, split the way its endpoint takes them."""

    query: tuple[tuple[str, str], ...]
    content: bytes
    content_type: str | None
    query_bytes: int = 0
    """The UTF-8 size of the query's names and values (checked to encode)."""


MAX_REQUEST_BYTES = 20 * 1024 * 1024
"""The largest body we send by default (WeChat's own limits are lower: 2 MB images, 10 MB media)."""


def encode(
    endpoint: Endpoint, params: Any, *, convert_case: bool, display_name: str, max_bytes: int = MAX_REQUEST_BYTES
) -> Payload:
    """Check ``params``, convert their keys (unless ``convert_case`` is False) and route them.
    Everything is encoded here, the query string's text included, so that nothing can fail
    to encode after the token is fetched."""
    payload = _encode(endpoint, params, convert_case, display_name)
    size = len(payload.content) + payload.query_bytes
    if size > max_bytes:
        raise errors.invalid_params(display_name, f"the request would be {size} bytes, over the {max_bytes}-byte limit")
    return payload


def _encode(endpoint: Endpoint, params: Any, convert_case: bool, display_name: str) -> Payload:
    prepared = prepare_params(params, convert_case=convert_case, display_name=display_name)
    media = [v for v in prepared.values() if isinstance(v, MediaPart)]
    if media and endpoint.params_in != "multipart":
        raise errors.invalid_params(display_name, f"params.{media[0].name}: {endpoint.name} takes no file upload")
    in_url = endpoint.params_in == "query"
    if in_url or endpoint.query_params:
        query = [(k, _text(v)) for k, v in prepared.items() if in_url or k in endpoint.query_params]
        rest = {k: v for k, v in prepared.items() if not in_url and k not in endpoint.query_params}
    else:  # the usual POST: every param in the body
        query, rest = [], prepared
    if endpoint.query:
        given = {k for k, _ in query}
        query += [(k, v) for k, v in endpoint.query if k not in given]
    try:
        query_bytes = sum(len(k.encode("utf-8")) + len(v.encode("utf-8")) for k, v in query)
        if in_url:
            return Payload(tuple(query), b"", None, query_bytes)
        if endpoint.params_in == "multipart":
            content, content_type = _multipart(rest)
            return Payload(tuple(query), content, content_type, query_bytes)
        return Payload(tuple(query), jsjson.dumps_utf8(rest), "application/json", query_bytes)
    except UnicodeEncodeError:
        raise errors.invalid_params(display_name, "params contain a lone surrogate, which is not valid text") from None


def build(endpoint: Endpoint, payload: Payload, *, api_base: str, token: Token, timeout: float = 15.0) -> Request:
    """The request for ``endpoint``, carrying ``token`` in its query parameter (if it has one)."""
    auth: tuple[tuple[str, str], ...] = token.query
    if token.param is not None and token.value is not None:
        auth = ((token.param, token.value), *auth)
    headers = () if payload.content_type is None else (("content-type", payload.content_type),)
    return Request(endpoint.method, api_base + endpoint.path, auth + payload.query, headers, payload.content, timeout)


def _text(value: Any) -> str:
    """A param as it goes in a query string or form field: strings as they are, else JSON text."""
    return value if isinstance(value, str) else jsjson.dumps(value)


def _multipart(fields: Mapping[str, Any]) -> tuple[bytes, str]:
    boundary = "wxcloud" + os.urandom(16).hex()
    out = bytearray()
    for name, value in fields.items():
        out += f"--{boundary}\r\n".encode()
        if isinstance(value, MediaPart):
            out += (
                f'Content-Disposition: form-data; name="{_quoted(name)}"; filename="{_quoted(value.filename)}"\r\n'
                f"Content-Type: {_quoted(value.content_type)}\r\n\r\n"
            ).encode()
            out += value.value
        else:
            out += f'Content-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n'.encode()
            out += _text(value).encode("utf-8")
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


multipart = _multipart
"""A multipart form of ``fields`` (a :class:`MediaPart` as a file part): its bytes and content type."""


def _quoted(text: str) -> str:
    """A header parameter value: no line breaks, quotes percent-encoded (as browsers do)."""
    return text.replace("\r", "").replace("\n", "").replace('"', "%22")


def _media(name: str, value: Mapping[str, Any], convert_case: bool) -> MediaPart:
    """Node's file param: the filename is ``<name>.<extension of the type>`` (``png`` when the type
    is unknown); ``fileName`` counts only with convertCase off (conversion renames it)."""
    try:
        content_type = js_str(value.get("contentType") or value.get("content_type"))
        filename = value.get("fileName") if not convert_case else None
        if not filename:
            filename = f"{name}.{catalog.file_extension(content_type) or 'png'}"
        return MediaPart(name, content_type, bytes(value["value"]), js_str(filename))
    except ValueError:  # String() of an integer Python will not write as text
        raise _UnsendableError("contentType and fileName must be text") from None


_BYTES = (bytes, bytearray, memoryview)


def _is_media(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value.get("contentType") or value.get("content_type"))
        and isinstance(value.get("value"), _BYTES)
    )


_OMIT: Any = object()
"""What an object value Node drops becomes before its key is left out."""


def _dropped(value: Any) -> bool:
    """True for an object value Node leaves out (``undefined``, a Symbol): ``None`` (our
    ``undefined``, so that ``event.get("color")`` ports ``event.color``) and
    ``DYNAMIC_CURRENT_ENV``. In a list both become null, as ``undefined`` does in Node."""
    return value is None or value is DYNAMIC_CURRENT_ENV


def _without_dropped(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not _OMIT}


class _UnsendableError(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.path: list[str] = []


def prepare_params(params: Any, *, convert_case: bool, display_name: str) -> dict[str, Any]:
    """``params`` as we send them: keys converted (unless ``convert_case`` is False), numbers
    written as JavaScript writes them, top-level file params as :class:`MediaPart`, all checked."""
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise errors.invalid_params(
            display_name, f"params must be a dict (an object in Node), got {type(params).__name__}"
        )
    rename = to_snake if convert_case else _same

    def top(key: Any, value: Any) -> Any:
        if _dropped(value):
            dropped.append(key)
            return _OMIT
        try:
            if _is_media(value):
                return _media(rename(key), value, convert_case)
            return _walk(value, rename, 1)
        except _UnsendableError as bad:
            bad.path.append(str(key))
            raise

    dropped: list[Any] = []
    try:
        if type(params) is dict and _no_media(params):
            return _walk_dict(params, rename, 0)
        result: dict[str, Any] = rebuild_object(params, lambda key: _checked(key, rename), top)
    except _UnsendableError as bad:
        where = errors.shown("params." + ".".join(reversed(bad.path)))
        raise errors.invalid_params(display_name, f"{where}: {bad.reason}" if bad.path else bad.reason) from None
    return _without_dropped(result) if dropped else result


_PLAIN = frozenset({str, int, float, bool, list, type(None)})


def _no_media(params: dict[Any, Any]) -> bool:
    """Whether no top-level param is a file (then the params are walked like any object)."""
    for value in params.values():
        kind = type(value)
        if kind is dict:  # a file's bytes are under "value": most objects are ruled out by that alone
            if isinstance(value.get("value"), _BYTES) and _is_media(value):
                return False
        elif kind not in _PLAIN:
            return False
    return True


def _same(key: str) -> str:
    return key


def _checked(key: Any, rename: Any) -> str:
    if not isinstance(key, str):
        raise _UnsendableError(f"keys must be strings, got {type(key).__name__} {errors.shown_value(key)}")
    return rename(key)  # type: ignore[no-any-return]


def _walk(value: Any, rename: Any, depth: int) -> Any:
    """``value`` as we send it. Plain ``str``, ``bool``, ``int``, ``float``, ``dict`` and ``list``
    (what params nearly always hold) take the direct way; anything else :func:`_walk_other`."""
    kind = type(value)
    if kind is str or kind is bool:
        return value
    if kind is dict:
        return _walk_dict(value, rename, depth)
    if kind is list:
        return _walk_list(value, rename, depth)
    if kind is int:
        if value.bit_length() > MAX_INT_BITS:
            raise _UnsendableError(f"an integer over {MAX_INT_BITS} bits (about 308 digits) cannot be sent as JSON")
        return value
    if kind is float and math.isfinite(value):
        return jsjson.number(value)
    return _walk_other(value, rename, depth)


def _walk_dict(obj: dict[Any, Any], rename: Any, depth: int) -> dict[str, Any]:
    """A plain dict in one pass, as :func:`~cloud._js.case.rebuild_object` orders it; an object
    that needs more (a key that is not a string, a renamed key meeting another) goes to
    :func:`_walk_other`, which walks it again from the start."""
    if depth >= MAX_DEPTH:
        raise _UnsendableError(f"nested deeper than {MAX_DEPTH} levels")
    out: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    dropped = slow = False
    key: Any = None
    try:
        for key, val in obj.items():
            if type(key) is not str:
                slow = True
                break
            kind = type(val)
            if kind is str or kind is bool:
                item = val
            elif val is None or val is DYNAMIC_CURRENT_ENV:
                item, dropped = _OMIT, True
            else:
                item = _walk(val, rename, depth + 1)
            new = rename(key)
            if new == key:
                out[key] = item
            elif new in obj or new in moved:
                slow = True
                break
            else:
                moved[new] = item
    except _UnsendableError as bad:
        bad.path.append(key)
        raise
    if slow:
        return _walk_other(obj, rename, depth)  # type: ignore[no-any-return]
    if moved:
        out.update(moved)
    return _without_dropped(out) if dropped else out


def _walk_list(items: list[Any], rename: Any, depth: int) -> list[Any]:
    if depth >= MAX_DEPTH:
        raise _UnsendableError(f"nested deeper than {MAX_DEPTH} levels")
    out = []
    index = 0
    try:
        for index, val in enumerate(items):  # noqa: B007 - read by the handler below
            kind = type(val)
            out.append(val if kind is str or kind is bool else _walk(val, rename, depth + 1))
    except _UnsendableError as bad:
        bad.path.append(str(index))
        raise
    return out


def _walk_other(value: Any, rename: Any, depth: int) -> Any:
    if isinstance(value, (str, bool)):
        return value
    if value is None or value is NULL or value is DYNAMIC_CURRENT_ENV:
        return None
    if isinstance(value, int):
        if value.bit_length() > MAX_INT_BITS:
            raise _UnsendableError(f"an integer over {MAX_INT_BITS} bits (about 308 digits) cannot be sent as JSON")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _UnsendableError(f"{value!r} cannot be sent as JSON")
        return jsjson.number(value)
    if depth >= MAX_DEPTH:
        raise _UnsendableError(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping):
        dropped: list[Any] = []

        def item(key: str, val: Any) -> Any:
            if _dropped(val):
                dropped.append(key)
                return _OMIT
            try:
                return _walk(val, rename, depth + 1)
            except _UnsendableError as bad:
                bad.path.append(str(key))
                raise

        obj = rebuild_object(value, lambda key: _checked(key, rename), item)
        return _without_dropped(obj) if dropped else obj
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
        raise _UnsendableError("bytes cannot be sent as JSON (a file goes as {contentType, value} at the top level)")
    raise _UnsendableError(f"a {type(value).__name__} cannot be sent as JSON")
