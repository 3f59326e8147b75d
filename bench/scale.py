"""6. Scale: 10,000 concurrent async calls through one client on a cold token cache (appid +
secret, stable_token), against the in-process emulator: throughput, peak memory, and single-flight
(the target: exactly one token request)."""

from __future__ import annotations

import asyncio
import resource
import time

from client_cost import SAMPLE
from common import Row, Timing, print_rows

from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator

CALLS = 10_000


def run() -> list[Row]:
    emulator = Emulator(record=False)
    cloud = Cloud()
    cloud.init(appid=EMULATOR_APPID, secret=EMULATOR_SECRET, transport=emulator.transport(), timeout=120)

    async def burst() -> list[int]:
        results = await asyncio.gather(*(cloud.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(CALLS)))
        return [r["errCode"] for r in results]

    started = time.perf_counter()
    codes = asyncio.run(burst())
    took = time.perf_counter() - started
    assert codes == [0] * CALLS, "every call succeeds"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fetches = len(emulator.issued_tokens)  # the emulator issues one token per token request
    per_call = Timing(took / CALLS, took / CALLS, took / CALLS)
    name = f"6. {CALLS} concurrent: {CALLS / took:.0f} calls/s, peak {peak_mb:.0f} MB; token fetches"
    return [Row(name, per_call, "1 fetch", float(fetches), 1.0)]


if __name__ == "__main__":
    print_rows(run())
