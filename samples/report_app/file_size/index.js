// Reads a file from cloud storage and says how big it is, and for whom it was asked.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

exports.main = async (event, context) => {
  const { fileContent } = await cloud.downloadFile({ fileID: event.fileID })
  return {
    size: fileContent.length,
    lines: fileContent.toString('utf8').split('\n').length - 1,
    openid: cloud.getWXContext().OPENID,
  }
}
