"""A subscribe message from the event, ported from index.js (hanfubaike/hanfubaike-weapp, cloudfunctions/sendMsg)."""

import cloud

cloud.init()


async def main(event, context):
    try:
        result = await cloud.openapi.subscribeMessage.send(
            {
                "touser": event.get("openid"),
                "page": event.get("page"),
                "lang": event.get("lang"),
                "data": event.get("data"),
                "templateId": event.get("templateId"),
                "miniprogramState": event.get("miniprogramState"),
            }
        )
        print(result)
        return result
    except Exception as err:
        print(err)
        return err
