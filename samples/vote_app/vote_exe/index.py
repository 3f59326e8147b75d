"""Store the caller's new choice for a poll and move the poll's counters by the difference (+1 for
each option newly chosen, -1 for each one dropped): ported from index.js (TCloudBase/WXAPP-Vote,
vote_exe). ``select`` is an object of the chosen options' indexes: ``{"0": true, "3": true}``."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})
db = cloud.database()
_ = db.command


async def main(event, context):
    openid = event["userInfo"]["openId"]
    found = (await db.collection("vote_user").where({"openid": openid}).get())["data"]
    if len(found) != 0:
        code = event.get("code")
        before = found[0]["project"].get(code) or {}  # for...in over undefined runs no iteration
        chosen = event.get("select")
        diff = {key: _.inc(1) for key in chosen}
        for key in before:
            if diff.get(key):
                del diff[key]
            else:
                diff[key] = _.inc(-1)
        await db.collection("vote_user").where({"openid": openid}).update({"data": {"project": {code: _.set(chosen)}}})
        await db.collection("vote_mess").where({"code": code}).update({"data": {"number": diff}})
        return chosen
    return None  # Node's main returns undefined: the caller gets null
