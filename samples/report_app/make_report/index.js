// Writes a small CSV report to cloud storage, asks the sibling function file_size to read it
// back, then removes it: uploadFile, callFunction, deleteFile.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

exports.main = async (event, context) => {
  const rows = event.rows || 10
  const lines = []
  for (let i = 0; i < rows; i++) lines.push(`${i},${i * i}`)
  const content = Buffer.from('n,square\n' + lines.join('\n') + '\n')
  const uploaded = await cloud.uploadFile({ cloudPath: `reports/squares-${rows}.csv`, fileContent: content })
  const measured = await cloud.callFunction({ name: 'file_size', data: { fileID: uploaded.fileID } })
  const deleted = await cloud.deleteFile({ fileList: [uploaded.fileID] })
  return {
    fileID: uploaded.fileID,
    bytes: content.length,
    measured: measured.result,
    called: measured.errMsg,
    deleted: deleted.fileList[0].status === 0,
  }
}
