"""2. Per-call cost against Node: the same call in the real wx-server-sdk 4.0.2 with a no-op fake
transport (the one ``python -m cloud compare`` uses), and in ours with an in-process transport
answering the same fixed reply as the network transport hands a reply over (``FixedReply``).
Target: ours ≤ 0.2× Node's.

Calls one after another (the target's measure) is what a cloud function sees: Node's call waits
on a ``setTimeout(0)`` (at least 1 ms) before it sends. With 1,000 calls in flight that wait
overlaps, and what is left is CPU per call, measured as CPU time on both sides (Node's counts
every thread of the process: V8 collects garbage and compiles on other threads): target ≤ 1.0×
Node's. Node is measured warm (node_calls.js warms it up for a second of calls: its hot paths cost
a third as much once V8 has compiled them), as a busy service runs. Node and ours take turns, round
by round, so that a busy moment of the machine hits both. Also reported: the memory 1,000 calls
hold while all of them wait in the transport (Python objects by tracemalloc, Node's heap by
``process.memoryUsage()``, each after a warm-up batch and a full collection).
"""

from __future__ import annotations

import asyncio
import gc
import json
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from client_cost import REPLY, SAMPLE, TOKEN
from common import ROOT, Row, Timing, print_rows

from cloud._client.instance import Cloud

N = 2000
IN_FLIGHT = 1000
ROUNDS = 9  # rounds each side: the in-flight figures move by a fifth from round to round


def node_available() -> bool:
    if shutil.which("node") and (ROOT / "tests" / "node" / "node_modules" / "wx-server-sdk").is_dir():
        return True
    print("Node rows left out: they need node and `npm ci --prefix tests/node`", file=sys.stderr)
    return False


def node_samples(
    api: str,
    params: object,
    reply: bytes,
    calls: int,
    in_flight: int = 1,
    repeats: int = 1,
    memory: bool = False,
    cpu: bool = False,
) -> Any:
    """Seconds per call of ``api`` in the real wx-server-sdk with a no-op transport, one per repeat,
    in a warm process (``cpu``: the process's CPU seconds per call; ``memory``: the heap bytes
    ``in_flight`` calls hold instead, see node_calls.js)."""
    job = {"fakeSdk": str(ROOT / "cloud" / "_compare" / "fake_sdk.js"), "sdkDir": str(ROOT / "tests" / "node"),
           "api": api, "params": params, "replyBody": reply.decode(), "calls": calls, "inFlight": in_flight,
           "repeats": repeats, "memory": memory, "cpu": cpu}  # fmt: skip
    script = str(ROOT / "bench" / "node_calls.js")
    args = ["node", "--expose-gc", script]
    return json.loads(subprocess.run(args, input=json.dumps(job), capture_output=True, text=True, check=True).stdout)


def held_memory(api: str) -> int:
    """The bytes of Python objects ``IN_FLIGHT`` calls hold while all of them wait in the transport
    (tracemalloc; a warm-up batch first, then a full collection), as node_calls.js measures Node's."""
    state: dict[str, Any] = {"arrived": 0, "held": 0}

    async def answer(request: httpx.Request) -> httpx.Response:
        state["arrived"] += 1
        if state["arrived"] == IN_FLIGHT:
            state["held"] = tracemalloc.get_traced_memory()[0]
            state["gate"].set()
        await state["gate"].wait()
        return httpx.Response(200, headers={"content-type": "application/json"}, content=REPLY)

    async def batch(call: Any) -> None:
        state["arrived"], state["gate"] = 0, asyncio.Event()
        await asyncio.gather(*(call(SAMPLE) for _ in range(IN_FLIGHT)))

    async def measure() -> int:
        cloud = Cloud()  # as many connections as calls: none waits for its turn before the transport
        cloud.init(accessToken=TOKEN, transport=httpx.MockTransport(answer), maxConnections=IN_FLIGHT)
        call = cloud.openapi[api]
        await batch(call)  # warm-up
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            await batch(call)
        finally:
            tracemalloc.stop()
        return state["held"] - before  # type: ignore[no-any-return]

    return asyncio.run(measure())


def timing(samples: list[float]) -> Timing:
    return Timing(statistics.median(samples), min(samples), max(samples))


def in_turns(ours: Callable[[], float], node: Callable[[], list[float]]) -> tuple[Timing, Timing]:
    """Both, round by round."""
    a: list[float] = []
    b: list[float] = []
    ours()  # warm-up (Node warms up in its own process)
    for _ in range(ROUNDS):
        a.append(ours())
        b += node()
    return timing(a), timing(b)


class FixedReply(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers every request with ``body``, handed over as httpx's network transport hands a reply
    over: a Response over an unread stream. (``httpx.MockTransport`` builds the Response from
    content and reads it whole before returning, about 12 µs a call of work that neither the
    network transport nor Node's fake transport, which returns one prepared reply, does.)"""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=self._headers, stream=httpx.ByteStream(self._body))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle_request(request)


def per_call(
    calls: int, batch: Callable[[], Coroutine[Any, Any, None]], clock: Callable[[], float] = time.perf_counter
) -> float:
    """Seconds per call (``clock=time.process_time``: CPU seconds) of ``batch``'s ``calls`` calls."""
    started = clock()
    asyncio.run(batch())
    return (clock() - started) / calls


def run() -> list[Row]:
    if not node_available():
        return []
    api = "serviceMarket.invokeService"
    cloud = Cloud()
    cloud.init(accessToken=TOKEN, transport=FixedReply(REPLY))

    async def one_by_one() -> None:
        for _ in range(N):
            await cloud.openapi.serviceMarket.invokeService(SAMPLE)

    async def in_flight() -> None:
        for _ in range(N // IN_FLIGHT):
            await asyncio.gather(*(cloud.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(IN_FLIGHT)))

    ours, node = in_turns(lambda: per_call(N, one_by_one), lambda: node_samples(api, SAMPLE, REPLY, N))
    ours_many, node_many = in_turns(
        lambda: per_call(N, in_flight, time.process_time),
        lambda: node_samples(api, SAMPLE, REPLY, N, IN_FLIGHT, cpu=True),
    )
    ratio_many = ours_many.median / node_many.median
    ours_kb, node_kb = held_memory(api) // 1024, node_samples(api, SAMPLE, REPLY, N, IN_FLIGHT, memory=True) // 1024
    return [
        Row("2. per call vs Node, one after another", ours, node, ours.median / node.median, 0.2),
        Row(f"2. CPU per call vs Node, {IN_FLIGHT} in flight", ours_many, node_many, ratio_many, 1.0),
        Row(f"2. memory held by {IN_FLIGHT} calls in flight vs Node", f"{ours_kb:,} kB", f"{node_kb:,} kB",
            ours_kb / node_kb, None),
    ]  # fmt: skip


if __name__ == "__main__":
    print_rows(run())
