"""The request context of a WeChat Cloud Run service: ``cloud.wsgi`` / ``cloud.asgi`` make
``getWXContext()`` answer from each request's ``X-WX-*`` headers, per request, thread and task,
and a request's ``X-WX-CLOUDBASE-ACCESS-TOKEN`` serves its calls in ``cloudbase`` mode."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
import pytest

import cloud
from cloud._client.instance import Cloud
from cloud._core.config import resolve
from cloud._tokens import select
from cloud.emulator import Emulator

TEXT = {"content": "hello", "version": 2, "scene": 1, "openid": "o-user-1"}
HEADERS = {
    "X-WX-OPENID": "o-1", "X-WX-APPID": "wxa", "X-WX-UNIONID": "u-1", "X-WX-FROM-OPENID": "fo-1",
    "X-WX-FROM-APPID": "wxb", "X-WX-FROM-UNIONID": "fu-1", "X-WX-ENV": "prod-1a2b", "X-WX-SOURCE": "wx_client",
    "X-WX-SERVICE": "api", "X-Forwarded-For": "10.1.2.3, 10.0.0.1",
    "X-WX-CLOUDBASE-ACCESS-TOKEN": "cb-request-token-0001",
}  # fmt: skip
CONTEXT = {
    "OPENID": "o-1", "APPID": "wxa", "UNIONID": "u-1", "FROM_OPENID": "fo-1", "FROM_APPID": "wxb",
    "FROM_UNIONID": "fu-1", "ENV": "prod-1a2b", "SOURCE": "wx_client", "SERVICE": "api", "CLIENTIP": "10.1.2.3",
}  # fmt: skip


def context_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
    """A WSGI app that answers the context it saw, before and after a pause, lazily."""
    before = cloud.getWXContext()
    time.sleep(random.uniform(0, 0.02))
    start_response("200 OK", [("content-type", "application/json")])
    yield json.dumps([before, cloud.getWXContext()]).encode()


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def wsgi_base() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, cloud.wsgi(context_app), ThreadingServer, QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_wsgi_request_sees_its_headers_with_nodes_names(wsgi_base: str) -> None:
    before, after = httpx.get(wsgi_base, headers=HEADERS).json()
    assert before == after == CONTEXT
    assert "cb-request-token" not in json.dumps(before)


def test_100_concurrent_wsgi_requests_each_see_their_own(wsgi_base: str) -> None:
    def one(i: int) -> tuple[int, list[dict[str, Any]]]:
        return i, httpx.get(wsgi_base, headers={"X-WX-OPENID": f"o-{i}"}).json()

    with ThreadPoolExecutor(32) as pool:
        seen = list(pool.map(one, range(100)))
    assert all(pair == [{"OPENID": f"o-{i}"}] * 2 for i, pair in seen)


def test_nothing_leaks_into_the_next_request_or_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")
    monkeypatch.setenv("WX_OPENID", "o-env")
    app = cloud.wsgi(context_app)
    first = b"".join(app({"HTTP_X_WX_OPENID": "o-1"}, lambda *a: None))
    second = b"".join(app({}, lambda *a: None))
    assert json.loads(first) == [{"OPENID": "o-1"}] * 2
    assert json.loads(second) == [{}] * 2  # a request with no headers: an empty context, not the last one's
    assert cloud.getWXContext() == {"OPENID": "o-env"}  # outside a request: the environment, as before


async def context_asgi(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
    before = cloud.getWXContext()
    await asyncio.sleep(random.uniform(0, 0.02))
    in_child = await asyncio.create_task(asyncio.sleep(0, cloud.getWXContext()))
    body = json.dumps([before, cloud.getWXContext(), in_child]).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


def test_100_concurrent_asgi_requests_each_see_their_own_in_their_tasks() -> None:
    async def main() -> list[Any]:
        transport = httpx.ASGITransport(cloud.asgi(context_asgi))
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            replies = await asyncio.gather(*(client.get("/", headers={"X-WX-OPENID": f"o-{i}"}) for i in range(100)))
            full = await client.get("/", headers=HEADERS)
            bare = await client.get("/")
        assert cloud.getWXContext() == {}
        return [r.json() for r in replies] + [full.json(), bare.json()]

    *seen, full, bare = asyncio.run(main())
    assert all(triple == [{"OPENID": f"o-{i}"}] * 3 for i, triple in enumerate(seen))
    assert full == [CONTEXT] * 3 and bare == [{}] * 3


def test_asgi_passes_lifespan_through() -> None:
    seen: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    asyncio.run(cloud.asgi(app)({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"]


# --- cloudbase mode: the request's token, and tokens kept per environment -----------------------


def test_a_requests_cloudbase_token_serves_its_calls(api_base: str, emulator: Emulator, mode: str) -> None:
    emulator.cloudbase_tokens.update({"cb-env-token-00000", "cb-request-token-0001"})
    c = Cloud()
    c.init(apiBase=api_base, tokenMode="cloudbase", cloudbaseAccessToken="cb-env-token-00000")

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if mode == "sync":
            c.sync.openapi.security.msgSecCheck(TEXT)
        else:
            asyncio.run(c.openapi.security.msgSecCheck(TEXT))
        start_response("200 OK", [])
        return [b""]

    cloud.wsgi(app)({"HTTP_X_WX_CLOUDBASE_ACCESS_TOKEN": "cb-request-token-0001"}, lambda *a: None)
    c.sync.openapi.security.msgSecCheck(TEXT)  # outside the request: the configured token
    c.close()
    sent = [r.query["cloudbase_access_token"] for r in emulator.requests]
    assert sent == ["cb-request-token-0001", "cb-env-token-00000"]


def test_cloudbase_tokens_are_kept_per_environment() -> None:
    def key(environ: dict[str, str], **options: Any) -> str:
        return select(resolve({"tokenMode": "cloudbase", **options}, environ, {}), None).key

    assert key({"CBR_ENV_ID": "prod-1"}) == "cloudbase:prod-1"
    assert key({"CBR_ENV_ID": "prod-1"}, env="test-2") == "cloudbase:test-2"
    assert key({}) == "cloudbase"
    assert select(resolve({"tokenMode": "cloudbase"}, {}, {}), None, "cb-request").key == ""  # never cached


def test_two_environments_sharing_redis_keep_their_own_tokens(
    api_base: str, emulator: Emulator, redis_store_url: str
) -> None:
    emulator.cloudbase_tokens.update({"cb-token-of-env-one", "cb-token-of-env-two"})
    made = []
    for env, token in (("env-one", "cb-token-of-env-one"), ("env-two", "cb-token-of-env-two")):
        c = Cloud()
        c.init(apiBase=api_base, tokenMode="cloudbase", cloudbaseAccessToken=token, env=env, tokenStore=redis_store_url)
        made.append(c)
    for c in made * 2:
        c.sync.openapi.security.msgSecCheck(TEXT)
        c.close()
    sent = [r.query["cloudbase_access_token"] for r in emulator.requests]
    assert sent == ["cb-token-of-env-one", "cb-token-of-env-two"] * 2


def test_a_wrapped_app_s_one_part_answer_keeps_its_content_length() -> None:
    """wsgiref sets Content-Length for an answer of one part, which it learns with ``len()``: the
    wrapper passes that on (a generator's answer has none, and gets none)."""

    def one_part(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("content-type", "application/json")])
        return [json.dumps(cloud.getWXContext()).encode()]

    for app, length in ((one_part, True), (context_app, False)):
        server = make_server("127.0.0.1", 0, cloud.wsgi(app), ThreadingServer, QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            reply = httpx.get(f"http://127.0.0.1:{server.server_port}", headers={"X-WX-OPENID": "o-9"})
        finally:
            server.shutdown()
            server.server_close()
        assert ("content-length" in reply.headers) is length
        assert "o-9" in reply.text
    assert not hasattr(cloud.wsgi(context_app)({}, lambda *a: None), "__len__")  # says none it cannot give
