"""An image security check of bytes sent in the event, ported from index.js
(qi19901212/Garbage, cloudfunctions/checkImg).

``event.buffer`` is a list of byte values (``Buffer.from(array)``); ``bytes(buffer)`` is its twin."""

import cloud

cloud.init()


async def main(event, context):
    type_ = event.get("type")
    buffer = event.get("buffer")
    print("===type==" + str(type_))
    print("===buffer==" + ",".join(map(str, buffer)))
    try:
        result = await cloud.openapi.security.imgSecCheck(
            {
                "media": {
                    "header": {"Content-Type": "application/octet-stream"},
                    "contentType": type_,
                    "value": bytes(buffer),
                }
            }
        )
        return result
    except Exception as err:
        return err
