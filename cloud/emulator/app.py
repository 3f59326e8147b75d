"""The emulator's logic, without I/O: a request in, a reply out, like WeChat would answer.

Routes come from the catalogue. It checks the access_token (41001 missing, 40001 wrong), the
method (43002), the JSON body (47001), and answers ``/wxa/servicemarket`` with a realistic
OcrAllInOne reply. Tests can queue scripted replies and read back every request it received.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from .. import catalog
from . import servicemarket

EMULATOR_ACCESS_TOKEN = "emulator-access-token"
WECHAT_JSON = "application/json; encoding=utf-8"


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

    def __init__(self, token: str = EMULATOR_ACCESS_TOKEN) -> None:
        self.token = token
        self.requests: list[Recorded] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._routes = {(e.method, e.path): e for e in catalog.load().values()}

    def reset(self) -> None:
        """Forget recorded requests and queued replies."""
        with self._lock:
            self.requests.clear()
            self._script.clear()

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
            self.requests.append(
                Recorded(method.upper(), path, query, {k.lower(): v for k, v in headers.items()}, body)
            )
            scripted = self._script.popleft() if self._script else None
        if scripted is not None:
            return scripted.encoded()
        status, reply = self._answer(method.upper(), path, query, body)
        if isinstance(reply, bytes):
            return status, [("content-type", "text/html")], reply
        return status, [("content-type", WECHAT_JSON)], json.dumps(reply, ensure_ascii=False).encode("utf-8")

    def _answer(self, method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, dict[str, Any] | bytes]:
        methods = {m for (m, p) in self._routes if p == path}
        if not methods:
            return 404, b"<html><body><h1>404 Not Found</h1></body></html>"
        if "access_token" not in query:
            return 200, _error(41001, "access_token missing")
        if query["access_token"] != self.token:
            return 200, _error(40001, "invalid credential, access_token is invalid or not latest")
        if method not in methods:
            return 200, _error(43002, f"require {' or '.join(sorted(methods))} method")
        try:
            params = json.loads(body) if body else {}
        except ValueError:
            params = None
        if not isinstance(params, dict):
            return 200, _error(47001, "data format error")
        answered = servicemarket.answer(params)
        if "errmsg" in answered and answered.get("errcode"):
            answered["errmsg"] += f" rid: {_rid()}"
        return 200, answered

    def transport(self) -> httpx.MockTransport:
        """An httpx transport (sync and async) that hands requests to this emulator in-process."""

        def reply(request: httpx.Request) -> httpx.Response:
            status, headers, body = self.handle(
                request.method, request.url.raw_path.decode("ascii"), dict(request.headers), request.read()
            )
            return httpx.Response(status, headers=headers, content=body)

        return httpx.MockTransport(reply)


def _error(code: int, message: str) -> dict[str, Any]:
    return {"errcode": code, "errmsg": f"{message} rid: {_rid()}"}


def _rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))
