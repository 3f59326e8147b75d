// After github.com/hanfubaike/hanfubaike-weapp, cloudfunctions/sendMsg/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// Sends a subscription message whose every field comes from the event.
exports.main = async (event) => {
  const { openid, page, lang, data, templateId, miniprogramState } = event
  try {
    const sent = await cloud.openapi.subscribeMessage.send({ touser: openid, page, lang, data, templateId, miniprogramState })
    console.log(sent)
    return sent
  } catch (e) {
    console.log(e)
    return e
  }
}
