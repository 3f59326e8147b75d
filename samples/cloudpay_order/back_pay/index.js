// After github.com/TCloudBase/WXAPP-PAY, cloudfunctions/back_pay/index.js, written anew; the Node
// original of index.py. WeChat Pay calls it with the payment notification once the user has paid.
// Two changes from the original: it finds the order by the notification's outTradeNo (the original
// looked up the paying user's record by event.userInfo, which a payment notification does not
// carry), and it answers {errcode: 0}, as WeChat's callback protocol requires (the original
// answered 'success', which WeChat treats as a failed delivery and retries for two days).
const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()

const SUB_MCH_ID = '1900000109'

exports.main = async (event, context) => {
  const res = await cloud.cloudPay.queryOrder({ sub_mch_id: SUB_MCH_ID, out_trade_no: event.outTradeNo })
  if (res.resultCode === 'SUCCESS') {
    await db.collection('pay_order').doc(event.outTradeNo).update({ data: { type: res.tradeState } })
  }
  return { errcode: 0, errmsg: 'ok' }
}
