// After github.com/bangbang6/classofkaikeba, 小程序03/developfood/cloudfunctions/getmpCode/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// A mini-program code for the given scene and page; the image (or the error) goes back to the caller.
exports.main = async (event) => {
  try {
    return await cloud.openapi.wxacode.getUnlimited({ scene: event.scene, page: event.page })
  } catch (e) {
    return e
  }
}
