// After github.com/laihezhao/yuelian, cloudfunctions/tempFileUrl/index.js, written anew: a
// temporary download link for one stored file. The Node original of index.py.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

exports.main = async (event, context) => {
  const result = await cloud.getTempFileURL({ fileList: [event.fileId] })
  return result.fileList[0].tempFileURL
}
