"""Log each visit of the caller in ``t_user``, marking the first one: ported from index.js
(wangyunhui1993/neo-calendar, cloudfunctions/getUser). The original does not await its ``add``;
Node starts the request anyway, but an unawaited Python coroutine never runs, so the port awaits it."""

from datetime import datetime, timezone

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})
db = cloud.database()


async def main(event, context):
    ctx = cloud.getWXContext()
    _openid, clientip, source = ctx.get("OPENID"), ctx.get("CLIENTIP"), ctx.get("SOURCE")
    seen = await db.collection("t_user").where({"_openid": _openid}).get()
    await db.collection("t_user").add(
        {
            "data": {
                "_openid": _openid,
                "clientip": clientip,
                "source": source,
                "createDate": datetime.now(timezone.utc),
                "isNewUser": len(seen["data"]) == 0,
            }
        }
    )
    return {"success": True, "data": "done"}
