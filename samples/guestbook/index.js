// The Node original of index.py. A guestbook: a content check, then database writes; the pattern
// of many public cloud functions (a message board that checks text with security.msgSecCheck first).
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()
const _ = db.command

exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext()
  const messages = db.collection('messages')
  const texts = event.texts || ['hello', 'nice day', 'see you']

  const ids = []
  for (const text of texts) {
    const check = await cloud.openapi.security.msgSecCheck({ openid: OPENID, scene: 2, version: 2, content: text })
    if (check.result.suggest !== 'pass') continue
    const added = await messages.add({ data: { openid: OPENID, text, likes: 0, createdAt: db.serverDate() } })
    ids.push(added._id)
  }

  if (!ids.length) return { added: 0 }

  const liked = await messages.where({ _id: _.in(ids.slice(0, 2)) }).update({ data: { likes: _.inc(1) } })
  await messages.doc(ids[0]).update({ data: { likes: _.inc(1) } })
  const popular = await messages.where({ openid: OPENID, likes: _.gte(1) }).orderBy('likes', 'desc').field({ text: true, likes: true }).get()
  const total = await messages.where({ openid: OPENID }).count()
  const page = await messages.orderBy('likes', 'asc').skip(1).limit(2).field({ text: true }).get()
  const stats = await messages.aggregate().match({ openid: OPENID }).group({ _id: '$openid', likes: _.aggregate.sum('$likes') }).end()
  const removed = await messages.where({ openid: OPENID, likes: _.lt(1) }).remove()
  const left = await messages.count()

  return { added: ids.length, liked, popular, total, page, stats, removed, left }
}
