"""The emulator's logic, without I/O: a request in, a reply out, like WeChat would answer.

API routes come from the catalogue. It checks the token (41001 missing, 40001 wrong or revoked,
42001 expired), the method (43001/43002), the JSON body (47001), and answers every catalogued API:
``/wxa/servicemarket`` with a realistic OcrAllInOne reply, the wxacode APIs with a real PNG image,
the others with their documented example reply (``data/examples.json``) or
``{"errcode":0,"errmsg":"ok"}``. The token endpoints behave like WeChat's:

- ``GET /cgi-bin/token``: a new token on every fetch; the app's previous classic token stops
  working at once (WeChat grants it 5 more minutes: being stricter makes token races show).
- ``POST /cgi-bin/stable_token``: the same token to every caller until 5 minutes before it
  expires, then the next one; ``force_refresh`` issues a new one (20 a day, then 45009).
- Wrong credentials: 40013 invalid appid, 40125 invalid appsecret, 40002 invalid grant_type.

``token`` (a fixed token, always valid) serves static-token callers; ``cloudrun=True`` accepts calls
with no token (Cloud Run's open-interface service adds it); ``cloudbase_tokens`` are accepted as
``cloudbase_access_token``. Tests can queue scripted replies, revoke tokens, reject every token,
move the clock, and read back every request it received.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from .. import catalog
from . import servicemarket
from .images import code_png

EMULATOR_ACCESS_TOKEN = "emulator-access-token"
EMULATOR_APPID = "wxe0e0e0e0e0e0e0e0"
EMULATOR_SECRET = "emulator-app-secret-0123456789abcdef"
WECHAT_JSON = "application/json; encoding=utf-8"
Reply = dict[str, Any] | tuple[str, bytes]
"""A JSON reply, or (content type, bytes)."""
TOKEN_LIFETIME = 7200
STABLE_HANDOVER = 300
FORCE_REFRESH_PER_DAY = 20


@dataclass
class _Issued:
    appid: str
    kind: str  # "classic" | "stable"
    expires_at: float


@dataclass(frozen=True)
class Scripted:
    """A reply to give instead of the emulated one (for the next request)."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    def encoded(self) -> tuple[int, list[tuple[str, str]], bytes]:
        body = self.body
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        if isinstance(body, str):
            body = body.encode("utf-8")
        headers = list(self.headers)
        if self.content_type is not None:
            headers.append(("content-type", self.content_type))
        return self.status, headers, body


