"""CloudBase's query and update semantics over Python documents: what a ``where`` matches, what an
``update`` does, how ``orderBy`` sorts and ``field`` projects. Pure functions.

Documented semantics followed: a nested object in ``where`` matches field by field (``{a: {b: 1}}``
is ``a.b == 1``); a value matches an array field holding it; comparisons hold only between values
of one kind (numbers, strings, dates); a nested object in ``update`` updates those fields only
(use ``_.set`` to replace an object whole); ``set`` replaces the document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from .._db.values import Command, GeoPoint, RegExp, ServerDate

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


class EvalError(ValueError):
    """A command the emulator cannot carry out (the database would refuse it too)."""


def get_path(doc: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(doc, Mapping) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            return MISSING
    return doc


def _kind(value: Any) -> int:
    if value is MISSING or value is None:
        return 0
    if isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        return 1
    if isinstance(value, str):
        return 2
    if isinstance(value, dt.datetime):
        return 4
    return 3


def sort_key(value: Any) -> tuple[int, Any]:
    kind = _kind(value)
    return (kind, value if kind in (1, 2, 4, 5) else 0)


def _compare(left: Any, op: str, right: Any) -> bool:
    if _kind(left) != _kind(right) or _kind(left) not in (1, 2, 4):
        return False
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[op]


def _equal(left: Any, right: Any) -> bool:
    if isinstance(right, RegExp):
        return isinstance(left, str) and _regex(right).search(left) is not None
    if isinstance(left, list) and not isinstance(right, list):
        return any(_equal(item, right) for item in left)
    if left is MISSING:
        return right is None
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)


def _regex(value: RegExp) -> re.Pattern[str]:
    flags = (
        (re.I if "i" in value.options else 0)
        | (re.M if "m" in value.options else 0)
        | (re.S if "s" in value.options else 0)
    )
    try:
        return re.compile(value.regexp, flags)
    except re.error as exc:  # the statement's pattern: an invalid command, not the emulator's failure
        raise EvalError(f"db.RegExp {value.regexp[:80]!r} is not a regular expression: {exc}") from None


def _field(value: Any, cmd: Command) -> bool:
    """Whether a field's ``value`` (MISSING when absent) satisfies ``cmd``."""
    if cmd.base is not None:
        rest = Command(cmd.op, cmd.args)
        both = [_field(value, cmd.base), _field(value, rest)]
        return all(both) if cmd.op == "and" else any(both)
    op, args = cmd.op, cmd.args
    arg = args[0] if args else None
    if op in ("and", "or", "nor", "not"):
        held = [_field(value, a) if isinstance(a, Command) else _equal(value, a) for a in args]
        return {"and": all(held), "or": any(held), "nor": not any(held), "not": not all(held)}[op]
    if op == "eq":
        return _equal(value, arg)
    if op == "neq":
        return not _equal(value, arg)
    if op in ("gt", "gte", "lt", "lte"):
        items = value if isinstance(value, list) else [value]
        return any(_compare(item, op, arg) for item in items)
    if op in ("in", "nin"):
        found = any(_equal(value, a) for a in (arg or []))
        return found if op == "in" else not found
    if op == "exists":
        return (value is not MISSING) == bool(arg)
    if op == "size":
        return isinstance(value, list) and len(value) == arg
    if op == "mod":
        divisor, remainder = arg if isinstance(arg, list) else args
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value % divisor == remainder
    if op == "all":
        return isinstance(value, list) and all(_equal(value, a) for a in (arg or []))
    if op == "elemMatch":
        return isinstance(value, list) and any(
            _field(item, arg) if isinstance(arg, Command) else isinstance(item, Mapping) and matches(item, arg)
            for item in value
        )
    raise EvalError(f"_.{op} is not a query command")


