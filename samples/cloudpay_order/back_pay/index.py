"""The payment callback, ported from back_pay/index.js (TCloudBase/WXAPP-PAY, cloudfunctions/back_pay).

WeChat Pay runs it with the payment notification (camelCase: ``outTradeNo``, ``transactionId``,
``totalFee``...) once the user has paid; it must answer ``{"errcode": 0}``, or WeChat sends the
notification again for up to two days. It marks the stored order with the state WeChat Pay reports."""

import json
import os
import tempfile
from pathlib import Path

import cloud

cloud.init()

SUB_MCH_ID = "1900000109"


def orders_file():
    return Path(os.environ.get("PAY_ORDERS_FILE") or Path(tempfile.gettempdir()) / "cloudpay_order.json")


async def main(event, context):
    res = await cloud.cloudPay.queryOrder({"sub_mch_id": SUB_MCH_ID, "out_trade_no": event["outTradeNo"]})
    if res.get("resultCode") == "SUCCESS":
        orders = json.loads(orders_file().read_text("utf-8")) if orders_file().is_file() else {}
        orders[event["outTradeNo"]] = {**orders.get(event["outTradeNo"], {}), "type": res["tradeState"]}
        orders_file().write_text(json.dumps(orders, ensure_ascii=False, indent=1), "utf-8")
    return {"errcode": 0, "errmsg": "ok"}
