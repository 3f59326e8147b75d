// After github.com/TCloudBase/WXAPP-PAY, cloudfunctions/do_pay, refund_pay and queryRefund_pay: the
// same calls, written anew as one function with an `action`; the Node original of index.py. Orders
// live in the collection pay_order, one document per order number, as in the original (which also
// kept each user's current order in a collection `pay`; here the order number comes in the event).
const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()

const SUB_MCH_ID = '1900000109' // the merchant bound to the environment (key.json in the original)

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
  await db.collection('pay_order').add({ data: { _id: outTradeNo, cdue: new Date(), payment: res.payment, type: 'NOTPAY' } })
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
  await db.collection('pay_order').doc(outTradeNo).update({ data: change })
  return { code: 0 }
}

async function queryRefund (event) {
  const outTradeNo = event.outTradeNo
  const res = await cloud.cloudPay.queryRefund({ sub_mch_id: SUB_MCH_ID, out_refund_no: `TK-${outTradeNo}` })
  if (res.resultCode !== 'SUCCESS') return { code: 1, pay: res.returnMsg }
  await db.collection('pay_order').doc(outTradeNo).update({ data: { refundtype: 'SUCCESS' } })
  return { code: 0, pay: res }
}

exports.main = async (event, context) => {
  const action = event.action || 'pay'
  if (action === 'pay') return pay(event)
  if (action === 'refund') return refund(event)
  if (action === 'queryRefund') return queryRefund(event)
  return { code: 1, returnMsg: `unknown action ${action}` }
}
