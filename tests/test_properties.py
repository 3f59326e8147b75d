"""Property-based tests of the case conversion: its laws, round trips where they must hold, and
agreement with the real Node SDK on generated keys and objects (one long-lived Node process)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cloud._convert import convert_keys, to_camel, to_snake

from .node_sdk import LineHarness

KEY_CHARS = st.sampled_from([*"abcxyzABCXYZ019_-.$ ", "中", "Ä", "é", "ß", "\U0001f600"])
keys = st.text(KEY_CHARS, max_size=10)
INDEX = re.compile(r"0|[1-9][0-9]*")  # JavaScript orders these keys first in every object
NODE = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def node() -> Iterator[LineHarness]:
    harness = LineHarness()
    yield harness
    harness.close()


@given(keys)
def test_snake_keys_have_no_ascii_capitals_and_are_fixed_points(key: str) -> None:
    snake = to_snake(key)
    assert not re.search("[A-Z]", snake)
    assert to_snake(snake) == snake
    assert to_camel(to_camel(key)) == to_camel(key)


@given(st.from_regex(r"[a-z][a-zA-Z0-9]{0,12}", fullmatch=True))
def test_camel_case_round_trips(key: str) -> None:
    assert to_camel(to_snake(key)) == key


@given(st.from_regex(r"[a-z][a-z0-9]{0,5}(_[a-z][a-z0-9]{0,5}){0,3}", fullmatch=True))
def test_snake_case_round_trips(key: str) -> None:
    assert to_snake(to_camel(key)) == key


def _distinct_after_conversion(d: dict[str, Any]) -> bool:
    return len({to_snake(k) for k in d}) == len(d)


JSONISH = st.recursive(
    st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3).filter(_distinct_after_conversion)
    ),
    max_leaves=10,
)


@given(JSONISH)
def test_values_are_never_converted(value: Any) -> None:
    def leaves(v: Any) -> list[str]:
        if isinstance(v, dict):
            return [s for item in v.values() for s in leaves(item)]
        if isinstance(v, list):
            return [s for item in v for s in leaves(item)]
        return [repr(v)]

    assert sorted(leaves(convert_keys(value, to_snake))) == sorted(leaves(value))


@NODE
@given(st.lists(keys, min_size=1, max_size=6))
def test_request_conversion_agrees_with_node(node: LineHarness, names: list[str]) -> None:
    assume(not any(INDEX.fullmatch(k) or INDEX.fullmatch(to_snake(k)) for k in names))
    params = {k: i for i, k in enumerate(names)}
    (outcome,) = node.run([{"id": "p", "path": "a.b", "args": [params]}])
    sent = [(pair["key"], json.loads(pair["value"])) for pair in outcome["sent"]["pairs"]]
    assert sent == list(convert_keys(params, to_snake).items())


@NODE
@given(st.lists(keys, min_size=1, max_size=6))
def test_reply_conversion_agrees_with_node(node: LineHarness, names: list[str]) -> None:
    reserved = {"errcode", "errmsg", "errMsg", "errCode", "__proto__", "constructor"}
    assume(
        not any(
            k in reserved or to_camel(k) in reserved or INDEX.fullmatch(k) or INDEX.fullmatch(to_camel(k))
            for k in names
        )
    )
    assume(not any("__proto__" in k or "constructor" in k for k in names))
    body = {k: i for i, k in enumerate(names)}
    reply = {"contentType": "application/json", "body": json.dumps(body, ensure_ascii=False)}
    (outcome,) = node.run([{"id": "r", "path": "a.b", "args": [{}], "reply": reply}])
    expected = {**convert_keys(body, to_camel), "errMsg": "openapi.a.b:ok", "errCode": 0}
    assert list(outcome["result"].items()) == list(expected.items())
