"""A mini-program code for a scene and page, ported from index.js
(bangbang6/classofkaikeba, 小程序03/developfood/cloudfunctions/getmpCode)."""

import cloud

cloud.init()


async def main(event, context):
    wxContext = cloud.getWXContext()  # noqa: F841 - unused, as in the original
    try:
        result = await cloud.openapi.wxacode.getUnlimited(
            {
                "scene": event.get("scene"),
                "page": event.get("page"),
            }
        )
        return result
    except Exception as err:
        return err
