"""Text security check for the caller, ported from index.js (PawNzZi/MiniHalo, cloudfunctions/msgSC)."""

import cloud

cloud.init()


async def main(event, context):
    wxContext = cloud.getWXContext()
    try:
        result = await cloud.openapi.security.msgSecCheck(
            {
                "openid": wxContext.get("OPENID"),
                "scene": 2,
                "version": 2,
                "content": event.get("text"),
            }
        )
        return result
    except Exception as err:
        return err
