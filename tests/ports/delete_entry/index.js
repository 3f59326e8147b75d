// After github.com/jinryan/International-Fair-WeChat-Applet, cloudfunctions/deleteEntry/index.js,
// written anew: delete one document, by id, from the collection the event names. The Node original
// of index.py.
const cloud = require('wx-server-sdk')
cloud.init()
const c = cloud.database()

exports.main = async (event, context) => {
  return await c.collection(event.field).where({ _id: event._id }).remove()
}
