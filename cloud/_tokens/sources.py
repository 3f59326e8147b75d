"""Where tokens come from: one small source per mode, and the rule that picks one.

Each source answers ``fetch(api_base, now, force, timeout)``, a sans-I/O generator that yields
effects and returns a :class:`~cloud._tokens.model.Token` (``timeout``: what is left of the call).
The cache decides when to call it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from .._core.messages import Blocking, CallUser
from . import wechat
from .model import CLOUDBASE_TOKEN_FILE, Token, TokenFetchError, is_token_text, lifetime_of, scheduled

CLOUDBASE_REREAD = 300.0
"""Seconds between reads of the cloudbase token (valid 30 minutes, pushed every 10)."""
CLOUDBASE_LIFETIME = 1800.0
PROVIDER_DEFAULT_LIFETIME = 60.0
"""How long a token from ``tokenProvider`` is kept when the provider gives no lifetime."""

Fetch = Generator[Any, Any, Token]
FOREVER = math.inf


@dataclass(frozen=True)
class Static:
    """``accessToken``: used as it is, never refreshed."""

    token: str = field(repr=False)
    key = ""
    can_force = False
    refreshable = False

    def fetch(self, api_base: str, now: float, force: bool = False, timeout: float = 15.0) -> Fetch:
        return self.as_token
        yield  # a generator that needs no effect

    @functools.cached_property
    def as_token(self) -> Token:
        return Token(self.token, "access_token", FOREVER, FOREVER)


@functools.lru_cache(maxsize=8)
def static(token: str) -> Static:
    """The source for ``accessToken`` ``token``, one per token (each call reuses it, and its Token)."""
    return Static(token)


@dataclass(frozen=True)
class CloudRun:
    """Cloud Run's open-interface service: no token; the sidecar adds it. ``from_appid``: the
    account a call is made on behalf of (resource reuse), sent as ``?from_appid=``."""

    from_appid: str | None = None
    key = ""
    can_force = False
    refreshable = False

    def fetch(self, api_base: str, now: float, force: bool = False, timeout: float = 15.0) -> Fetch:
        return Token(None, None, FOREVER, FOREVER, (("from_appid", self.from_appid),) if self.from_appid else ())
        yield


@dataclass(frozen=True)
class CloudBase:
    """The platform's ``cloudbase_access_token``: the request's, else from the environment, else
    from its file."""

    env_value: str | None = field(repr=False)
    path: str = CLOUDBASE_TOKEN_FILE
    env_id: str | None = None
    per_request: bool = False
    """The token came with the request being served: used as it is, never cached."""
    can_force = False
    refreshable = True

    @property
    def key(self) -> str:
        """Per environment (two environments may share a token store); "" (not cached) per request."""
        if self.per_request:
            return ""
        return f"cloudbase:{self.env_id}" if self.env_id else "cloudbase"

    def fetch(self, api_base: str, now: float, force: bool = False, timeout: float = 15.0) -> Fetch:
        value = self.env_value or (yield Blocking(_read_token_file, (self.path,)))
        if not value:
            raise TokenFetchError(
                "local",
                -1,
                f"no cloudbase access token: WX_CLOUDBASE_ACCESSTOKEN is unset and {self.path} is unreadable",
            )
        return Token(value, "cloudbase_access_token", now + CLOUDBASE_LIFETIME, now + CLOUDBASE_REREAD)


TOKEN_FILE_LIMIT = 65536
"""Bytes read of the cloudbase token file at most (a token is a few hundred): a file past it, or
one that never ends (``/dev/zero``, a pipe), is unreadable, not a memory leak."""


def _read_token_file(path: str) -> str | None:
    try:
        with Path(path).open("rb") as file:
            data = file.read(TOKEN_FILE_LIMIT + 1)
    except OSError:
        return None
    if len(data) > TOKEN_FILE_LIMIT:
        return None
    try:
        return data.decode("utf-8").strip() or None
    except UnicodeDecodeError:
        return None


@dataclass(frozen=True)
class WeChat:
    """``appid`` + ``secret``: ``stable_token`` (default) or the classic ``token`` endpoint."""

    appid: str
    secret: str = field(repr=False)
    mode: str = "stable"
    refreshable = True

    @property
    def key(self) -> str:
        return f"{self.appid}:{self.mode}"

    @property
    def can_force(self) -> bool:
        return self.mode == "stable"

    def fetch(self, api_base: str, now: float, force: bool = False, timeout: float = 15.0) -> Fetch:
        if self.mode == "classic":
            req = wechat.classic_request(api_base, self.appid, self.secret, timeout=timeout)
        else:
            req = wechat.stable_request(api_base, self.appid, self.secret, force=force, timeout=timeout)
        value, lifetime = wechat.parse_reply((yield req))
        return scheduled(value, "access_token", now, lifetime)


@dataclass(frozen=True)
class Provider:
    """``tokenProvider(appid)``: the user's callable, sync or async, returning the token as a
    string, ``(token, expires_in)`` or ``{"access_token": ..., "expires_in": ...}``."""

    fn: Callable[..., Any] = field(repr=False)
    appid: str | None = None
    secrets: tuple[str | None, ...] = field(default=(), repr=False, compare=False)
    """The configuration's secrets, taken out of the provider's error message."""
    can_force = False
    refreshable = True

    @property
    def key(self) -> str:
        return f"{self.appid or ''}:provider"

    def fetch(self, api_base: str, now: float, force: bool = False, timeout: float = 15.0) -> Fetch:
        try:
            got = yield CallUser(self.fn, (self.appid,), timeout)
        except TimeoutError:  # the shell stopped waiting at the call's deadline
            raise TokenFetchError("coded", -501002, "tokenProvider did not answer within the call's timeout") from None
        except Exception as exc:  # the user's code: never its chain, its text without the secrets we know
            raise TokenFetchError("local", -1, f"tokenProvider failed: {_told(exc, self.secrets)}") from None
        value, lifetime = _provided(got)
        return scheduled(value, "access_token", now, lifetime)


def _told(exc: Exception, secrets: tuple[str | None, ...], limit: int = 200) -> str:
    """``Type: message`` of the provider's exception, on one line, secrets as ``***``, cut to ``limit``."""
    try:
        text = errors.redact(" ".join(str(exc).split()), secrets)
    except Exception:  # a __str__ that fails: the type says enough
        text = ""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _provided(got: Any) -> tuple[str, float]:
    lifetime: Any = PROVIDER_DEFAULT_LIFETIME
    if isinstance(got, Mapping):
        value, lifetime = got.get("access_token", got.get("accessToken")), got.get("expires_in", got.get("expiresIn"))
    elif isinstance(got, (tuple, list)) and len(got) == 2:
        value, lifetime = got
    else:
        value = got
    if isinstance(value, str) and value.lstrip().startswith(("{", "[")):  # `return reply.text` (never shown)
        raise TokenFetchError(
            "local", -1, "tokenProvider returned JSON text: return the token, (token, expires_in) or a dict such as "
            "json.loads(text)"
        )  # fmt: skip
    if not isinstance(value, str) or not is_token_text(value.strip()):
        raise TokenFetchError(
            "local",
            -1,
            "tokenProvider must return a token string (printable, no spaces), (token, expires_in) or a dict",
        )
    seconds = PROVIDER_DEFAULT_LIFETIME if lifetime is None else lifetime_of(lifetime)
    if seconds is None:
        raise TokenFetchError("local", -1, "tokenProvider returned an expires_in that is not a positive number")
    return value.strip(), seconds


Source = Static | CloudRun | CloudBase | WeChat | Provider
