"""cloud.cloudPay, cloud.getOpenData and cloud.getVoIPSign, over real HTTP to the emulator."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable
from typing import Any

import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import Emulator, Scripted, serve

ORDER = {"body": "a cup of tea", "outTradeNo": "T1001", "spbillCreateIp": "127.0.0.1", "subMchId": "1900000109",
         "totalFee": 1, "envId": "prod-1", "functionName": "pay_cb", "openid": "o-user"}  # fmt: skip


def call(target: Cloud, mode: str, path: str, params: Any = None) -> Any:
    """``cloud.<path>(params)`` through the async or the blocking API."""
    node: Any = target if mode == "async" else target.sync
    for part in path.split("."):
        node = getattr(node, part)
    if mode == "sync":
        return node(params)

    async def run() -> Any:
        return await node(params)

    return asyncio.run(run())


def test_a_payment_round_trip(make_cloud: Callable[..., Cloud], emulator: Emulator, mode: str) -> None:
    c = make_cloud()
    made = call(c, mode, "cloudPay.unifiedOrder", ORDER)
    assert made["returnCode"] == "SUCCESS" and made["prepayId"].startswith("wx")
    assert made["payment"]["package"] == f"prepay_id={made['prepayId']}"
    assert list(made)[-2:] == ["errCode", "errMsg"] and made["errMsg"] == "cloudPay.unifiedOrder:ok"
    sent = emulator.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/_/pay/unifiedOrder")
    assert json.loads(sent.body)["out_trade_no"] == "T1001" and json.loads(sent.body)["spbill_create_ip"]
    assert call(c, mode, "cloudPay.queryOrder", {"outTradeNo": "T1001"})["tradeState"] == "NOTPAY"
    assert emulator.requests[-1].path == "/_/pay/queryorder"
    emulator.pay_order("T1001")
    assert call(c, mode, "cloudPay.queryOrder", {"outTradeNo": "T1001"})["tradeState"] == "SUCCESS"
    refund = call(
        c, mode, "cloudPay.refund", {"outTradeNo": "T1001", "outRefundNo": "R1", "totalFee": 1, "refundFee": 1}
    )
    assert refund["resultCode"] == "SUCCESS" and refund["refundId"]
    assert call(c, mode, "cloudPay.queryRefund", {"outRefundNo": "R1"})["refundStatus_0"] == "SUCCESS"
    unknown = call(c, mode, "cloudPay.queryOrder", {"outTradeNo": "nope"})  # WeChat Pay's FAIL is a result, as in Node
    assert (unknown["resultCode"], unknown["errCode"]) == ("FAIL", 0)


def test_download_bill_text_or_gzip_bytes(make_cloud: Callable[..., Cloud], emulator: Emulator, mode: str) -> None:
    c = make_cloud()
    call(c, mode, "cloudPay.unifiedOrder", ORDER)
    emulator.pay_order("T1001")
    text = call(c, mode, "cloudPay.downloadBill", {"billDate": "20240101", "billType": "ALL"})
    assert isinstance(text["data"], str) and "`T1001" in text["data"]
    packed = call(c, mode, "cloudPay.downloadBill", {"billDate": "20240101", "tarType": "GZIP"})
    assert gzip.decompress(packed["data"]).decode() == text["data"]


def test_the_service_errcode_decides(make_cloud: Callable[..., Cloud], emulator: Emulator, mode: str) -> None:
    emulator.stub("cloudPay.refund", Scripted(body={"errcode": 40097, "errmsg": "invalid args"}))
    with pytest.raises(CloudSDKError) as caught:
        call(make_cloud(), mode, "cloudPay.refund", {"outTradeNo": "T1"})
    assert (caught.value.errCode, caught.value.errMsg) == (40097, "cloudPay.refund:fail invalid args")


def test_payments_are_never_retried_queries_are(make_cloud: Callable[..., Cloud], emulator: Emulator) -> None:
    c = make_cloud()
    emulator.enqueue(Scripted(status=502, body="bad gateway", content_type="text/html"))
    with pytest.raises(CloudSDKError):
        c.sync.cloudPay.unifiedOrder(ORDER)
    assert len(emulator.requests) == 1
    emulator.enqueue(Scripted(status=502, body="bad gateway", content_type="text/html"))
    assert c.sync.cloudPay.queryOrder({"outTradeNo": "T1001"})["errCode"] == 0
    assert len(emulator.requests) == 3


def test_plain_access_tokens_cannot_pay_and_no_request_is_made(mode: str) -> None:
    c = Cloud()
    c.init(accessToken="real-token-123", apiBase="https://api.weixin.qq.com")
    with pytest.raises(CloudSDKError) as caught:
        call(c, mode, "cloudPay.unifiedOrder", ORDER)
    assert caught.value.errCode == -1 and "cloudrun" in caught.value.errMsg and "emulator" in caught.value.errMsg
    assert "real-token-123" not in str(caught.value)


def test_on_cloud_run_no_token_is_sent(mode: str) -> None:
    emulator = Emulator(cloudrun=True)
    with serve(emulator) as base:
        c = Cloud()
        c.init(tokenMode="cloudrun", apiBase=base)
        assert call(c, mode, "cloudPay.closeOrder", {"outTradeNo": "x"})["errMsg"] == "cloudPay.closeOrder:ok"
        c.close()
    assert emulator.requests[-1].path == "/_/pay/closeorder" and emulator.requests[-1].query == {}


def test_bad_pay_params_fail_before_any_io(make_cloud: Callable[..., Cloud], emulator: Emulator, mode: str) -> None:
    c = make_cloud()
    for params, code in ((None, -1), ("abc", -501007), ({"when": float("nan")}, -501007)):
        with pytest.raises(CloudSDKError) as caught:
            call(c, mode, "cloudPay.refund", params)
        assert caught.value.errCode == code and caught.value.errMsg.startswith("cloudPay.refund:fail ")
    assert emulator.requests == []


@pytest.fixture
def caller(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID,WX_APPID")
    monkeypatch.setenv("WX_OPENID", "o-caller")
    return "o-caller"


def test_get_open_data(make_cloud: Callable[..., Cloud], emulator: Emulator, caller: str, mode: str) -> None:
    phone = emulator.issue_cloud_id({"phoneNumber": "13800000000", "countryCode": "86"}, caller)
    emulator.register_cloud_id("werun-1", {"stepInfoList": [{"step": 100}]})
    result = call(make_cloud(), mode, "getOpenData", {"list": [phone, "werun-1"]})
    assert result == {"list": [{"cloudID": phone, "data": {"phoneNumber": "13800000000", "countryCode": "86"}},
                               {"cloudID": "werun-1", "data": {"stepInfoList": [{"step": 100}]}}],
                      "errMsg": "getOpenData:ok", "errCode": 0}  # fmt: skip
    sent = emulator.requests[-1]
    assert (sent.path, sent.query["openid"], json.loads(sent.body)) == (
        "/wxa/getopendata", caller, {"cloudid_list": [phone, "werun-1"]})  # fmt: skip


def test_get_open_data_checks_first(make_cloud: Callable[..., Cloud], emulator: Emulator, mode: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    c = make_cloud()
    with pytest.raises(CloudSDKError) as caught:
        call(c, mode, "getOpenData", {"cloudIDs": ["x"]})
    assert (caught.value.errCode, caught.value.errMsg) == (-1, "getOpenData:fail list must be provided")
    with pytest.raises(CloudSDKError) as caught:
        call(c, mode, "getOpenData", {"list": ["x"]})
    assert "no OPENID" in caught.value.errMsg
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")
    monkeypatch.setenv("WX_OPENID", "o-other")
    with pytest.raises(CloudSDKError) as caught:
        call(c, mode, "getOpenData", {"list": [emulator.issue_cloud_id({"a": 1}, "o-owner")]})
    assert caught.value.errCode == 40097  # a cloudID is the user's own
    assert [r.path for r in emulator.requests] == ["/wxa/getopendata"]


def test_get_voip_sign(make_cloud: Callable[..., Cloud], emulator: Emulator, caller: str, mode: str) -> None:
    c = make_cloud()
    result = call(c, mode, "getVoIPSign", {"groupId": "room-1", "timestamp": 1700000000, "nonce": "n1"})
    assert set(result) == {"signature", "errMsg", "errCode"} and result["errMsg"] == "getVoIPSign:ok"
    assert json.loads(emulator.requests[-1].body) == {"openid": caller, "group_id": "room-1",
                                                      "timestamp": 1700000000, "nonce": "n1"}  # fmt: skip
    with pytest.raises(CloudSDKError) as caught:
        call(c, mode, "getVoIPSign", {"groupId": 1, "nonce": "n"})
    assert caught.value.errMsg == (
        "parameter.groupId should be string instead of number;"
        "parameter.timestamp should be number instead of undefined;"
    )
    assert len(emulator.requests) == 1


def test_module_level_surface() -> None:
    import cloud.sync

    for name in ("cloudPay", "getOpenData", "getVoIPSign"):
        assert getattr(cloud, name) is getattr(cloud._default, name)
        assert getattr(cloud.sync, name) is getattr(cloud._default.sync, name)


def test_typed_stubs_for_the_documented_pay_apis() -> None:
    from cloud import _apis

    documented = {"unifiedOrder", "queryOrder", "closeOrder", "refund", "queryRefund", "downloadBill",
                  "downloadFundFlow", "profitSharing", "profitSharingQuery", "profitSharingFinish",
                  "profitSharingAddReceiver", "profitSharingRemoveReceiver", "profitSharingReturn"}  # fmt: skip
    assert documented <= set(vars(_apis.CloudPay))
    assert "queryrefund" in (_apis.CloudPay.queryRefund.__doc__ or "")


# WeChat Cloud Run's list of pay APIs (development/pay/index.md: order and profit-sharing sections).
DOCUMENTED_PAY_PATHS = {
    "unifiedOrder", "queryorder", "closeorder", "downloadbill", "refund", "queryrefund",
    "profitsharingaddreceiver", "profitsharingremovereceiver", "profitsharing", "multiprofitsharing",
    "profitsharingfinish", "profitsharingquery", "profitsharingreturn", "profitsharingreturnquery",
}  # fmt: skip


def test_the_catalogued_pay_paths_are_the_documented_ones_and_the_rest_say_why_not() -> None:
    from cloud import catalog

    entries = catalog._data()["cloudpay"]
    documented = {name for name, e in entries.items() if e["path"].removeprefix("/_/pay/") in DOCUMENTED_PAY_PATHS}
    assert {e["path"].removeprefix("/_/pay/") for n, e in entries.items() if n in documented} == DOCUMENTED_PAY_PATHS
    for name, entry in entries.items():
        assert entry.get("path_guessed", False) is (name not in documented), name
        assert ("path_note" in entry) is (name not in documented), name
    assert sorted(set(entries) - documented) == ["downloadFundFlow", "profitSharingOrderAmountQuery"]
