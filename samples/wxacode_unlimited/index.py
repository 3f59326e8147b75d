"""A binary reply: a mini-program code image, ported from index.js.

The result is {"contentType": "image/png", "buffer": b"...", "errMsg": ..., "errCode": 0}; the
runner prints the bytes as Node's Buffer JSON, as a Node caller would receive them.
"""

import cloud

cloud.init()


async def main(event, context):
    try:
        result = await cloud.openapi.wxacode.getUnlimited(
            {
                "scene": event.get("scene") or "a=1",
                "page": "pages/index/index",
                "checkPath": True,
                "envVersion": "release",
            }
        )
        return result
    except cloud.CloudSDKError as err:
        return err
