"""A guestbook: a content check, then database writes, ported from index.js (the Node function)."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})
db = cloud.database()
_ = db.command


async def main(event, context):
    OPENID = cloud.getWXContext().get("OPENID")
    messages = db.collection("messages")
    texts = event.get("texts") or ["hello", "nice day", "see you"]

    ids = []
    for text in texts:
        check = await cloud.openapi.security.msgSecCheck({"openid": OPENID, "scene": 2, "version": 2, "content": text})
        if check["result"]["suggest"] != "pass":
            continue
        added = await messages.add({"data": {"openid": OPENID, "text": text, "likes": 0, "createdAt": db.serverDate()}})
        ids.append(added["_id"])

    if not ids:
        return {"added": 0}

    liked = await messages.where({"_id": _.in_(ids[:2])}).update({"data": {"likes": _.inc(1)}})
    await messages.doc(ids[0]).update({"data": {"likes": _.inc(1)}})
    popular = (
        await messages.where({"openid": OPENID, "likes": _.gte(1)})
        .orderBy("likes", "desc")
        .field({"text": True, "likes": True})
        .get()
    )
    total = await messages.where({"openid": OPENID}).count()
    page = await messages.orderBy("likes", "asc").skip(1).limit(2).field({"text": True}).get()
    stats = (
        await messages.aggregate()
        .match({"openid": OPENID})
        .group({"_id": "$openid", "likes": _.aggregate.sum("$likes")})
        .end()
    )
    removed = await messages.where({"openid": OPENID, "likes": _.lt(1)}).remove()
    left = await messages.count()

    return {"added": len(ids), "liked": liked, "popular": popular, "total": total, "page": page,
            "stats": stats, "removed": removed, "left": left}  # fmt: skip
