"""The emulator's accounts and tokens: the token checks of API calls, and the two token endpoints.

- ``GET /cgi-bin/token``: a new token on every fetch; the app's previous classic token stops
  working at once (WeChat grants it 5 more minutes: being stricter makes token races show).
- ``POST /cgi-bin/stable_token``: the same token to every caller until 5 minutes before it
  expires, then the next one; ``force_refresh`` issues a new one (20 a day, then 45009).
- Wrong credentials: 40013 invalid appid, 40125 invalid appsecret, 40002 invalid grant_type.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import _checks as checks
from ._replies import error

EMULATOR_ACCESS_TOKEN = "emulator-access-token"
EMULATOR_APPID = "wxe0e0e0e0e0e0e0e0"
EMULATOR_SECRET = "emulator-app-secret-0123456789abcdef"
TOKEN_PATHS = frozenset({"/cgi-bin/token", "/cgi-bin/stable_token"})
TOKEN_LIFETIME = 7200
STABLE_HANDOVER = 300
FORCE_REFRESH_PER_DAY = 20


@dataclass
class _Issued:
    appid: str
    kind: str  # "classic" | "stable"
    expires_at: float


@dataclass(repr=False)  # no secrets or tokens in a repr
class Tokens:
    """What token checks go by (accounts, cloudrun, cloudbase tokens, the clock) and the tokens
    issued. Not thread-safe: the emulator holds its lock around every use. ``fixed`` (a token
    always valid) and ``any_token`` (accept every token and credential) are the caller's to pass."""

    apps: dict[str, str]
    """appid → secret of the accounts whose tokens it issues."""
    cloudrun: bool
    cloudbase_tokens: set[str]
    clock: Callable[[], float]
    reject_tokens: bool = False
    issued_tokens: list[str] = field(default_factory=list)
    """Every token it has issued, in order."""
    _issued: dict[str, _Issued] = field(default_factory=dict)
    _classic: dict[str, str] = field(default_factory=dict)
    _stable: dict[str, str] = field(default_factory=dict)
    _forced: dict[str, int] = field(default_factory=dict)

    def fresh(self) -> Tokens:
        """The same settings, with no token issued and ``reject_tokens`` off."""
        return Tokens(dict(self.apps), self.cloudrun, set(self.cloudbase_tokens), self.clock)

    def revoke(self, token: str) -> None:
        self._issued.pop(token, None)

    def check(self, query: dict[str, str], fixed: str, any_token: bool) -> dict[str, Any] | None:
        """None when the call's token is good, else WeChat's error reply."""
        if any_token:
            return None
        if "cloudbase_access_token" in query and "access_token" not in query:
            if query["cloudbase_access_token"] in self.cloudbase_tokens and not self.reject_tokens:
                return None
            return error(40001, "invalid credential, cloudbase_access_token is invalid")
        if "access_token" not in query:
            return None if self.cloudrun else error(41001, "access_token missing")
        token = query["access_token"]
        if self.reject_tokens:
            return error(40001, "invalid credential, access_token is invalid or not latest")
        if token == fixed:
            return None
        issued = self._issued.get(token)
        if issued is None:
            return error(40001, "invalid credential, access_token is invalid or not latest")
        if self.clock() >= issued.expires_at:
            return error(42001, "access_token expired")
        return None

    def classic(self, method: str, query: dict[str, str], any_token: bool) -> dict[str, Any]:
        """``/cgi-bin/token``'s reply."""
        if method != "GET":
            return error(43001, "require GET method")
        refused = self._credentials(query.get("grant_type"), query.get("appid"), query.get("secret"), any_token)
        if refused is not None:
            return refused
        appid = query["appid"]
        previous = self._classic.get(appid)
        if previous is not None:
            self._issued.pop(previous, None)
        self._classic[appid] = self._issue(appid, "classic")
        return {"access_token": self._classic[appid], "expires_in": TOKEN_LIFETIME}

    def stable(self, method: str, body: bytes, any_token: bool) -> dict[str, Any]:
        """``/cgi-bin/stable_token``'s reply."""
        if method != "POST":
            return error(43002, "require POST method")
        try:
            params = checks.loads(body)
        except ValueError:
            params = None
        if not isinstance(params, dict):
            return error(47001, "data format error")
        refused = self._credentials(params.get("grant_type"), params.get("appid"), params.get("secret"), any_token)
        if refused is not None:
            return refused
        appid, now = params["appid"], self.clock()
        current = self._stable.get(appid)
        issued = self._issued.get(current) if current else None
        if params.get("force_refresh") is True:
            day = int(now // 86400)
            key = f"{appid}:{day}"
            self._forced[key] = self._forced.get(key, 0) + 1
            if self._forced[key] > FORCE_REFRESH_PER_DAY:
                return error(45009, "reach max api daily quota limit")
            if issued is not None:  # the old token keeps working for 5 more minutes
                issued.expires_at = min(issued.expires_at, now + STABLE_HANDOVER)
            issued = None
        if issued is None or issued.expires_at - now <= STABLE_HANDOVER:
            current = self._stable[appid] = self._issue(appid, "stable")
            issued = self._issued[current]
        return {"access_token": current, "expires_in": int(issued.expires_at - now)}

    def _credentials(self, grant_type: Any, appid: Any, secret: Any, any_token: bool) -> dict[str, Any] | None:
        if grant_type != "client_credential":
            return error(40002, "invalid grant_type")
        if any_token and isinstance(appid, str) and appid and isinstance(secret, str) and secret:
            return None
        if not isinstance(appid, str) or appid not in self.apps:
            return error(40013, "invalid appid")
        if secret != self.apps[appid]:
            return error(40125, "invalid appsecret")
        return None

    def _issue(self, appid: str, kind: str) -> str:
        value = f"{kind[:2].upper()}_{secrets.token_urlsafe(48)}"
        self._issued[value] = _Issued(appid, kind, self.clock() + TOKEN_LIFETIME)
        self.issued_tokens.append(value)
        return value
