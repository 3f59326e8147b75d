"""A user's phone number from its cloudID, ported from index.js (luvpomelo/Campus-errand-running-applet,
cloudfunctions/getUserPhone). The caller's OPENID (context.json) is what the platform sends with it."""

import cloud

cloud.init()


async def main(event, context):
    phone = await cloud.getOpenData({"list": [event.get("cloudID")]})
    return phone
