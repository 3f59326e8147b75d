"""A text check whose refusals are sorted by errCode, ported from index.js
(lzhsus/nodeDemo, weapp/cloudfunctions/msgSecCheck).

The error is returned inside a dict (``data: error``); the caller gets it as Node's
``JSON.stringify`` writes it, ``{"errCode", "errMsg"}``. ``error.errCode.toString()`` is
``str(error.errCode)``."""

import cloud

cloud.init()
db = cloud.database({"throwOnNotFound": False})  # made, never used, as in the original
_ = db.command


async def main(event, context):
    try:
        result = await cloud.openapi.security.msgSecCheck({"content": event.get("content")})
        return result
    except Exception as error:
        if str(error.errCode) == "87014":
            return {"code": 300, "msg": "内容含有违法违规内容", "data": error}
        return {"code": 400, "msg": "调用security接口异常", "data": error}
