// After github.com/FreeCode-CQ/wx_liying, cloudfunctions/Customer/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// Answers the user who wrote to customer service; a failure is thrown to the caller.
exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  console.log('message from', OPENID, event)
  await cloud.openapi.customerServiceMessage.send({ touser: OPENID, msgtype: 'text', text: { content: '我已经收到消息' } })
  return 'success'
}
