"""Configuration: the options of ``cloud.init``, their environment twins, defaults and checks.

Each option is resolved in this order: the value given to ``init``/``updateConfig`` (camelCase or
snake_case key), then its environment variable, then the runner's platform default, then the
built-in default. Everything here is pure: ``resolve`` reads the environment it is handed.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from . import errors
from .convert import to_camel
from .request import MAX_REQUEST_BYTES
from .retry import RetryPolicy

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_TIMEOUT = 15.0
MAX_TIMEOUT = 86_400.0
"""The longest ``timeout`` accepted, one day: well inside what a float deadline, asyncio and
threading timeouts take (``threading.TIMEOUT_MAX`` is about 292 years on Linux, less elsewhere)."""
STORE_SCHEMES = ("redis", "rediss", "unix")

ENV_VARS = {
    "accessToken": "WX_ACCESS_TOKEN",
    "apiBase": "WX_API_BASE",
    "timeout": "WX_TIMEOUT",
    "appid": "WX_APPID",
    "secret": "WX_SECRET",
    "tokenMode": "WX_TOKEN_MODE",
    "tokenStore": "WX_TOKEN_STORE",
    "credentials": "WX_CREDENTIALS",
    "cloudbaseAccessToken": "WX_CLOUDBASE_ACCESSTOKEN",
    "permissions": "WX_OPENAPI_PERMISSIONS",
    "retry": "WX_RETRY_MAX_ATTEMPTS",
    "maxReplyBytes": "WX_MAX_REPLY_BYTES",
    "maxRequestBytes": "WX_MAX_REQUEST_BYTES",
    "maxConnections": "WX_MAX_CONNECTIONS",
}
MAX_REPLY_BYTES = 32 * 1024 * 1024
TOKEN_MODES = ("static", "stable", "classic", "cloudrun", "cloudbase", "provider")
# Options Node's init takes that mean nothing here; accepted so that ported calls need no edit.
NODE_ONLY_OPTIONS = frozenset({"traceUser", "throwOnNotFound", "secretId", "secretKey", "sessionToken", "credentials"})
KNOWN_OPTIONS = (
    frozenset(ENV_VARS) | frozenset({"env", "transport", "tokenProvider", "cloudbaseTokenFile"}) | NODE_ONLY_OPTIONS
)


@dataclass(frozen=True)
class Config:
    """Resolved settings for one Cloud instance. The token never shows in its repr."""

    access_token: str | None = field(default=None, repr=False)
    api_base: str = DEFAULT_API_BASE
    timeout: float = DEFAULT_TIMEOUT
    env: Any = None
    transport: Any = field(default=None, repr=False)
    """An httpx transport (sync and/or async) to send through instead of the network."""
    appid: str | None = None
    secret: str | None = field(default=None, repr=False)
    token_mode: str | None = None
    """One of TOKEN_MODES, or None: chosen from what is configured (see cloud.tokens.select)."""
    token_provider: Any = field(default=None, repr=False)
    token_store: str | None = field(default=None, repr=False)
    credentials: Mapping[str, str] = field(default_factory=dict, repr=False)
    """appid → secret for the other appids ``cloud.openapi({"appid": ...})`` may use."""
    cloudbase_access_token: str | None = field(default=None, repr=False)
    cloudbase_token_file: str | None = None
    permissions: frozenset[str] | None = None
    """The APIs a function may call (config.json's permissions.openapi); None: any."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_reply_bytes: int = MAX_REPLY_BYTES
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_connections: int = 100
    """Connections per client (per event loop for async); further calls wait their turn."""

    def __repr__(self) -> str:
        def shown(secret: object) -> str:
            return "None" if secret is None else "'***'"

        store = None if self.token_store is None else errors.redact_url(self.token_store)
        return (
            f"Config(api_base={self.api_base!r}, timeout={self.timeout!r}, env={self.env!r}, "
            f"access_token={shown(self.access_token)}, appid={self.appid!r}, secret={shown(self.secret)}, "
            f"token_mode={self.token_mode!r}, token_store={store!r}, credentials={sorted(self.credentials)!r})"
        )


def normalise_options(config: Mapping[str, Any] | None, options: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Merge the positional dict and keyword options of ``init`` into camelCase keys."""
    if config is not None and not isinstance(config, Mapping):
        raise errors.invalid_params(where, f"config must be a dict, got {type(config).__name__}")
    merged: dict[str, Any] = {}
    for source in (config or {}), options:
        for key, value in source.items():
            if not isinstance(key, str):
                raise errors.invalid_params(where, f"option names must be strings, got {errors.shown_value(key)}")
            name = to_camel(key)
            if name not in KNOWN_OPTIONS:
                known = ", ".join(sorted(KNOWN_OPTIONS))
                log.warning("%s: unknown option %s ignored (known: %s)", where, errors.shown_value(key), known)
            merged[name] = value
    return merged


def resolve(
    options: Mapping[str, Any], environ: Mapping[str, str], platform: Mapping[str, Any], where: str = "init"
) -> Config:
    """Settle every option (see the module docstring for the order) and check it."""

    def pick(name: str) -> Any:
        if options.get(name) is not None:
            return options[name]
        var = ENV_VARS.get(name)
        if var and environ.get(var):
            return environ[var]
        return platform.get(name)

    return Config(
        access_token=_token(pick("accessToken"), "accessToken", where),
        api_base=_api_base(pick("apiBase"), where),
        timeout=_timeout(pick("timeout"), where),
        env=options.get("env"),
        transport=_transport(pick("transport"), where),
        appid=_word(pick("appid"), "appid", where),
        secret=_token(pick("secret"), "secret", where),
        token_mode=_mode(pick("tokenMode"), where),
        token_provider=_provider(pick("tokenProvider"), where),
        token_store=_store(pick("tokenStore"), where),
        credentials=_credentials(pick("credentials"), where),
        cloudbase_access_token=_token(pick("cloudbaseAccessToken"), "cloudbaseAccessToken", where),
        cloudbase_token_file=_word(pick("cloudbaseTokenFile"), "cloudbaseTokenFile", where),
        permissions=_permissions(pick("permissions"), where),
        retry=_retry(pick("retry"), where),
        max_reply_bytes=_size(pick("maxReplyBytes"), "maxReplyBytes", MAX_REPLY_BYTES, where),
        max_request_bytes=_size(pick("maxRequestBytes"), "maxRequestBytes", MAX_REQUEST_BYTES, where),
        max_connections=_size(pick("maxConnections"), "maxConnections", 100, where, unit="connections"),
    )


def _token(value: Any, name: str, where: str) -> str | None:
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if not text or not text.isprintable() or any(c in value for c in "\r\n"):
        raise errors.invalid_params(where, f"{name} must be a non-empty string on one line, of printable characters")
    return text


def _word(value: Any, name: str, where: str) -> str | None:
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if not text or not text.isprintable() or " " in text:
        raise errors.invalid_params(
            where, f"{name} must be a non-empty string without spaces, got {errors.shown_value(value)}"
        )
    return text


def _mode(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if value not in TOKEN_MODES:
        modes = ", ".join(TOKEN_MODES)
        raise errors.invalid_params(where, f"tokenMode must be one of {modes}; got {errors.shown_value(value)}")
    return str(value)


def _provider(value: Any, where: str) -> Any:
    if value is not None and not callable(value):
        raise errors.invalid_params(where, "tokenProvider must be a function (sync or async) of the appid")
    return value


def _store(value: Any, where: str) -> str | None:
    """``tokenStore``: a ``redis://``, ``rediss://`` or ``unix://`` URL (echoed with its password hidden)."""
    if value is None or value == "memory":
        return None
    if not isinstance(value, str):
        raise errors.invalid_params(where, f'tokenStore must be "memory" or a redis:// URL, got {type(value).__name__}')
    shown = errors.shown_value(errors.redact_url(value), 200)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise errors.invalid_params(where, f"tokenStore has a bad host or port: {shown}") from None
    if parts.scheme not in STORE_SCHEMES or not all(c.isprintable() and not c.isspace() for c in value):
        raise errors.invalid_params(where, f'tokenStore must be "memory" or a redis:// URL, got {shown}')
    if parts.scheme == "unix" and not parts.path:
        raise errors.invalid_params(where, f"tokenStore unix:// needs the socket's path, got {shown}")
    return value


def _permissions(value: Any, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [name.strip() for name in value.split(",") if name.strip()]
    elif isinstance(value, Mapping):  # a whole config.json, or its "permissions" object
        value = value.get("permissions", value)
        value = value.get("openapi") if isinstance(value, Mapping) else None
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(isinstance(v, str) for v in value):
        raise errors.invalid_params(
            where, "permissions must be a list of API names, like config.json's permissions.openapi"
        )
    return frozenset(value)


def _retry(value: Any, where: str) -> RetryPolicy:
    """``retry``: attempts as a number (1 or ``"off"``/False: no retry), or ``{"maxAttempts": n}``."""
    if value is None or value is True:
        return RetryPolicy()
    if value is False or value == "off":
        return RetryPolicy(max_attempts=1)
    attempts = value.get("maxAttempts", value.get("max_attempts")) if isinstance(value, Mapping) else value
    try:
        count = int(attempts) if not isinstance(attempts, (bool, float)) else -1
    except (TypeError, ValueError):
        count = -1
    if not 1 <= count <= 10:
        raise errors.invalid_params(
            where, f'retry must be 1 to 10 attempts, "off", or {{"maxAttempts": n}}; got {errors.shown_value(value)}'
        )
    return RetryPolicy(max_attempts=count)


def _size(value: Any, name: str, default: int, where: str, unit: str = "bytes") -> int:
    if value is None:
        return default
    try:
        size = int(value) if not isinstance(value, (bool, float)) else -1
    except (TypeError, ValueError):
        size = -1
    if size < 1:
        raise errors.invalid_params(
            where, f"{name} must be a positive number of {unit}, got {errors.shown_value(value)}"
        )
    return size


def _credentials(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
    ):
        raise errors.invalid_params(
            where, 'credentials must map appid to secret, like {"wxB": "<secret>"} (JSON in WX_CREDENTIALS)'
        )
    return {k.strip(): v.strip() for k, v in value.items()}


def _api_base(value: Any, where: str) -> str:
    """``apiBase``: an http(s) URL with a host, and no user info, query, fragment, spaces or
    control characters (echoed with any password hidden)."""
    if value is None:
        return DEFAULT_API_BASE
    if not isinstance(value, str):
        raise errors.invalid_params(where, f"apiBase must be a URL string, got {type(value).__name__}")
    text = value.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if (
        not parts
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c in text for c in "?#@\\")
        or not all(c.isprintable() and not c.isspace() for c in text)
    ):
        shown = errors.shown_value(errors.redact_url(text), 200)
        raise errors.invalid_params(
            where,
            "apiBase must be an http(s) URL with a host and no user or password, query, fragment, spaces or "
            f"control characters, got {shown}",
        )
    return text.rstrip("/")


def _timeout(value: Any, where: str) -> float:
    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if not (0 < seconds <= MAX_TIMEOUT):
        raise errors.invalid_params(
            where,
            f"timeout must be a positive number of seconds, at most {MAX_TIMEOUT:.0f} (one day), "
            f"got {errors.shown_value(value)}",
        )
    if seconds > 600:
        log.warning("%s: timeout is %g seconds; Node's timeout is in milliseconds, ours in seconds", where, seconds)
    return seconds


def _transport(value: Any, where: str) -> Any:
    if value is not None and not (hasattr(value, "handle_request") or hasattr(value, "handle_async_request")):
        raise errors.invalid_params(where, "transport must be an httpx transport")
    return value
