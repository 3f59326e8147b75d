"""7. Conversion throughput on a ~1 MB nested object: request keys (camel → snake) and reply keys
(snake → camel), ours (Node's key order and collision rule) vs a plain recursive dict rebuild.

Still to add: the same data through the real wx-server-sdk in Node (the issue's baseline)."""

from __future__ import annotations

import json

from common import Row, interleaved, print_rows

from cloud.convert import convert_keys, to_camel, to_snake


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
            lambda d=data, r=rename: convert_keys(d, r), lambda d=data, r=rename: naive(d, r), 1, repeats=7
        )
        rows.append(Row(f"7. {label} 1 MB vs plain dict rebuild", ours, base, ours.median / base.median, 1.5))
    return rows


if __name__ == "__main__":
    print_rows(run())
