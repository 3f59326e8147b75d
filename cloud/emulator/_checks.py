"""What the emulator accepts and emits: strict JSON, safe header values, secrets kept out of sight."""

from __future__ import annotations

import json
import re
from typing import Any

SECRET_PARAMS = frozenset({"access_token", "cloudbase_access_token", "secret", "appsecret"})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SECRET_TEXT = re.compile(
    rb"""(?i)((?:^|[^A-Za-z0-9_])(?:%s)["']?\s*[:=]\s*["']?)[^"'&,;}\s]*"""
    % b"|".join(re.escape(name.encode()) for name in sorted(SECRET_PARAMS, key=len, reverse=True))
)


def loads(text: str | bytes) -> Any:
    """JSON as RFC 8259 has it: NaN and Infinity refused, too deep a nesting refused (ValueError)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def dumps(data: Any) -> str:
    """``data`` as compact JSON; ValueError for what JSON cannot say (NaN, Infinity, other types)."""
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except RecursionError:
        raise ValueError("nested too deeply for JSON") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not JSON ({exc})") from None


def header_problem(name: str, value: str) -> str | None:
    """Why ``name: value`` cannot be sent as an HTTP header (None when it can)."""
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        return f"{name!r} is not a header name"
    if not isinstance(value, str) or _CONTROL.search(value):
        return f"the {name} header value {value!r} has a control character (CR, LF, ...)"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return f"the {name} header value {value!r} is not Latin-1 text"
    return None


def redact(data: Any) -> Any:
    """``data`` with the values of secret and token keys, at any depth, shown as ``***``."""
    if isinstance(data, dict):
        return {k: "***" if k in SECRET_PARAMS else redact(v) for k, v in data.items()}
    if isinstance(data, list):
        return [redact(v) for v in data]
    return data


def redacted_body(body: bytes) -> bytes:
    """``body`` with any secret or token in it shown as ``***`` (JSON re-encoded; other bodies edited)."""
    try:
        data = loads(body)
    except ValueError:
        return _SECRET_TEXT.sub(rb"\1***", body)
    try:
        shown = redact(data)
        return body if shown == data else json.dumps(shown, ensure_ascii=False).encode("utf-8")
    except RecursionError:
        return b"<a JSON body nested too deeply to show>"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (JSON numbers are finite)")
