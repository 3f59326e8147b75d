"""The payment callback, ported from back_pay/index.js (TCloudBase/WXAPP-PAY, cloudfunctions/back_pay).

WeChat Pay runs it with the payment notification (camelCase: ``outTradeNo``, ``transactionId``,
``totalFee``...) once the user has paid; it must answer ``{"errcode": 0}``, or WeChat sends the
notification again for up to two days. It marks the order's document in the collection
``pay_order`` with the state WeChat Pay reports."""

import cloud

cloud.init()
db = cloud.database()

SUB_MCH_ID = "1900000109"


async def main(event, context):
    res = await cloud.cloudPay.queryOrder({"sub_mch_id": SUB_MCH_ID, "out_trade_no": event["outTradeNo"]})
    if res.get("resultCode") == "SUCCESS":
        await db.collection("pay_order").doc(event["outTradeNo"]).update({"data": {"type": res["tradeState"]}})
    return {"errcode": 0, "errmsg": "ok"}
