"""8. Where our CPU per call goes with 1,000 calls in flight (row 2's measure), part by part, each
part timed alone the same way (CPU time per call, median of rounds):

- the asyncio floor: a task per call that does nothing (``asyncio.gather`` of 1,000 coroutines),
  what any asyncio program pays to have 1,000 calls in flight;
- the flow: the sans-I/O part of a call (checks, key conversion, JSON writing, token, reading and
  shaping the reply), driven without I/O;
- the exchange: our httpx request built, sent to row 2's in-process transport, its reply read;
- the whole call; what it costs beyond the three parts is the async shell that joins them (pool
  lease, connection gate, deadline watchdog, the coroutines between them) and garbage collection.

Reported only (no target): it says which part a change would have to shrink.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable

from client_cost import REPLY, SAMPLE, TOKEN
from common import Row, Timing, print_rows
from vs_node import FixedReply

from cloud._client.instance import Cloud
from cloud._core import flow as call
from cloud._core import transport as shell
from cloud._core.messages import Reply, Request

IN_FLIGHT = 1000
ROUNDS = 9


def _cpu(batch: Callable[[], None], calls: int) -> Timing:
    batch()  # warm-up
    samples = []
    for _ in range(ROUNDS):
        started = time.process_time()
        batch()
        samples.append((time.process_time() - started) / calls)
    return Timing(statistics.median(samples), min(samples), max(samples))


def run() -> list[Row]:
    cloud = Cloud()
    cloud.init(accessToken=TOKEN, transport=FixedReply(REPLY))
    settled = cloud._ready()
    cfg, shared = settled.config, settled.shared
    reply = Reply(200, "application/json", REPLY)
    options = call.CallOptions()
    transport = FixedReply(REPLY)
    request: list[Request] = []

    def flows() -> None:
        for _ in range(IN_FLIGHT):
            flow = call.flow("serviceMarket.invokeService", SAMPLE, options, cfg, shared)
            request[:] = [next(flow)]
            try:
                flow.send(reply)
            except StopIteration:
                pass

    async def nothing() -> dict[str, object]:
        return {}

    async def exchange() -> bytes:
        resp = await transport.handle_async_request(shell.http_request(request[0]))
        body = bytearray()
        async for chunk in resp.stream:  # type: ignore[union-attr]
            body += chunk
        await resp.aclose()
        return bytes(body)

    def in_flight(make: Callable[[], object]) -> Callable[[], None]:
        async def batch() -> None:
            await asyncio.gather(*(make() for _ in range(IN_FLIGHT)))  # type: ignore[misc]

        return lambda: asyncio.run(batch())

    flows()  # a request to send in the exchange part
    floor = _cpu(in_flight(nothing), IN_FLIGHT)
    flow = _cpu(flows, IN_FLIGHT)
    with_tasks = _cpu(in_flight(exchange), IN_FLIGHT)
    exchange_alone = Timing(*(t - floor.median for t in (with_tasks.median, with_tasks.low, with_tasks.high)))
    whole = _cpu(in_flight(lambda: cloud.openapi.serviceMarket.invokeService(SAMPLE)), IN_FLIGHT)
    rest = whole.median - floor.median - flow.median - exchange_alone.median
    parts = [
        ("asyncio floor: a task per call doing nothing", floor),
        ("the flow, without I/O", flow),
        ("the httpx exchange, in-process transport (less its task)", exchange_alone),
        ("the rest: async shell, garbage collection", f"{rest * 1e6:.1f} µs"),
    ]
    share = [floor.median, flow.median, exchange_alone.median, rest]
    rows = [Row("8. the whole call (ratios: each part's share of it)", whole, "", 1.0, None)]
    rows += [
        Row(f"8. {name}", timing, "", part / whole.median, None)
        for (name, timing), part in zip(parts, share, strict=True)
    ]
    return rows


if __name__ == "__main__":
    print_rows(run())
