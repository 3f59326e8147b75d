"""WeChat Cloud Run's open-interface service: plain http to api.weixin.qq.com with no token, seen
through a real HTTP proxy on 127.0.0.1 (as a user's network would see the request); detection of
Cloud Run; ``from_appid``; the whitelist 502 and its hint."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud._core.cloudrun import CONSOLE
from cloud._core.config import CLOUDRUN_API_BASE, DEFAULT_API_BASE, resolve
from cloud.emulator import EMULATOR_APPID, Emulator, serve

from .conftest import invoke

TEXT = {"content": "hello", "version": 2, "scene": 1, "openid": "o-user-1"}


class Proxy:
    """An HTTP proxy that forwards nothing: it records each absolute-form request line (``lines``)
    and each request whole (``seen``: method, absolute URL, headers, body bytes), and answers
    itself (``replies`` by path, else 200 ``{"errcode":0}``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.seen: list[dict[str, Any]] = []
        self.replies: dict[str, tuple[int, str, bytes]] = {}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                proxy.lines.append(self.requestline)
                proxy.seen.append({"method": self.command, "url": self.path, "headers": dict(self.headers.items()),
                                   "body": body})  # fmt: skip
                path = self.path.split("://", 1)[-1].partition("/")[2].partition("?")[0]
                status, ctype, body = proxy.replies.get("/" + path, (200, "application/json", b'{"errcode":0}'))
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(body)))
                self.send_header("x-openapi-seqid", "seq-0001")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    with serving_proxy(monkeypatch) as made:
        yield made


@contextmanager
def serving_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    """A :class:`Proxy` serving, named by ``HTTP_PROXY`` (no other proxy variable set)."""
    made = Proxy()
    thread = threading.Thread(target=made.server.serve_forever, daemon=True)
    thread.start()
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "NO_PROXY", "ALL_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", made.url)
    yield made
    made.server.shutdown()
    made.server.server_close()
    thread.join()


@pytest.fixture
def plain_cloudrun() -> Iterator[Cloud]:
    c = Cloud()
    c.init(tokenMode="cloudrun")
    yield c
    c.close()


def test_a_cloudrun_call_leaves_as_plain_http_with_no_token(proxy: Proxy, plain_cloudrun: Cloud, mode: str) -> None:
    assert invoke(plain_cloudrun, mode, "security.msgSecCheck", TEXT) == {"errMsg": "openapi.security.msgSecCheck:ok",
                                                                          "errCode": 0}  # fmt: skip
    assert proxy.lines == ["POST http://api.weixin.qq.com/wxa/msg_sec_check HTTP/1.1"]


# --- the API base and Cloud Run detection ----------------------------------------------------


def test_cloudrun_mode_defaults_to_the_open_interface_service_and_an_explicit_base_wins() -> None:
    assert resolve({"tokenMode": "cloudrun"}, {}, {}).api_base == CLOUDRUN_API_BASE == "http://api.weixin.qq.com"
    assert resolve({"tokenMode": "cloudrun", "apiBase": "http://127.0.0.1:9"}, {}, {}).api_base == "http://127.0.0.1:9"
    assert resolve({}, {"WX_TOKEN_MODE": "cloudrun", "WX_API_BASE": "http://h:1"}, {}).api_base == "http://h:1"
    assert resolve({"tokenMode": "stable"}, {}, {}).api_base == DEFAULT_API_BASE


@pytest.mark.parametrize(
    ("options", "environ", "mode"),
    [
        ({}, {"CBR_ENV_ID": "prod-1a2b"}, "cloudrun"),
        ({}, {}, None),
        ({}, {"CBR_ENV_ID": "prod-1a2b", "WX_TOKEN_MODE": "stable"}, "stable"),
        ({"tokenMode": "classic"}, {"CBR_ENV_ID": "prod-1a2b"}, "classic"),
        ({"accessToken": "t" * 20}, {"CBR_ENV_ID": "prod-1a2b"}, None),
        ({}, {"CBR_ENV_ID": "prod-1a2b", "WX_APPID": "wx1", "WX_SECRET": "s" * 32}, None),
        ({"tokenProvider": lambda appid: "t"}, {"CBR_ENV_ID": "prod-1a2b"}, None),
        ({}, {"CBR_ENV_ID": "prod-1a2b", "WX_CLOUDBASE_ACCESSTOKEN": "cb"}, None),
    ],
)
def test_cloud_run_is_detected_only_when_nothing_else_is_configured(
    options: dict[str, Any], environ: dict[str, str], mode: str | None
) -> None:
    config = resolve(options, environ, {})
    assert config.token_mode == mode
    assert config.api_base == (CLOUDRUN_API_BASE if mode == "cloudrun" else DEFAULT_API_BASE)


