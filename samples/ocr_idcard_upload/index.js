// A file upload: recognise an ID card photo sent as a file (Node original).
const fs = require('fs')
const path = require('path')
const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event, context) => {
  try {
    const result = await cloud.openapi.ocr.idcard({
      type: 'photo',
      img: {
        contentType: 'image/png',
        value: fs.readFileSync(path.join(__dirname, 'photo.png')),
      },
    })
    return result
  } catch (err) {
    return err
  }
}
