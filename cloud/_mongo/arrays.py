"""Aggregation operators on arrays, sets and objects (``$arrayElemAt`` … ``$zip``, ``$setUnion`` …,
``$mergeObjects``, ``$objectToArray``), and the statistics both ``$group`` and expressions use
(``$sum``, ``$avg``, ``$min``, ``$max``, ``$stdDevPop``, ``$stdDevSamp``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .values import (
    MISSING,
    MongoError,
    Scope,
    args,
    array,
    compare,
    equal,
    frozen,
    is_number,
    nullish,
    truthy,
    type_name,
    unique,
)

Operator = Callable[[Any, Scope], Any]


def summed(values: list[Any]) -> int | float:
    return sum(v for v in values if is_number(v))


def averaged(values: list[Any]) -> Any:
    numbers = [v for v in values if is_number(v)]
    return sum(numbers) / len(numbers) if numbers else None


def extreme(values: list[Any], greatest: bool) -> Any:
    present = [v for v in values if not nullish(v)]
    if not present:
        return None
    best = present[0]
    for value in present[1:]:
        if (compare(value, best) > 0) == greatest and compare(value, best) != 0:
            best = value
    return best


def deviation(values: list[Any], sample: bool) -> Any:
    numbers = [v for v in values if is_number(v)]
    if len(numbers) < (2 if sample else 1):
        return None
    mean = sum(numbers) / len(numbers)
    return math.sqrt(sum((n - mean) ** 2 for n in numbers) / (len(numbers) - (1 if sample else 0)))


STATISTICS: dict[str, Callable[[list[Any]], Any]] = {
    "$sum": summed, "$avg": averaged, "$min": lambda v: extreme(v, False), "$max": lambda v: extreme(v, True),
    "$stdDevPop": lambda v: deviation(v, False), "$stdDevSamp": lambda v: deviation(v, True),
}  # fmt: skip


def _statistic(op: str) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        values = args(raw, scope, op)
        if len(values) == 1 and isinstance(values[0], list):
            values = values[0]
        return STATISTICS[op](values)

    return operator


def _elem_at(raw: Any, scope: Scope) -> Any:
    items, index = args(raw, scope, "$arrayElemAt", 2)
    if nullish(items) or nullish(index):
        return None
    items = array(items, "$arrayElemAt")
    if not is_number(index) or index != int(index):
        raise MongoError("$arrayElemAt's second argument must be a whole number")
    index = int(index)
    return items[index] if -len(items) <= index < len(items) else MISSING


def _ends(op: str, last: bool) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        (items,) = args(raw, scope, op, 1)
        if nullish(items):
            return None
        items = array(items, op)
        return (items[-1] if last else items[0]) if items else MISSING

    return operator


def _concat_arrays(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$concatArrays")
    if any(nullish(v) for v in values):
        return None
    return [item for v in values for item in array(v, "$concatArrays")]


def _iterate(raw: Any, scope: Scope, op: str) -> tuple[Any, str]:
    if not isinstance(raw, Mapping) or "input" not in raw:
        raise MongoError(f"{op} takes {{input, as, ...}}")
    return scope.ev(raw["input"]), str(raw.get("as", "this"))


def _filter(raw: Any, scope: Scope) -> Any:
    items, name = _iterate(raw, scope, "$filter")
    if nullish(items):
        return None
    kept = [i for i in array(items, "$filter") if truthy(scope.bound(**{name: i}).ev(raw.get("cond", True)))]
    limit = scope.ev(raw["limit"]) if "limit" in raw else None
    return kept[: int(limit)] if isinstance(limit, (int, float)) else kept


def _map(raw: Any, scope: Scope) -> Any:
    items, name = _iterate(raw, scope, "$map")
    if nullish(items):
        return None
    if "in" not in raw:
        raise MongoError("$map takes {input, as, in}")
    out = [scope.bound(**{name: i}).ev(raw["in"]) for i in array(items, "$map")]
    return [None if v is MISSING else v for v in out]


def _reduce(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or not {"input", "initialValue", "in"} <= set(raw):
        raise MongoError("$reduce takes {input, initialValue, in}")
    items = scope.ev(raw["input"])
    if nullish(items):
        return None
    value = scope.ev(raw["initialValue"])
    for item in array(items, "$reduce"):
        value = scope.bound(this=item, value=value).ev(raw["in"])
    return value


def _in(raw: Any, scope: Scope) -> Any:
    value, items = args(raw, scope, "$in", 2)
    return any(equal(value, i) for i in array(items, "$in"))


def _index_of_array(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$indexOfArray", (2, 4))
    if nullish(values[0]):
        return None
    items = array(values[0], "$indexOfArray")
    start = int(values[2]) if len(values) > 2 else 0
    end = int(values[3]) if len(values) > 3 else len(items)
    return next((i for i in range(start, min(end, len(items))) if equal(items[i], values[1])), -1)


def _range(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$range", (2, 3))
    if not all(is_number(v) and v == int(v) for v in values):
        raise MongoError("$range takes whole numbers")
    step = int(values[2]) if len(values) > 2 else 1
    if step == 0:
        raise MongoError("$range's step cannot be 0")
    return list(range(int(values[0]), int(values[1]), step))


def _slice(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$slice", (2, 3))
    if any(nullish(v) for v in values):
        return None
    items = array(values[0], "$slice")
    if len(values) == 2:
        n = int(values[1])
        return items[:n] if n >= 0 else items[n:]
    start, n = int(values[1]), int(values[2])
    if n <= 0:
        raise MongoError("$slice's third argument must be positive")
    start = max(len(items) + start, 0) if start < 0 else start
    return items[start : start + n]


def _zip(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or "inputs" not in raw:
        raise MongoError("$zip takes {inputs, useLongestLength, defaults}")
    inputs = [scope.ev(i) for i in raw["inputs"]]
    if any(nullish(i) for i in inputs):
        return None
    inputs = [array(i, "$zip") for i in inputs]
    if not truthy(raw.get("useLongestLength", False)):
        return [list(t) for t in zip(*inputs, strict=False)]
    defaults = raw.get("defaults") or [None] * len(inputs)
    longest = max((len(i) for i in inputs), default=0)
    return [[i[n] if n < len(i) else defaults[k] for k, i in enumerate(inputs)] for n in range(longest)]


def _object_to_array(raw: Any, scope: Scope) -> Any:
    (value,) = args(raw, scope, "$objectToArray", 1)
    if nullish(value):
        return None
    if not isinstance(value, Mapping):
        raise MongoError(f"$objectToArray requires a document input, found: {type_name(value)}")
    return [{"k": k, "v": v} for k, v in value.items()]


def _array_to_object(raw: Any, scope: Scope) -> Any:
    (items,) = args(raw, scope, "$arrayToObject", 1)
    if nullish(items):
        return None
    out: dict[str, Any] = {}
    for item in array(items, "$arrayToObject"):
        if isinstance(item, Mapping) and set(item) == {"k", "v"}:
            out[str(item["k"])] = item["v"]
        elif isinstance(item, list) and len(item) == 2:
            out[str(item[0])] = item[1]
        else:
            raise MongoError("$arrayToObject takes [{k, v}] or [[k, v]]")
    return out


def _merge_objects(raw: Any, scope: Scope) -> Any:
    out: dict[str, Any] = {}
    for value in args(raw, scope, "$mergeObjects"):
        if nullish(value):
            continue
        if not isinstance(value, Mapping):
            raise MongoError(f"$mergeObjects requires object inputs, but input is of type {type_name(value)}")
        out.update(value)
    return out


def _sets(op: str, combine: Callable[[list[list[Any]]], Any]) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        values = args(raw, scope, op)
        if any(nullish(v) for v in values):
            return None
        return combine([array(v, op) for v in values])

    return operator


def _keys(items: list[Any]) -> set[Any]:
    return {frozen(i) for i in items}


OPERATORS: dict[str, Operator] = {
    **{op: _statistic(op) for op in STATISTICS},
    "$arrayElemAt": _elem_at, "$first": _ends("$first", False), "$last": _ends("$last", True),
    "$concatArrays": _concat_arrays, "$filter": _filter, "$map": _map, "$reduce": _reduce, "$in": _in,
    "$indexOfArray": _index_of_array, "$range": _range, "$slice": _slice, "$zip": _zip,
    "$isArray": lambda raw, scope: isinstance(args(raw, scope, "$isArray", 1)[0], list),
    "$size": lambda raw, scope: len(array(args(raw, scope, "$size", 1)[0], "$size")),
    "$reverseArray": lambda raw, scope: (lambda v: None if nullish(v) else array(v, "$reverseArray")[::-1])(
        args(raw, scope, "$reverseArray", 1)[0]),
    "$objectToArray": _object_to_array, "$arrayToObject": _array_to_object, "$mergeObjects": _merge_objects,
    "$setUnion": _sets("$setUnion", lambda vs: unique([i for v in vs for i in v])),
    "$setIntersection": _sets("$setIntersection", lambda vs: [i for i in unique(vs[0]) if all(
        frozen(i) in _keys(v) for v in vs[1:])] if vs else []),
    "$setDifference": _sets("$setDifference", lambda vs: [i for i in unique(vs[0]) if frozen(i) not in _keys(vs[1])]),
    "$setEquals": _sets("$setEquals", lambda vs: all(_keys(v) == _keys(vs[0]) for v in vs)),
    "$setIsSubset": _sets("$setIsSubset", lambda vs: _keys(vs[0]) <= _keys(vs[1])),
    "$allElementsTrue": lambda raw, scope: all(truthy(i) for i in array(args(raw, scope, "$allElementsTrue", 1)[0],
                                                                        "$allElementsTrue")),
    "$anyElementTrue": lambda raw, scope: any(truthy(i) for i in array(args(raw, scope, "$anyElementTrue", 1)[0],
                                                                       "$anyElementTrue")),
}  # fmt: skip
