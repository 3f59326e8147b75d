// After github.com/luvpomelo/Campus-errand-running-applet, cloudfunctions/getUserPhone/index.js: the same call, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// The mini program sends the cloudID of the phone number the user agreed to share; the function
// trades it for the data it stands for and answers with the whole result.
exports.main = async (event, context) => {
  const phone = await cloud.getOpenData({ list: [event.cloudID] })
  return phone
}
