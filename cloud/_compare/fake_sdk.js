// Loads the real wx-server-sdk with only its transport (@cloudbase/node-sdk) replaced: each cloud
// call's protobuf request (openapi.proto) is decoded and handed to `answer({api, appid, pairs})`,
// whose reply {body: Buffer, contentType, errorCode, status} goes back to the SDK encoded as
// CommOpenApiResp. `answer` may throw an Error with a `code`, as the transport would.
// getOpenData/getVoIPSign (svrkit calls) come as `answer({api, appid, svrkit: <request as an object>})`
// and answer {svrkit: <response as an object>, svrkitErrorCode, errorCode}; cloudPay calls come as
// `answer({api, appid, pay: <the JSON body as text>})` and answer {body: Buffer} (sent as it is).
// Like the transport it replaces, a call not answered within the `timeout` the SDK's init gives
// (else `defaultTimeout` ms, @cloudbase/node-sdk's 15 s) fails with an Error `request timeout`
// whose code is ESOCKETTIMEDOUT: the SDK reports it as the real transport's read timeout
// (-501001 `resource system error. request timeout`, checked against the real transport in tests/test_compare_settings.py).
// Shared by `python -m cloud compare` (node_side.js) and the test harness.
'use strict'
const Module = require('module')
const path = require('path')

const TRANSPORT_TIMEOUT = 15000

function within (ms, promise) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('request timeout'), { code: 'ESOCKETTIMEDOUT' })), ms)
    promise.then((v) => { clearTimeout(timer); resolve(v) }, (e) => { clearTimeout(timer); reject(e) })
  })
}

module.exports = function loadSdk ({ sdkDir, answer, defaultTimeout = TRANSPORT_TIMEOUT, databaseSend }) {
  const fromSdk = (name) => require.resolve(name, { paths: [sdkDir] })
  const protobuf = require(fromSdk('protobufjs'))
  const root = protobuf.loadSync(path.join(__dirname, 'openapi.proto'))
  const CommApiData = root.lookupType('CommApiData')
  const CommOpenApiResp = root.lookupType('CommOpenApiResp')
  const ApiOptions = root.lookupType('ApiOptions')
  const svrkitTypes = {
    ApiGetOpenDataByCloudId: [root.lookupType('ApiGetOpenDataByCloudIdReq'), root.lookupType('ApiGetOpenDataByCloudIdResp')],
    ApiVoipSign: [root.lookupType('ApiVoipSignReq'), root.lookupType('ApiVoipSignResp')],
  }
  const plainObject = (type, msg) => type.toObject(msg, { defaults: true, arrays: true })

  async function svrkitCall (msg, timed) {
    const [Req, Resp] = svrkitTypes[msg.svrkitData.apiName]
    const svrkit = plainObject(Req, Req.decode(msg.svrkitData.reqData))
    const reply = await timed(answer({ api: msg.svrkitData.apiName, appid: msg.appid || null, svrkit }))
    return Buffer.from(CommOpenApiResp.encode({
      respData: reply.svrkit ? Resp.encode(Resp.fromObject(reply.svrkit)).finish() : Buffer.alloc(0),
      errorCode: reply.errorCode || 0,
      svrkitErrorCode: reply.svrkitErrorCode || 0,
    }).finish())
  }

  // cloud.database(): the real @cloudbase/database, its requests answered by databaseSend
  const Db = databaseSend ? require(fromSdk('@cloudbase/database')).Db : null
  if (Db) Db.reqClass = class { async send (action, params) { return databaseSend(action, params) } }

  // one per init(config), as the transport's: its calls time out after config.timeout ms
  const instanceFor = (config) => {
    const ms = (config && config.timeout) || defaultTimeout
    const timed = (promise) => within(ms, promise)
    const made = {
      logger () { return { log () {}, info () {}, warn () {}, error () {} } },
      async callCompatibleWxOpenApi ({ apiName, requestData }) {
        const msg = CommApiData.decode(requestData)
        if (msg.svrkitData && msg.svrkitData.apiName) return svrkitCall(msg, timed)
        const pairs = ((msg.openapiData && msg.openapiData.pairs) || []).map((p) => ({
          key: p.key,
          value: Buffer.from(p.value),
          filename: p.filename || null,
          contentType: p.contenttype || null,
        }))
        const reply = await timed(answer({ api: apiName, appid: msg.appid || null, pairs }))
        return Buffer.from(CommOpenApiResp.encode({
          respData: reply.body,
          contentType: reply.contentType,
          errorCode: reply.errorCode || 0,
          httpCode: reply.status || 200,
        }).finish())
      },
      async callWxPayApi ({ apiName, requestData, apiOptions }) {
        const appid = apiOptions ? ApiOptions.decode(apiOptions).appid || null : null
        const reply = await timed(answer({ api: apiName, appid, pay: Buffer.from(requestData).toString('utf8') }))
        return reply.body
      },
    }
    if (Db) made.database = (dbConfig) => new Db(Object.assign({}, dbConfig))
    return made
  }
  const instance = instanceFor({})
  const fakeSdk = new Proxy({ init: instanceFor, SYMBOL_CURRENT_ENV: Symbol.for('SYMBOL_CURRENT_ENV') }, {
    get (target, prop) { return prop in target ? target[prop] : () => instance },
  })
  const sdkPath = fromSdk('wx-server-sdk')
  const load = Module._load
  Module._load = function (request, parent, isMain) {
    if (request === '@cloudbase/node-sdk') return fakeSdk
    if (request === 'wx-server-sdk') return load.call(this, sdkPath, parent, isMain)
    return load.apply(this, arguments)
  }
  return require(sdkPath)
}
