// After github.com/fenghailong/logic, cloudfunctions/customer/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init({ env: 'prod-2gzhco766f4e1e27' })

// The image lives in cloud storage; it goes to WeChat as temporary media before it can be sent.
const QR = 'cloud://prod-2gzhco766f4e1e27.7072-prod-2gzhco766f4e1e27-1304834920/customer/IMG_8725.JPG'

async function fetchImage () {
  const res = await cloud.downloadFile({ fileID: QR })
  console.log(res.fileContent)
  return res.fileContent
}

async function toMedia (content) {
  return await cloud.openapi.customerServiceMessage.uploadTempMedia({ type: 'image', media: { contentType: 'image/png', value: content } })
}

// A text message to customer service is answered with a note, then the image. Nothing is caught.
exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  console.log(event)
  if (event.MsgType == 'text') {
    await cloud.openapi.customerServiceMessage.send({ touser: OPENID, msgtype: 'text', text: { content: '你好，获取激活码，请联系客服' } })
    const media = await toMedia(await fetchImage())
    await cloud.openapi.customerServiceMessage.send({ "touser": OPENID, "msgtype": "image", "image": { "media_id": media.mediaId } })
  }
  return 'success'
}
