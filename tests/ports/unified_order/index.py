"""A WeChat Pay order through cloud pay, ported from index.js (igo903/warren, cloudfunctions/pay0610).

The whole reply is returned: the mini program hands its ``payment`` to ``wx.requestPayment``; the
result of the payment goes later to the cloud function ``pay_cb``."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    order = {
        "body": "Xiaoqiu TIT store - groceries",
        "outTradeNo": event.get("outTradeNo") or "1217752501201407033233368018",
        "spbillCreateIp": "127.0.0.1",
        "subMchId": "1900009231",
        "totalFee": 1,
        "envId": "warren-7nh48",
        "functionName": "pay_cb",
    }
    return await cloud.cloudPay.unifiedOrder(order)
