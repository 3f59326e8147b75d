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
// With `cloudbase` ({send, fetch}), storage and callFunction run in the real @cloudbase/node-sdk with
// its two request functions replaced: each CloudBase API action goes to `cloudbase.send({action,
// params, env})` (its reply: what the CloudBase API answers, {requestId, data} or {code, message}),
// and each request to a storage URL (the upload's PUT, the download's GET) to
// `cloudbase.fetch({method, url, headers, body: base64})`, answered {status, body: base64}.
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

// the real @cloudbase/node-sdk (for storage and callFunction), its requests handed to `cloudbase`
function realNodeSdk (sdkPath, cloudbase) {
  const { Writable } = require('stream')
  const dist = path.dirname(require.resolve('@cloudbase/node-sdk', { paths: [path.dirname(sdkPath)] }))
  const apiRequester = require(path.join(dist, 'utils', 'tcbapirequester.js'))
  const requestCore = require(path.join(dist, 'utils', 'request-core.js'))
  apiRequester.request = async function cloudbaseAction (args) {
    const { action, ...params } = args.params
    const env = (args.config && args.config.compareEnv) || ''
    return cloudbase.send({ action, params: JSON.parse(JSON.stringify(params)), env })
  }
  requestCore.request = function storageRequest (opts, cb) {
    const chunks = []
    const sink = new Writable({ write (chunk, _, done) { chunks.push(Buffer.from(chunk)); done() } })
    const send = () => {
      const body = Buffer.concat(chunks).toString('base64')
      cloudbase.fetch({ method: opts.method, url: opts.url, headers: opts.headers || {}, body }).then((reply) => {
        const bytes = Buffer.from(reply.body, 'base64')
        const raw = opts.type === 'raw' && opts.method === 'get'
        cb(null, { statusCode: reply.status, headers: {} }, raw ? bytes : bytes.toString('utf8'))
      }, (err) => cb(err))
    }
    if (opts.method === 'get') setImmediate(send)
    else sink.on('finish', send)
    return sink
  }
  return require(path.join(dist, 'index.js'))
}

module.exports = function loadSdk ({ sdkDir, answer, defaultTimeout = TRANSPORT_TIMEOUT, databaseSend, cloudbase }) {
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
    if (cloudbase) {
      // the env the platform gives DYNAMIC_CURRENT_ENV, as wx-server-sdk reads it
      const env = typeof (config && config.env) === 'string' ? config.env : (process.env.TCB_ENV || process.env.SCF_NAMESPACE || '')
      let tcb = null
      const real = () => tcb || (tcb = realSdk().init({ compareEnv: env, timeout: ms }))
      for (const name of ['uploadFile', 'downloadFile', 'getTempFileURL', 'deleteFile', 'callFunction']) {
        made[name] = (...args) => timed(real()[name](...args))
      }
    }
    return made
  }
  const instance = instanceFor({})
  const fakeSdk = new Proxy({ init: instanceFor, SYMBOL_CURRENT_ENV: Symbol.for('SYMBOL_CURRENT_ENV') }, {
    get (target, prop) { return prop in target ? target[prop] : () => instance },
  })
  const sdkPath = fromSdk('wx-server-sdk')
  let nodeSdk = null
  const realSdk = () => nodeSdk || (nodeSdk = realNodeSdk(sdkPath, cloudbase))
  const load = Module._load
  Module._load = function (request, parent, isMain) {
    if (request === '@cloudbase/node-sdk') return fakeSdk
    if (request === 'wx-server-sdk') return load.call(this, sdkPath, parent, isMain)
    return load.apply(this, arguments)
  }
  return require(sdkPath)
}
