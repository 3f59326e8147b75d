"""Take a payment, refund it, check the refund: ported from index.js (TCloudBase/WXAPP-PAY,
cloudfunctions/do_pay, refund_pay and queryRefund_pay, as one function with an ``action``).

As in the original, the orders live in the cloud database: collection ``pay_order``, one document
per order whose ``_id`` is the order number (``cdue``, ``payment``, ``type``, then ``refund`` and
``refundtype``). WeChat Pay's result goes to the cloud function ``back_pay`` (the folder beside this
file), which marks the order paid."""

from datetime import datetime, timezone

import cloud

cloud.init()
db = cloud.database()

SUB_MCH_ID = "1900000109"  # the merchant bound to the environment (key.json in the original)


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
    order = {"_id": out_trade_no, "cdue": datetime.now(timezone.utc), "payment": res["payment"], "type": "NOTPAY"}
    await db.collection("pay_order").add({"data": order})
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
    await db.collection("pay_order").doc(out_trade_no).update({"data": change})
    return {"code": 0}


async def query_refund(event):
    out_trade_no = event.get("outTradeNo")
    res = await cloud.cloudPay.queryRefund({"sub_mch_id": SUB_MCH_ID, "out_refund_no": f"TK-{out_trade_no}"})
    if res.get("resultCode") != "SUCCESS":
        return {"code": 1, "pay": res.get("returnMsg")}
    await db.collection("pay_order").doc(out_trade_no).update({"data": {"refundtype": "SUCCESS"}})
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
