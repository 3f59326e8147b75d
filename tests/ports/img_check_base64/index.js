// After github.com/ixiaofeiyang/lottery-v2-20210201, cloudfunctions/imgSecCheck/index.js: the same call, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// The mini program sends the picture as base64 text (event.base64); the check's result comes back
// as { result }, a failure as { error }.
exports.main = async (event) => {
  try {
    const result = await cloud.openapi.security.imgSecCheck({
      media: { contentType: 'image/jpeg', value: Buffer.from(event.base64, 'base64') }
    })
    return { result }
  } catch (error) {
    return { error }
  }
}
