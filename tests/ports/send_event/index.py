"""A subscription message whose params are the event itself, ported from index.js
(nasawz/niceup, cloud/functions/subscribe-message).

As in Node, the event the platform hands over carries ``userInfo`` for a mini program's call, and
it is sent along (``user_info``); a failure is raised again."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    try:
        result = await cloud.openapi.subscribeMessage.send(event)
        return result
    except Exception as err:
        raise err
