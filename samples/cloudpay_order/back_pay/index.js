// After github.com/TCloudBase/WXAPP-PAY, cloudfunctions/back_pay/index.js, written anew. WeChat Pay
// calls it with the payment notification once the user has paid. Two changes from the original:
// it finds the order by the notification's outTradeNo (the original looked up the paying user's
// record by event.userInfo, which a payment notification does not carry), and it answers
// {errcode: 0}, as WeChat's callback protocol requires (the original answered 'success', which
// WeChat treats as a failed delivery and retries for two days).
const cloud = require('wx-server-sdk')
const fs = require('fs')
const os = require('os')
const path = require('path')
cloud.init()

const SUB_MCH_ID = '1900000109'
const ordersFile = () => process.env.PAY_ORDERS_FILE || path.join(os.tmpdir(), 'cloudpay_order.json')

exports.main = async (event, context) => {
  const res = await cloud.cloudPay.queryOrder({ sub_mch_id: SUB_MCH_ID, out_trade_no: event.outTradeNo })
  if (res.resultCode === 'SUCCESS') {
    const orders = fs.existsSync(ordersFile()) ? JSON.parse(fs.readFileSync(ordersFile(), 'utf8')) : {}
    orders[event.outTradeNo] = { ...orders[event.outTradeNo], type: res.tradeState }
    fs.writeFileSync(ordersFile(), JSON.stringify(orders, null, 1))
  }
  return { errcode: 0, errmsg: 'ok' }
}
