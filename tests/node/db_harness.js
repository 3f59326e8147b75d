#!/usr/bin/env node
// Drives the real wx-server-sdk's cloud.database() (@cloudbase/database underneath) with its
// request function replaced: each case's operation gets the case's canned reply, and the result
// or error is printed, to check the shapes and pre-I/O errors of our database against Node's.
// stdin: {"cases": [{id, op: "<JS expression of db and _>", reply, config?}]};
// stdout: [{id, sent: [actions], result?, error?: {errCode, errMsg, message}}].
'use strict'
const loadSdk = require('../../cloud/_compare/fake_sdk')

let current = null
const cloud = loadSdk({
  sdkDir: __dirname,
  answer: async () => { throw new Error('not a cloud call') },
  databaseSend: async (action) => { current.sent.push(action); return current.reply },
})
cloud.init({ env: 'test-env' })

async function main () {
  const input = JSON.parse(require('fs').readFileSync(0, 'utf8'))
  const out = []
  for (const c of input.cases) {
    current = { sent: [], reply: c.reply }
    const db = cloud.database(c.config || {})
    const entry = { id: c.id, sent: current.sent }
    try {
      entry.result = await new Function('db', '_', `return ${c.op}`)(db, db.command) // eslint-disable-line no-new-func
    } catch (e) {
      entry.error = { errCode: e.errCode, errMsg: e.errMsg, message: e.message }
    }
    out.push(entry)
  }
  process.stdout.write(JSON.stringify(out))
}
main()
