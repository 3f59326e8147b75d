"""One page of ten posts, newest first, with the fields the feed shows: ported from index.js
(PeiqiChen/haitang2021, cloudfunctions/get_talks)."""

import cloud

cloud.init({"traceUser": True, "env": "begonia-cup"})
db = cloud.database({"env": "begonia-cup"})

FIELDS = ["_id", "avatarUrl", "content", "nickName", "numberOfLikes", "numberOfComments", "picUrl", "time"]


async def main(event, context):
    count = event.get("count")
    return (
        await db.collection("moments")
        .orderBy("time", "desc")
        .skip(count)
        .limit(10)
        .field({name: True for name in FIELDS})
        .get()
    )
