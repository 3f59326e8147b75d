// Loads the real wx-server-sdk with only its transport (@cloudbase/node-sdk) replaced: each cloud
// call's protobuf request (openapi.proto) is decoded and handed to `answer({api, appid, pairs})`,
// whose reply {body: Buffer, contentType, errorCode, status} goes back to the SDK encoded as
// CommOpenApiResp. `answer` may throw an Error with a `code`, as the transport would.
// getOpenData/getVoIPSign (svrkit calls) come as `answer({api, appid, svrkit: <request as an object>})`
// and answer {svrkit: <response as an object>, svrkitErrorCode, errorCode}; cloudPay calls come as
// `answer({api, appid, pay: <the JSON body as text>})` and answer {body: Buffer} (sent as it is).
// Shared by `python -m cloud compare` (node_side.js) and the test harness.
'use strict'
const Module = require('module')
const path = require('path')

module.exports = function loadSdk ({ sdkDir, answer, databaseSend }) {
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

  async function svrkitCall (msg) {
    const [Req, Resp] = svrkitTypes[msg.svrkitData.apiName]
    const svrkit = plainObject(Req, Req.decode(msg.svrkitData.reqData))
    const reply = await answer({ api: msg.svrkitData.apiName, appid: msg.appid || null, svrkit })
    return Buffer.from(CommOpenApiResp.encode({
      respData: reply.svrkit ? Resp.encode(Resp.fromObject(reply.svrkit)).finish() : Buffer.alloc(0),
      errorCode: reply.errorCode || 0,
      svrkitErrorCode: reply.svrkitErrorCode || 0,
    }).finish())
  }

  const instance = {
    logger () { return { log () {}, info () {}, warn () {}, error () {} } },
    async callCompatibleWxOpenApi ({ apiName, requestData }) {
      const msg = CommApiData.decode(requestData)
      if (msg.svrkitData && msg.svrkitData.apiName) return svrkitCall(msg)
      const pairs = ((msg.openapiData && msg.openapiData.pairs) || []).map((p) => ({
        key: p.key,
        value: Buffer.from(p.value),
        filename: p.filename || null,
        contentType: p.contenttype || null,
      }))
      const reply = await answer({ api: apiName, appid: msg.appid || null, pairs })
      return Buffer.from(CommOpenApiResp.encode({
        respData: reply.body,
        contentType: reply.contentType,
        errorCode: reply.errorCode || 0,
        httpCode: reply.status || 200,
      }).finish())
    },
    async callWxPayApi ({ apiName, requestData, apiOptions }) {
      const appid = apiOptions ? ApiOptions.decode(apiOptions).appid || null : null
      const reply = await answer({ api: apiName, appid, pay: Buffer.from(requestData).toString('utf8') })
      return reply.body
    },
  }
  if (databaseSend) { // cloud.database(): the real @cloudbase/database, its requests answered by databaseSend
    const { Db } = require(fromSdk('@cloudbase/database'))
    Db.reqClass = class { async send (action, params) { return databaseSend(action, params) } }
    instance.database = (config) => new Db(Object.assign({}, config))
  }
  const fakeSdk = new Proxy({ init: () => instance, SYMBOL_CURRENT_ENV: Symbol.for('SYMBOL_CURRENT_ENV') }, {
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
