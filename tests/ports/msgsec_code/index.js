// After github.com/lzhsus/nodeDemo, weapp/cloudfunctions/msgSecCheck/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database({ throwOnNotFound: false }) // made, never used

// Checks event.content. A pass returns WeChat's result; a refusal is sorted by its errCode
// (read as text) into risky content (300) or any other failure (400), the error kept under data.
exports.main = async (event) => {
  try {
    return await cloud.openapi.security.msgSecCheck({ content: event.content })
  } catch (error) {
    if (error.errCode.toString() == '87014') {
      return { code: 300, msg: '内容含有违法违规内容', data: error }
    }
    return { code: 400, msg: '调用security接口异常', data: error }
  }
}
