// After github.com/rogerwang02/papamamaTools, cloudfunctions/getUrlScheme/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// A URL Link to the home page, valid 30 days. The original reads result.url_link, which the SDK
// answers as urlLink: openlink is undefined, and Node leaves it out.
exports.main = async () => {
  try {
    const result = await cloud.openapi.urllink.generate({ path: '/pages/home/index', isExpire: true, expire_type: 1, expire_interval: 30 })
    return { code: 0, openlink: result.url_link }
  } catch (e) {
    console.error('could not make the link:', e)
    return { code: -1, msg: e.message, errCode: e.errCode }
  }
}