def test_a_detected_cloud_run_sends_no_token_and_warns_of_nothing(
    proxy: Proxy, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("CBR_ENV_ID", "prod-1a2b")
    c = Cloud()
    with caplog.at_level(logging.WARNING):
        c.init(appid="wx1")  # an appid without a secret is no token source
        assert c.sync.openapi.security.msgSecCheck(TEXT)["errCode"] == 0
    c.close()
    assert proxy.lines == ["POST http://api.weixin.qq.com/wxa/msg_sec_check HTTP/1.1"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_environment_id_is_kept_for_token_keys() -> None:
    assert resolve({}, {"CBR_ENV_ID": "prod-1"}, {}).env_id == "prod-1"
    assert resolve({"env": "test-2"}, {"CBR_ENV_ID": "prod-1"}, {}).env_id == "test-2"
    assert resolve({}, {"TCB_ENV": "tcb-3"}, {}).env_id == "tcb-3"
    assert resolve({}, {}, {}).env_id is None


def reply(status: int, body: dict[str, Any] | str, ctype: str = "application/json") -> tuple[int, str, bytes]:
    return status, ctype, (json.dumps(body) if isinstance(body, dict) else body).encode()


# --- from_appid, the whitelist 502, hints, x-openapi-seqid ------------------------------------

SENT = "POST http://api.weixin.qq.com/wxa/msg_sec_check"


def test_another_account_is_called_with_from_appid_and_no_credentials(
    proxy: Proxy, plain_cloudrun: Cloud, mode: str
) -> None:
    result = invoke(plain_cloudrun, mode, "security.msgSecCheck", TEXT, options=({"appid": "wxb0b0b0b0b0b0b0b0"},))
    assert result["errCode"] == 0
    assert proxy.lines == [f"{SENT}?from_appid=wxb0b0b0b0b0b0b0b0 HTTP/1.1"]


def test_the_configured_appid_needs_no_from_appid(proxy: Proxy, mode: str) -> None:
    c = Cloud()
    c.init(tokenMode="cloudrun", appid="wxa0a0a0a0a0a0a0a0")
    invoke(c, mode, "security.msgSecCheck", TEXT, options=({"appid": "wxa0a0a0a0a0a0a0a0"},))
    c.close()
    assert proxy.lines == [f"{SENT} HTTP/1.1"]


def test_the_whitelist_502_is_one_request_and_says_what_to_do(proxy: Proxy, plain_cloudrun: Cloud, mode: str) -> None:
    proxy.replies["/wxa/msg_sec_check"] = reply(502, "<html>502 Bad Gateway</html>", "text/html")
    with pytest.raises(CloudSDKError) as info:
        invoke(plain_cloudrun, mode, "security.msgSecCheck", TEXT)  # idempotent: a 502 elsewhere is retried
    assert proxy.lines == [f"{SENT} HTTP/1.1"]
    err = info.value
    assert err.errCode == -501001
    assert err.errMsg.startswith(
        "openapi.security.msgSecCheck:fail -501001 resource system error. HTTP 502 Bad Gateway"
    )
    assert "not on the open-interface service's whitelist" in err.errMsg and CONSOLE in err.errMsg
    assert CONSOLE in str(err) and "微信云托管控制台 → 云调用 → 开放接口服务" == CONSOLE


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"errcode": 41001, "errmsg": "access_token missing rid: 1"}, "the open-interface service seems to be off"),
        ({"errcode": 48001, "errmsg": "api unauthorized rid: 2"}, 'cloud.openapi({"appid": ...}) sends from_appid'),
        ({"errcode": 85107, "errmsg": "not in whitelist"}, "whitelist"),
    ],
)
def test_cloud_run_refusals_get_a_hint(proxy: Proxy, plain_cloudrun: Cloud, body: dict[str, Any], says: str) -> None:
    proxy.replies["/wxa/msg_sec_check"] = reply(200, body)
    with pytest.raises(CloudSDKError) as info:
        plain_cloudrun.sync.openapi.security.msgSecCheck(TEXT)
    err = info.value
    assert err.errCode == body["errcode"]
    assert err.errMsg.startswith(f"openapi.security.msgSecCheck:fail {body['errmsg']} (Cloud Run: ")
    assert says in err.errMsg and CONSOLE in err.errMsg and len(proxy.lines) == 1


