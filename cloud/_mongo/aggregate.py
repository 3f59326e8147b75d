"""Aggregation pipelines, stage by stage as MongoDB runs them: ``$match``, ``$project``,
``$addFields``/``$set``, ``$unset``, ``$replaceRoot``/``$replaceWith``, ``$group``, ``$sort``,
``$limit``, ``$skip``, ``$count``, ``$unwind``, ``$lookup`` (both forms), ``$bucket``,
``$bucketAuto``, ``$sortByCount``, ``$sample``, ``$geoNear``."""

from __future__ import annotations

import copy
import itertools
import random
from collections.abc import Callable, Mapping
from typing import Any

from . import expressions, geo, paths, query
from .arrays import STATISTICS
from .values import MISSING, EmulatorLimitError, MongoError, frozen, is_number, nullish, sort_cmp, unique

Collection = Callable[[str], list[dict[str, Any]]]
Docs = list[dict[str, Any]]


def run(docs: Docs, pipeline: list[Any], collection: Collection, variables: Mapping[str, Any] | None = None) -> Docs:
    """The documents out of ``pipeline`` (``[{"$stage": spec}, …]``); ``collection(name)`` gives
    another collection's documents (for ``$lookup``)."""
    if not isinstance(pipeline, list):
        raise MongoError("a pipeline is an array of stages")
    for index, stage in enumerate(pipeline):
        if not isinstance(stage, Mapping) or len(stage) != 1:
            raise MongoError(f"a pipeline stage is an object with exactly one field, not {stage!r}")
        ((name, spec),) = stage.items()
        if name in ("$facet", "$graphLookup", "$merge", "$out", "$densify", "$fill", "$setWindowFields"):
            raise EmulatorLimitError(f"the aggregation stage {name}")
        if name not in STAGES:
            raise MongoError(f"Unrecognized pipeline stage name: '{name}'")
        if name == "$geoNear" and index:
            raise MongoError("$geoNear is only valid as the first stage in a pipeline")
        docs = STAGES[name](docs, spec, _Context(collection, variables or {}))
    return docs


class _Context:
    def __init__(self, collection: Collection, variables: Mapping[str, Any]) -> None:
        self.collection, self.variables = collection, variables

    def ev(self, expr: Any, doc: Any) -> Any:
        return expressions.evaluate(expr, doc, self.variables)


