"""Aggregation operators on numbers, strings, truth and types: ``$add`` … ``$trunc``, ``$eq`` …
``$cmp``, ``$and``/``$or``/``$not``, ``$cond``/``$ifNull``/``$switch``, ``$concat`` … ``$split``,
``$toString`` … ``$convert``, ``$literal`` and ``$let``. Null or missing in, null out (MongoDB's rule)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from .values import (
    EPOCH,
    MISSING,
    MongoError,
    Scope,
    args,
    compare,
    is_number,
    nullish,
    number,
    to_string,
    truthy,
    type_name,
)

Operator = Callable[[Any, Scope], Any]


def _nulls(values: list[Any]) -> bool:
    return any(nullish(v) for v in values)


def _add(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$add")
    if _nulls(values):
        return None
    dates = [v for v in values if isinstance(v, dt.datetime)]
    if len(dates) > 1:
        raise MongoError("only one date allowed in an $add expression")
    total = sum(number(v, "$add") for v in values if not isinstance(v, dt.datetime))
    return dates[0] + dt.timedelta(milliseconds=total) if dates else total


def _subtract(raw: Any, scope: Scope) -> Any:
    a, b = args(raw, scope, "$subtract", 2)
    if nullish(a) or nullish(b):
        return None
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return round((a - b).total_seconds() * 1000)
    if isinstance(a, dt.datetime):
        return a - dt.timedelta(milliseconds=number(b, "$subtract"))
    return number(a, "$subtract") - number(b, "$subtract")


def _multiply(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$multiply")
    if _nulls(values):
        return None
    product: int | float = 1
    for value in values:
        product *= number(value, "$multiply")
    return product


def _divide(raw: Any, scope: Scope) -> Any:
    a, b = args(raw, scope, "$divide", 2)
    if nullish(a) or nullish(b):
        return None
    if number(b, "$divide") == 0:
        raise MongoError("can't $divide by zero")
    return number(a, "$divide") / b


def _mod(raw: Any, scope: Scope) -> Any:
    a, b = args(raw, scope, "$mod", 2)
    if nullish(a) or nullish(b):
        return None
    if number(b, "$mod") == 0:
        raise MongoError("can't $mod by zero")
    result = math.fmod(number(a, "$mod"), b)
    return int(result) if isinstance(a, int) and isinstance(b, int) else result


def _unary(name: str, fn: Callable[[Any], Any], domain: Callable[[Any], bool] = lambda x: True) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        (value,) = args(raw, scope, name, 1)
        if nullish(value):
            return None
        if not domain(number(value, name)):
            raise MongoError(f"{name}'s argument is outside its domain: {value}")
        return fn(value)

    return operator


def _rounding(name: str, fn: Callable[[float], Any]) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        values = args(raw, scope, name, (1, 2))
        if _nulls(values):
            return None
        value, place = number(values[0], name), int(values[1]) if len(values) > 1 else 0
        if isinstance(value, int) and place >= 0:
            return value
        scale = 10**place
        result = fn(value * scale) / scale
        return int(result) if place <= 0 and isinstance(value, int) else result

    return operator


def _log(raw: Any, scope: Scope) -> Any:
    value, base = args(raw, scope, "$log", 2)
    if nullish(value) or nullish(base):
        return None
    if number(value, "$log") <= 0 or number(base, "$log") <= 0 or base == 1:
        raise MongoError("$log's arguments must be positive (and the base not 1)")
    return math.log(value, base)


def _pow(raw: Any, scope: Scope) -> Any:
    a, b = args(raw, scope, "$pow", 2)
    if nullish(a) or nullish(b):
        return None
    if number(a, "$pow") == 0 and number(b, "$pow") < 0:
        raise MongoError("$pow cannot take a base of 0 and a negative exponent")
    return a**b if not (isinstance(a, int) and isinstance(b, int) and b > 64) else float(a) ** b


def expr_compare(a: Any, b: Any) -> int:
    """Expression comparison: as BSON's order, with a missing value below null."""
    if a is MISSING or b is MISSING:
        return (a is not MISSING) - (b is not MISSING)
    return compare(a, b)


def _comparison(name: str, test: Callable[[int], Any]) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        a, b = args(raw, scope, name, 2)
        return test(expr_compare(a, b))

    return operator


def _cond(raw: Any, scope: Scope) -> Any:
    if isinstance(raw, Mapping):
        if set(raw) != {"if", "then", "else"}:
            raise MongoError("$cond takes if, then and else")
        branches = [raw["if"], raw["then"], raw["else"]]
    elif isinstance(raw, list) and len(raw) == 3:
        branches = raw
    else:
        raise MongoError("$cond takes [if, then, else] or {if, then, else}")
    return scope.ev(branches[1] if truthy(scope.ev(branches[0])) else branches[2])


def _if_null(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, list) or len(raw) < 2:
        raise MongoError("$ifNull takes at least two arguments")
    for item in raw[:-1]:
        value = scope.ev(item)
        if not nullish(value):
            return value
    return scope.ev(raw[-1])


