// After github.com/wangyunhui1993/neo-calendar, cloudfunctions/getUser/index.js, written anew: log
// each visit of the caller in t_user, marking the first one. The Node original of index.py. The add
// is not awaited in the original: Node starts it anyway; in Python an unawaited call never runs, so
// the port awaits it.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()

exports.main = async (event, context) => {
  const { OPENID: _openid, CLIENTIP: clientip, SOURCE: source } = cloud.getWXContext()
  const seen = await db.collection('t_user').where({ _openid }).get()
  db.collection('t_user').add({
    data: { _openid, clientip, source, createDate: new Date(), isNewUser: seen.data.length === 0 },
  })
  return { success: true, data: 'done' }
}
