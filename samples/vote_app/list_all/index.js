// After github.com/Levy-99/lostAndFound, cloudfunctionFiles/getdata/index.js, written anew: every
// document of a collection, read 100 at a time (a cloud function reads at most 100 per get), the
// pattern of WeChat's documentation. The Node original of index.py.
const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
const MAX_LIMIT = 100

exports.main = async (event, context) => {
  const { total } = await db.collection('posts').count()
  const batches = Math.ceil(total / MAX_LIMIT)
  const reads = []
  for (let i = 0; i < batches; i++) {
    reads.push(db.collection('posts').skip(i * MAX_LIMIT).limit(MAX_LIMIT).get())
  }
  // With an empty collection there is no read, and reduce without a start value throws, as in the original.
  return (await Promise.all(reads)).reduce((acc, cur) => ({ data: acc.data.concat(cur.data), errMsg: acc.errMsg }))
}
