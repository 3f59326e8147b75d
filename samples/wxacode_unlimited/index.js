// A binary reply: a mini-program code image, from the official cloud-call sample (Node original).
const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event, context) => {
  try {
    const result = await cloud.openapi.wxacode.getUnlimited({
      scene: event.scene || 'a=1',
      page: 'pages/index/index',
      checkPath: true,
      envVersion: 'release',
    })
    return result
  } catch (err) {
    return err
  }
}
