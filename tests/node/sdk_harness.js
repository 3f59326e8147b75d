#!/usr/bin/env node
// Drives the real wx-server-sdk with only its transport replaced, to check our parity claims.
//
// stdin: {"cases": [case, ...]}; stdout: [outcome, ...] in the same order. With --lines: one such
// object per line in, one answer per line out, from one long-lived process.
// case: {id, op?: "getWXContext" (with env: {...}) | "exports" (the package's export names after init),
//        root?: "openapi" (default) | "cloudPay" | "getOpenData" | "getVoIPSign", init?: bool (default true),
//        options?: [object, ...] (cloud.openapi(o1)(o2)...),
//        path: "ns.api" or [segments], args?: [params] (omit the list for a call with no argument),
//        reply?: {contentType, body: string | {"$bytes": base64}, errorCode?: int}
//                (cloudPay: body only, the raw bytes; getOpenData/getVoIPSign: {svrkit: <response object>,
//                svrkitErrorCode?, errorCode?}),
//        throw?: {code, message}}
// outcome: {id, sent: {api, appid, pairs: [{key, value, contentType?, filename?}]}
//                 | {api, appid, pay: <JSON text>} | {api, appid, svrkit: <request object>} | null,
//           result: json | undefined, error: {errCode, errMsg, message, json, isCloudSDKError} | undefined,
//           thrownSync: bool}
// Bytes travel as {"$bytes": base64} both ways; NaN and infinities as {"$number": "NaN"} into Node;
// {"$undefined": true} is undefined and {"$symbol": "DYNAMIC_CURRENT_ENV"} that Symbol, into Node.
// The SDK's transport is replaced by cloud/_compare/fake_sdk.js, answering with each case's reply.
'use strict'
const loadSdk = require('../../cloud/_compare/fake_sdk')

let current = null // the case being run, with .sent filled by the fake transport

const cloud = loadSdk({
  sdkDir: __dirname,
  async answer ({ api, appid, pairs, pay, svrkit }) {
    if (pay !== undefined || svrkit !== undefined) {
      current.sent = pay !== undefined ? { api, appid, pay } : { api, appid, svrkit }
      if (current.throw) throw Object.assign(new Error(current.throw.message), { code: current.throw.code })
      const reply = current.reply || (pay !== undefined ? { body: '{}' } : { svrkit: {} })
      if (svrkit !== undefined) return reply
      return { body: typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : Buffer.from(reply.body.$bytes, 'base64') }
    }
    current.sent = {
      api,
      appid,
      pairs: pairs.map((p) => {
        const pair = { key: p.key, value: p.value.toString('utf8') }
        if (p.filename || p.contentType) { // a file part (4.0.2 sets only the filename)
          pair.value = { $bytes: p.value.toString('base64') }
          if (p.contentType) pair.contentType = p.contentType
        }
        if (p.filename) pair.filename = p.filename
        return pair
      }),
    }
    if (current.throw) {
      const err = new Error(current.throw.message)
      err.code = current.throw.code
      throw err
    }
    const reply = current.reply || { contentType: 'application/json', body: '{"errcode":0,"errmsg":"ok"}' }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : Buffer.from(reply.body.$bytes, 'base64')
    return { body, contentType: reply.contentType, errorCode: reply.errorCode || 0, status: 200 }
  },
})

function revive (value) {
  if (Array.isArray(value)) return value.map(revive)
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 1 && typeof value.$bytes === 'string') return Buffer.from(value.$bytes, 'base64')
    if (Object.keys(value).length === 1 && typeof value.$number === 'string') return Number(value.$number)
    if (Object.keys(value).length === 1 && value.$undefined === true) return undefined
    if (Object.keys(value).length === 1 && value.$symbol === 'DYNAMIC_CURRENT_ENV') return cloud.DYNAMIC_CURRENT_ENV
    const out = {}
    for (const k of Object.keys(value)) out[k] = revive(value[k])
    return out
  }
  return value
}

function plain (value) {
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('base64') }
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') {
    if (value.constructor && value.constructor.name === 'BigNumber') return { $bignumber: value.toString() }
    const out = {}
    for (const k of Object.keys(value)) out[k] = plain(value[k])
    return out
  }
  return value
}

function runContextCase (c) {
  // {op: "getWXContext", env: {NAME: value}}: getWXContext() with exactly these variables set.
  const saved = { ...process.env }
  for (const k of Object.keys(process.env)) delete process.env[k]
  Object.assign(process.env, c.env)
  try {
    return { id: c.id, result: JSON.parse(JSON.stringify(cloud.getWXContext())) }
  } finally {
    for (const k of Object.keys(process.env)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

async function runCase (c) {
  if (c.op === 'getWXContext') return runContextCase(c)
  if (c.op === 'exports') return { id: c.id, result: Object.keys(cloud) }
  current = { ...c, sent: null }
  const out = { id: c.id, thrownSync: false }
  let api = cloud[c.root || 'openapi']
  try {
    for (const o of c.options || []) api = api(revive(o))
    const path = c.path === undefined ? [] : c.path
    for (const seg of Array.isArray(path) ? path : path.split('.')) api = api[seg]
  } catch (e) {
    out.thrownSync = true
    out.error = { errCode: e.errCode, errMsg: e.errMsg, message: e.message, json: JSON.stringify(e), isCloudSDKError: e.constructor.name === 'CloudSDKError' }
    out.sent = null
    return out
  }
  let promise
  try {
    promise = c.args ? api(...revive(c.args)) : api()
  } catch (e) {
    out.thrownSync = true
    out.error = { errCode: e.errCode, errMsg: e.errMsg, message: e.message, json: JSON.stringify(e), isCloudSDKError: e.constructor.name === 'CloudSDKError' }
    out.sent = current.sent
    return out
  }
  try {
    const result = await promise
    out.result = plain(result)
    out.resultJson = JSON.stringify(result)
  } catch (e) {
    out.error = { errCode: plain(e.errCode), errMsg: e.errMsg, message: e.message, json: JSON.stringify(e), isCloudSDKError: e.constructor.name === 'CloudSDKError' }
  }
  out.sent = current.sent
  return out
}

async function runAll (cases, inited) {
  const outcomes = new Map()
  // Node's init is process-wide and cannot be undone: run the not-initialised cases first.
  for (const c of cases.filter((c) => c.init === false)) {
    if (inited.done) throw new Error('init: false cases must come before the SDK is initialised')
    outcomes.set(c, await runCase(c))
  }
  if (!inited.done) { cloud.init({}); inited.done = true }
  for (const c of cases.filter((c) => c.init !== false)) outcomes.set(c, await runCase(c))
  return cases.map((c) => outcomes.get(c))
}

async function main () {
  const inited = { done: false }
  if (process.argv.includes('--lines')) { // one {"cases": [...]} per stdin line, one answer line each
    const readline = require('readline')
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (!line.trim()) continue
      process.stdout.write(JSON.stringify(await runAll(JSON.parse(line).cases, inited)) + '\n')
    }
    return
  }
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  const { cases } = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  process.stdout.write(JSON.stringify(await runAll(cases, inited)))
}

main().catch((e) => { console.error(e); process.exit(2) })
