// After github.com/TCloudBase/WXAPP-Vote, cloudfunctions/vote_exe/index.js, written anew: store the
// caller's new choice for a poll and move the poll's counters by the difference (+1 for each option
// newly chosen, -1 for each one dropped). The Node original of index.py.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()
const _ = db.command

exports.main = async (event, context) => {
  const openid = event.userInfo.openId
  const found = (await db.collection('vote_user').where({ openid }).get()).data
  if (found.length !== 0) {
    const code = event.code
    const before = found[0].project[code]
    const chosen = event.select
    const diff = {}
    for (const key in chosen) diff[key] = _.inc(1)
    for (const key in before) {
      if (diff[key]) delete diff[key]
      else diff[key] = _.inc(-1)
    }
    await db.collection('vote_user').where({ openid }).update({ data: { project: { [code]: _.set(chosen) } } })
    await db.collection('vote_mess').where({ code }).update({ data: { number: diff } })
    return chosen
  }
}