def _switch(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("branches"), list):
        raise MongoError("$switch takes {branches: [{case, then}], default}")
    for branch in raw["branches"]:
        if not isinstance(branch, Mapping) or "case" not in branch or "then" not in branch:
            raise MongoError("a $switch branch takes case and then")
        if truthy(scope.ev(branch["case"])):
            return scope.ev(branch["then"])
    if "default" not in raw:
        raise MongoError("$switch could not find a matching branch for an input, and no default was specified")
    return scope.ev(raw["default"])


def _let(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("vars"), Mapping) or "in" not in raw:
        raise MongoError("$let takes {vars: {...}, in: <expression>}")
    return scope.bound(**{k: scope.ev(v) for k, v in raw["vars"].items()}).ev(raw["in"])


def _to_number(to: str, value: Any) -> Any:
    if nullish(value):
        return None
    if isinstance(value, bool):
        return int(value) if to != "double" else float(value)
    if isinstance(value, dt.datetime):
        return round((value - EPOCH).total_seconds() * 1000)
    try:
        found = float(value) if to == "double" or isinstance(value, float) or "." in str(value) else int(value)
    except (TypeError, ValueError):
        raise MongoError(f"Failed to parse number '{value}' in $convert") from None
    return found if to == "double" else int(found)


def _to_date(value: Any) -> Any:
    if nullish(value) or isinstance(value, dt.datetime):
        return None if nullish(value) else value
    if is_number(value):
        return EPOCH + dt.timedelta(milliseconds=value)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise MongoError(f"Error parsing date string '{value}'") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
    raise MongoError(f"can't convert from {type_name(value)} to date")


CONVERSIONS: dict[str, Callable[[Any], Any]] = {
    "string": to_string,
    "int": lambda v: _to_number("int", v),
    "long": lambda v: _to_number("long", v),
    "double": lambda v: _to_number("double", v),
    "decimal": lambda v: _to_number("double", v),
    "bool": lambda v: None if nullish(v) else truthy(v) if not isinstance(v, str) else True,
    "date": _to_date,
}


def _conversion(name: str, to: str) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        (value,) = args(raw, scope, name, 1)
        return CONVERSIONS[to](value)

    return operator


def _convert(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or "input" not in raw or raw.get("to") not in CONVERSIONS:
        raise MongoError(f"$convert takes {{input, to}}, to one of {', '.join(CONVERSIONS)}")
    value = scope.ev(raw["input"])
    if nullish(value) and "onNull" in raw:
        return scope.ev(raw["onNull"])
    try:
        return CONVERSIONS[raw["to"]](value)
    except MongoError:
        if "onError" in raw:
            return scope.ev(raw["onError"])
        raise


OPERATORS: dict[str, Operator] = {
    "$add": _add, "$subtract": _subtract, "$multiply": _multiply, "$divide": _divide, "$mod": _mod,
    "$abs": _unary("$abs", abs), "$ceil": _unary("$ceil", math.ceil), "$floor": _unary("$floor", math.floor),
    "$sqrt": _unary("$sqrt", math.sqrt, lambda x: x >= 0), "$exp": _unary("$exp", math.exp),
    "$ln": _unary("$ln", math.log, lambda x: x > 0), "$log10": _unary("$log10", math.log10, lambda x: x > 0),
    "$log": _log, "$pow": _pow, "$trunc": _rounding("$trunc", math.trunc),
    "$round": _rounding("$round", lambda x: math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)),
    "$cmp": _comparison("$cmp", lambda c: c), "$eq": _comparison("$eq", lambda c: c == 0),
    "$ne": _comparison("$ne", lambda c: c != 0), "$gt": _comparison("$gt", lambda c: c > 0),
    "$gte": _comparison("$gte", lambda c: c >= 0), "$lt": _comparison("$lt", lambda c: c < 0),
    "$lte": _comparison("$lte", lambda c: c <= 0),
    "$and": lambda raw, scope: all(truthy(v) for v in args(raw, scope, "$and")),
    "$or": lambda raw, scope: any(truthy(v) for v in args(raw, scope, "$or")),
    "$not": lambda raw, scope: not truthy(args(raw, scope, "$not", 1)[0]),
    "$cond": _cond, "$ifNull": _if_null, "$switch": _switch, "$let": _let,
    "$literal": lambda raw, scope: raw,
    "$toString": _conversion("$toString", "string"), "$toInt": _conversion("$toInt", "int"),
    "$toLong": _conversion("$toLong", "long"), "$toDouble": _conversion("$toDouble", "double"),
    "$toDecimal": _conversion("$toDecimal", "decimal"), "$toBool": _conversion("$toBool", "bool"),
    "$toDate": _conversion("$toDate", "date"), "$convert": _convert,
    "$type": lambda raw, scope: type_name(args(raw, scope, "$type", 1)[0]),
    "$isNumber": lambda raw, scope: is_number(args(raw, scope, "$isNumber", 1)[0]),
}  # fmt: skip
