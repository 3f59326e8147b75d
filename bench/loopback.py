"""3. Over loopback HTTP against the emulator (its own process, asyncio server): sequential
blocking calls, and async calls at concurrency 64, ours vs raw httpx sending the same requests
with the same pool size. Target: ≤ 1.10×.
"""

from __future__ import annotations

import asyncio

import httpx
from client_cost import BODY, SAMPLE
from common import Row, interleaved, print_rows

from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_ACCESS_TOKEN
from cloud.emulator.server import spawn

SEQUENTIAL, CONCURRENT, CONCURRENCY = 500, 2000, 64
PATH = "/wxa/servicemarket"
HEADERS = {"content-type": "application/json"}


def run() -> list[Row]:
    rows = []
    with spawn() as base:
        cloud = Cloud()
        cloud.init(accessToken=EMULATOR_ACCESS_TOKEN, apiBase=base, maxConnections=CONCURRENCY)
        raw = httpx.Client(limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY))
        params = {"access_token": EMULATOR_ACCESS_TOKEN}

        def ours_seq() -> None:
            for _ in range(SEQUENTIAL):
                cloud.sync.openapi.serviceMarket.invokeService(SAMPLE)

        def raw_seq() -> None:
            for _ in range(SEQUENTIAL):
                raw.post(base + PATH, params=params, content=BODY, headers=HEADERS).json()

        ours, base_t = interleaved(ours_seq, raw_seq, SEQUENTIAL, repeats=5)
        rows.append(Row("3. loopback, sequential sync", ours, base_t, ours.median / base_t.median, 1.10))

        async def measure_async() -> tuple[object, object]:
            limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
            araw = httpx.AsyncClient(limits=limits)
            loop = asyncio.get_running_loop()

            async def fan_out(one: object) -> None:
                gate = asyncio.Semaphore(CONCURRENCY)

                async def guarded() -> None:
                    async with gate:
                        await one()  # type: ignore[operator]

                await asyncio.gather(*(guarded() for _ in range(CONCURRENT)))

            async def ours_one() -> None:
                await cloud.openapi.serviceMarket.invokeService(SAMPLE)

            async def raw_one() -> None:
                (await araw.post(base + PATH, params=params, content=BODY, headers=HEADERS)).json()

            def on_loop(one: object) -> object:
                return lambda: asyncio.run_coroutine_threadsafe(fan_out(one), loop).result()

            result = await loop.run_in_executor(
                None,
                lambda: interleaved(on_loop(ours_one), on_loop(raw_one), CONCURRENT, repeats=5),  # type: ignore[arg-type]
            )
            await araw.aclose()
            await cloud.aclose()
            return result

        ours_a, base_a = asyncio.run(measure_async())
        rows.append(Row(f"3. loopback, async x{CONCURRENCY}", ours_a, base_a, ours_a.median / base_a.median, 1.10))  # type: ignore[union-attr]
        cloud.close()
    return rows


if __name__ == "__main__":
    print_rows(run())
