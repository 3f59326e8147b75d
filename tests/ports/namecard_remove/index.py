"""Take a scanned card out of the caller's list and delete its photo from cloud storage: ported
from index.js (TCloudBase/WXAPP-NameCard, cloudfunctions/remove)."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})
db = cloud.database()
_ = db.command


async def main(event, context):
    mess = {}
    try:
        await (
            db.collection("list")
            .where({"openid": event["userInfo"]["openId"]})
            .update({"data": {"list": _.pull({"cover": event.get("img")})}})
        )
        await cloud.deleteFile({"fileList": [event.get("img")]})
        mess["code"] = 0
    except Exception as e:
        mess["code"] = -1
        mess["err"] = e
    return mess