def flatten(cond: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{a: {b: 1}}`` → ``{"a.b": 1}``, down to values that are not plain objects."""
    flat: dict[str, Any] = {}
    for key, value in cond.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def matches(doc: Mapping[str, Any], cond: Any) -> bool:
    """Whether ``doc`` satisfies a ``where`` condition (an object, or ``_.and``/``_.or`` of them)."""
    if isinstance(cond, Command):
        held = [matches(doc, c) for c in cond.args]
        if cond.op in ("and", "or", "nor") and cond.base is None:
            return {"and": all(held), "or": any(held), "nor": not any(held)}[cond.op]
        raise EvalError(f"_.{cond.op} cannot stand for a whole condition")
    for path, want in flatten(cond).items():
        value = get_path(doc, path)
        if isinstance(want, Command):
            if not _field(value, want):
                return False
        elif not _equal(value, want):
            return False
    return True


def project(doc: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """``field({a: true})`` keeps ``_id`` and ``a``; ``field({a: false})`` drops ``a``."""
    shown = {k: bool(v) for k, v in fields.items()}
    if any(shown.values()):
        kept = {"_id": doc["_id"]} if "_id" in doc and shown.get("_id", True) else {}
        for path, on in shown.items():
            if on and get_path(doc, path) is not MISSING:
                _put(kept, path, get_path(doc, path))
        return kept
    out = dict(doc)
    for path in shown:
        _remove(out, path)
    return out


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        nxt = doc.get(part)
        if not isinstance(nxt, dict):
            nxt = doc[part] = {}
        doc = nxt
    doc[last] = value


def _remove(doc: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.get(part)  # type: ignore[assignment]
        if not isinstance(doc, dict):
            return
    doc.pop(last, None)


def resolve(value: Any, now: dt.datetime) -> Any:
    """Values as written: ``db.serverDate()`` becomes the time now (plus its offset)."""
    if isinstance(value, ServerDate):
        return now + dt.timedelta(milliseconds=value.offset)
    if isinstance(value, dict):
        return {k: resolve(v, now) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, now) for v in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if isinstance(value, GeoPoint):
        return {"type": "Point", "coordinates": [value.longitude, value.latitude]}
    return value


def _number(value: Any, path: str) -> int | float:
    if value is MISSING:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EvalError(f"cannot apply a number operator to non-numeric field {path}")
    return value


def apply_update(doc: dict[str, Any], data: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """``doc`` after ``update({data})``: commands carried out, plain values set, field by field (an
    empty object sets nothing, as the SDK that runs the statement flattens it to no field)."""
    out = resolve(_copy(doc), now)
    for path, want in flatten(data).items():
        if isinstance(want, Mapping) and not isinstance(want, Command) and not want:
            continue
        if path == "_id" or path.startswith("_id."):
            raise EvalError("_id cannot be updated")
        current = get_path(out, path)
        if not isinstance(want, Command):
            _put(out, path, resolve(want, now))
            continue
        op, args = want.op, [resolve(a, now) for a in want.args]
        arg = args[0] if args else None
        if op == "set":
            _put(out, path, arg)
        elif op == "remove":
            _remove(out, path)
        elif op in ("inc", "mul"):
            base, arg = _number(current, path), _number(arg, path)
            _put(out, path, base + arg if op == "inc" else (base * arg if current is not MISSING else 0))
        elif op in ("max", "min"):
            if current is MISSING or _compare(arg, "gt" if op == "max" else "lt", current):
                _put(out, path, arg)
        elif op == "rename":
            if current is not MISSING:
                _remove(out, path)
                _put(out, str(arg), current)
        else:
            _put(out, path, _array_op(op, [] if current is MISSING else current, args, path))
    return out


def _array_op(op: str, items: Any, args: list[Any], path: str) -> list[Any]:
    if not isinstance(items, list):
        raise EvalError(f"{path} is not an array")
    arg = args[0] if args else None
    if isinstance(arg, Mapping) and "each" in arg:
        arg = list(arg["each"])
    given = arg if isinstance(arg, list) else [arg]
    if op == "push":
        return [*items, *given]
    if op == "unshift":
        return [*given, *items]
    if op == "pop":
        return items[:-1]
    if op == "shift":
        return items[1:]
    if op == "addToSet":
        return items + [g for i, g in enumerate(given) if not any(_equal(x, g) for x in items + given[:i])]
    if op == "pull":  # a value, a command, or a condition on each object: _.pull({area: _.gt(100)})
        return [i for i in items if not _pulled(i, arg)]
    if op == "pullAll":
        return [i for i in items if not any(_equal(i, g) for g in given)]
    raise EvalError(f"_.{op} is not an update command")


def _pulled(item: Any, arg: Any) -> bool:
    if isinstance(arg, Command):
        return _field(item, arg)
    if isinstance(arg, Mapping) and arg and isinstance(item, Mapping):
        return matches(item, arg)
    return _equal(item, arg)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
