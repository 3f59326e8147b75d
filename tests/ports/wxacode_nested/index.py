"""A mini-program code for the caller's params, returned wrapped, ported from index.js
(AZQD/WeChat, Applet/functions/wxacode).

The image is ``{"contentType", "buffer": bytes, ...}``; inside the returned dict the bytes reach
the caller as Node's Buffer does, ``{"type": "Buffer", "data": [...]}``."""

import cloud

cloud.init()


async def main(event, context):
    wxContext = cloud.getWXContext()  # noqa: F841 - unused, as in the original
    try:
        wxacodeR = await cloud.openapi.wxacode.get(event)
        return {"wxacodeR": wxacodeR}
    except Exception as e:
        return e
