// After github.com/PeiqiChen/haitang2021, cloudfunctions/get_talks/index.js, written anew: one page
// of ten posts, newest first, with the fields the feed shows. The Node original of index.py.
const cloud = require('wx-server-sdk')
cloud.init({ traceUser: true, env: 'begonia-cup' })
const db = cloud.database({ env: 'begonia-cup' })

exports.main = async (event, context) => {
  const count = event.count
  return await db.collection('moments')
    .orderBy('time', 'desc')
    .skip(count)
    .limit(10)
    .field({ _id: true, avatarUrl: true, content: true, nickName: true, numberOfLikes: true, numberOfComments: true, picUrl: true, time: true })
    .get()
}
