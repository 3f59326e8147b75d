// After github.com/igo903/warren, cloudfunctions/pay0610/index.js: the same call, written anew.
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

// Places a WeChat Pay order through cloud pay (no certificate, no signature) and answers with the
// whole reply: the mini program hands its `payment` to wx.requestPayment. The result of the
// payment goes later to the cloud function `pay_cb`.
exports.main = async (event, context) => {
  const order = {
    body: 'Xiaoqiu TIT store - groceries',
    outTradeNo: event.outTradeNo || '1217752501201407033233368018',
    spbillCreateIp: '127.0.0.1',
    subMchId: '1900009231',
    totalFee: 1,
    envId: 'warren-7nh48',
    functionName: 'pay_cb',
  }
  return await cloud.cloudPay.unifiedOrder(order)
}
