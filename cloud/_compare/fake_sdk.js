// Loads the real wx-server-sdk with only its transport (@cloudbase/node-sdk) replaced: each cloud
// call's protobuf request (openapi.proto) is decoded and handed to `answer({api, appid, pairs})`,
// whose reply {body: Buffer, contentType, errorCode, status} goes back to the SDK encoded as
// CommOpenApiResp. `answer` may throw an Error with a `code`, as the transport would.
// Shared by `python -m cloud compare` (node_side.js) and the test harness.
'use strict'
const Module = require('module')
const path = require('path')

module.exports = function loadSdk ({ sdkDir, answer }) {
  const fromSdk = (name) => require.resolve(name, { paths: [sdkDir] })
  const protobuf = require(fromSdk('protobufjs'))
  const root = protobuf.loadSync(path.join(__dirname, 'openapi.proto'))
  const CommApiData = root.lookupType('CommApiData')
  const CommOpenApiResp = root.lookupType('CommOpenApiResp')

  const instance = {
    logger () { return { log () {}, info () {}, warn () {}, error () {} } },
    async callCompatibleWxOpenApi ({ apiName, requestData }) {
      const msg = CommApiData.decode(requestData)
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
