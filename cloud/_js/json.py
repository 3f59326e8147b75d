"""JSON text exactly as ``JSON.stringify`` writes it, and what Node's caller receives.

Python and JavaScript print numbers differently (``3.0`` vs ``3``, ``1e-05`` vs ``0.00001``);
JSON readers may care (an integer field given ``3.0``), and users diff our output with Node's.
:func:`number` makes a float print the JavaScript way; :func:`dumps` writes compact UTF-8 JSON.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
from typing import Any

from .case import TooDeepError
from .value import NULL, Document, js_number


class JSNumber:
    """A float that JSON must print as JavaScript does (only small ones need it)."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value


def number(value: float) -> int | float | JSNumber:
    """``value`` (finite) as what prints like JavaScript: integral floats become ints."""
    if abs(value) >= 2**53:  # JavaScript writes the shortest digits, then zeros (Python every digit)
        return JSNumber(value)
    if value.is_integer():
        return int(value)
    if abs(value) < 1e-4:  # Python writes these with an exponent, JavaScript with zeros until 1e-7
        return JSNumber(value)
    return value


def date_text(value: dt.datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as JavaScript's ``toISOString`` (naive means UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return f"{value.year:04d}-" + value.strftime("%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def dumps(value: Any) -> str:
    """Compact JSON of a JSON-ready value (after :func:`number`), as ``JSON.stringify`` gives it."""
    texts: list[str] = []
    nonces: list[str] = []

    def default(obj: Any) -> str:
        if isinstance(obj, JSNumber):
            if not nonces:
                nonces.append(os.urandom(8).hex())  # only when a small float needs it
            texts.append(js_number(obj.value))
            return f"\x00{nonces[0]}{len(texts) - 1}\x00"
        raise TypeError(f"a {type(obj).__name__} is not JSON")

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=default)
    if texts:
        text = re.sub(rf'"\\u0000{nonces[0]}(\d+)\\u0000"', lambda m: texts[int(m.group(1))], text)
    return text


_ORJSON: Any = ...
"""The ``orjson`` module if installed (looked up on first use), else None."""


def orjson() -> Any:
    """The optional ``orjson`` module (``pip install 'wx-server-sdk-python[fast]'``), or None."""
    global _ORJSON
    if _ORJSON is ...:
        try:
            import orjson

            _ORJSON = orjson
        except ImportError:
            _ORJSON = None
    return _ORJSON


def dumps_utf8(value: Any) -> bytes:
    """:func:`dumps` as UTF-8 (UnicodeEncodeError for a lone surrogate). With the optional
    ``orjson`` installed it writes the same bytes several times faster: every value it would write
    otherwise than ``JSON.stringify`` (an integer over 64 bits, a float :func:`number` wraps, a lone
    surrogate, a type it does not know) makes it raise, and then the standard library writes it."""
    fast = orjson()
    if fast is not None:
        try:
            out: bytes = fast.dumps(value)
        except TypeError:  # orjson.JSONEncodeError
            pass
        else:  # orjson's buffer is at least 1 kB: a copy of a small body holds only its bytes
            return out if len(out) > 4096 else bytes(memoryview(out))
    return dumps(value).encode("utf-8")


def node_value(value: Any) -> Any:
    """What ``JSON.stringify`` makes of a value a cloud function returns, as plain JSON data:
    CloudSDKError → ``{errCode, errMsg}``, bytes → ``{"type": "Buffer", "data": [...]}``, a
    datetime (a database date) → its ``toJSON`` text ``"2024-01-02T03:04:05.000Z"``,
    NaN/Infinity → null, other exceptions → ``{}``. As in params, ``None`` as an object's value is
    ``undefined`` (the key is left out), ``cloud.NULL`` is ``null``."""
    if value is None or value is NULL or isinstance(value, (str, bool, int)):
        return None if value is NULL else value
    if isinstance(value, float):
        return number(value) if math.isfinite(value) else None
    if isinstance(value, BaseException):  # its own enumerable fields: a CloudSDKError's to_dict(), else none
        fields = getattr(value, "to_dict", None)
        return {k: node_value(v) for k, v in fields().items()} if callable(fields) else {}
    if isinstance(value, dt.datetime):
        return date_text(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"type": "Buffer", "data": list(bytes(value))}
    if isinstance(value, dict):
        kept = isinstance(value, Document)  # JSON's nulls, kept
        return {str(k): node_value(v) for k, v in value.items() if v is not None or kept}
    if isinstance(value, (list, tuple)):
        return [node_value(v) for v in value]
    raise TypeError(f"a {type(value).__name__} cannot be returned as JSON")


def node_dumps(value: Any) -> str:
    """The JSON text Node's caller receives for a returned value. Text holding surrogates is
    written as ``JSON.stringify`` writes JavaScript's: a high and a low one side by side are one
    character, a lone one is escaped (``"\\ud800"``)."""
    text = dumps(node_value(value))
    if re.search("[\ud800-\udfff]", text) is None:
        return text
    paired = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", paired)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


FAST_BRACKETS = 500
"""Below this many brackets a reply cannot nest deeper than the standard library reads."""


@functools.cache
def _long_integer() -> re.Pattern[str]:
    """19 digits in a row (compiled at first use, not at ``import cloud``)."""
    return re.compile(r"\d{19}")


def parse_json(text: str) -> Any:
    """``JSON.parse``: strict JSON (no NaN/Infinity), big integers exact; ValueError if invalid.

    By the optional ``orjson`` when installed, but only for text it reads as the standard library
    does: it reads an integer of 20 digits or more as a float (so text with a run of 19 digits is
    left to the standard library), it reads nesting deeper than the standard library can (so text
    with :data:`FAST_BRACKETS` brackets or more is left to it too), and whatever it refuses the
    standard library reads (a number out of a float's range, a lone surrogate) or refuses itself."""
    fast = orjson()
    if fast is not None and text.count("[") + text.count("{") < FAST_BRACKETS and not _long_integer().search(text):
        try:
            return fast.loads(text)
        except (ValueError, RecursionError):  # orjson.JSONDecodeError, or nested too deeply for it
            pass
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise TooDeepError("nested too deeply") from None
