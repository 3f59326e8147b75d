"""A URL scheme for the home page, or the caller's identity, ported from index.js
(touxing/miniprogram-webpack, src/cloudfunctions/demo1).

``parseInt(Date.now() / 1000 + 60)`` is ``int(time.time() + 60)``; the scheme call is awaited where
the original returns its promise (Node's async function waits for it, Python's would not)."""

import time

import cloud

cloud.init()


async def main(event, context):
    wxContext = cloud.getWXContext()
    if event.get("action") == "getUrlScheme":
        return await getUrlScheme()
    return {
        "event": event,
        "openid": wxContext.get("OPENID"),
        "appid": wxContext.get("APPID"),
        "unionid": wxContext.get("UNIONID"),
    }


async def getUrlScheme():
    return await cloud.openapi.urlscheme.generate(
        {
            "jumpWxa": {
                "path": "/page/index/index",
                "query": "",
            },
            "isExpire": False,
            "expireTime": int(time.time() + 60),
        }
    )
