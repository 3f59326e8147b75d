"""cloudPay, getOpenData, getVoIPSign: our results and errors against the real wx-server-sdk 4.0.2.

Each case gives WeChat's answer twice, in the form each side receives it: Node's transport hands
the SDK the pay reply's bytes (``respdata``) or a svrkit response; Cloud Run's service gives us
``{errcode, errmsg, respdata}`` or the open-data JSON. Both must give the same result or error
(deliberate differences, listed in the README, are asserted as such).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import Emulator, Scripted

from . import node_sdk

RESP = {"return_code": "SUCCESS", "return_msg": "OK", "appid": "wxa", "mch_id": "1900000109",
        "result_code": "SUCCESS", "trade_type": "JSAPI", "prepay_id": "wx201410272009395522657a690389285100",
        "nonce_str": "n1",
        "payment": {"appId": "wxa", "timeStamp": "1414488825", "nonceStr": "n1",
                    "package": "prepay_id=wx201410272009395522657a690389285100", "signType": "MD5",
                    "paySign": "S"}}  # fmt: skip
ORDER = {"body": "tea", "outTradeNo": "T1", "totalFee": 1, "subMchId": "1900000109", "envId": "e",
         "callbackType": 2, "container": {"service": "pay", "path": "/notify"},
         "spbillCreateIp": "127.0.0.1"}  # fmt: skip
FAILED = {
    "return_code": "SUCCESS",
    "result_code": "FAIL",
    "err_code": "ORDERNOTEXIST",
    "err_code_des": "order not exist",
}
OPEN = [{"cloud_id": "c1", "json": '{"cloudID":"c1","data":{"phoneNumber":"138","country_code":"86"}}'},
        {"cloud_id": "c2", "json": '{"cloudID":"c2","data":{"stepInfoList":[{"timestamp":1,"step":2}]}}'}]  # fmt: skip
NOARG: Any = object()


def _json(data: Any) -> Scripted:
    return Scripted(body=data)


# id: (root, api, params, Node's reply, our reply)
CASES: dict[str, tuple[str, str, Any, dict[str, Any] | None, Scripted | None]] = {
    "pay-ok": ("cloudPay", "unifiedOrder", ORDER, {"body": json.dumps(RESP)},
               _json({"errcode": 0, "errmsg": "ok", "respdata": RESP})),
    "pay-business-fail": ("cloudPay", "queryOrder", {"outTradeNo": "x"}, {"body": json.dumps(FAILED)},
                          _json({"errcode": 0, "errmsg": "ok", "respdata": FAILED})),
    "pay-no-params": ("cloudPay", "refund", NOARG, None, None),
    "bill-text": ("cloudPay", "downloadBill", {"billDate": "20240101"}, {"body": "a,b\r\n`1,`2\r\n"},
                  Scripted(body="a,b\r\n`1,`2\r\n", content_type="text/plain")),
    "bill-gzip": ("cloudPay", "downloadBill", {"billDate": "20240101", "tarType": "GZIP"},
                  {"body": {"$bytes": base64.b64encode(b"\x1f\x8b\x08\x00zz").decode()}},
                  Scripted(body=b"\x1f\x8b\x08\x00zz", content_type="application/octet-stream")),
    "pay-not-json": ("cloudPay", "refund", {"outTradeNo": "x"}, {"body": "hello"},
                     Scripted(body="hello", content_type="text/plain")),
    "open-ok": ("getOpenData", "", {"list": ["c1", "c2"]},
                {"svrkit": {"dataList": [{"cloudId": i["cloud_id"], "json": i["json"]} for i in OPEN]}},
                _json({"errcode": 0, "errmsg": "ok", "data_list": OPEN})),
    "open-empty": ("getOpenData", "", {"list": []}, {"svrkit": {"dataList": []}},
                   _json({"errcode": 0, "errmsg": "ok", "data_list": []})),
    "open-no-list": ("getOpenData", "", {"cloudIDs": ["c1"]}, None, None),
    "open-text": ("getOpenData", "", "c1", None, None),
    "open-no-arg": ("getOpenData", "", NOARG, None, None),
    "open-null": ("getOpenData", "", None, None, None),
    "open-empty-json": ("getOpenData", "", {"list": ["c9"]}, {"svrkit": {"dataList": [{"cloudId": "c9", "json": ""}]}},
                        _json({"errcode": 0, "errmsg": "ok", "data_list": [{"cloud_id": "c9", "json": ""}]})),
    "voip-ok": ("getVoIPSign", "", {"groupId": "g1", "timestamp": 1700000000, "nonce": "n"},
                {"svrkit": {"signature": "abc123"}}, _json({"errcode": 0, "errmsg": "ok", "signature": "abc123"})),
    "voip-types": ("getVoIPSign", "", {"groupId": 5, "timestamp": "1", "nonce": None}, None, None),
    "voip-missing": ("getVoIPSign", "", {"groupId": "g"}, None, None),
    "voip-array": ("getVoIPSign", "", [1], None, None),
    "voip-no-arg": ("getVoIPSign", "", NOARG, None, None),
}  # fmt: skip


@pytest.fixture(scope="module")
def node() -> dict[str, dict[str, Any]]:
    cases = []
    for case_id, (root, api, params, reply, _) in CASES.items():
        case: dict[str, Any] = {"id": case_id, "root": root, "path": api.split(".") if api else []}
        if params is not NOARG:
            case["args"] = [params]
        if reply is not None:
            case["reply"] = reply
        cases.append(case)
    return {outcome["id"]: outcome for outcome in node_sdk.run(cases)}


def ours(cloud: Cloud, mode: str, root: str, api: str, params: Any) -> Any:
    target: Any = getattr(cloud if mode == "async" else cloud.sync, root)
    if api:
        target = getattr(target, api)
    args = () if params is NOARG else (params,)
    if mode == "sync":
        return target(*args)

    async def run() -> Any:
        return await target(*args)

    return asyncio.run(run())


@pytest.mark.parametrize("case_id", list(CASES))
def test_same_as_node(
    case_id: str,
    node: dict[str, dict[str, Any]],
    make_cloud: Callable[..., Cloud],
    emulator: Emulator,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, api, params, _, reply = CASES[case_id]
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")
    monkeypatch.setenv("WX_OPENID", "o-caller")
    if reply is not None:
        emulator.enqueue(reply)
    expected = node[case_id]
    try:
        result = ours(make_cloud(), mode, root, api, params)
    except CloudSDKError as err:
        assert "error" in expected, f"Node resolved {expected.get('result')}, we raised {err!r}"
        _same_error(case_id, err, expected["error"])
        return
    assert "error" not in expected, f"Node rejected with {expected['error']}, we resolved {result}"
    assert node_sdk.plain(result) == expected["result"]
    assert list(result) == list(expected["result"])  # key order too
    _same_request(emulator, expected["sent"])


def _same_error(case_id: str, err: CloudSDKError, expected: dict[str, Any]) -> None:
    if case_id == "pay-not-json":  # README: cloudPay failures carry "cloudPay." in errMsg
        assert (err.errCode, err.errMsg) == (expected["errCode"], "cloudPay." + expected["errMsg"])
    elif case_id == "pay-no-params":  # README: Node's TypeError text, our own
        assert (err.errCode, expected["errCode"]) == (-1, -1)
        assert err.errMsg == "cloudPay.refund:fail params must be an object"
        assert expected["errMsg"].startswith("cloudPay.refund:fail ")
    else:
        assert (err.errCode, err.errMsg, str(err)) == (expected["errCode"], expected["errMsg"], expected["message"])


def _same_request(emulator: Emulator, sent: dict[str, Any]) -> None:
    request = emulator.requests[-1]
    body = json.loads(request.body)
    if "pay" in sent:
        assert body == json.loads(sent["pay"])
    elif "cloudidList" in sent["svrkit"]:
        assert (body, request.query["openid"]) == ({"cloudid_list": sent["svrkit"]["cloudidList"]}, "o-caller")
    else:
        svrkit = sent["svrkit"]
        assert body == {"openid": "o-caller", "group_id": svrkit["groupId"], "timestamp": svrkit["timestamp"],
                        "nonce": svrkit["nonce"]}  # fmt: skip


def test_wechat_errors_are_wechats_own(node: dict[str, dict[str, Any]], make_cloud: Callable[..., Cloud],
                                       emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """README: over HTTP we raise WeChat's errcode and errmsg where Node's svrkit channel says -601001."""
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")
    monkeypatch.setenv("WX_OPENID", "o-caller")
    emulator.enqueue(_json({"errcode": 40097, "errmsg": "invalid args"}))
    with pytest.raises(CloudSDKError) as caught:
        make_cloud().sync.getOpenData({"list": ["c1"]})
    assert (caught.value.errCode, caught.value.errMsg) == (40097, "getOpenData:fail invalid args")
    outcome = node_sdk.run([{"id": "e", "root": "getOpenData", "path": [], "args": [{"list": ["c1"]}],
                             "reply": {"svrkitErrorCode": 40097}}])[0]  # fmt: skip
    assert outcome["error"]["errMsg"] == "getOpenData:fail -601001 system error. internal svrkit error, code 40097"


def test_every_export_of_the_node_package_exists() -> None:
    import cloud
    import cloud.sync

    names = node_sdk.run([{"id": "x", "op": "exports"}])[0]["result"]
    assert "cloudPay" in names and "logger" in names
    for name in names:
        assert hasattr(cloud, name), name
        assert hasattr(cloud.sync, name), name
    for name in ("logger", "ai", "callOpenAPI"):
        with pytest.raises(CloudSDKError) as caught:
            getattr(cloud.sync, name)()
        assert caught.value.errMsg.startswith(f"{name}:fail cloud.{name} is not built")
