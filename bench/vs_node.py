"""2. Per-call cost against Node: the same call in the real wx-server-sdk 4.0.2 with a no-op fake
transport (the one ``python -m cloud compare`` uses), and in ours with an in-process transport
answering the same fixed reply. Target: ours ≤ 0.2× Node's.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import sys

import httpx
from client_cost import REPLY, SAMPLE
from common import ROOT, Row, Timing, measure, print_rows

from cloud.instance import Cloud

N = 5000
NODE_SCRIPT = r"""
const loadSdk = require(process.argv[1])
const reply = { body: Buffer.from(process.argv[2]), contentType: 'application/json', errorCode: 0, status: 200 }
const cloud = loadSdk({ sdkDir: process.argv[3], answer: async () => reply })
cloud.init({})
const params = JSON.parse(process.argv[4])
const n = Number(process.argv[5])
async function main () {
  const samples = []
  for (let r = 0; r < 8; r++) {
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) await cloud.openapi.serviceMarket.invokeService(params)
    samples.push(Number(process.hrtime.bigint() - t) / 1e9 / n)
  }
  console.log(JSON.stringify(samples.slice(1)))
}
main()
"""


def node_timing() -> Timing | None:
    node, sdk = shutil.which("node"), ROOT / "tests" / "node"
    if node is None or not (sdk / "node_modules" / "wx-server-sdk").is_dir():
        print("vs Node: skipped (needs node and `npm ci --prefix tests/node`)", file=sys.stderr)
        return None
    args = [node, "-e", NODE_SCRIPT, str(ROOT / "cloud" / "compare" / "fake_sdk.js"), REPLY.decode(), str(sdk),
            json.dumps(SAMPLE), str(N)]  # fmt: skip
    samples = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    return Timing(statistics.median(samples), min(samples), max(samples))


def run() -> list[Row]:
    node = node_timing()
    if node is None:
        return []
    cloud = Cloud()
    fixed = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"content-type": "application/json"}, content=REPLY)
    )
    cloud.init(accessToken="bench-token", transport=fixed)

    async def calls() -> None:
        for _ in range(N):
            await cloud.openapi.serviceMarket.invokeService(SAMPLE)

    ours = measure(lambda: asyncio.run(calls()), N, repeats=5)
    return [Row("2. per call vs Node (async)", ours, node, ours.median / node.median, 0.2)]


if __name__ == "__main__":
    print_rows(run())
