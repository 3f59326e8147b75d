"""What a MongoDB query matches: ``{path: value | {$op: arg}}``, ``$and``/``$or``/``$nor`` of
queries, ``$expr``. A path reaches into arrays (``objs.x``); a value matches an array holding it;
comparisons keep to one type (``{n: {$gt: 1}}`` never matches ``"5"``); null matches a missing field."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from . import expressions, geo, paths, schema
from .values import MISSING, MongoError, Regex, compare, equal, is_number, rank, search, sort_cmp

COMPARISONS = {"$gt": lambda c: c > 0, "$gte": lambda c: c >= 0, "$lt": lambda c: c < 0, "$lte": lambda c: c <= 0}


def is_operators(value: Any) -> bool:
    """``{"$gt": 1}``: an object of operators, not a value to equal."""
    return isinstance(value, Mapping) and bool(value) and all(str(k).startswith("$") for k in value)


def matches(doc: Mapping[str, Any], query: Mapping[str, Any], variables: Mapping[str, Any] | None = None) -> bool:
    """Whether ``doc`` satisfies ``query`` (``variables``: what ``$expr`` may name, from ``$lookup``)."""
    if not isinstance(query, Mapping):
        raise MongoError(f"a query must be an object, not {query!r}")
    for key, cond in query.items():
        if key in ("$and", "$or", "$nor"):
            if not isinstance(cond, list) or not cond:
                raise MongoError(f"{key} takes a non-empty array")
            held = (matches(doc, q, variables) for q in cond)
            if not (all(held) if key == "$and" else any(held) if key == "$or" else not any(held)):
                return False
        elif key == "$jsonSchema":
            if not schema.holds(doc, cond):
                return False
        elif key == "$expr":
            if not expressions.truthy(expressions.evaluate(cond, doc, variables)):
                return False
        elif key.startswith("$"):
            raise MongoError(f"unknown top level operator: {key}")
        elif not holds(paths.leaves(doc, key), cond):
            return False
    return True


def holds(values: list[Any], cond: Any) -> bool:
    """Whether a field whose path reached ``values`` satisfies ``cond`` (a value or operators)."""
    if not is_operators(cond):
        return _equals(values, cond)
    for op, arg in cond.items():
        if op == "$options":
            if "$regex" not in cond:
                raise MongoError("$options needs a $regex")
            continue
        if not _operator(values, op, arg, cond):
            return False
    return True


def _operator(values: list[Any], op: str, arg: Any, cond: Mapping[str, Any]) -> bool:
    if op == "$eq":
        return _equals(values, arg)
    if op == "$ne":
        return not _equals(values, arg)
    if op in COMPARISONS:
        test = COMPARISONS[op]
        return any(rank(v) == rank(arg) and test(compare(v, arg)) for v in spread(values))
    if op in ("$in", "$nin"):
        if not isinstance(arg, list):
            raise MongoError(f"{op} needs an array")
        found = any(_equals(values, a) for a in arg)
        return found if op == "$in" else not found
    if op == "$exists":
        return any(v is not MISSING for v in values) == expressions.truthy(arg)
    if op == "$size":
        if not is_number(arg) or arg != int(arg):
            raise MongoError("$size needs a whole number")
        return any(isinstance(v, list) and len(v) == arg for v in values)
    if op == "$mod":
        return _mod(values, arg)
    if op == "$all":
        if not isinstance(arg, list):
            raise MongoError("$all needs an array")
        return bool(arg) and all(
            _operator(values, "$elemMatch", a["$elemMatch"], a) if isinstance(a, Mapping) and "$elemMatch" in a
            else _equals(values, a)
            for a in arg
        )  # fmt: skip
    if op == "$elemMatch":
        if not isinstance(arg, Mapping):
            raise MongoError("$elemMatch needs an object")
        return any(isinstance(v, list) and any(element(item, arg) for item in v) for v in values)
    if op == "$not":
        if not (is_operators(arg) or isinstance(arg, Regex)):
            raise MongoError("$not needs a regex or a document")
        return not holds(values, arg if isinstance(arg, Mapping) else {"$eq": arg})
    if op == "$regex":
        pattern = arg if isinstance(arg, Regex) else Regex(str(arg), str(cond.get("$options", "")))
        return _equals(values, pattern)
    if op in ("$geoWithin", "$geoIntersects", "$near", "$nearSphere"):
        return any(geo.holds(op, v, arg) for v in values)
    if op in ("$maxDistance", "$minDistance") and ("$near" in cond or "$nearSphere" in cond):
        return True
    if op == "$type":
        wanted = arg if isinstance(arg, list) else [arg]
        return any(v is not MISSING and any(expressions.type_name(v) == w for w in wanted) for v in spread(values))
    raise MongoError(f"unknown operator: {op}")


def spread(values: list[Any]) -> list[Any]:
    """The values and, for arrays, their elements: what a comparison looks at."""
    out: list[Any] = []
    for value in values:
        out.append(value)
        if isinstance(value, list):
            out.extend(value)
    return out


def _equals(values: list[Any], want: Any) -> bool:
    if isinstance(want, Regex):
        return any(
            (isinstance(v, str) and search(want, v)) or (isinstance(v, Regex) and v == want) for v in spread(values)
        )
    if want is None:
        return any(v is MISSING or v is None or (isinstance(v, list) and None in v) for v in values)
    return any(
        v is not MISSING and (equal(v, want) or (isinstance(v, list) and any(equal(i, want) for i in v)))
        for v in values
    )


def element(item: Any, cond: Mapping[str, Any]) -> bool:
    """Whether one array element satisfies ``$elemMatch``'s condition."""
    if is_operators(cond) and not any(k in ("$and", "$or", "$nor", "$expr") for k in cond):
        return holds([item], cond)
    return isinstance(item, Mapping) and matches(item, cond)


