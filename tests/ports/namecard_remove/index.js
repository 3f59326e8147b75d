// After github.com/TCloudBase/WXAPP-NameCard, cloudfunctions/remove/index.js, written anew: take a
// scanned card out of the caller's list and delete its photo from cloud storage. The Node original
// of index.py. event.userInfo is what the platform adds to a mini program's call.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()
const _ = db.command

exports.main = async (event, context) => {
  const mess = {}
  try {
    await db.collection('list').where({ openid: event.userInfo.openId }).update({
      data: { list: _.pull({ cover: event.img }) },
    })
    await cloud.deleteFile({ fileList: [event.img] })
    mess.code = 0
  } catch (e) {
    mess.code = -1
    mess.err = e
  }
  return mess
}
