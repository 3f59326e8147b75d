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

import base64
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from .. import catalog
from . import checks, servicemarket
from .checks import SECRET_PARAMS
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
    """A reply to give instead of the emulated one (queued with ``enqueue``, or a ``stub``).
    Checked when made: ValueError for a body JSON cannot say (NaN, ...) or a header HTTP cannot."""

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    """Seconds to wait before answering."""
    _payload: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        body = self.body
        if isinstance(body, (dict, list)):
            try:
                body = checks.dumps(body)
            except ValueError as exc:
                raise ValueError(f"the body is {exc}") from None
        if isinstance(body, str):
            try:
                body = body.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("the body has a lone surrogate, which is not text") from None
        object.__setattr__(self, "_payload", body)
        for name, value in self._headers():
            problem = checks.header_problem(name, value)
            if problem is not None:
                raise ValueError(problem)

    def _headers(self) -> list[tuple[str, str]]:
        headers = list(self.headers)
        if self.content_type is not None:
            headers.append(("content-type", self.content_type))
        return headers

    def encoded(self) -> tuple[int, list[tuple[str, str]], bytes]:
        return self.status, self._headers(), self._payload


@dataclass(frozen=True)
class Answer:
    """The emulator's reply to one request, and how long to wait before giving it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: a form field (``filename`` None) or a file."""

    name: str
    filename: str | None
    content_type: str | None
    content: bytes


TOKEN_PATHS = frozenset({"/cgi-bin/token", "/cgi-bin/stable_token"})


