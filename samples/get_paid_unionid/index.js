// A GET API: the paid user's UnionID, from the official cloud-call sample (Node original).
const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event, context) => {
  try {
    const result = await cloud.openapi.auth.getPaidUnionId({
      openid: event.openid || 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      transactionId: event.transactionId || '4200000123201901011234567890',
    })
    return result
  } catch (err) {
    return err
  }
}
