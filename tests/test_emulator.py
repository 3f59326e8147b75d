"""The emulator answers like WeChat, in-process and over HTTP (including its command line)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import Emulator
from cloud.emulator._servicemarket import IDCARD_RESULT

from .test_call import SAMPLE


def post(base: str, path: str, body: Any, token: str | None) -> dict[str, Any]:
    params = {} if token is None else {"access_token": token}
    response = httpx.post(base + path, params=params, content=json.dumps(body))
    return response.json()  # type: ignore[no-any-return]


def test_ocr_sample_gets_the_documented_reply_shape(make_cloud: Any, mode: str) -> None:
    from .conftest import invoke

    result = invoke(make_cloud(), mode, "serviceMarket.invokeService", SAMPLE)
    assert list(result) == ["data", "errMsg", "errCode"]
    assert isinstance(result["data"], str), "servicemarket data is a JSON string, left as sent"
    data = json.loads(result["data"])
    assert data == IDCARD_RESULT and data["idcard_res"]["name"]["pos"]["left_top"] == {"x": 87, "y": 39}


def test_in_process_transport_needs_no_port(mode: str) -> None:
    emulator = Emulator()
    c = Cloud()
    c.init(accessToken=emulator.token, transport=emulator.transport())
    from .conftest import invoke

    assert invoke(c, mode, "serviceMarket.invokeService", SAMPLE)["errCode"] == 0
    (recorded,) = emulator.requests
    assert recorded.path == "/wxa/servicemarket" and recorded.json()["data"]["img_url"] == "http://mmbiz.qpic.cn/x/0"
    assert "emulator-access-token" not in repr(recorded)


@pytest.mark.parametrize(
    ("token", "body", "errcode", "errmsg"),
    [
        (None, {}, 41001, "access_token missing rid: "),
        ("wrong", {}, 40001, "invalid credential, access_token is invalid or not latest rid: "),
        ("emulator-access-token", {"service": "wx79ac3de8be320b71"}, 40097, "invalid args, missing api rid: "),
        ("emulator-access-token", {"service": "wxOther", "api": "X", "data": {}}, 40097, "invalid args, the emulator"),
        (
            "emulator-access-token",
            {**SAMPLE, "data": '{"data_type":3,"img_url":"u","ocr_type":2}'},
            40097,
            "invalid args, the emulator recognises ocr_type 1",
        ),
        (
            "emulator-access-token",
            {**SAMPLE, "data": {"data_type": 3, "ocr_type": 1}},
            40097,
            "invalid args, data_type 3 needs img_url",
        ),
    ],
)
def test_wechat_errors(api_base: str, token: str | None, body: Any, errcode: int, errmsg: str) -> None:
    reply = post(api_base, "/wxa/servicemarket", body, token)
    assert reply["errcode"] == errcode and reply["errmsg"].startswith(errmsg)


def test_data_as_a_json_string_is_accepted(api_base: str, emulator: Emulator) -> None:
    body = {"service": "wx79ac3de8be320b71", "api": "OcrAllInOne",
            "data": '{"img_url":"http://x","data_type":3,"ocr_type":1}'}  # fmt: skip
    assert post(api_base, "/wxa/servicemarket", body, emulator.token)["errcode"] == 0


def test_wrong_method_bad_body_unknown_path(api_base: str, emulator: Emulator) -> None:
    get = httpx.get(api_base + "/wxa/servicemarket", params={"access_token": emulator.token})
    assert get.json()["errcode"] == 43002 and get.headers["content-type"] == "application/json; encoding=utf-8"
    bad = httpx.post(api_base + "/wxa/servicemarket", params={"access_token": emulator.token}, content=b"{not json")
    assert bad.json()["errcode"] == 47001
    assert httpx.post(api_base + "/cgi-bin/nothing").status_code == 404


def test_wrong_token_reaches_the_caller_as_node_shows_it(make_cloud: Any, mode: str) -> None:
    from .conftest import invoke

    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(accessToken="not-the-token"), mode, "serviceMarket.invokeService", SAMPLE)
    assert info.value.errCode == 40001
    prefix = "errCode: 40001  | errMsg: openapi.serviceMarket.invokeService:fail invalid credential"
    assert str(info.value).startswith(prefix)


def test_command_line_server(tmp_path: Any) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "cloud", "emulator", "--port", str(port), "--token", "tok-123"],
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                reply = post(f"http://127.0.0.1:{port}", "/wxa/servicemarket", SAMPLE | {"data": {
                    "img_url": "u", "data_type": 3, "ocr_type": 1}}, "tok-123")  # fmt: skip
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.1)
        assert reply["errcode"] == 0 and json.loads(reply["data"]) == IDCARD_RESULT
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}" in err


# --- token endpoints ---------------------------------------------------------------------------


def classic(base: str, **query: str) -> dict[str, Any]:
    from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET

    params = {"grant_type": "client_credential", "appid": EMULATOR_APPID, "secret": EMULATOR_SECRET, **query}
    return httpx.get(base + "/cgi-bin/token", params=params).json()  # type: ignore[no-any-return]


def stable(base: str, **body: Any) -> dict[str, Any]:
    from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET

    payload = {"grant_type": "client_credential", "appid": EMULATOR_APPID, "secret": EMULATOR_SECRET, **body}
    return httpx.post(base + "/cgi-bin/stable_token", json=payload).json()  # type: ignore[no-any-return]


def call_with(base: str, token: str) -> dict[str, Any]:
    return post(base, "/wxa/servicemarket", SAMPLE | {"data": {"img_url": "u", "data_type": 3, "ocr_type": 1}}, token)


def test_classic_fetch_invalidates_the_previous_token(api_base: str, emulator: Emulator) -> None:
    first = classic(api_base)
    assert first["expires_in"] == 7200 and call_with(api_base, first["access_token"])["errcode"] == 0
    second = classic(api_base)
    assert second["access_token"] != first["access_token"]
    assert call_with(api_base, first["access_token"])["errcode"] == 40001
    assert call_with(api_base, second["access_token"])["errcode"] == 0


def test_stable_normal_mode_hands_out_the_same_token(api_base: str, emulator: Emulator) -> None:
    first, again = stable(api_base), stable(api_base, force_refresh=False)
    assert first["access_token"] == again["access_token"] and first["expires_in"] == 7200
    classic(api_base)  # independent of the classic token
    assert call_with(api_base, first["access_token"])["errcode"] == 0


def test_stable_switches_to_the_next_token_five_minutes_before_expiry(api_base: str, emulator: Emulator) -> None:
    now = [1_000_000.0]
    emulator.clock = lambda: now[0]
    first = stable(api_base)
    now[0] += 7200 - 400
    assert stable(api_base) == {"access_token": first["access_token"], "expires_in": 400}
    now[0] += 150
    second = stable(api_base)
    assert second["access_token"] != first["access_token"] and second["expires_in"] == 7200
    assert call_with(api_base, first["access_token"])["errcode"] == 0  # both work until the old one expires
    now[0] += 300
    assert call_with(api_base, first["access_token"])["errcode"] == 42001


def test_force_refresh_is_limited_to_20_a_day(api_base: str, emulator: Emulator) -> None:
    seen = {stable(api_base, force_refresh=True)["access_token"] for _ in range(20)}
    assert len(seen) == 20
    assert stable(api_base, force_refresh=True)["errcode"] == 45009


@pytest.mark.parametrize(
    ("query", "errcode", "errmsg"),
    [
        ({"grant_type": "password"}, 40002, "invalid grant_type"),
        ({"appid": "wxnobody"}, 40013, "invalid appid"),
        ({"secret": "not-it"}, 40125, "invalid appsecret"),
    ],
)
def test_token_endpoints_check_credentials(api_base: str, query: dict[str, str], errcode: int, errmsg: str) -> None:
    for reply in (classic(api_base, **query), stable(api_base, **query)):
        assert reply["errcode"] == errcode and reply["errmsg"].startswith(errmsg + " rid: ")


def test_cloudrun_emulator_accepts_calls_without_a_token() -> None:
    emulator = Emulator(cloudrun=True)
    status, _, body = emulator.handle("POST", "/wxa/servicemarket", {}, json.dumps(SAMPLE | {
        "data": {"img_url": "u", "data_type": 3, "ocr_type": 1}}).encode())  # fmt: skip
    assert status == 200 and json.loads(body)["errcode"] == 0


REFERENCE = Path(__file__).parent / "data" / "documented_examples.json"
"""WeChat's documented request and reply examples, per API (as gathered from its API pages)."""


