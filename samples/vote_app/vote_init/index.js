// After github.com/TCloudBase/WXAPP-Vote, cloudfunctions/vote_init/index.js, written anew: the
// caller's ballots for one poll, making the caller's record on the first visit. The Node original
// of index.py. event.userInfo is what the platform adds to the event of a mini program's call.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()

exports.main = async (event, context) => {
  const openid = event.userInfo.openId
  const found = (await db.collection('vote_user').where({ openid }).get()).data
  if (found.length !== 0) {
    const chosen = found[0].project[event.code]
    return chosen || {}
  }
  await db.collection('vote_user').add({ data: { openid, project: {} } })
  return {}
}
