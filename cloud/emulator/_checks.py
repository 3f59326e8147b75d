"""What the emulator accepts and emits: strict JSON, safe header values, secrets kept out of sight."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

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


def loopback_name(host: str) -> bool:
    """Whether ``host`` (a ``Host`` or ``Origin`` host, port and brackets allowed) names this machine:
    ``localhost``, ``*.localhost``, ``127.x.x.x`` or ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8080
        host = host[1 : host.find("]")] if "]" in host else host
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def door_problem(headers: Mapping[str, str], open_host: bool) -> str | None:
    """Why a request that reached the HTTP emulator is refused at its door (None: let it in). A web
    page must not drive it: a ``Host`` that is not this machine's name (DNS rebinding) when it
    listens on loopback, an ``Origin`` from elsewhere, or ``Sec-Fetch-Site: cross-site``. A client
    that is no browser (the SDKs, curl) sends neither marker and a loopback ``Host``."""
    found = {k.lower(): v for k, v in headers.items()}
    host = found.get("host")
    if host is not None and not open_host and not loopback_name(host):
        return f"the emulator answers requests to a loopback host name only, not Host: {host[:100]}"
    origin = found.get("origin")
    if origin is not None:
        origin_host = urlsplit(origin.strip()).netloc
        allowed = loopback_name(origin_host) or (open_host and origin_host.lower() == (host or "").lower())
        if not allowed:
            return f"the emulator answers no web page from another origin ({origin[:100]})"
    if found.get("sec-fetch-site", "").strip().lower() == "cross-site":
        return "the emulator answers no cross-site request from a web page"
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
