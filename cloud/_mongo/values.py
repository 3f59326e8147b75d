"""BSON's values and the rules every part of the engine shares: the order of values (MongoDB's
"comparison/sort order": null < numbers < strings < objects < arrays < booleans < dates < regular
expressions; objects key by key, arrays element by element; equality is order 0, so ``1 == 1.0``,
``True != 1``, ``{a: 1, b: 2} != {b: 2, a: 1}``), truth and type names, regular expressions matched
with a time limit, and the scope an aggregation expression is evaluated in."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import regex  # type: ignore[import-untyped]


class MongoError(ValueError):
    """What MongoDB refuses: an invalid operator or argument, a conflicting update."""


class EmulatorLimitError(MongoError):
    """What MongoDB (and CloudBase) would run but this engine does not; the message says so, with
    :data:`LIMIT_TEXT` in it, so that a comparison can tell it from a refusal."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{LIMIT_TEXT} {what}")


LIMIT_TEXT = "the emulator does not run"


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""A field that is not there (unlike ``None``, a field holding null)."""


@dataclass(frozen=True, slots=True)
class Regex:
    """A regular expression value (``/pattern/options``)."""

    pattern: str
    options: str = ""


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rank(value: Any) -> int:
    """The value's place in BSON's order of types (missing ranks with null)."""
    if value is None or value is MISSING:
        return 1
    if isinstance(value, bool):
        return 8
    if isinstance(value, (int, float)):
        return 2
    if isinstance(value, str):
        return 3
    if isinstance(value, Mapping):
        return 4
    if isinstance(value, list):
        return 5
    if isinstance(value, dt.datetime):
        return 9
    if isinstance(value, Regex):
        return 11
    return 6


def compare(left: Any, right: Any) -> int:
    """-1, 0 or 1: ``left`` before, with or after ``right`` in BSON's order."""
    a, b = rank(left), rank(right)
    if a != b:
        return -1 if a < b else 1
    if a == 4:
        return _objects(left, right)
    if a == 5:
        for x, y in zip(left, right, strict=False):
            found = compare(x, y)
            if found:
                return found
        return _cmp(len(left), len(right))
    if a == 11:
        return _cmp((left.pattern, left.options), (right.pattern, right.options))
    if a == 2 and (_nan(left) or _nan(right)):
        return _cmp(not _nan(left), not _nan(right))  # NaN before every other number
    return 0 if a == 1 else _cmp(left, right)


def _nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _objects(left: Mapping[str, Any], right: Mapping[str, Any]) -> int:
    for (ka, va), (kb, vb) in zip(left.items(), right.items(), strict=False):
        found = _cmp(rank(va), rank(vb)) or _cmp(ka, kb) or compare(va, vb)
        if found:
            return found
    return _cmp(len(left), len(right))


def _cmp(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


def equal(left: Any, right: Any) -> bool:
    return compare(left, right) == 0


sort_cmp: Callable[[Any], Any] = functools.cmp_to_key(compare)
"""A ``key=`` for sorting values in BSON's order."""


def frozen(value: Any) -> Any:
    """A hashable stand-in, equal for values BSON calls equal (group keys, sets)."""
    kind = rank(value)
    if kind == 2:
        return (2, value if not isinstance(value, float) or not value.is_integer() else int(value))
    if kind == 4:
        return (4, tuple((k, frozen(v)) for k, v in value.items()))
    if kind == 5:
        return (5, tuple(frozen(v) for v in value))
    if kind == 1:
        return (1,)
    return (kind, value)


def unique(values: list[Any]) -> list[Any]:
    """``values`` without repeats (BSON equality), first occurrences kept."""
    seen: set[Any] = set()
    out = []
    for value in values:
        key = frozen(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


LIMIT_SECONDS = 0.25
"""How long one match may take before the statement is refused."""
FLAGS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL, "x": regex.VERBOSE}


@functools.lru_cache(maxsize=256)
def compiled(pattern: str, options: str) -> Any:
    flags = 0
    for option in options:
        if option not in FLAGS:
            raise MongoError(f"invalid flag in regex options: {option}")
        flags |= FLAGS[option]
    try:
        return regex.compile(pattern, flags | regex.V0)
    except (regex.error, ValueError, OverflowError) as exc:
        raise MongoError(f"{pattern[:80]!r} is not a regular expression: {exc}") from None


def search(value: Regex, text: str) -> bool:
    """Whether ``value`` matches somewhere in ``text``; MongoError past the time limit."""
    try:
        return compiled(value.pattern, value.options).search(text, timeout=LIMIT_SECONDS, concurrent=True) is not None
    except TimeoutError:
        raise MongoError(
            f"the regular expression {value.pattern[:80]!r} took over {LIMIT_SECONDS} s on one value; simplify it"
        ) from None


@dataclass(frozen=True)
class Scope:
    """The document an expression reads (``"$field"``) and its variables (``"$$name"``)."""

    doc: Any
    variables: Mapping[str, Any] = field(default_factory=dict)
    evaluate: Callable[[Any, Scope], Any] = field(default=lambda expr, scope: expr, compare=False)

    def ev(self, expr: Any) -> Any:
        return self.evaluate(expr, self)

    def bound(self, **names: Any) -> Scope:
        return Scope(self.doc, {**self.variables, **names}, self.evaluate)


def truthy(value: Any) -> bool:
    """Aggregation truth: false, null, missing and 0 are false; everything else is true."""
    if value is MISSING or value is None or value is False:
        return False
    return not (is_number(value) and value == 0)


def nullish(value: Any) -> bool:
    return value is None or value is MISSING


def type_name(value: Any) -> str:
    """``$type``'s name for a value."""
    if value is MISSING:
        return "missing"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -(2**31) <= value < 2**31 else "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, Regex):
        return "regex"
    return "unknown"


def number(value: Any, op: str) -> int | float:
    if not is_number(value):
        raise MongoError(f"{op} only supports numeric types, not {type_name(value)}")
    return value  # type: ignore[no-any-return]


def array(value: Any, op: str) -> list[Any]:
    if not isinstance(value, list):
        raise MongoError(f"{op}'s argument must be an array, not {type_name(value)}")
    return value


def args(raw: Any, scope: Scope, op: str, count: int | tuple[int, int] | None = None) -> list[Any]:
    """An operator's arguments, evaluated (a single argument may stand without its array)."""
    items = raw if isinstance(raw, list) else [raw]
    low, high = (count, count) if isinstance(count, int) else count or (0, 10**9)
    if not low <= len(items) <= high:
        raise MongoError(f"{op} takes {low if low == high else f'{low} to {high}'} arguments, not {len(items)}")
    return [scope.ev(item) for item in items]


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def to_string(value: Any) -> Any:
    if nullish(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise MongoError(f"Unsupported conversion from {type_name(value)} to string")
