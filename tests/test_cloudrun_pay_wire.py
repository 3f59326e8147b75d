"""On WeChat Cloud Run, ``cloud.cloudPay``, ``cloud.getOpenData`` and ``cloud.getVoIPSign`` as a
proxy on the wire sees them: a real HTTP server on 127.0.0.1 stands in for
``http://api.weixin.qq.com`` (through ``HTTP_PROXY``) and records method, URL, headers and body.
The documented forms (WeChat Cloud Run: development/pay/order/unified, development/weixin):
plain http, no token anywhere, JSON bodies in snake_case, ``?openid=`` for open data, and
``?from_appid=`` for a call on behalf of another account (resource reuse)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_APPID, Emulator, serve

from .test_cloudrun import Proxy, reply, serving_proxy

RESPDATA = {"return_code": "SUCCESS", "return_msg": "OK", "result_code": "SUCCESS", "prepay_id": "wx2021",
            "payment": {"appId": "wxa", "timeStamp": "1647841885", "nonceStr": "n", "package": "prepay_id=wx2021",
                        "signType": "MD5", "paySign": "S"}}  # fmt: skip
REPLIES = {
    "/_/pay/unifiedOrder": {"errcode": 0, "errmsg": "ok", "respdata": RESPDATA},
    "/_/pay/queryorder": {"errcode": 0, "errmsg": "ok",
                          "respdata": {"result_code": "SUCCESS", "trade_state": "SUCCESS"}},
    "/wxa/getopendata": {"errcode": 0, "errmsg": "ok",
                         "data_list": [{"cloud_id": "c1", "json": '{"cloudID":"c1","data":{"phoneNumber":"138"}}'}]},
    "/wxa/getvoipsign": {"errcode": 0, "errmsg": "ok", "signature": "f00d"},
}  # fmt: skip


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    """The proxy, answering the documented replies, inside a Cloud Run container for a caller."""
    with serving_proxy(monkeypatch) as made:
        made.replies.update({path: reply(200, body) for path, body in REPLIES.items()})
        monkeypatch.setenv("CBR_ENV_ID", "prod-66733tes755tabc")  # inside a Cloud Run container
        monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")  # the request's X-WX-OPENID
        monkeypatch.setenv("WX_OPENID", "oZp5njTTsWaCeEoXi14oeOVCKlik")
        yield made


def call(mode: str, path: str, params: Any, options: dict[str, Any] | None = None) -> Any:
    c = Cloud()
    c.init()  # nothing configured: Cloud Run is detected from CBR_ENV_ID
    root: Any = c if mode == "async" else c.sync
    first, _, rest = path.partition(".")
    target = getattr(root, first)
    if options is not None:
        target = target(options)
    if rest:
        target = getattr(target, rest)
    try:
        if mode == "sync":
            return target(params)

        async def run() -> Any:
            return await target(params)

        return asyncio.run(run())
    finally:
        c.close()


def only(wire: Proxy) -> dict[str, Any]:
    assert len(wire.seen) == 1, wire.seen
    sent = wire.seen[0]
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    assert headers["content-type"] == "application/json"  # the service needs it (else 302/400)
    assert headers["host"] == "api.weixin.qq.com"
    assert not any("token" in k or k == "authorization" for k in headers), headers
    assert "token" not in sent["url"]
    return {**sent, "body": json.loads(sent["body"])}


ORDER = {"body": "测试微信支付", "openid": "oZp5njTTsWaCeEoXi14oeOVCKlik", "outTradeNo": "2021WERUN1647840687637",
         "spbillCreateIp": "59.37.125.120", "envId": "prod-66733tes755tabc", "subMchId": "1712734762",
         "totalFee": 1, "callbackType": 2, "container": {"service": "pay", "path": "/"}}  # fmt: skip


def test_unified_order_is_the_documented_post(wire: Proxy, mode: str) -> None:
    result = call(mode, "cloudPay.unifiedOrder", ORDER)
    assert result["payment"]["package"] == "prepay_id=wx2021" and result["errMsg"] == "cloudPay.unifiedOrder:ok"
    sent = only(wire)
    assert (sent["method"], sent["url"]) == ("POST", "http://api.weixin.qq.com/_/pay/unifiedOrder")
    assert sent["body"] == {  # the documented example's request, key for key
        "body": "测试微信支付", "openid": "oZp5njTTsWaCeEoXi14oeOVCKlik", "out_trade_no": "2021WERUN1647840687637",
        "spbill_create_ip": "59.37.125.120", "env_id": "prod-66733tes755tabc", "sub_mch_id": "1712734762",
        "total_fee": 1, "callback_type": 2, "container": {"service": "pay", "path": "/"},
    }  # fmt: skip


def test_cloud_pay_on_behalf_of_another_account_sends_from_appid(wire: Proxy, mode: str) -> None:
    result = call(mode, "cloudPay.queryOrder", {"outTradeNo": "T1", "subMchId": "1712734762"},
                  options={"appid": "wxb0b0b0b0b0b0b0b0"})  # fmt: skip
    assert result["tradeState"] == "SUCCESS"
    sent = only(wire)
    assert sent["url"] == "http://api.weixin.qq.com/_/pay/queryorder?from_appid=wxb0b0b0b0b0b0b0b0"
    assert sent["body"] == {"out_trade_no": "T1", "sub_mch_id": "1712734762"}


def test_open_data_carries_the_callers_openid_in_the_query(wire: Proxy, mode: str) -> None:
    result = call(mode, "getOpenData", {"list": ["c1"]})
    assert result == {"list": [{"cloudID": "c1", "data": {"phoneNumber": "138"}}], "errMsg": "getOpenData:ok",
                      "errCode": 0}  # fmt: skip
    sent = only(wire)
    assert sent["url"] == "http://api.weixin.qq.com/wxa/getopendata?openid=oZp5njTTsWaCeEoXi14oeOVCKlik"
    assert sent["body"] == {"cloudid_list": ["c1"]}


def test_voip_sign_is_a_json_post_with_the_callers_openid(wire: Proxy, mode: str) -> None:
    result = call(mode, "getVoIPSign", {"groupId": "g1", "timestamp": 1700000000, "nonce": "n1"})
    assert result == {"signature": "f00d", "errMsg": "getVoIPSign:ok", "errCode": 0}
    sent = only(wire)
    assert sent["url"] == "http://api.weixin.qq.com/wxa/getvoipsign"
    assert sent["body"] == {"openid": "oZp5njTTsWaCeEoXi14oeOVCKlik", "group_id": "g1", "timestamp": 1700000000,
                            "nonce": "n1"}  # fmt: skip


def test_a_payment_is_sent_once_even_when_the_service_fails(wire: Proxy, mode: str) -> None:
    wire.replies["/_/pay/refund"] = reply(200, {"errcode": -1, "errmsg": "system error"})
    with pytest.raises(CloudSDKError) as caught:
        call(mode, "cloudPay.refund", {"outTradeNo": "T1", "outRefundNo": "R1", "totalFee": 1, "refundFee": 1})
    assert caught.value.errMsg.startswith("cloudPay.refund:fail system error")
    assert [s["url"] for s in wire.seen] == ["http://api.weixin.qq.com/_/pay/refund"]


def test_the_emulated_service_refuses_from_appid_of_an_account_it_does_not_serve() -> None:
    emulator = Emulator(cloudrun=True)
    with serve(emulator) as base:
        c = Cloud()
        c.init(tokenMode="cloudrun", apiBase=base)
        try:
            assert c.sync.cloudPay({"appid": EMULATOR_APPID}).closeOrder({"outTradeNo": "x"})["errCode"] == 0
            with pytest.raises(CloudSDKError) as caught:
                c.sync.cloudPay({"appid": "wxffffffffffffffff"}).closeOrder({"outTradeNo": "x"})
        finally:
            c.close()
    assert caught.value.errCode == 48001 and "from_appid" in caught.value.errMsg
    assert [r.query for r in emulator.requests] == [{"from_appid": EMULATOR_APPID},
                                                    {"from_appid": "wxffffffffffffffff"}]  # fmt: skip
