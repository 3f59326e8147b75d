// After github.com/nasawz/niceup, cloud/functions/subscribe-message/index.js: the same call, written anew.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// The event itself is the message: the mini program sends touser, templateId, page, data. What the
// platform adds to the event (userInfo) goes along. A failure is thrown again.
exports.main = async (event) => {
  try {
    return await cloud.openapi.subscribeMessage.send(event)
  } catch (e) {
    throw e
  }
}
