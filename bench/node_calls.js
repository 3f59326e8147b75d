// Times cloud calls in the real wx-server-sdk with a no-op transport (cloud/_compare/fake_sdk.js).
// stdin: {fakeSdk, sdkDir, api, params, replyBody, calls, inFlight, repeats, memory};
// stdout: seconds per call of each repeat, after a warm-up of a fifth as many calls, as a JSON list.
// With `memory` (run node with --expose-gc): instead, the bytes of JavaScript heap that `inFlight`
// calls hold while all of them wait in the transport, after a warm-up batch and a full GC.
'use strict'
let input = ''
process.stdin.on('data', (chunk) => { input += chunk })
process.stdin.on('end', async () => {
  const job = JSON.parse(input)
  const loadSdk = require(job.fakeSdk)
  const reply = { body: Buffer.from(job.replyBody), contentType: 'application/json', errorCode: 0, status: 200 }
  let arrived = 0
  let held = 0
  let open = () => {}
  let gate = Promise.resolve()
  const answer = async () => {
    if (job.memory && ++arrived === job.inFlight) {
      held = process.memoryUsage().heapUsed
      open()
    }
    await gate
    return reply
  }
  const cloud = loadSdk({ sdkDir: job.sdkDir, answer })
  cloud.init({})
  const [ns, name] = job.api.split('.')
  const run = async (count) => {
    const started = process.hrtime.bigint()
    for (let i = 0; i < count; i += job.inFlight) {
      const calls = []
      for (let j = 0; j < job.inFlight; j++) calls.push(cloud.openapi[ns][name](job.params))
      await Promise.all(calls)
    }
    return Number(process.hrtime.bigint() - started) / 1e9 / count
  }
  await run(Math.max(job.inFlight, Math.floor(job.calls / 5)))
  if (job.memory) {
    gate = new Promise((resolve) => { open = resolve })
    arrived = 0
    global.gc()
    const before = process.memoryUsage().heapUsed
    await run(job.inFlight)
    console.log(JSON.stringify(held - before))
    return
  }
  const samples = []
  for (let r = 0; r < job.repeats; r++) samples.push(await run(job.calls))
  console.log(JSON.stringify(samples))
})