@dataclass(frozen=True, repr=False)
class Recorded:
    """One request the emulator received. Its repr shows tokens and secrets as ``***``; the
    fields hold them as sent."""

    method: str
    path: str
    query: dict[str, str] = field(repr=False)
    headers: dict[str, str] = field(repr=False)
    body: bytes
    api: str | None = None
    """The catalogued API its path and method belong to (the first name, for shared endpoints)."""

    def __repr__(self) -> str:
        return (f"Recorded(method={self.method!r}, path={self.path!r}, query={self.redacted_query!r}, "
                f"body={checks.redacted_body(self.body)!r}, api={self.api!r})")  # fmt: skip

    def json(self) -> Any:
        return json.loads(self.body)

    def parts(self) -> list[Part]:
        """The parts of a multipart/form-data body (none for any other body)."""
        content_type = self.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return []
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + self.body)
        out = []
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            name, filename = part.get_param("name", header="content-disposition"), part.get_filename()
            file_type = part.get_content_type() if filename else None
            out.append(Part(str(name or ""), filename, file_type, payload if isinstance(payload, bytes) else b""))
        return out

    @property
    def redacted_query(self) -> dict[str, str]:
        """``query`` with tokens and secrets shown as ``***``."""
        return {k: "***" if k in SECRET_PARAMS else v for k, v in self.query.items()}

    def public(self) -> dict[str, Any]:
        """This request as JSON data, tokens and secrets redacted (the admin endpoint's log)."""
        out: dict[str, Any] = {"api": self.api, "method": self.method, "path": self.path, "query": self.redacted_query}
        body = checks.redacted_body(self.body)  # a stable_token fetch carries the secret
        try:
            out["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            out["bodyBase64"] = base64.b64encode(body).decode("ascii")
        return out


@dataclass
class _Stubs:
    """One API's stubs: counted ones first, in order, then the standing one."""

    counted: deque[tuple[Scripted, int]] = field(default_factory=deque)
    standing: Scripted | None = None

    def take(self) -> Scripted | None:
        if self.counted:
            reply, left = self.counted.popleft()
            if left > 1:
                self.counted.appendleft((reply, left - 1))
            return reply
        return self.standing


ADMIN_PREFIX = "/__emulator/"


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
        any_token: bool = False,
        strict: bool = False,
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
        self.any_token = any_token
        """Accept every token, or none, and issue tokens to any appid and secret (for tests of code
        whose configuration is not the emulator's)."""
        self.strict = strict
        """Refuse calls to APIs with no stub (48001), and keep them in ``unexpected``."""
        self.unexpected: list[Recorded] = []
        self._stubs: dict[tuple[str, str], _Stubs] = {}
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
            return [r for r in self.requests if r.path in TOKEN_PATHS]

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
            self._stubs.clear()
            self.unexpected.clear()
            self.reject_tokens = False

    def stub(self, api: str, reply: Scripted, *, times: int | None = None) -> None:
        """Answer calls to ``api`` (any name of its endpoint) with ``reply``: the next ``times``
        calls, before any standing stub; with no ``times``, every call (replacing the standing one)."""
        endpoint = catalog.lookup(api)
        if endpoint is None:
            hints = catalog.close_matches(api)
            raise ValueError(f"{api} is not in the catalogue" + (f"; did you mean {', '.join(hints)}?" * bool(hints)))
        if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
            raise ValueError(f"times must be a whole number of calls, 1 or more, got {times!r}")
        with self._lock:
            stubs = self._stubs.setdefault((endpoint.method, endpoint.path), _Stubs())
            if times is None:
                stubs.standing = reply
            else:
                stubs.counted.append((reply, times))

    def clear_stubs(self) -> None:
        """Forget every stub and queued reply (the request log stays)."""
        with self._lock:
            self._stubs.clear()
            self._script.clear()

    def enqueue(self, *replies: Scripted) -> None:
        """Answer the next requests with these replies, in order, whatever they ask."""
        with self._lock:
            self._script.extend(replies)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one request at once (any stubbed delay is the caller's to honour: see ``answer``)."""
        answer = self.answer(method, target, headers, body)
        return answer.status, answer.headers, answer.body

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one request: ``target`` is the path with its query string."""
        path, _, qs = target.partition("?")
        if path.startswith(ADMIN_PREFIX):
            return self._admin(method.upper(), path[len(ADMIN_PREFIX) :], body)
        query = dict(parse_qsl(qs, keep_blank_values=True))
        method = method.upper()
        routes = self._routes.get(path)
        endpoint = routes.get(method) if routes else None
        with self._lock:
            self.request_count += 1
            recorded = Recorded(method, path, query, {k.lower(): v for k, v in headers.items()}, body,
                                endpoint.name if endpoint else None)  # fmt: skip
            if self.record:
                self.requests.append(recorded)
            scripted = self._script.popleft() if self._script else None
        if scripted is not None:
            return _answer_of(scripted)
        with self._lock:
            status, reply = self._answer(method, path, query, headers, body, recorded)
        if isinstance(reply, Scripted):
            return _answer_of(reply)
        if isinstance(reply, tuple):
            return Answer(status, [("content-type", reply[0])], reply[1])
        return _json_answer(status, reply, WECHAT_JSON)

    def _admin(self, method: str, action: str, body: bytes) -> Answer:
        """The control endpoint (``/__emulator/...``; the HTTP server serves it to loopback only)."""
        from .scenario import load_scenario, parse

        if (method, action) == ("GET", "requests"):
            with self._lock:
                log = [r.public() for r in self.requests]
            return _json_answer(200, {"requests": log})
        if (method, action) == ("POST", "reset"):
            self.reset()
            return _json_answer(200, {"ok": True})
        if (method, action) == ("POST", "scenario"):
            try:
                load_scenario(self, parse(body or b"null"))
            except ValueError as exc:  # ScenarioError is one
                return _json_answer(400, {"error": str(exc)})
            return _json_answer(200, {"ok": True})
        return _json_answer(404, {"error": "the control endpoint has GET requests, POST reset, POST scenario"})

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes, call: Recorded
    ) -> tuple[int, Reply | Scripted]:
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
        stubs = self._stubs.get((method, path))
        stubbed = stubs.take() if stubs else None
        if stubbed is not None:
            return stubbed.status, stubbed
        if self.strict:
            self.unexpected.append(call)
            return 200, _error(48001, f"api unauthorized: no stub for {endpoint.name} (strict mode)")
        if endpoint.params_in == "body":
            try:
                params = checks.loads(body) if body else {}
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
        if self.any_token:
            return None
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
        if self.any_token and isinstance(appid, str) and appid and isinstance(secret, str) and secret:
            return None
        if not isinstance(appid, str) or appid not in self.apps:
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
            params = checks.loads(body)
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

    def transport(self) -> InProcessTransport:
        """An httpx transport (sync and async) that hands requests to this emulator in-process."""
        return InProcessTransport(self)


class InProcessTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Requests answered by an :class:`Emulator` in this process. A stubbed delay is waited out
    (asleep, or awaited) up to the request's read timeout, then it times out as a server would."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def _answer(self, request: httpx.Request) -> tuple[Answer, float, bool]:
        answer = self.emulator.answer(
            request.method, request.url.raw_path.decode("ascii"), dict(request.headers), request.read()
        )
        limit = request.extensions.get("timeout", {}).get("read")
        late = limit is not None and answer.delay > limit
        return answer, min(answer.delay, limit) if late else answer.delay, late

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer, wait, late = self._answer(request)
        if wait > 0:
            time.sleep(wait)
        if late:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        answer, wait, late = self._answer(request)
        if wait > 0:
            await asyncio.sleep(wait)
        if late:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)


def _answer_of(reply: Scripted) -> Answer:
    status, headers, body = reply.encoded()
    return Answer(status, headers, body, reply.delay)


def _json_answer(status: int, data: Any, content_type: str = "application/json") -> Answer:
    body = json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
    return Answer(status, [("content-type", content_type)], body)


@lru_cache(maxsize=1)
def _examples() -> dict[str, dict[str, Any]]:
    """The documented success reply of each API that has one (``data/examples.json``)."""
    text = (Path(__file__).parent / "data" / "examples.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _error(code: int, message: str) -> dict[str, Any]:
    return {"errcode": code, "errmsg": f"{message} rid: {_rid()}"}


def _rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))
