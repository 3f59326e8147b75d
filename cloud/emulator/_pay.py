"""The emulator's cloudPay desk and open data: what Cloud Run's open-interface service answers.

Payments (``POST /_/pay/<api>``) answer ``{"errcode": 0, "errmsg": "ok", "respdata": {...}}`` with
the WeChat Pay v2 fields in snake_case; orders and refunds it took are remembered, so queryOrder
and queryRefund reflect them. ``/wxa/getopendata`` decodes the cloudIDs it issued (or that a test
registered); ``/wxa/getvoipsign`` signs with a digest of the request.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .._clock import wall
from ._replies import Reply, error

MCH_ID = "1900000109"
"""The emulator's sub-merchant when the order names none."""
_UNIFIED_NEEDS = ("body", "out_trade_no", "total_fee")
_STATES = {"NOTPAY": "订单未支付", "SUCCESS": "支付成功", "CLOSED": "订单已关闭"}


def _sign(*parts: Any) -> str:
    return hashlib.sha256("&".join(str(p) for p in parts).encode()).hexdigest()[:32].upper()


def _ok(respdata: dict[str, Any]) -> dict[str, Any]:
    return {"errcode": 0, "errmsg": "ok", "respdata": respdata}


def _fail(err_code: str, description: str) -> dict[str, Any]:
    """WeChat Pay's business failure: the call went through, the result says FAIL."""
    return _ok({"return_code": "SUCCESS", "return_msg": "OK", "result_code": "FAIL",
                "err_code": err_code, "err_code_des": description})  # fmt: skip


