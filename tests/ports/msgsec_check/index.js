// After github.com/PawNzZi/MiniHalo, cloudfunctions/msgSC/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// Checks the caller's text with content security v2 (scene 2: comments).
exports.main = async (event) => {
  const ctx = cloud.getWXContext()
  try {
    return await cloud.openapi.security.msgSecCheck({ openid: ctx.OPENID, scene: 2, version: 2, content: event.text })
  } catch (e) {
    return e
  }
}
