"""The emulator answers like WeChat, in-process and over HTTP (including its command line)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from cloud import CloudSDKError
from cloud.emulator import Emulator
from cloud.emulator.servicemarket import IDCARD_RESULT
from cloud.instance import Cloud

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