@dataclass
class PayDesk:
    """The orders, refunds and cloudIDs of one emulator state (reset with it)."""

    appid: str
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_data: dict[str, tuple[Any, str | None]] = field(default_factory=dict)

    def answer(self, name: str, params: dict[str, Any], query: dict[str, str]) -> Reply | None:
        """The reply to a call of the catalogued ``name`` with its JSON ``params`` (None: an open
        data or VoIP call without its fields, answered with the documented example instead)."""
        if name == "cloudbase.getOpenData":
            if "cloudid_list" not in params:
                return None
            return self._open_data(query.get("openid") or params.get("openid"), params.get("cloudid_list"))
        if name == "cloudbase.getVoIPSign":
            if any(k not in params for k in ("openid", "group_id", "timestamp", "nonce")):
                return None
            return {"errcode": 0, "errmsg": "ok", "signature": _sign(*(params[k] for k in sorted(params))).lower()}
        handler = getattr(self, "_" + name.split(".", 1)[1], None)
        return handler(params) if handler else _ok({"return_code": "SUCCESS", "result_code": "SUCCESS"})

    def _unifiedOrder(self, p: dict[str, Any]) -> Reply:  # noqa: N802 - the API's name
        missing = [k for k in _UNIFIED_NEEDS if k not in p]
        if missing:
            return _ok({"return_code": "FAIL", "return_msg": f"缺少参数{missing[0]}"})
        order = self.orders.get(p["out_trade_no"])
        if order is None:
            order = self.orders[p["out_trade_no"]] = {
                "params": p, "trade_state": "NOTPAY",
                "prepay_id": "wx" + time.strftime("%d%H%M%S") + secrets.token_hex(11),
                "transaction_id": "4200" + secrets.token_hex(12)[:24],
            }  # fmt: skip
        elif order["params"].get("total_fee") != p["total_fee"]:
            return _fail("INVALID_REQUEST", "201 商户订单号重复")
        nonce, stamp = secrets.token_hex(16), str(int(wall()))
        package = f"prepay_id={order['prepay_id']}"
        return _ok({
            "return_code": "SUCCESS", "return_msg": "OK", "appid": self.appid, "mch_id": MCH_ID,
            "sub_appid": self.appid, "sub_mch_id": p.get("sub_mch_id", MCH_ID), "nonce_str": nonce,
            "sign": _sign(order["prepay_id"], nonce), "result_code": "SUCCESS", "trade_type": "JSAPI",
            "prepay_id": order["prepay_id"],
            "payment": {"appId": self.appid, "timeStamp": stamp, "nonceStr": nonce, "package": package,
                        "signType": "MD5", "paySign": _sign(self.appid, stamp, nonce, package)},
        })  # fmt: skip

    def _order(self, p: dict[str, Any]) -> dict[str, Any] | None:
        if "out_trade_no" in p:
            return self.orders.get(p["out_trade_no"])
        return next((o for o in self.orders.values() if o["transaction_id"] == p.get("transaction_id")), None)

    def _queryOrder(self, p: dict[str, Any]) -> Reply:  # noqa: N802
        order = self._order(p)
        if order is None:
            return _fail("ORDERNOTEXIST", "order not exist")
        given = order["params"]
        return _ok({
            "return_code": "SUCCESS", "return_msg": "OK", "result_code": "SUCCESS", "appid": self.appid,
            "mch_id": MCH_ID, "sub_mch_id": given.get("sub_mch_id", MCH_ID), "openid": given.get("openid", ""),
            "trade_type": "JSAPI", "trade_state": order["trade_state"], "total_fee": given["total_fee"],
            "out_trade_no": given["out_trade_no"], "transaction_id": order["transaction_id"],
            "trade_state_desc": _STATES[order["trade_state"]],
        })  # fmt: skip

    def _closeOrder(self, p: dict[str, Any]) -> Reply:  # noqa: N802
        order = self._order(p)
        if order is None:
            return _fail("ORDERNOTEXIST", "order not exist")
        if order["trade_state"] == "SUCCESS":
            return _fail("ORDERPAID", "order paid")
        order["trade_state"] = "CLOSED"
        return _ok({"return_code": "SUCCESS", "return_msg": "OK", "result_code": "SUCCESS"})

    def _refund(self, p: dict[str, Any]) -> Reply:
        order = self._order(p)
        if order is None:
            return _fail("ORDERNOTEXIST", "order not exist")
        if order["trade_state"] != "SUCCESS":
            return _fail("TRADE_STATE_ERROR", "订单状态错误 (the order is not paid)")
        if not isinstance(p.get("refund_fee"), int) or p["refund_fee"] > order["params"]["total_fee"]:
            return _fail("INVALID_REQUEST", "refund_fee is missing or over total_fee")
        refund = self.refunds.setdefault(p.get("out_refund_no", ""), {
            "out_trade_no": order["params"]["out_trade_no"], "refund_fee": p["refund_fee"],
            "refund_id": "5030" + secrets.token_hex(12)[:24], "out_refund_no": p.get("out_refund_no", ""),
        })  # fmt: skip
        paid = {"transaction_id": order["transaction_id"], "total_fee": order["params"]["total_fee"]}
        return _ok({"return_code": "SUCCESS", "return_msg": "OK", "result_code": "SUCCESS", **paid, **refund})

    def _queryRefund(self, p: dict[str, Any]) -> Reply:  # noqa: N802
        order = self._order(p) if "out_refund_no" not in p else self.orders.get(
            self.refunds.get(p["out_refund_no"], {}).get("out_trade_no", ""))  # fmt: skip
        found = [r for r in self.refunds.values() if order and r["out_trade_no"] == order["params"]["out_trade_no"]]
        if not found:
            return _fail("REFUNDNOTEXIST", "not exist")
        reply: dict[str, Any] = {"return_code": "SUCCESS", "result_code": "SUCCESS", "refund_count": len(found),
                                 "out_trade_no": found[0]["out_trade_no"]}  # fmt: skip
        for i, refund in enumerate(found):
            reply.update({f"out_refund_no_{i}": refund["out_refund_no"], f"refund_id_{i}": refund["refund_id"],
                          f"refund_fee_{i}": refund["refund_fee"], f"refund_status_{i}": "SUCCESS"})  # fmt: skip
        return _ok(reply)

    def _downloadBill(self, p: dict[str, Any]) -> Reply:  # noqa: N802
        lines = ["交易时间,公众账号ID,商户号,商户订单号,总金额"]
        lines += [f"`{p.get('bill_date', '')},`{self.appid},`{MCH_ID},`{no},`{o['params']['total_fee'] / 100:.2f}"
                  for no, o in self.orders.items() if o["trade_state"] == "SUCCESS"]  # fmt: skip
        text = "\r\n".join(lines) + "\r\n"
        if p.get("tar_type") == "GZIP":
            return "application/octet-stream", gzip.compress(text.encode(), mtime=0)
        return "text/plain; charset=utf-8", text.encode()

    def paid(self, out_trade_no: str) -> dict[str, Any]:
        """Mark an order paid, as the user's payment would; its notification fields (camelCase)."""
        order = self.orders[out_trade_no]
        order["trade_state"] = "SUCCESS"
        given = order["params"]
        return {"returnCode": "SUCCESS", "resultCode": "SUCCESS", "appid": self.appid, "mchId": MCH_ID,
                "subMchId": given.get("sub_mch_id", MCH_ID), "openid": given.get("openid", ""),
                "outTradeNo": out_trade_no, "transactionId": order["transaction_id"],
                "totalFee": given["total_fee"], "tradeType": "JSAPI",
                "timeEnd": time.strftime("%Y%m%d%H%M%S")}  # fmt: skip

    def _open_data(self, openid: Any, cloud_ids: Any) -> Reply:
        if not isinstance(cloud_ids, list) or not openid:
            return error(40097, "invalid args: openid and cloudid_list are required")
        items = []
        for cloud_id in cloud_ids:
            known = self.open_data.get(cloud_id)
            if known is None or (known[1] is not None and known[1] != openid):
                return error(40097, f"invalid args: cloudID {str(cloud_id)[:64]} was not issued to this user")
            items.append({"cloud_id": cloud_id,
                          "json": json.dumps({"cloudID": cloud_id, "data": known[0]}, ensure_ascii=False)})  # fmt: skip
        return {"errcode": 0, "errmsg": "ok", "data_list": items}
