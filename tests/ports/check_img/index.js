// After github.com/qi19901212/Garbage, cloudfunctions/checkImg/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// The event carries the image as a list of byte values and its MIME type; the check's result or error is returned.
exports.main = async (event) => {
  const { type, buffer } = event
  console.log('checking an image of type', type)
  try {
    return await cloud.openapi.security.imgSecCheck({
      media: { header: { 'Content-Type': 'application/octet-stream' }, contentType: type, value: Buffer.from(buffer) }
    })
  } catch (e) {
    return e
  }
}
