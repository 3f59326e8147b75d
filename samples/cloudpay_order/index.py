"""Take a payment, refund it, check the refund: ported from index.js (TCloudBase/WXAPP-PAY,
cloudfunctions/do_pay, refund_pay and queryRefund_pay, as one function with an ``action``).

The original keeps its orders in the cloud database; the port keeps them in a JSON file
(``PAY_ORDERS_FILE``, else ``cloudpay_order.json`` in the temporary folder), which a test can read.
WeChat Pay's result goes to the cloud function ``back_pay`` (the folder beside this file)."""

import json
import os
import tempfile
from pathlib import Path

import cloud

cloud.init()

SUB_MCH_ID = "1900000109"  # the merchant bound to the environment (key.json in the original)


def orders_file():
    return Path(os.environ.get("PAY_ORDERS_FILE") or Path(tempfile.gettempdir()) / "cloudpay_order.json")


def load():
    return json.loads(orders_file().read_text("utf-8")) if orders_file().is_file() else {}


def save(orders):
    orders_file().write_text(json.dumps(orders, ensure_ascii=False, indent=1), "utf-8")


async def pay(event):
    """An order for 0.01 yuan; the mini program passes ``pay`` to ``wx.requestPayment``."""
    out_trade_no = event.get("outTradeNo") or "2024TCBPAY000000000000000000001"
    res = await cloud.cloudPay.unifiedOrder(
        {
            "body": "WeChat Pay test order",
            "outTradeNo": out_trade_no,
            "spbillCreateIp": "127.0.0.1",
            "subMchId": SUB_MCH_ID,
            "totalFee": 1,
            "envId": "work-01",
            "functionName": "back_pay",
            "tradeType": "JSAPI",
        }
    )
    if res.get("resultCode") != "SUCCESS":
        return {"code": 1, "returnMsg": res.get("returnMsg")}
    orders = load()
    orders[out_trade_no] = {"payment": res["payment"], "type": "NOTPAY"}
    save(orders)
    return {"code": 0, "uuid": out_trade_no, "pay": res["payment"]}


async def refund(event):
    """The whole amount back, then the order's state as WeChat Pay now reports it."""
    out_trade_no = event.get("outTradeNo")
    res = await cloud.cloudPay.refund(
        {
            "sub_mch_id": SUB_MCH_ID,
            "out_trade_no": out_trade_no,
            "out_refund_no": f"TK-{out_trade_no}",
            "total_fee": 1,
            "refund_fee": 1,
        }
    )
    if res.get("resultCode") != "SUCCESS":
        return {"code": 1, "pay": res.get("returnMsg")}
    change = {"refund": res}
    state = await cloud.cloudPay.queryOrder({"sub_mch_id": SUB_MCH_ID, "out_trade_no": out_trade_no})
    if state.get("resultCode") == "SUCCESS":
        change["type"] = state["tradeState"]
    orders = load()
    orders[out_trade_no] = {**orders.get(out_trade_no, {}), **change}
    save(orders)
    return {"code": 0}


async def query_refund(event):
    out_trade_no = event.get("outTradeNo")
    res = await cloud.cloudPay.queryRefund({"sub_mch_id": SUB_MCH_ID, "out_refund_no": f"TK-{out_trade_no}"})
    if res.get("resultCode") != "SUCCESS":
        return {"code": 1, "pay": res.get("returnMsg")}
    orders = load()
    orders[out_trade_no] = {**orders.get(out_trade_no, {}), "refundtype": "SUCCESS"}
    save(orders)
    return {"code": 0, "pay": res}


async def main(event, context):
    action = event.get("action") or "pay"
    if action == "pay":
        return await pay(event)
    if action == "refund":
        return await refund(event)
    if action == "queryRefund":
        return await query_refund(event)
    return {"code": 1, "returnMsg": f"unknown action {action}"}
