"""An activity_id for an updatable share message, ported from index.js
(wechat-miniprogram/minigame-demo, cloudfunction/createActivityId).

The original returns the call's promise without ``await`` (the platform awaits it); in Python the
call is awaited before it is returned, or it would never run."""

import cloud

cloud.init({"env": cloud.DYNAMIC_CURRENT_ENV})


async def main(event, context):
    print("creating an activity id")
    activityId = await cloud.openapi.updatableMessage.createActivityId()

    return activityId
