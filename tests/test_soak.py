"""Load on loopback, bounded in count: 20,000 async calls at concurrency 200 and 2,000 blocking
calls from 8 threads, against the emulator in its own process. No errors, no leaked descriptors,
memory flat after warm-up, pooled connections reused and closed. Nothing here depends on how fast
the machine is (each call is bounded by its own timeout); it takes 30-60 s, so it is marked slow."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from cloud._client.instance import Cloud
from cloud.emulator.server import spawn

from .test_call import SAMPLE

ASYNC_CALLS, CONCURRENCY, SYNC_CALLS, THREADS = 20_000, 200, 2_000, 8
CONNECTIONS = 8  # httpx's pool spends CPU per open connection; loopback needs few


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.fixture
def emulator_process() -> Iterator[str]:
    with spawn() as base:
        yield base


@pytest.mark.slow
def test_soak(emulator_process: str) -> None:
    baseline = open_descriptors()
    cloud = Cloud()
    cloud.init(accessToken="emulator-access-token", apiBase=emulator_process, maxConnections=CONNECTIONS)

    async def run_async() -> tuple[list[int], float, int]:
        in_loop = open_descriptors()  # the loop's own selector and self-pipe are not the pool's
        gate = asyncio.Semaphore(CONCURRENCY)
        warm = 0.0

        async def one(i: int) -> int:
            nonlocal warm
            async with gate:
                result = await cloud.openapi.serviceMarket.invokeService(SAMPLE)
            if i == 2_000:
                gc.collect()
                warm = resident_mb()
            return int(result["errCode"])

        codes = await asyncio.gather(*(one(i) for i in range(ASYNC_CALLS)))
        in_use = open_descriptors() - in_loop
        await cloud.aclose()
        return codes, warm, in_use

    codes, warm, async_sockets = asyncio.run(run_async())
    assert codes == [0] * ASYNC_CALLS
    gc.collect()
    after_async = resident_mb()
    assert 0 < async_sockets <= CONNECTIONS, "async calls reuse a few pooled connections"
    assert open_descriptors() <= baseline, "aclose() closed them"

    with ThreadPoolExecutor(THREADS) as pool:
        sync_codes = list(pool.map(lambda _: cloud.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"],
                                   range(SYNC_CALLS)))  # fmt: skip
    assert sync_codes == [0] * SYNC_CALLS
    assert 0 < open_descriptors() - baseline <= CONNECTIONS, "blocking calls reuse a few pooled connections"
    cloud.close()
    assert open_descriptors() <= baseline, "close() closed them"
    assert after_async - warm < 25, f"memory grew from {warm:.0f} to {after_async:.0f} MB after warm-up"
