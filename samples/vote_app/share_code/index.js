// After github.com/HWYD/grow, cloudfunctions/myShare/index.js, written anew: a mini program code
// whose scene is the caller's OPENID, stored in cloud storage; returns its fileID. The Node
// original of index.py. `compare` agrees on all but the file's name, which the original draws with
// Math.random().
const cloud = require('wx-server-sdk')
cloud.init()

exports.main = async (event, context) => {
  const { OPENID } = cloud.getWXContext()
  const code = await cloud.openapi.wxacode.getUnlimited({
    scene: OPENID,
    lineColor: { r: 0, g: 0, b: 128 },
  })
  const upload = await cloud.uploadFile({
    cloudPath: 'myCode/' + Date.now() + '-' + Math.random() + '.png',
    fileContent: code.buffer,
  })
  return upload.fileID
}
