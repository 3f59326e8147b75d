#!/usr/bin/env node
// The Node side of `python -m cloud compare`: runs a cloud function's index.js with the real
// wx-server-sdk (transport replaced by fake_sdk.js). Each cloud call goes, as {api, appid, pairs},
// to the compare gateway, which routes it to the emulator as WeChat's gateway would; cloudPay
// calls go as {api, appid, pay}, getOpenData/getVoIPSign as {api, appid, svrkit}.
//
// usage: node node_side.js <sdk-dir> <index.js> <gateway-url> <event-json>
// prints one line: {"result": <JSON of main's return>} or {"thrown": <JSON of the error>}
'use strict'
const path = require('path')
const http = require('http')
const loadSdk = require('./fake_sdk')

const [sdkDir, indexJs, gatewayUrl, eventJson] = process.argv.slice(2)

function postJson (url, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body))
    const headers = { 'content-type': 'application/json', 'content-length': data.length }
    const req = http.request(url, { method: 'POST', headers }, (res) => {
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

loadSdk({
  sdkDir,
  async answer ({ api, appid, pairs, pay, svrkit }) {
    if (svrkit !== undefined) return postJson(gatewayUrl, { api, appid, svrkit })
    if (pay !== undefined) {
      const reply = await postJson(gatewayUrl, { api, appid, pay })
      if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code })
      return { body: Buffer.from(reply.body, 'base64') }
    }
    const encoded = pairs.map((p) => ({ ...p, value: p.value.toString('base64') }))
    const reply = await postJson(gatewayUrl, { api, appid, pairs: encoded })
    return { ...reply, body: Buffer.from(reply.body, 'base64') }
  },
})

async function main () {
  const fn = require(path.resolve(indexJs))
  const event = JSON.parse(eventJson)
  const context = { function_name: path.basename(path.dirname(path.resolve(indexJs))), request_id: 'compare' }
  let line
  try {
    const result = await fn.main(event, context)
    line = { result: result === undefined ? null : JSON.parse(JSON.stringify(result)) }
  } catch (err) {
    // a CloudSDKError as its caller sees it; any other exception by name and message, as Python's side shows one
    const sdkError = err && typeof err === 'object' && err.errCode !== undefined
    line = { thrown: sdkError ? JSON.parse(JSON.stringify(err)) : { exception: `${err && err.name}: ${err && err.message}` } }
  }
  process.stdout.write(JSON.stringify(line) + '\n')
}

main().catch((e) => { console.error(e); process.exit(2) })
