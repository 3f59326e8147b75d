// After github.com/wechat-miniprogram/minigame-demo, cloudfunction/createActivityId/index.js: the same call, written anew.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// An activity_id for an updatable share message. The call has no params, and its promise is
// returned without await: the platform awaits what main returns, so a failure reaches the caller.
exports.main = async () => {
  console.log('creating an activity id')
  const activityId = cloud.openapi.updatableMessage.createActivityId()
  return activityId
}
