// After github.com/AZQD/WeChat, Applet/functions/wxacode/index.js: the same call, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// A mini-program code for the params the caller sends (path, width...); the image comes back
// wrapped as { wxacodeR: { contentType, buffer } }, an error as it is.
exports.main = async (event) => {
  const wxContext = cloud.getWXContext()
  try {
    const wxacodeR = await cloud.openapi.wxacode.get(event)
    return { wxacodeR }
  } catch (e) {
    return e
  }
}
