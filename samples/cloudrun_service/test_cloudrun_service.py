"""The sample service in a real WSGI server on 127.0.0.1, calling the emulated open-interface
service over HTTP, as it would on Cloud Run."""

import importlib.util
import threading
from pathlib import Path

import httpx
import pytest
from werkzeug.serving import make_server

from cloud._client import platform as _platform
from cloud.emulator import Emulator, Scripted, serve

APIS = ["security.msgSecCheck", "subscribeMessage.send", "wxacode.getUnlimited"]
USER = {"X-WX-OPENID": "o-user-0001", "X-WX-APPID": "wxe0e0e0e0e0e0e0e0", "X-WX-ENV": "prod-1a2b"}


@pytest.fixture
def service():
    emulator = Emulator(cloudrun=True, whitelist=APIS[:2])
    spec = importlib.util.spec_from_file_location("cloudrun_service_run", Path(__file__).with_name("run.py"))
    run = importlib.util.module_from_spec(spec)
    # the service's init is undone after; process-wide: the server's request threads start in no context of ours
    with _platform.provided({}, process_wide=True), serve(emulator) as api_base:
        spec.loader.exec_module(run)
        run.cloud.updateConfig(tokenMode="cloudrun", apiBase=api_base)
        server = make_server("127.0.0.1", 0, run.app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield emulator, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            run.cloud.close()


def test_whoami_answers_from_the_callers_headers(service):
    _, base = service
    reply = httpx.get(f"{base}/api/whoami", headers=USER).json()
    assert reply["data"] == {"OPENID": "o-user-0001", "APPID": "wxe0e0e0e0e0e0e0e0", "UNIONID": None,
                             "FROM_APPID": None, "ENV": "prod-1a2b"}  # fmt: skip


def test_a_comment_is_checked_then_its_author_thanked_with_no_token(service):
    emulator, base = service
    emulator.stub("security.msgSecCheck", Scripted(200, {"errcode": 0, "result": {"suggest": "pass"}}))
    reply = httpx.post(f"{base}/api/comment", headers=USER, json={"content": "nice"})
    assert reply.status_code == 200 and reply.json()["code"] == 0
    check, send = emulator.requests
    assert (check.path, check.query, check.json()["openid"]) == ("/wxa/msg_sec_check", {}, "o-user-0001")
    assert (send.path, send.query, send.json()["touser"]) == ("/cgi-bin/message/subscribe/send", {}, "o-user-0001")


def test_a_risky_comment_is_not_thanked(service):
    emulator, base = service
    emulator.stub("security.msgSecCheck", Scripted(200, {"errcode": 0, "result": {"suggest": "risky"}}))
    reply = httpx.post(f"{base}/api/comment", headers=USER, json={"content": "bad"})
    assert reply.json()["data"] == {"suggest": "risky"} and len(emulator.requests) == 1


def test_an_api_off_the_whitelist_is_one_request_and_a_clear_error(service):
    emulator, base = service
    reply = httpx.get(f"{base}/api/qrcode", headers=USER)
    assert reply.status_code == 502 and "开放接口服务" in reply.json()["errorMsg"]
    assert len(emulator.requests) == 1
    emulator.whitelist = frozenset(APIS)
    code = httpx.get(f"{base}/api/qrcode", headers=USER)
    assert code.status_code == 200 and code.headers["content-type"] == "image/png"
    assert code.content.startswith(b"\x89PNG")


def test_a_request_not_from_wechat_is_refused(service):
    _, base = service
    assert httpx.get(f"{base}/api/qrcode").status_code == 401
