"""Property-based tests of the case conversion: its laws, round trips where they must hold, and
agreement with the real Node SDK on generated keys and objects (one long-lived Node process)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cloud._core import request
from cloud._core.context import DYNAMIC_CURRENT_ENV
from cloud._js import json as jsjson
from cloud._js.case import convert_keys, to_camel, to_snake
from cloud._js.value import NULL
from cloud.errors import CloudSDKError

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


# Params as we send them: the direct walk (plain dicts and lists) agrees with the general one, and
# the bytes we write agree with what Node's JSON.stringify sends, with orjson and without it.
COLLIDING = st.sampled_from(["aB", "a_b", "AB", "ab", "a_B", "Ab"])
# The SDK writes pair values with json-bigint, which (unlike JSON.stringify) escapes U+007F-U+009F,
# U+2028 and a few other invisible characters: those are left to the orjson-vs-stdlib test.
TEXT = st.text(st.sampled_from([*'ab"\\/ \x00\x1f', "é", "中", "\U0001f600"]), max_size=6)
SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
INVISIBLE = st.text(st.sampled_from([*"a\x7f\x80\x9f\xad\u2028\u2029\ufeff\uffff", "\U0001f600"]), max_size=6)
ODD = st.sampled_from([None, NULL, DYNAMIC_CURRENT_ENV, math.nan, b"x", (1, "a"), 2**1100])
ANY_PARAMS = st.recursive(
    SCALARS | INVISIBLE | st.integers() | ODD,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(keys | COLLIDING | st.integers(0, 2), inner, max_size=4)
    ),
    max_leaves=14,
)
JSON_PARAMS = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys | COLLIDING, inner, max_size=4)
)


def _sent(params: Any) -> str:
    """What we would send for ``params``, as text, or the error's message."""
    try:
        return jsjson.dumps(request.prepare_params(params, convert_case=True, display_name="x"))
    except CloudSDKError as err:
        return f"error: {err.errMsg}"


@settings(max_examples=400)
@given(st.dictionaries(keys | COLLIDING, ANY_PARAMS, max_size=5))
def test_the_direct_walk_agrees_with_the_general_one(params: dict[str, Any]) -> None:
    general = mock.patch.object(request, "_walk", request._walk_other)  # every level the general way
    with general, mock.patch.object(request, "_no_media", lambda params: False):
        expected = _sent(params)
    assert _sent(params) == expected


@settings(max_examples=400)
@given(st.dictionaries(keys | COLLIDING, ANY_PARAMS, max_size=5))
def test_orjson_writes_the_same_bytes_as_the_standard_library(params: dict[str, Any]) -> None:
    try:
        prepared = request.prepare_params(params, convert_case=True, display_name="x")
    except CloudSDKError:
        return
    with mock.patch.object(jsjson, "_ORJSON", None):
        try:
            expected: bytes | str = jsjson.dumps_utf8(prepared)
        except UnicodeEncodeError:
            expected = "lone surrogate"
    try:
        ours: bytes | str = jsjson.dumps_utf8(prepared)
    except UnicodeEncodeError:
        ours = "lone surrogate"
    assert ours == expected


def _js_ordered(value: Any) -> bool:
    """No integer-like keys (JavaScript puts them first in every object) and no ``__proto__``."""
    if isinstance(value, dict):
        return all(
            not INDEX.fullmatch(to_snake(k)) and "__proto__" not in k and _js_ordered(v) for k, v in value.items()
        )
    return all(_js_ordered(v) for v in value) if isinstance(value, list) else True


@NODE
@pytest.mark.parametrize("fast", [True, False], ids=["orjson", "stdlib"])
@given(st.dictionaries(keys | COLLIDING, JSON_PARAMS, min_size=1, max_size=4))
def test_params_bytes_agree_with_node_json_stringify(node: LineHarness, fast: bool, params: dict[str, Any]) -> None:
    assume(_js_ordered(params))
    (outcome,) = node.run([{"id": "p", "path": "a.b", "args": [params]}])
    sent = [(pair["key"], pair["value"]) for pair in outcome["sent"]["pairs"]]
    with mock.patch.object(jsjson, "_ORJSON", jsjson._ORJSON if fast else None):
        prepared = request.prepare_params(params, convert_case=True, display_name="x")
        ours = [(k, jsjson.dumps_utf8(v).decode()) for k, v in prepared.items()]
    assert ours == sent


def test_orjson_is_installed_where_the_tests_run() -> None:
    jsjson.dumps_utf8({})
    assert jsjson._ORJSON is not None  # else the "orjson" cases above test the standard library twice


# Replies as we read them: orjson (when installed) reads every JSON text as the standard library does.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)
ODD_TEXTS = ["1E400", "-1e400", "-0", "-0.0", "1e-400", '{"a":1,"b":2,"a":3}', '"\\ud800"', '"\\udc00x"',
             "18446744073709551616", "-9223372036854775809", "1234567890123456789", '"12345678901234567890"',
             "[" * 2000 + "]" * 2000, "[" * 600 + "]" * 600, "NaN", "Infinity", "\ufeff{}", "[1,]", "01",
             '"\x00"', "", " ", '{"a":1} x']  # fmt: skip


def _read(text: str) -> str:
    try:
        return repr(jsjson.parse_json(text))  # repr: 1 and 1.0, 0 and -0.0 differ
    except (ValueError, RecursionError) as exc:
        return type(exc).__name__


@settings(max_examples=400)
@given(JSON_VALUES, st.booleans())
def test_orjson_reads_replies_as_the_standard_library(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    with mock.patch.object(jsjson, "_ORJSON", None):
        expected = _read(text)
    assert _read(text) == expected


@pytest.mark.parametrize("text", ODD_TEXTS, ids=lambda text: repr(text)[:24])
def test_orjson_reads_odd_replies_as_the_standard_library(text: str) -> None:
    with mock.patch.object(jsjson, "_ORJSON", None):
        expected = _read(text)
    assert _read(text) == expected
