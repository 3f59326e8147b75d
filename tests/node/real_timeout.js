#!/usr/bin/env node
// What the real wx-server-sdk, with its real transport (@cloudbase/node-sdk), does when a call is
// not answered in time: a loopback server reads each request and answers only after <delay-ms>;
// the SDK is initialised with {timeout: <timeout-ms>} and its transport pointed at that server.
//
// usage: node real_timeout.js <timeout-ms> <delay-ms>
// prints one line: {"thrown": JSON of the error, "message", "requests": n, "elapsedMs"} or {"result": ...}
'use strict'
const http = require('http')

const [timeoutMs, delayMs] = process.argv.slice(2).map(Number)
let requests = 0
const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    requests += 1
    setTimeout(() => res.end('{}'), delayMs)
  })
})

server.listen(0, '127.0.0.1', async () => {
  const cloud = require('wx-server-sdk')
  const serviceUrl = `http://127.0.0.1:${server.address().port}/admin`
  cloud.init({ env: 'local-env', secretId: 'local-id', secretKey: 'local-key', serviceUrl, timeout: timeoutMs })
  const started = Date.now()
  let line
  try {
    line = { result: await cloud.openapi.security.msgSecCheck({ content: 'hi' }) }
  } catch (err) {
    line = { thrown: JSON.parse(JSON.stringify(err)), message: err.message }
  }
  Object.assign(line, { requests, elapsedMs: Date.now() - started })
  process.stdout.write(JSON.stringify(line) + '\n', () => process.exit(0))
})