def test_every_documented_success_reply_is_what_the_emulator_answers() -> None:
    """WeChat's documented example replies (tests/data/documented_examples.json) that are successes,
    for every catalogued API that is not an image; and a plausible one for APIs whose page has none
    but whose real callers read a field (so a plain run takes their success branch)."""
    from cloud import catalog
    from cloud.emulator._replies import emulated

    reference = json.loads(REFERENCE.read_text("utf-8"))
    documented = {e["name"]: e["response_example"] for e in reference}
    asked = {e["name"]: e.get("request_example") or {} for e in reference}
    apis = catalog.load()
    checked = 0
    for name, example in documented.items():
        if name not in apis or not example or name.startswith("wxacode.") or name == "serviceMarket.invokeService":
            continue  # images, and servicemarket's own emulation (tests/test_call.py)
        errcode = example.get("errcode", 0)
        if errcode not in (0, "0", None):
            continue  # an error example: answering it would fail every call
        answered = emulated(name, asked[name])
        assert {k: v for k, v in answered.items() if k != "errcode"} == {
            k: v for k, v in example.items() if k != "errcode"
        }, name
        checked += 1
    assert checked >= 100
    fields = {"customerServiceMessage.uploadTempMedia": "media_id", "urlscheme.generate": "openlink",
              "ocr.printedText": "items", "updatableMessage.createActivityId": "activity_id",
              "officialAccount.qrcode.create": "ticket"}  # fmt: skip
    for name, field in fields.items():
        answered = emulated(name, {})
        assert answered["errcode"] == 0 and answered[field], name
