"""An asynchronous media check of an uploaded image, remembered until WeChat answers: ported from
index.js (zhongyizh/hipond-serverless, cloudfunctions/mediaCheckAsync).

The params are already in WeChat's snake_case (``media_type``), which the conversion leaves as
they are; the reply's ``trace_id`` comes back as ``traceId``, as in Node."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    db = cloud.database()
    wxContext = cloud.getWXContext()

    try:
        result = await cloud.openapi.security.mediaCheckAsync(
            {
                "openid": wxContext.get("OPENID"),
                "media_type": 2,
                "scene": 3,
                "version": 2,
                "media_url": event.get("url"),
            }
        )
        if result["errCode"] == 0:
            print("check accepted, trace", result.get("traceId"), "post", event.get("postId"))
            await db.collection("imageCheckStatus").add(
                {
                    "data": {
                        "_id": result.get("traceId"),
                        "postId": event.get("postId"),
                        "isChecked": False,
                    }
                }
            )
        return result
    except Exception as err:
        return err
