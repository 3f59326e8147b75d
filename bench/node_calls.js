// Times cloud calls in the real wx-server-sdk with a no-op transport (cloud/_compare/fake_sdk.js).
// stdin: {fakeSdk, sdkDir, api, params, replyBody, calls, inFlight, repeats, memory, cpu};
// stdout: seconds per call of each repeat (with `cpu`: the process's CPU seconds, not the time that
// passed), after a warm-up (a second of calls at least), as a JSON list.
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
    const cpu = process.cpuUsage()
    for (let i = 0; i < count; i += job.inFlight) {
      const calls = []
      for (let j = 0; j < job.inFlight; j++) calls.push(cloud.openapi[ns][name](job.params))
      await Promise.all(calls)
    }
    if (!job.cpu) return Number(process.hrtime.bigint() - started) / 1e9 / count
    const used = process.cpuUsage(cpu) // every thread's: V8 collects garbage and compiles on others
    return (used.user + used.system) / 1e6 / count
  }
  // Warm up for a second at least: V8 compiles the SDK's hot paths only after thousands of calls
  // (with 1,000 in flight, the second run of 2,000 calls costs half the first, the third a third),
  // and a warm process is what a busy service runs on; Python has no such warm-up to wait for.
  const warmUntil = Date.now() + 1000 * (job.warmupSeconds ?? 1)
  do await run(Math.max(job.inFlight, Math.floor(job.calls / 5)))
  while (Date.now() < warmUntil)
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
