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

from ._replies import Reply, error

MCH_ID = "1900000109"
"""The emulator's sub-merchant when the order names none."""
_UNIFIED_NEEDS = ("body", "out_trade_no", "total_fee")
_STATES = {"NOTPAY": "订单未支付", "SUCCESS": "支付成功", "CLOSED": "订单已关闭", "REFUND": "订单发生过退款"}


def _sign(*parts: Any) -> str:
    return hashlib.sha256("&".join(str(p) for p in parts).encode()).hexdigest()[:32].upper()


class NotifyError(ValueError):
    """The notification cannot be sent: no such order, nowhere to send it, or an order that cannot
    be paid (closed)."""


def _fen(value: Any) -> bool:
    """Whether ``value`` is an amount WeChat Pay takes: a whole number of fen, 1 or more (JSON's
    integer; not a string, a float or a boolean)."""
    return type(value) is int and value > 0


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
    epoch: int = field(default_factory=lambda: int(time.time()))
    """The ``timeStamp`` of the first order's payment (the next ones count on from it): with the
    ids derived from the order, the same calls get the same replies after a reset (compare)."""
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
        if not _fen(p["total_fee"]):
            return _fail("PARAM_ERROR", f"total_fee参数错误: a whole number of fen, 1 or more, not {p['total_fee']!r}")
        if not isinstance(p["out_trade_no"], str) or not p["out_trade_no"]:
            return _fail("PARAM_ERROR", "out_trade_no参数错误: the merchant's order number, a string")
        order = self.orders.get(p["out_trade_no"])
        if order is None:
            order = self.orders[p["out_trade_no"]] = {
                "params": p, "trade_state": "NOTPAY",
                "prepay_id": "wx" + _sign("prepay", self.appid, p["out_trade_no"])[:30].lower(),
                "transaction_id": "4200" + str(int(_sign("transaction", p["out_trade_no"]), 16))[:24],
                "time_stamp": str(self.epoch + len(self.orders)),
            }  # fmt: skip
        elif order["params"].get("total_fee") != p["total_fee"]:
            return _fail("INVALID_REQUEST", "201 商户订单号重复")
        nonce, stamp = _sign("nonce", order["prepay_id"])[:16], order["time_stamp"]
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
        if order["trade_state"] in ("SUCCESS", "REFUND"):
            return _fail("ORDERPAID", "order paid")
        order["trade_state"] = "CLOSED"
        return _ok({"return_code": "SUCCESS", "return_msg": "OK", "result_code": "SUCCESS"})

    def _refund(self, p: dict[str, Any]) -> Reply:
        order = self._order(p)
        if order is None:
            return _fail("ORDERNOTEXIST", "order not exist")
        if order["trade_state"] not in ("SUCCESS", "REFUND"):
            return _fail("TRADE_STATE_ERROR", "订单状态错误 (the order is not paid)")
        fee, number = p.get("refund_fee"), p.get("out_refund_no")
        if not _fen(fee):
            return _fail("PARAM_ERROR", f"refund_fee参数错误: a whole number of fen, 1 or more, not {fee!r}")
        if not isinstance(number, str) or not number:
            return _fail("PARAM_ERROR", "out_refund_no参数错误: the merchant's refund number, a string")
        paid, out_trade_no = order["params"]["total_fee"], order["params"]["out_trade_no"]
        refund = self.refunds.get(number)
        if refund is not None and (refund["out_trade_no"] != out_trade_no or refund["refund_fee"] != fee):
            return _fail("INVALID_REQUEST", "同一个out_refund_no退款金额要一致 (one refund number, one refund)")
        if refund is None:
            refunded = sum(r["refund_fee"] for r in self.refunds.values() if r["out_trade_no"] == out_trade_no)
            if refunded + fee > paid:
                return _fail("INVALID_REQUEST", f"累计退款金额大于支付金额 ({refunded} of {paid} fen refunded already)")
            refund = self.refunds[number] = {
                "out_trade_no": out_trade_no, "refund_fee": fee, "out_refund_no": number,
                "refund_id": "5030" + str(int(_sign("refund", number), 16))[:24],
            }  # fmt: skip
        order["trade_state"] = "REFUND"
        shown = {"transaction_id": order["transaction_id"], "total_fee": paid}
        return _ok({"return_code": "SUCCESS", "return_msg": "OK", "result_code": "SUCCESS", **shown, **refund})

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
                  for no, o in self.orders.items() if o["trade_state"] in ("SUCCESS", "REFUND")]  # fmt: skip
        text = "\r\n".join(lines) + "\r\n"
        if p.get("tar_type") == "GZIP":
            return "application/octet-stream", gzip.compress(text.encode(), mtime=0)
        return "text/plain; charset=utf-8", text.encode()

    def paid(self, out_trade_no: str) -> dict[str, Any]:
        """Mark an order paid, as the user's payment would; its notification, with the fields of
        WeChat's documented cloud-pay callback event (camelCase). Paid again: the same notification."""
        order = self.orders.get(out_trade_no)
        if order is None:
            raise KeyError(f"no order {out_trade_no!r}: unifiedOrder made none with this out_trade_no")
        if "notification" in order:
            return dict(order["notification"])
        if order["trade_state"] == "CLOSED":
            raise NotifyError(f"the order {out_trade_no!r} is closed (closeOrder): WeChat Pay takes no payment for it")
        order["trade_state"] = "SUCCESS"
        given = order["params"]
        user = str(given.get("sub_openid") or given.get("openid") or "")
        notification = {
            "returnCode": "SUCCESS", "appid": self.appid, "mchId": MCH_ID,
            "subAppid": given.get("sub_appid", self.appid), "subMchId": given.get("sub_mch_id", MCH_ID),
            "nonceStr": secrets.token_hex(8), "resultCode": "SUCCESS",
            "openid": "oPoo" + _sign("provider", user)[:24] if user else "", "isSubscribe": "N", "subOpenid": user,
            "subIsSubscribe": "N", "tradeType": given.get("trade_type", "JSAPI"), "bankType": "OTHERS",
            "totalFee": given["total_fee"], "feeType": given.get("fee_type", "CNY"), "cashFee": given["total_fee"],
            "transactionId": order["transaction_id"], "outTradeNo": out_trade_no,
            "timeEnd": time.strftime("%Y%m%d%H%M%S"),
        }  # fmt: skip
        if "attach" in given:
            notification["attach"] = given["attach"]
        order["notification"] = notification
        return dict(notification)

    def order_params(self, out_trade_no: str) -> dict[str, Any]:
        """What ``unifiedOrder`` was given for the order (snake_case)."""
        order = self.orders.get(out_trade_no)
        if order is None:
            raise KeyError(f"no order {out_trade_no!r}: unifiedOrder made none with this out_trade_no")
        return dict(order["params"])

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
