// After github.com/wangyq1983/xxb, cloudfunctions/imgcheck/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// Checks an image the mini program uploaded: fetched from cloud storage by event.fileID, then
// sent to the image security check with event.contentType. Only the check's failure is caught.
exports.main = async (event) => {
  const file = await cloud.downloadFile({ fileID: event.fileID })
  try {
    return await cloud.openapi.security.imgSecCheck({ media: { contentType: event.contentType, value: file.fileContent } })
  } catch (e) {
    return e
  }
}
