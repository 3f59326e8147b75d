// Times cloud calls in the real wx-server-sdk with a no-op transport (cloud/_compare/fake_sdk.js).
// stdin: {fakeSdk, sdkDir, api, params, replyBody, calls, inFlight, repeats};
// stdout: seconds per call of each repeat, after a warm-up of a fifth as many calls, as a JSON list.
'use strict'
let input = ''
process.stdin.on('data', (chunk) => { input += chunk })
process.stdin.on('end', async () => {
  const job = JSON.parse(input)
  const loadSdk = require(job.fakeSdk)
  const reply = { body: Buffer.from(job.replyBody), contentType: 'application/json', errorCode: 0, status: 200 }
  const cloud = loadSdk({ sdkDir: job.sdkDir, answer: async () => reply })
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
  const samples = []
  for (let r = 0; r < job.repeats; r++) samples.push(await run(job.calls))
  console.log(JSON.stringify(samples))
})
