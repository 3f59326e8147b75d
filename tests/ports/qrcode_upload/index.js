// After github.com/xjw1996/wexin-program-Guidance-for-high-school-students, cloudfunctions/two/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// Makes a mini-program QR code for event.path and stores the image as xiace/<event.name>.png;
// the upload's result, or the first error, is returned.
exports.main = async (event) => {
  try {
    const code = await cloud.openapi.wxacode.createQRCode({ path: event.path, width: 430 })
    return await cloud.uploadFile({ cloudPath: 'xiace/' + event.name + '.png', fileContent: code.buffer })
  } catch (e) {
    return e
  }
}
