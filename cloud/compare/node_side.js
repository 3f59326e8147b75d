#!/usr/bin/env node
// The Node side of `python -m cloud compare`: runs a cloud function's index.js with the real
// wx-server-sdk, replacing only its transport (@cloudbase/node-sdk). Each cloud call's protobuf
// request is decoded and posted, as {api, appid, pairs}, to the compare gateway, which routes it
// to the emulator as WeChat's gateway would; the reply goes back to the SDK as CommOpenApiResp.
//
// usage: node node_side.js <sdk-dir> <index.js> <gateway-url> <event-json>
// prints one line: {"result": <JSON of main's return>} or {"thrown": <JSON of the error>}
'use strict'
const Module = require('module')
const path = require('path')
const http = require('http')

const [sdkDir, indexJs, gatewayUrl, eventJson] = process.argv.slice(2)
const fromSdk = (name) => require(require.resolve(name, { paths: [sdkDir] }))
const protobuf = fromSdk('protobufjs')
const root = protobuf.loadSync(path.join(__dirname, 'openapi.proto'))
const CommApiData = root.lookupType('CommApiData')
const CommOpenApiResp = root.lookupType('CommOpenApiResp')

function postJson (url, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body))
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) } catch (e) { reject(e) }
      })
    })
    req.on('error', reject)
    req.end(data)
  })
}

const instance = {
  logger () { return { log () {}, info () {}, warn () {}, error () {} } },
  async callCompatibleWxOpenApi ({ apiName, requestData }) {
    const msg = CommApiData.decode(requestData)
    const pairs = ((msg.openapiData && msg.openapiData.pairs) || []).map((p) => ({
      key: p.key,
      value: Buffer.from(p.value).toString('base64'),
      filename: p.filename || null,
      contentType: p.contenttype || null,
    }))
    const reply = await postJson(gatewayUrl, { api: apiName, appid: msg.appid || null, pairs })
    return Buffer.from(CommOpenApiResp.encode({
      respData: Buffer.from(reply.body, 'base64'),
      contentType: reply.contentType,
      errorCode: reply.errorCode,
      httpCode: reply.status,
    }).finish())
  },
}
const fakeSdk = new Proxy({ init: () => instance, SYMBOL_CURRENT_ENV: Symbol.for('SYMBOL_CURRENT_ENV') }, {
  get (target, prop) { return prop in target ? target[prop] : () => instance },
})
const load = Module._load
Module._load = function (request, parent, isMain) {
  if (request === '@cloudbase/node-sdk') return fakeSdk
  if (request === 'wx-server-sdk') return load.call(this, require.resolve('wx-server-sdk', { paths: [sdkDir] }), parent, isMain)
  return load.apply(this, arguments)
}

async function main () {
  const fn = require(path.resolve(indexJs))
  const event = JSON.parse(eventJson)
  const context = { function_name: path.basename(path.dirname(path.resolve(indexJs))), request_id: 'compare' }
  let line
  try {
    const result = await fn.main(event, context)
    line = { result: result === undefined ? null : JSON.parse(JSON.stringify(result)) }
  } catch (err) {
    line = { thrown: JSON.parse(JSON.stringify(err)) }
  }
  process.stdout.write(JSON.stringify(line) + '\n')
}

main().catch((e) => { console.error(e); process.exit(2) })
