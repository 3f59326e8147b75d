"""An automatic customer-service reply, ported from index.js (FreeCode-CQ/wx_liying, cloudfunctions/Customer).

The original catches nothing: an error from WeChat is thrown to the caller, here too."""

import cloud

cloud.init()


async def main(event, context):
    wxContext = cloud.getWXContext()
    print(event)
    await cloud.openapi.customerServiceMessage.send(
        {
            "touser": wxContext.get("OPENID"),
            "msgtype": "text",
            "text": {
                "content": "我已经收到消息",
            },
        }
    )

    return "success"
