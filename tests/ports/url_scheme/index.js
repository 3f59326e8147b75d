// After github.com/touxing/miniprogram-webpack, src/cloudfunctions/demo1/index.js: the same calls, written anew.
const cloud = require('wx-server-sdk')
cloud.init()

// event.action 'getUrlScheme' makes a URL scheme for the home page; any other action returns the
// event and the caller's identity. Nothing is caught: a failure reaches the caller.
exports.main = async (event) => {
  const ctx = cloud.getWXContext()
  switch (event.action) {
    case 'getUrlScheme':
      return urlScheme()
    default:
      return { event, openid: ctx.OPENID, appid: ctx.APPID, unionid: ctx.UNIONID }
  }
}

async function urlScheme () {
  return cloud.openapi.urlscheme.generate({
    jumpWxa: { path: '/page/index/index', query: '' },
    isExpire: false,
    expireTime: parseInt(Date.now() / 1000 + 60) // a minute from now
  })
}
