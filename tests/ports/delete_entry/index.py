"""Delete one document, by id, from the collection the event names: ported from index.js
(jinryan/International-Fair-WeChat-Applet, cloudfunctions/deleteEntry)."""

import cloud

cloud.init()
c = cloud.database()


async def main(event, context):
    return await c.collection(event.get("field")).where({"_id": event.get("_id")}).remove()