def _mod(values: list[Any], arg: Any) -> bool:
    if not isinstance(arg, list) or len(arg) != 2 or not all(is_number(a) and math.isfinite(a) for a in arg):
        raise MongoError("malformed mod, needs [divisor, remainder]")
    divisor, remainder = int(arg[0]), int(arg[1])
    if divisor == 0:
        raise MongoError("divisor cannot be 0")
    return any(
        is_number(v) and math.isfinite(v) and int(math.copysign(abs(int(v)) % abs(divisor), v)) == remainder
        for v in spread(values)
    )


def conditions(query: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The query's ``(path, condition)`` pairs, ``$and`` flattened in."""
    found: list[tuple[str, Any]] = []
    for key, cond in query.items():
        if key == "$and" and isinstance(cond, list):
            for part in cond:
                found.extend(conditions(part))
        elif not key.startswith("$"):
            found.append((key, cond))
    return found


def position(doc: Mapping[str, Any], query: Mapping[str, Any], array_path: str) -> int | None:
    """The index of the first element of the array at ``array_path`` that the query's conditions
    on that array hold for: what the positional ``$`` of an update stands for."""
    items = paths.at(doc, array_path.split("."))
    if not isinstance(items, list):
        return None
    prefix = array_path + "."
    mine = [(p[len(prefix) :], c) for p, c in conditions(query) if p == array_path or p.startswith(prefix)]
    if not mine:
        return None
    for index, item in enumerate(items):
        if all(holds(paths.leaves(item, rest) if rest else [item], c) for rest, c in mine):
            return index
    return None


EMPTY = (0, None)
"""The sort key of an empty array: before null and missing."""


def sort_key(doc: Any, path: str, descending: bool) -> tuple[int, Any]:
    """A document's key for sorting by ``path``: an array sorts by its least element ascending,
    its greatest descending; an empty array before null."""
    found: list[Any] = []
    for value in paths.leaves(doc, path):
        if isinstance(value, list):
            found.extend(value)
        else:
            found.append(value)
    if not found:
        return EMPTY
    best = found[0]
    for value in found[1:]:
        if (compare(value, best) > 0) == descending and compare(value, best) != 0:
            best = value
    return (1, sort_cmp(best))


def sort(docs: list[Any], order: list[tuple[str, int]]) -> list[Any]:
    """``docs`` in ``order`` (``[(path, 1 | -1)]``, the first the most significant); ties keep their order."""
    for path, direction in reversed(order):
        if direction not in (1, -1):
            raise MongoError(f"a sort direction is 1 or -1, not {direction!r} ({path})")
        docs = sorted(docs, key=lambda d, p=path, r=direction == -1: sort_key(d, p, r), reverse=direction == -1)  # type: ignore[misc]
    return docs
