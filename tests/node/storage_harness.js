#!/usr/bin/env node
// Drives the real wx-server-sdk's storage and callFunction through the real @cloudbase/node-sdk,
// with only its two request functions replaced: the CloudBase API call (utils/tcbapirequester's
// `request`) answers each action with the case's canned reply, and the storage request
// (utils/request-core's `request`: the upload to, and the download from, the file's URL) with the
// case's canned status and body.
//
// stdin: {"cases": [case, ...]}; stdout: [outcome, ...] in the same order.
// case: {id, api: "uploadFile" | "downloadFile" | "getTempFileURL" | "deleteFile" | "callFunction",
//        args?: [params] (omit for a call with no argument),
//        replies?: {<action>: reply object the CloudBase API gives ({requestId, data} or {code, message, requestId})},
//        storage?: {status, body: string | {"$bytes": base64}}}
// outcome: {id, actions: [{action, ...params}], storage: [{method, url}], result?, error?: {errCode, errMsg, message, json}}
// Bytes travel as {"$bytes": base64} both ways; {"$undefined": true} is undefined.
'use strict'
const path = require('path')
const { Writable } = require('stream')

const sdkDir = path.dirname(require.resolve('wx-server-sdk', { paths: [__dirname] }))
const nodeSdkDist = path.dirname(require.resolve('@cloudbase/node-sdk', { paths: [sdkDir] }))
const apiRequester = require(path.join(nodeSdkDist, 'utils', 'tcbapirequester.js'))
const requestCore = require(path.join(nodeSdkDist, 'utils', 'request-core.js'))

let current = null

apiRequester.request = async function fakeApiRequest (args) {
  const { action, ...rest } = args.params
  current.actions.push({ action, ...JSON.parse(JSON.stringify(rest)) })
  const reply = (current.replies || {})[action]
  if (!reply) throw new Error(`no canned reply for ${action}`)
  return JSON.parse(JSON.stringify(reply))
}

requestCore.request = function fakeStorageRequest (opts, cb) {
  const canned = current.storage || { status: 204, body: '' }
  current.storage_sent.push({ method: opts.method, url: opts.url })
  const body = typeof canned.body === 'string' ? Buffer.from(canned.body, 'utf8') : Buffer.from(canned.body.$bytes, 'base64')
  const res = { statusCode: canned.status, headers: {} }
  const answer = () => cb(null, res, opts.type === 'raw' && opts.method === 'get' ? body : body.toString('utf8'))
  const sink = new Writable({ write (chunk, _, done) { done() } })
  sink.on('finish', answer)
  if (opts.method === 'get') setImmediate(answer)
  return sink
}

const cloud = require(path.join(sdkDir, 'index.js'))
cloud.init({ env: 'test-env' })

function revive (value) {
  if (Array.isArray(value)) return value.map(revive)
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
    if (keys.length === 1 && typeof value.$bytes === 'string') return Buffer.from(value.$bytes, 'base64')
    if (keys.length === 1 && value.$undefined === true) return undefined
    const out = {}
    for (const k of keys) out[k] = revive(value[k])
    return out
  }
  return value
}

function plain (value) {
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('base64') }
  if (Array.isArray(value)) return value.map(plain)
  if (value && typeof value === 'object') {
    const out = {}
    for (const k of Object.keys(value)) out[k] = value[k] === undefined ? { $undefined: true } : plain(value[k])
    return out
  }
  return value
}

async function runCase (c) {
  current = { ...c, actions: [], storage_sent: [] }
  const out = { id: c.id }
  try {
    const result = await (c.args ? cloud[c.api](...revive(c.args)) : cloud[c.api]())
    out.result = plain(result)
    out.keys = Object.keys(result)
  } catch (e) {
    out.error = { errCode: e.errCode, errMsg: e.errMsg, message: e.message, json: JSON.stringify(e) }
  }
  out.actions = current.actions
  out.storage = current.storage_sent
  return out
}

async function main () {
  let input = ''
  for await (const chunk of process.stdin) input += chunk
  const outcomes = []
  for (const c of JSON.parse(input).cases) outcomes.push(await runCase(c))
  process.stdout.write(JSON.stringify(outcomes))
}

main().catch((e) => { console.error(e); process.exit(1) })
