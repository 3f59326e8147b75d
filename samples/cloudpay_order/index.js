// After github.com/TCloudBase/WXAPP-PAY, cloudfunctions/do_pay, refund_pay and queryRefund_pay: the
// same calls, written anew as one function with an `action`. The original keeps its orders in the
// cloud database; this version keeps them in a JSON file (PAY_ORDERS_FILE), as its Python port does.
const cloud = require('wx-server-sdk')
const fs = require('fs')
const os = require('os')
const path = require('path')
cloud.init()

const SUB_MCH_ID = '1900000109' // the merchant bound to the environment (key.json in the original)
const ordersFile = () => process.env.PAY_ORDERS_FILE || path.join(os.tmpdir(), 'cloudpay_order.json')
const load = () => (fs.existsSync(ordersFile()) ? JSON.parse(fs.readFileSync(ordersFile(), 'utf8')) : {})
const save = (orders) => fs.writeFileSync(ordersFile(), JSON.stringify(orders, null, 1))

// An order for 0.01 yuan; the mini program passes `pay` to wx.requestPayment, and WeChat Pay tells
// the cloud function back_pay once the user has paid.
async function pay (event) {
  const outTradeNo = event.outTradeNo || '2024TCBPAY000000000000000000001'
  const res = await cloud.cloudPay.unifiedOrder({
    body: 'WeChat Pay test order',
    outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId: SUB_MCH_ID,
    totalFee: 1,
    envId: 'work-01',
    functionName: 'back_pay',
    tradeType: 'JSAPI',
  })
  if (res.resultCode !== 'SUCCESS') return { code: 1, returnMsg: res.returnMsg }
  const orders = load()
  orders[outTradeNo] = { payment: res.payment, type: 'NOTPAY' }
  save(orders)
  return { code: 0, uuid: outTradeNo, pay: res.payment }
}

// The whole amount back, then the order's state as WeChat Pay now reports it.
async function refund (event) {
  const outTradeNo = event.outTradeNo
  const res = await cloud.cloudPay.refund({
    sub_mch_id: SUB_MCH_ID,
    out_trade_no: outTradeNo,
    out_refund_no: `TK-${outTradeNo}`,
    total_fee: 1,
    refund_fee: 1,
  })
  if (res.resultCode !== 'SUCCESS') return { code: 1, pay: res.returnMsg }
  const change = { refund: res }
  const state = await cloud.cloudPay.queryOrder({ sub_mch_id: SUB_MCH_ID, out_trade_no: outTradeNo })
  if (state.resultCode === 'SUCCESS') change.type = state.tradeState
  const orders = load()
  orders[outTradeNo] = { ...orders[outTradeNo], ...change }
  save(orders)
  return { code: 0 }
}

async function queryRefund (event) {
  const outTradeNo = event.outTradeNo
  const res = await cloud.cloudPay.queryRefund({ sub_mch_id: SUB_MCH_ID, out_refund_no: `TK-${outTradeNo}` })
  if (res.resultCode !== 'SUCCESS') return { code: 1, pay: res.returnMsg }
  const orders = load()
  orders[outTradeNo] = { ...orders[outTradeNo], refundtype: 'SUCCESS' }
  save(orders)
  return { code: 0, pay: res }
}

exports.main = async (event, context) => {
  const action = event.action || 'pay'
  if (action === 'pay') return pay(event)
  if (action === 'refund') return refund(event)
  if (action === 'queryRefund') return queryRefund(event)
  return { code: 1, returnMsg: `unknown action ${action}` }
}
