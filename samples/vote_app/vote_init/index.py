"""The caller's ballots for one poll (``event["code"]``), making the caller's record in
``vote_user`` on the first visit: ported from index.js (TCloudBase/WXAPP-Vote, vote_init)."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})
db = cloud.database()


async def main(event, context):
    openid = event["userInfo"]["openId"]
    found = (await db.collection("vote_user").where({"openid": openid}).get())["data"]
    if len(found) != 0:
        chosen = found[0]["project"].get(event.get("code"))
        return chosen or {}
    await db.collection("vote_user").add({"data": {"openid": openid, "project": {}}})
    return {}
