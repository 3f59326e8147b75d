"""7. Conversion throughput on a ~1 MB nested object: request keys (camel → snake) and reply keys
(snake → camel).

- Ours (Node's key order and collision rule) vs a plain recursive dict rebuild, the floor for
  Python: target ≤ 1.5×.
- A whole call carrying the 1 MB (params, or reply) in ours and in the real wx-server-sdk (no-op
  transports on both sides; each side also serialises and parses the JSON): target ≤ 1.0×.
"""

from __future__ import annotations

import asyncio
import json
import time

import vs_node
from common import Row, interleaved, print_rows

from cloud._client.instance import Cloud
from cloud._js.case import convert_keys, to_camel, to_snake

API = "security.msgSecCheck"
SMALL_REPLY = b'{"errcode":0,"errmsg":"ok"}'
CALLS = 10


def sample(snake: bool, target_bytes: int = 1_000_000) -> dict[str, object]:
    sep = (lambda a, b: f"{a}_{b}") if snake else (lambda a, b: a + b.capitalize())
    corners = {sep("left", "top"): {"x": 1, "y": 2}, sep("right", "bottom"): {"x": 3, "y": 4}}
    item = {
        sep("item", "id"): 1,
        sep("image", "width"): 480,
        sep("text", "value"): "abc",
        sep("pos", "list"): [corners],
    }
    size = len(json.dumps(item))
    return {sep("result", "list"): [dict(item, **{sep("item", "id"): i}) for i in range(target_bytes // size)]}


def naive(value: object, rename: object) -> object:
    """The plainest recursive rename: the floor to compare the Node-order rebuild against."""
    if isinstance(value, dict):
        return {rename(k): naive(v, rename) for k, v in value.items()}  # type: ignore[operator]
    if isinstance(value, list):
        return [naive(v, rename) for v in value]
    return value


def run() -> list[Row]:
    rows = []
    for label, data, rename in (("camel→snake", sample(False), to_snake), ("snake→camel", sample(True), to_camel)):
        ours, base = interleaved(
            lambda d=data, r=rename: convert_keys(d, r), lambda d=data, r=rename: naive(d, r), 1, repeats=11
        )
        rows.append(Row(f"7. {label} 1 MB vs plain dict rebuild", ours, base, ours.median / base.median, 1.5))
    if vs_node.node_available():
        rows += _whole_calls()
    return rows


def _whole_calls() -> list[Row]:
    big_reply = json.dumps({"errcode": 0, "errmsg": "ok", **sample(True)}).encode()
    rows = []
    for label, params, reply in (("camel→snake", sample(False), SMALL_REPLY), ("snake→camel", {}, big_reply)):
        cloud = Cloud()
        cloud.init(accessToken="bench-token", transport=vs_node.FixedReply(reply))

        async def calls(params: object = params, cloud: Cloud = cloud) -> None:
            for _ in range(CALLS):
                await cloud.openapi.security.msgSecCheck(params)

        def ours(calls: object = calls) -> float:
            started = time.perf_counter()
            asyncio.run(calls())  # type: ignore[operator]
            return (time.perf_counter() - started) / CALLS

        ours_t, node_t = vs_node.in_turns(ours, lambda p=params, r=reply: vs_node.node_samples(API, p, r, CALLS))
        rows.append(Row(f"7. {label} 1 MB, whole call vs Node", ours_t, node_t, ours_t.median / node_t.median, 1.0))
    return rows


if __name__ == "__main__":
    print_rows(run())
