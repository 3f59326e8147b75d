#!/usr/bin/env node
// The Node side of `python -m cloud compare`: runs a cloud function's index.js with the real
// wx-server-sdk (transport replaced by fake_sdk.js). Each cloud call goes, as {api, appid, pairs},
// to the compare gateway, which routes it to the emulator as WeChat's gateway would; cloudPay
// calls go as {api, appid, pay}, getOpenData/getVoIPSign as {api, appid, svrkit}; the database's
// actions as {database, params}, storage and callFunction actions as {action, params, env}, and
// the requests to storage URLs as {storage: {method, url, headers, body}}.
//
// usage: node node_side.js <sdk-dir> <index.js> <gateway-url> <event-file> <outcome-file> <limit-ms> [<clock-ms>|- [<timeout-ms>]]
// writes to <outcome-file> (not stdout, which the function shares): {"result": <JSON of main's return>}
// or {"thrown": <JSON of the error>}; main still running after <limit-ms> (its time limit) is a thrown
// TimeLimitError, as the cloud stops it
// <clock-ms>: Date.now() and `new Date()` in the function's process give this instant, always;
// <timeout-ms>: how long a call waits when the function's init gives no timeout (default 15 s).
'use strict'
const path = require('path')
const http = require('http')
const loadSdk = require('./fake_sdk')

const fs = require('fs')
const [sdkDir, indexJs, gatewayUrl, eventFile, outcomeFile, limitMs, clockMs, timeoutMs] = process.argv.slice(2)
const eventJson = fs.readFileSync(eventFile, 'utf8')

// Date with its clock stopped at `ms`: `Date.now()`, `new Date()` and `Date()` read that instant;
// dates built from a value, `Date.parse`, `Date.UTC`, `instanceof Date` and `.constructor` work as before.
function freezeDate (ms) {
  const RealDate = Date
  function FrozenDate (...args) {
    if (!new.target) return new RealDate(ms).toString()
    return Reflect.construct(RealDate, args.length ? args : [ms], new.target)
  }
  Object.setPrototypeOf(FrozenDate, RealDate)
  FrozenDate.prototype = RealDate.prototype
  Object.defineProperty(RealDate.prototype, 'constructor', { value: FrozenDate, writable: true, configurable: true })
  Object.defineProperty(FrozenDate, 'name', { value: 'Date' })
  Object.defineProperty(FrozenDate, 'length', { value: 7 })
  FrozenDate.now = () => ms
  global.Date = FrozenDate
}
if (clockMs && clockMs !== '-') freezeDate(Number(clockMs))

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
  defaultTimeout: timeoutMs ? Number(timeoutMs) : undefined,
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
  databaseSend: (action, params) => postJson(gatewayUrl, { database: action, params: JSON.parse(JSON.stringify(params ?? {})) }),
  cloudbase: {
    send: ({ action, params, env }) => postJson(gatewayUrl, { action, params, env }),
    fetch: (request) => postJson(gatewayUrl, { storage: request }),
  },
})

async function main () {
  const fn = require(path.resolve(indexJs))
  const event = JSON.parse(eventJson)
  const context = { function_name: path.basename(path.dirname(path.resolve(indexJs))), request_id: 'compare' }
  let line
  const limit = Number(limitMs)
  const overLimit = new Promise((resolve, reject) => setTimeout(
    () => reject(Object.assign(new Error(`main did not return within ${limit / 1000} s`), { name: 'TimeLimitError' })), limit
  ))
  try {
    const result = await Promise.race([fn.main(event, context), overLimit])
    line = { result: result === undefined ? null : JSON.parse(JSON.stringify(result)) }
  } catch (err) {
    // a CloudSDKError as its caller sees it; any other exception by name and message, as Python's side shows one
    const sdkError = err && typeof err === 'object' && err.errCode !== undefined
    const shown = err instanceof Error ? `${err.name}: ${err.message}` : `a thrown ${typeof err}: ${JSON.stringify(err)}`
    line = { thrown: sdkError ? JSON.parse(JSON.stringify(err)) : { exception: shown } }
  }
  // exit once written (a write the function started without awaiting gets the turns it took before:
  // the file's write, as the platform's own reply would); a reply still on its way after a timeout is not waited for
  fs.writeFile(outcomeFile, JSON.stringify(line), () => process.exit(0))
}

main().catch((e) => { console.error(e); process.exit(2) })
