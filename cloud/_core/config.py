"""Configuration: the options of ``cloud.init``, their environment twins, defaults and checks.

Each option is resolved in this order: the value given to ``init``/``updateConfig`` (camelCase or
snake_case key), then its environment variable, then the runner's platform default, then the
built-in default. Everything here is pure: ``resolve`` reads the environment it is handed.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .. import errors
from .._js.case import to_snake
from .._tokens.model import CLOUDBASE_TOKEN_FILE
from . import cloudrun
from .context import getWXContext
from .request import MAX_REQUEST_BYTES
from .retry import RetryPolicy

log = logging.getLogger("cloud.config")

DEFAULT_API_BASE = "https://api.weixin.qq.com"
CLOUDRUN_API_BASE = cloudrun.API_BASE
DEFAULT_TIMEOUT = 15.0
MAX_TIMEOUT = 86_400.0
"""The longest ``timeout`` accepted, one day: well inside what a float deadline, asyncio and
threading timeouts take (``threading.TIMEOUT_MAX`` is about 292 years on Linux, less elsewhere)."""
STORE_SCHEMES = ("redis", "rediss", "unix")

MAX_REPLY_BYTES = 32 * 1024 * 1024
MAX_CONNECTIONS = 100
TOKEN_MODES = ("static", "stable", "classic", "cloudrun", "cloudbase", "provider")


@dataclass(frozen=True)
class Option:
    """One option of ``init``: its name (camelCase, as Node spells it), its environment twin, its
    default, and the check that turns a given value into the one kept (``check(value, name, where)``;
    never called with None: None means "not given")."""

    name: str
    env: str | None
    default: Any
    check: Callable[[Any, str, str], Any]
    secret: bool = False
    """Never shown: not in ``Config``'s repr, and taken out of error texts."""
    shown_default: str = ""
    """The default as the README's table shows it, when it is not the value itself."""

    @property
    def field(self) -> str:
        """The :class:`Config` attribute that holds it."""
        return to_snake(self.name)