@dataclass(frozen=True)
class Recorded:
    """One request the emulator received."""

    method: str
    path: str
    query: dict[str, str] = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Emulator:
    """WeChat's API as far as the catalogue goes; thread-safe."""

    def __init__(
        self,
        token: str = EMULATOR_ACCESS_TOKEN,
        apps: dict[str, str] | None = None,
        *,
        cloudrun: bool = False,
        cloudbase_tokens: tuple[str, ...] = (),
        clock: Callable[[], float] = time.time,
        record: bool = True,
    ) -> None:
        self.token = token
        self.apps = {EMULATOR_APPID: EMULATOR_SECRET} if apps is None else dict(apps)
        """appid → secret of the accounts whose tokens it issues."""
        self.cloudrun = cloudrun
        self.cloudbase_tokens = set(cloudbase_tokens)
        self.clock = clock
        self._initial = (dict(self.apps), cloudrun, tuple(cloudbase_tokens), clock)
        self.reject_tokens = False
        """When True, every API call answers 40001 (a backend that rejects every token)."""
        self.record = record
        """Keep every request in ``requests`` (False for long runs: only ``request_count`` grows)."""
        self.requests: list[Recorded] = []
        self.request_count = 0
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._routes: dict[str, dict[str, catalog.Endpoint]] = {}
        for endpoint in catalog.load().values():  # first name per path and method answers for all
            self._routes.setdefault(endpoint.path, {}).setdefault(endpoint.method, endpoint)
        self._issued: dict[str, _Issued] = {}
        self.issued_tokens: list[str] = []
        """Every token it has issued, in order."""
        self._classic: dict[str, str] = {}
        self._stable: dict[str, str] = {}
        self._forced: dict[str, int] = {}

    def token_requests(self) -> list[Recorded]:
        """The requests made to the token endpoints."""
        with self._lock:
            return [r for r in self.requests if r.path in ("/cgi-bin/token", "/cgi-bin/stable_token")]

    def revoke(self, token: str) -> None:
        """Make ``token`` invalid from now on (as if another party refreshed it)."""
        with self._lock:
            self._issued.pop(token, None)

    def reset(self) -> None:
        """Back to how it was made: no requests recorded, no replies queued, no tokens issued,
        settings (apps, cloudrun, cloudbase tokens, clock) as given to the constructor."""
        apps, cloudrun, cloudbase_tokens, clock = self._initial
        with self._lock:
            self.apps, self.cloudrun, self.cloudbase_tokens, self.clock = (
                dict(apps),
                cloudrun,
                set(cloudbase_tokens),
                clock,
            )
            self.requests.clear()
            self.request_count = 0
            self._script.clear()
            self._issued.clear()
            self.issued_tokens.clear()
            self._classic.clear()
            self._stable.clear()
            self._forced.clear()
            self.reject_tokens = False

    def enqueue(self, *replies: Scripted) -> None:
        """Answer the next requests with these replies, in order, whatever they ask."""
        with self._lock:
            self._script.extend(replies)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one request: ``target`` is the path with its query string."""
        path, _, qs = target.partition("?")
        query = dict(parse_qsl(qs, keep_blank_values=True))
        with self._lock:
            self.request_count += 1
            if self.record:
                lowered = {k.lower(): v for k, v in headers.items()}
                self.requests.append(Recorded(method.upper(), path, query, lowered, body))
            scripted = self._script.popleft() if self._script else None
        if scripted is not None:
            return scripted.encoded()
        with self._lock:
            status, reply = self._answer(method.upper(), path, query, headers, body)
        if isinstance(reply, tuple):
            return status, [("content-type", reply[0])], reply[1]
        return status, [("content-type", WECHAT_JSON)], json.dumps(reply, ensure_ascii=False).encode("utf-8")

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[int, Reply]:
        if path == "/cgi-bin/token":
            return 200, self._classic_token(method, query)
        if path == "/cgi-bin/stable_token":
            return 200, self._stable_token(method, body)
        routes = self._routes.get(path)
        if not routes:
            return 404, ("text/html", b"<html><body><h1>404 Not Found</h1></body></html>")
        refused = self._check_token(query)
        if refused is not None:
            return 200, refused
        endpoint = routes.get(method)
        if endpoint is None:
            return 200, _error(43002 if "POST" in routes else 43001, f"require {' or '.join(sorted(routes))} method")
        if endpoint.params_in == "body":
            try:
                params = json.loads(body) if body else {}
            except ValueError:
                params = None
            if not isinstance(params, dict):
                return 200, _error(47001, "data format error")
        elif endpoint.params_in == "multipart":
            if not headers.get("content-type", "").startswith("multipart/form-data") and "img_url" not in query:
                return 200, _error(41005, "media data missing")
            params = {}
        else:
            params = dict(query)
        return 200, self._reply_for(endpoint.name, params)

    def _reply_for(self, name: str, params: dict[str, Any]) -> Reply:
        if name == "serviceMarket.invokeService":
            answered = servicemarket.answer(params)
            if answered.get("errcode"):
                answered["errmsg"] += f" rid: {_rid()}"
            return answered
        if name.startswith("wxacode."):
            return "image/png", code_png(json.dumps(params, sort_keys=True, ensure_ascii=False))
        example = _examples().get(name)
        return json.loads(json.dumps(example)) if example is not None else {"errcode": 0, "errmsg": "ok"}

    def _check_token(self, query: dict[str, str]) -> dict[str, Any] | None:
        """None when the call's token is good, else WeChat's error reply."""
        if "cloudbase_access_token" in query and "access_token" not in query:
            if query["cloudbase_access_token"] in self.cloudbase_tokens and not self.reject_tokens:
                return None
            return _error(40001, "invalid credential, cloudbase_access_token is invalid")
        if "access_token" not in query:
            return None if self.cloudrun else _error(41001, "access_token missing")
        token = query["access_token"]
        if self.reject_tokens:
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        if token == self.token:
            return None
        issued = self._issued.get(token)
        if issued is None:
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        if self.clock() >= issued.expires_at:
            return _error(42001, "access_token expired")
        return None

    def _credentials(self, grant_type: Any, appid: Any, secret: Any) -> dict[str, Any] | None:
        if grant_type != "client_credential":
            return _error(40002, "invalid grant_type")
        if appid not in self.apps:
            return _error(40013, "invalid appid")
        if secret != self.apps[appid]:
            return _error(40125, "invalid appsecret")
        return None

    def _issue(self, appid: str, kind: str) -> str:
        value = f"{kind[:2].upper()}_{secrets.token_urlsafe(48)}"
        self._issued[value] = _Issued(appid, kind, self.clock() + TOKEN_LIFETIME)
        self.issued_tokens.append(value)
        return value

    def _classic_token(self, method: str, query: dict[str, str]) -> dict[str, Any]:
        if method != "GET":
            return _error(43001, "require GET method")
        refused = self._credentials(query.get("grant_type"), query.get("appid"), query.get("secret"))
        if refused is not None:
            return refused
        appid = query["appid"]
        previous = self._classic.get(appid)
        if previous is not None:
            self._issued.pop(previous, None)
        self._classic[appid] = self._issue(appid, "classic")
        return {"access_token": self._classic[appid], "expires_in": TOKEN_LIFETIME}

    def _stable_token(self, method: str, body: bytes) -> dict[str, Any]:
        if method != "POST":
            return _error(43002, "require POST method")
        try:
            params = json.loads(body)
        except ValueError:
            params = None
        if not isinstance(params, dict):
            return _error(47001, "data format error")
        refused = self._credentials(params.get("grant_type"), params.get("appid"), params.get("secret"))
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
                return _error(45009, "reach max api daily quota limit")
            if issued is not None:  # the old token keeps working for 5 more minutes
                issued.expires_at = min(issued.expires_at, now + STABLE_HANDOVER)
            issued = None
        if issued is None or issued.expires_at - now <= STABLE_HANDOVER:
            current = self._stable[appid] = self._issue(appid, "stable")
            issued = self._issued[current]
        return {"access_token": current, "expires_in": int(issued.expires_at - now)}

    def transport(self) -> httpx.MockTransport:
        """An httpx transport (sync and async) that hands requests to this emulator in-process."""

        def reply(request: httpx.Request) -> httpx.Response:
            status, headers, body = self.handle(
                request.method, request.url.raw_path.decode("ascii"), dict(request.headers), request.read()
            )
            return httpx.Response(status, headers=headers, content=body)

        return httpx.MockTransport(reply)


@lru_cache(maxsize=1)
def _examples() -> dict[str, dict[str, Any]]:
    """The documented success reply of each API that has one (``data/examples.json``)."""
    text = (Path(__file__).parent / "data" / "examples.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _error(code: int, message: str) -> dict[str, Any]:
    return {"errcode": code, "errmsg": f"{message} rid: {_rid()}"}


def _rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))
