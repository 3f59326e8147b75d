// After github.com/zhongyizh/hipond-serverless, cloudfunctions/mediaCheckAsync/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// Submits the image at event.url to the asynchronous media check for the caller; once WeChat
// accepts it, a record keyed by the check's traceId waits for the result. The check's reply, or
// the first error, is returned.
exports.main = async (event) => {
  const db = cloud.database()
  const { OPENID } = cloud.getWXContext()
  try {
    const result = await cloud.openapi.security.mediaCheckAsync({
      "openid": OPENID, "media_type": 2, "scene": 3, "version": 2, "media_url": event.url
    })
    if (result.errCode === 0) {
      console.log('check accepted, trace', result.traceId, 'post', event.postId)
      await db.collection('imageCheckStatus').add({ data: { _id: result.traceId, postId: event.postId, isChecked: false } })
    }
    return result
  } catch (e) {
    return e
  }
}