def _token(value: Any, name: str, where: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or not text.isprintable() or any(c in value for c in "\r\n"):
        raise errors.invalid_params(where, f"{name} must be a non-empty string on one line, of printable characters")
    return text


def _word(value: Any, name: str, where: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or not text.isprintable() or " " in text:
        raise errors.invalid_params(
            where, f"{name} must be a non-empty string without spaces, got {errors.shown_value(value)}"
        )
    return text


def _anything(value: Any, name: str, where: str) -> Any:
    return value


def _mode(value: Any, name: str, where: str) -> str:
    if value not in TOKEN_MODES:
        modes = ", ".join(TOKEN_MODES)
        raise errors.invalid_params(where, f"tokenMode must be one of {modes}; got {errors.shown_value(value)}")
    return str(value)


def _provider(value: Any, name: str, where: str) -> Any:
    if not callable(value):
        raise errors.invalid_params(where, "tokenProvider must be a function (sync or async) of the appid")
    return value


def _store(value: Any, name: str, where: str) -> str | None:
    """``tokenStore``: a ``redis://``, ``rediss://`` or ``unix://`` URL (echoed with its password hidden)."""
    if value == "memory":
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


def _permissions(value: Any, name: str, where: str) -> frozenset[str]:
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


def _retry(value: Any, name: str, where: str) -> RetryPolicy:
    """``retry``: attempts as a number (1 or ``"off"``/False: no retry), or ``{"maxAttempts": n}``."""
    if value is True:
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


def _bytes(value: Any, name: str, where: str) -> int:
    return _count(value, name, where, "bytes")


def _connections(value: Any, name: str, where: str) -> int:
    return _count(value, name, where, "connections")


def _count(value: Any, name: str, where: str, unit: str) -> int:
    try:
        size = int(value) if not isinstance(value, (bool, float)) else -1
    except (TypeError, ValueError):
        size = -1
    if size < 1:
        raise errors.invalid_params(
            where, f"{name} must be a positive number of {unit}, got {errors.shown_value(value)}"
        )
    return size


def _credentials(value: Any, name: str, where: str) -> Mapping[str, str]:
    if getattr(value, "every_account", False):  # the local platform's: every appid (cloud._client.platform)
        return value  # type: ignore[no-any-return]
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


def _api_base(value: Any, name: str, where: str) -> str:
    """``apiBase``: an http(s) URL with a host, and no user info, query, fragment, spaces or
    control characters (echoed with any password hidden)."""
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


def _timeout(value: Any, name: str, where: str) -> float:
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


def _transport(value: Any, name: str, where: str) -> Any:
    if not (hasattr(value, "handle_request") or hasattr(value, "handle_async_request")):
        raise errors.invalid_params(where, "transport must be an httpx transport")
    return value


OPTIONS: tuple[Option, ...] = (
    Option("accessToken", "WX_ACCESS_TOKEN", None, _token, secret=True),
    Option("appid", "WX_APPID", None, _word),
    Option("secret", "WX_SECRET", None, _token, secret=True),
    Option("tokenMode", "WX_TOKEN_MODE", None, _mode, shown_default="chosen"),
    Option("tokenProvider", None, None, _provider),
    Option("tokenStore", "WX_TOKEN_STORE", None, _store, shown_default="`memory`"),
    Option("credentials", "WX_CREDENTIALS", {}, _credentials, secret=True),
    Option("cloudbaseAccessToken", "WX_CLOUDBASE_ACCESSTOKEN", None, _token, secret=True),
    Option("cloudbaseTokenFile", None, None, _word, shown_default=f"`{CLOUDBASE_TOKEN_FILE}`"),
    Option("permissions", "WX_OPENAPI_PERMISSIONS", None, _permissions, shown_default="any API"),
    Option(
        "apiBase",
        "WX_API_BASE",
        DEFAULT_API_BASE,
        _api_base,
        shown_default=f"`{DEFAULT_API_BASE}` (`{CLOUDRUN_API_BASE}` in `cloudrun` mode)",
    ),
    Option("timeout", "WX_TIMEOUT", DEFAULT_TIMEOUT, _timeout, shown_default="`15`"),
    Option("retry", "WX_RETRY_MAX_ATTEMPTS", RetryPolicy(), _retry, shown_default=f"`{RetryPolicy().max_attempts}`"),
    Option("maxReplyBytes", "WX_MAX_REPLY_BYTES", MAX_REPLY_BYTES, _bytes),
    Option("maxRequestBytes", "WX_MAX_REQUEST_BYTES", MAX_REQUEST_BYTES, _bytes),
    Option("maxConnections", "WX_MAX_CONNECTIONS", MAX_CONNECTIONS, _connections),
    Option("env", None, None, _anything),
    Option("transport", None, None, _transport, shown_default="httpx's"),
)
"""Every option ``init`` takes, in the README's order: the one place each is described."""

ENV_VARS = {option.name: option.env for option in OPTIONS if option.env}
# Options Node's init takes that mean nothing here; accepted so that ported calls need no edit.
NODE_ONLY_OPTIONS = frozenset({"traceUser", "throwOnNotFound", "secretId", "secretKey", "sessionToken"})
KNOWN_OPTIONS = frozenset(option.name for option in OPTIONS) | NODE_ONLY_OPTIONS
SECRET_OPTIONS = frozenset(option.name for option in OPTIONS if option.secret)


def hidden(name: str, value: Any) -> str | None:
    """How option ``name``'s ``value`` shows in a repr when it holds a secret: a secret as ``'***'``
    (a mapping of them by its keys), a token store's URL without its password; None for the others."""
    if value is None:
        return "None" if name in SECRET_OPTIONS or name == "tokenStore" else None
    if name in SECRET_OPTIONS:
        return repr(sorted(value)) if isinstance(value, Mapping) else "'***'"
    if name == "tokenStore" and isinstance(value, str):
        return repr(errors.redact_url(value))
    return None


@dataclass(frozen=True)
class Config:
    """Resolved settings for one Cloud instance (one attribute per :data:`OPTIONS` row, snake_case).
    Secrets never show in its repr."""

    access_token: str | None
    appid: str | None
    secret: str | None
    token_mode: str | None
    """One of TOKEN_MODES, or None: chosen from what is configured (see cloud._tokens.select)."""
    token_provider: Any
    token_store: str | None
    credentials: Mapping[str, str]
    """appid → secret for the other appids ``cloud.openapi({"appid": ...})`` may use."""
    cloudbase_access_token: str | None
    cloudbase_token_file: str | None
    permissions: frozenset[str] | None
    """The APIs a function may call (config.json's permissions.openapi); None: any."""
    api_base: str
    timeout: float
    retry: RetryPolicy
    max_reply_bytes: int
    max_request_bytes: int
    max_connections: int
    """Connections per client (per event loop for async); further calls wait their turn."""
    env: Any
    transport: Any
    """An httpx transport (sync and/or async) to send through instead of the network."""
    env_id: str | None = None
    """The environment's id (``env`` when a string, else ``CBR_ENV_ID`` / ``TCB_ENV``): part of
    the ``cloudbase`` token's cache key."""

    def env_for(self, service: str = "default", params: Any = None) -> str:
        """The environment a ``service`` call names, as Node picks it: the call's ``config.env``,
        else ``env`` (a string, or by service: ``{"database", "functions", "storage", "default"}``),
        else the platform's (``TCB_ENV``, ``CBR_ENV_ID``, the request's ``ENV``)."""
        given = params.get("config") if isinstance(params, Mapping) else None
        own = given.get("env") if isinstance(given, Mapping) else None
        by_service = self.env.get(service) or self.env.get("default") if isinstance(self.env, Mapping) else None
        found = next((e for e in (own, by_service) if isinstance(e, str) and e), None)
        return found or self.env_id or str(getWXContext().get("ENV") or "")

    def __repr__(self) -> str:
        shown = []
        for option in OPTIONS:
            value = getattr(self, option.field)
            text = hidden(option.name, value)
            if text is None and option.name in ("transport", "tokenProvider"):
                text = "None" if value is None else type(value).__name__
            shown.append(f"{option.field}={repr(value) if text is None else text}")
        return f"Config({', '.join(shown)})"

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """Every secret it holds, to take out of texts that reach the user."""
        found: list[str | None] = []
        for option in OPTIONS:
            value = getattr(self, option.field)
            if option.secret:
                found.extend(value.values() if isinstance(value, Mapping) else [value])
        return tuple(found)


def resolve(
    options: Mapping[str, Any], environ: Mapping[str, str], platform: Mapping[str, Any], where: str = "init"
) -> Config:
    """Settle every option (see the module docstring for the order) and check it."""
    settled: dict[str, Any] = {}
    given: set[str] = set()
    for option in OPTIONS:
        value = options.get(option.name)
        if value is None and option.env and environ.get(option.env):
            value = environ[option.env]
        if value is None:
            value = platform.get(option.name)
        if value is not None:
            given.add(option.name)
        settled[option.field] = option.default if value is None else option.check(value, option.name, where)
    if settled["token_mode"] is None and cloudrun.detected(environ) and not _has_token_source(settled):
        settled["token_mode"] = "cloudrun"
    if settled["token_mode"] == "cloudrun" and "apiBase" not in given:
        settled["api_base"] = CLOUDRUN_API_BASE
    env = settled["env"]
    env_id = env if isinstance(env, str) else environ.get("CBR_ENV_ID") or environ.get("TCB_ENV")
    config = Config(**settled, env_id=env_id or None)
    _warn_plain_http(config)
    return config


def _has_token_source(settled: Mapping[str, Any]) -> bool:
    """Whether anything that gives a token is configured (then Cloud Run is not assumed)."""
    return bool(
        settled["token_provider"] is not None
        or settled["access_token"]
        or (settled["appid"] and settled["secret"])
        or settled["cloudbase_access_token"]
    )


_warned_plain_http: set[str] = set()


def _warn_plain_http(config: Config) -> None:
    """Warn once per API base when secrets or tokens would cross the network unencrypted."""
    parts = urlsplit(config.api_base)
    if parts.scheme != "http" or _loopback(parts.hostname or "") or config.api_base in _warned_plain_http:
        return
    if config.token_mode == "cloudrun" or not any(config.secrets):
        return  # Cloud Run's open-interface service is plain http by design, and carries no token
    _warned_plain_http.add(config.api_base)
    log.warning(
        "apiBase %s is plain http to another host: the app secret and access tokens would cross the network "
        "unencrypted; use https (or tokenMode cloudrun inside WeChat Cloud Run)",
        errors.shown_value(config.api_base, 200),
    )


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")