def _match(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    return [d for d in docs if query.matches(d, spec, ctx.variables)]


def _project(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or not spec:
        raise MongoError("$project takes a non-empty object")
    flat = _flatten(spec)
    plain = {p: h for p, h in flat.items() if isinstance(h, bool) or (is_number(h) and h in (0, 1))}
    computed = {p: h for p, h in flat.items() if p not in plain}
    excluding = [p for p, h in plain.items() if not h and p != "_id"]
    if excluding and (computed or any(h for p, h in plain.items() if p != "_id")):
        raise MongoError("Cannot do inclusion or computed fields in an exclusion projection")
    keep_id = bool(plain.get("_id", True))
    if excluding or (not computed and not any(plain.values())):
        return [_without(d, [p for p, h in plain.items() if not h]) for d in docs]
    out = []
    for doc in docs:
        row: dict[str, Any] = {"_id": doc["_id"]} if keep_id and "_id" in doc else {}
        for path, how in plain.items():
            if how and path != "_id":
                paths.include(doc, row, path.split("."))
        for path, expr in computed.items():
            value = ctx.ev(expr, doc)
            if value is not MISSING:
                paths.put(row, path.split("."), value)
        order = {k: i for i, k in enumerate(doc)}
        out.append(dict(sorted(row.items(), key=lambda kv: (kv[0] != "_id", order.get(kv[0], len(order))))))
    return out


def _flatten(spec: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{a: {b: 1}}`` → ``{"a.b": 1}`` (an operator object is a value, not a nest)."""
    flat: dict[str, Any] = {}
    for key, how in spec.items():
        if isinstance(how, Mapping) and how and not str(next(iter(how))).startswith("$"):
            flat.update(_flatten(how, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = how
    return flat


def _add_fields(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or not spec:
        raise MongoError("$addFields takes a non-empty object")
    out = []
    for doc in docs:
        row = copy.deepcopy(doc)
        for path, expr in _flatten(spec).items():
            value = ctx.ev(expr, doc)
            if value is MISSING:
                paths.exclude(row, path.split("."))
            else:
                paths.put(row, path.split("."), value)
        out.append(row)
    return out


def _unset(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    names = [spec] if isinstance(spec, str) else spec
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise MongoError("$unset takes a field path or an array of them")
    return [_without(d, names) for d in docs]


def _without(doc: dict[str, Any], names: list[str]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    for name in names:
        paths.exclude(out, name.split("."))
    return out


def _replace_root(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or "newRoot" not in spec:
        raise MongoError("$replaceRoot takes {newRoot: <expression>}")
    return _replace_with(docs, spec["newRoot"], ctx)


def _replace_with(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    out = []
    for doc in docs:
        root = ctx.ev(spec, doc)
        if not isinstance(root, dict):
            raise MongoError(f"'newRoot' expression must evaluate to an object, but resulting value was: {root!r}")
        out.append(root)
    return out


def accumulate(op: str, arg: Any, members: Docs, ctx: _Context) -> Any:
    """One ``$group`` accumulator over a group's documents."""
    found = [ctx.ev(arg, m) for m in members] if op != "$count" else []
    if op in STATISTICS:
        return STATISTICS[op]([v for v in found if v is not MISSING])
    if op in ("$first", "$last"):
        value = (found[0] if op == "$first" else found[-1]) if found else None
        return None if value is MISSING else value
    if op == "$push":
        return [v for v in found if v is not MISSING]
    if op == "$addToSet":
        return unique([v for v in found if v is not MISSING])
    if op == "$mergeObjects":
        return expressions.evaluate({"$mergeObjects": [v for v in found if isinstance(v, dict)]}, {})
    if op == "$count":
        return len(members)
    raise MongoError(f"unknown group operator '{op}'")


def _groups(docs: Docs, key: Callable[[dict[str, Any]], Any]) -> list[tuple[Any, Docs]]:
    groups: dict[Any, tuple[Any, Docs]] = {}
    for doc in docs:
        value = key(doc)
        value = None if value is MISSING else value
        groups.setdefault(frozen(value), (value, []))[1].append(doc)
    return list(groups.values())


def _fields(members: Docs, spec: Mapping[str, Any], ctx: _Context, skip: str = "_id") -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, acc in spec.items():
        if name == skip:
            continue
        if not isinstance(acc, Mapping) or len(acc) != 1:
            raise MongoError(f"The field '{name}' must be an accumulator object, such as {{$sum: 1}}")
        ((op, arg),) = acc.items()
        row[name] = accumulate(op, arg, members, ctx)
    return row


def _group(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or "_id" not in spec:
        raise MongoError("a group specification must include an _id")
    return [{"_id": k, **_fields(m, spec, ctx)} for k, m in _groups(docs, lambda d: ctx.ev(spec["_id"], d))]


def _sort(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or not spec:
        raise MongoError("$sort takes a non-empty object of {field: 1 | -1}")
    return query.sort(docs, list(spec.items()))


def _count_arg(spec: Any, stage: str, low: int) -> int:
    if not is_number(spec) or spec != int(spec) or spec < low:
        raise MongoError(f"the {stage} stage takes a whole number of at least {low}, not {spec!r}")
    return int(spec)


def _count(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, str) or not spec or spec.startswith("$") or "." in spec:
        raise MongoError("$count takes a non-empty field name without '$' or '.'")
    return [{spec: len(docs)}] if docs else []


def _unwind(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    options = {"path": spec} if isinstance(spec, str) else spec
    path = options.get("path") if isinstance(options, Mapping) else None
    if not isinstance(path, str) or not path.startswith("$") or len(path) < 2:
        raise MongoError(
            "$unwind takes a field path starting with '$', or {path, includeArrayIndex, preserveNullAndEmptyArrays}"
        )
    parts, index_name = path[1:].split("."), options.get("includeArrayIndex")
    keep = bool(options.get("preserveNullAndEmptyArrays", False))
    out = []
    for doc in docs:
        value = paths.at(doc, parts)
        items = value if isinstance(value, list) else [value] if not nullish(value) else []
        for i, item in enumerate(items):
            row = copy.deepcopy(doc)
            paths.put(row, parts, item)
            if index_name:
                row[index_name] = i if isinstance(value, list) else None
            out.append(row)
        if not items and keep:
            row = copy.deepcopy(doc)
            if isinstance(value, list):
                paths.exclude(row, parts)
            if index_name:
                row[index_name] = None
            out.append(row)
    return out


def _lookup(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("from"), str) or not isinstance(spec.get("as"), str):
        raise MongoError("$lookup takes {from, localField, foreignField, as} or {from, let, pipeline, as}")
    foreign = ctx.collection(spec["from"])
    out = []
    for doc in docs:
        if "pipeline" in spec:
            bound = {k: ctx.ev(v, doc) for k, v in (spec.get("let") or {}).items()}
            found = run(copy.deepcopy(foreign), spec["pipeline"], ctx.collection, {**ctx.variables, **bound})
        elif isinstance(spec.get("localField"), str) and isinstance(spec.get("foreignField"), str):
            local = paths.leaves(doc, spec["localField"])
            wanted = [None if v is MISSING else v for v in query.spread(local) if not isinstance(v, list)] or [None]
            found = [f for f in foreign if query.holds(paths.leaves(f, spec["foreignField"]), {"$in": wanted})]
        else:
            raise MongoError("$lookup takes localField and foreignField, or a pipeline")
        row = copy.deepcopy(doc)
        paths.put(row, spec["as"].split("."), copy.deepcopy(found))
        out.append(row)
    return out


def _bucket(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or "groupBy" not in spec or not isinstance(spec.get("boundaries"), list):
        raise MongoError("$bucket takes {groupBy, boundaries, default, output}")
    bounds = spec["boundaries"]
    if len(bounds) < 2 or any(sort_cmp(a) >= sort_cmp(b) for a, b in itertools.pairwise(bounds)):
        raise MongoError("$bucket's boundaries must be at least two values in ascending order")
    output = spec.get("output") or {"count": {"$sum": 1}}
    buckets: dict[int, Docs] = {}
    for doc in docs:
        value = ctx.ev(spec["groupBy"], doc)
        where = next((i for i in range(len(bounds) - 1)
                      if sort_cmp(bounds[i]) <= sort_cmp(value) < sort_cmp(bounds[i + 1])), -1)  # fmt: skip
        if where == -1 and "default" not in spec:
            raise MongoError("$bucket could not find a matching branch for an input, and no default was specified")
        buckets.setdefault(where, []).append(doc)
    keys = [i for i in range(len(bounds) - 1) if i in buckets] + ([-1] if -1 in buckets else [])
    return [{"_id": bounds[i] if i >= 0 else spec["default"], **_fields(buckets[i], output, ctx, "")} for i in keys]


def _bucket_auto(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or "groupBy" not in spec:
        raise MongoError("$bucketAuto takes {groupBy, buckets, output}")
    count = _count_arg(spec.get("buckets"), "$bucketAuto buckets", 1)
    if "granularity" in spec:
        raise EmulatorLimitError("$bucketAuto with a granularity")
    output = spec.get("output") or {"count": {"$sum": 1}}
    keyed = sorted(((ctx.ev(spec["groupBy"], d), d) for d in docs), key=lambda kv: sort_cmp(kv[0]))
    size = max(round(len(keyed) / count), 1)
    groups: list[list[tuple[Any, dict[str, Any]]]] = []
    for item in keyed:
        last = groups[-1] if groups else None
        same = last is not None and sort_cmp(item[0]) == sort_cmp(last[-1][0])
        if last is not None and (len(last) < size or same or len(groups) == count):
            last.append(item)
        else:
            groups.append([item])
    out = []
    for i, group in enumerate(groups):
        high = groups[i + 1][0][0] if i + 1 < len(groups) else group[-1][0]
        out.append({"_id": {"min": group[0][0], "max": high}, **_fields([d for _, d in group], output, ctx, "")})
    return out


def _sort_by_count(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    counted = [{"_id": k, "count": len(m)} for k, m in _groups(docs, lambda d: ctx.ev(spec, d))]
    return sorted(counted, key=lambda row: -row["count"])


def _sample(docs: Docs, spec: Any, ctx: _Context) -> Docs:
    if not isinstance(spec, Mapping) or set(spec) != {"size"}:
        raise MongoError("$sample takes {size}")
    size = _count_arg(spec["size"], "$sample size", 0)
    return random.sample(docs, min(size, len(docs)))


STAGES: dict[str, Callable[[Docs, Any, _Context], Docs]] = {
    "$match": _match, "$project": _project, "$addFields": _add_fields, "$set": _add_fields, "$unset": _unset,
    "$replaceRoot": _replace_root, "$replaceWith": _replace_with, "$group": _group, "$sort": _sort,
    "$limit": lambda docs, spec, ctx: docs[: _count_arg(spec, "$limit", 1)],
    "$skip": lambda docs, spec, ctx: docs[_count_arg(spec, "$skip", 0) :],
    "$count": _count, "$unwind": _unwind, "$lookup": _lookup, "$bucket": _bucket, "$bucketAuto": _bucket_auto,
    "$sortByCount": _sort_by_count, "$sample": _sample,
    "$geoNear": lambda docs, spec, ctx: geo.near(docs, spec, lambda d, q: query.matches(d, q, ctx.variables)),
}  # fmt: skip