def test_other_modes_get_no_cloud_run_hint(make_cloud: Any, emulator: Any) -> None:
    from cloud.emulator import Scripted

    emulator.stub("security.msgSecCheck", Scripted(200, {"errcode": 41001, "errmsg": "access_token missing"}))
    with pytest.raises(CloudSDKError) as info:
        make_cloud().sync.openapi.security.msgSecCheck(TEXT)
    assert info.value.errMsg == "openapi.security.msgSecCheck:fail access_token missing"


def test_the_service_seqid_is_logged_at_debug(
    proxy: Proxy, plain_cloudrun: Cloud, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="cloud.call"):
        plain_cloudrun.sync.openapi.security.msgSecCheck(TEXT)
    (line,) = [r.getMessage() for r in caplog.records if "attempt 1" in r.getMessage()]
    assert line.endswith("attempt 1, x-openapi-seqid 'seq-0001'")


# --- the emulator's model of the service --------------------------------------------------------


@pytest.fixture
def service() -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(cloudrun=True, whitelist=["security.msgSecCheck", "wxacode.getUnlimited"])
    with serve(emulator) as base:
        yield emulator, base


def test_the_emulated_service_passes_whitelisted_apis_with_a_seqid(
    service: tuple[Emulator, str], caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    emulator, base = service
    c = Cloud()
    c.init(tokenMode="cloudrun", apiBase=base)
    with caplog.at_level(logging.DEBUG, logger="cloud.call"):
        assert invoke(c, mode, "security.msgSecCheck", TEXT)["errCode"] == 0
        with pytest.raises(CloudSDKError, match="whitelist") as info:
            invoke(c, mode, "serviceMarket.invokeService", {"service": "wx79ac3de8be320b71", "api": "OcrAllInOne"})
    c.close()
    assert info.value.errCode == -501001 and CONSOLE in info.value.errMsg
    assert [(r.path, r.query) for r in emulator.requests] == [("/wxa/msg_sec_check", {}), ("/wxa/servicemarket", {})]
    (seqid_line,) = [line for line in caplog.messages if "x-openapi-seqid" in line]
    assert seqid_line.startswith("openapi.security.msgSecCheck")


def test_the_emulated_service_checks_from_appid_and_refuses_tokens(service: tuple[Emulator, str]) -> None:
    emulator, base = service
    c = Cloud()
    c.init(tokenMode="cloudrun", apiBase=base)
    assert c.sync.openapi({"appid": EMULATOR_APPID}).security.msgSecCheck(TEXT)["errCode"] == 0
    with pytest.raises(CloudSDKError, match="api unauthorized: from_appid wxffff") as info:
        c.sync.openapi({"appid": "wxffff"}).security.msgSecCheck(TEXT)
    c.close()
    assert info.value.errCode == 48001 and CONSOLE in info.value.errMsg
    sent = httpx.post(f"{base}/wxa/msg_sec_check?access_token={emulator.token}", json=TEXT).json()
    assert sent["errcode"] == 40001 and "send none" in sent["errmsg"]


def test_the_whitelist_may_be_a_config_json(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"permissions": {"openapi": ["security.msgSecCheck"]}}))
    emulator = Emulator(cloudrun=True, whitelist=str(config))
    assert emulator.handle("POST", "/wxa/msg_sec_check", {}, b"{}")[0] == 200
    status, headers, _ = emulator.handle("POST", "/wxa/servicemarket", {}, b"{}")
    assert status == 502 and "x-openapi-seqid" not in dict(headers)
    assert Emulator(cloudrun=True, whitelist="a.b, security.msgSecCheck").whitelist == {"a.b", "security.msgSecCheck"}
