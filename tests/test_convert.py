"""Case conversion: Node's rule on many random keys (checked against the real SDK), and its laws."""

from __future__ import annotations

import random
import string
from typing import Any

import pytest

from cloud._js.case import convert_keys, to_camel, to_snake

from . import node_sdk
from .parity_cases import API

ALPHABET = string.ascii_letters + string.digits + "_-.$ " + "ÄéßЖ中文" + "\U0001f600"


def random_keys(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    keys = {"".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))) for _ in range(count)}
    return sorted(k for k in keys if not k.isdigit())  # integer-like keys are ordered apart in Node


@pytest.fixture(scope="module")
def node_conversions() -> dict[str, Any]:
    """Node's request conversion of each random key, and its reply conversion of each."""
    request_keys = random_keys(1, 400)
    reply_keys = random_keys(2, 400)
    cases = [
        {"id": f"req-{i}", "path": API, "args": [{key: i}], "options": []} for i, key in enumerate(request_keys)
    ] + [
        {"id": f"rep-{i}", "path": API, "args": [{}],
         "reply": {"contentType": "application/json", "body": node_sdk.json.dumps({key: i})}}
        for i, key in enumerate(reply_keys)
    ]  # fmt: skip
    outcomes = {o["id"]: o for o in node_sdk.run(cases)}
    to_snake_node = {k: outcomes[f"req-{i}"]["sent"]["pairs"][0]["key"] for i, k in enumerate(request_keys)}
    to_camel_node = {}
    for i, key in enumerate(reply_keys):
        result = outcomes[f"rep-{i}"]["result"]
        (converted,) = [k for k in result if k not in ("errMsg", "errCode")] or [None]
        to_camel_node[key] = converted
    return {"snake": to_snake_node, "camel": to_camel_node}


def test_to_snake_agrees_with_node_on_random_keys(node_conversions: dict[str, Any]) -> None:
    disagree = {k: (to_snake(k), v) for k, v in node_conversions["snake"].items() if to_snake(k) != v}
    assert len(node_conversions["snake"]) > 300
    assert disagree == {}


def test_to_camel_agrees_with_node_on_random_keys(node_conversions: dict[str, Any]) -> None:
    checked = {k: v for k, v in node_conversions["camel"].items() if v not in (None, "errMsg", "errCode")}
    disagree = {k: (to_camel(k), v) for k, v in checked.items() if to_camel(k) != v}
    assert len(checked) > 300
    assert disagree == {}


@pytest.mark.parametrize("key", random_keys(3, 200))
def test_conversions_are_idempotent(key: str) -> None:
    assert to_snake(to_snake(key)) == to_snake(key)
    assert to_camel(to_camel(key)) == to_camel(key)


def test_snake_then_camel_round_trips_plain_camel_case() -> None:
    for key in ("imgUrl", "clientMsgId", "dataType", "a1B2", "x"):
        assert to_camel(to_snake(key)) == key


def test_values_and_non_object_items_are_untouched() -> None:
    value = {"aB": ["cD", {"eF": "gH"}, [{"iJ": None}], 1.5, None, True]}
    assert convert_keys(value, to_snake) == {"a_b": ["cD", {"e_f": "gH"}, [{"i_j": None}], 1.5, None, True]}
    assert value == {"aB": ["cD", {"eF": "gH"}, [{"iJ": None}], 1.5, None, True]}, "the input is not changed"
