"""A statement's calls (CloudBase's database syntax, read by :mod:`cloud._db.parse`) as the MongoDB
query, update, projection and pipeline CloudBase runs them as (:mod:`cloud._mongo`).

CloudBase's own rules live here: a nested object in ``where`` matches field by field (``{a: {b: 1}}``
is ``{"a.b": 1}``); a nested object in ``update`` sets those fields only (``_.set`` replaces one
whole); an empty object sets nothing; ``_.push([…])`` pushes each; ``_.shift()`` / ``_.unshift()``
are ``$pop: -1`` / ``$push`` at position 0; ``db.serverDate()`` is the write's time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .._db.geo import GeoPoint, GeoShape
from .._db.values import Command, RegExp, ServerDate
from .._mongo.values import MongoError, Regex

SIMPLE = {"eq": "$eq", "neq": "$ne", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte", "in": "$in",
          "nin": "$nin", "exists": "$exists", "size": "$size", "all": "$all"}  # fmt: skip
GEO = {"geoNear": "$near", "geoWithin": "$geoWithin", "geoIntersects": "$geoIntersects"}
UPDATES = {"set": "$set", "remove": "$unset", "inc": "$inc", "mul": "$mul", "max": "$max", "min": "$min",
           "rename": "$rename", "pullAll": "$pullAll", "bit": "$bit"}  # fmt: skip


def value(item: Any, now: dt.datetime) -> Any:
    """A statement value as a stored one: ``serverDate`` → the time now (plus its offset), dates →
    UTC datetimes, ``RegExp`` → a regular expression, ``Geo.Point`` → GeoJSON."""
    if isinstance(item, ServerDate):
        try:
            return now + dt.timedelta(milliseconds=item.offset)
        except (OverflowError, ValueError, TypeError):
            raise MongoError(f"db.serverDate's offset {item.offset!r} is outside the dates a database holds") from None
    if isinstance(item, Mapping):
        return {k: value(v, now) for k, v in item.items()}
    if isinstance(item, (list, tuple)):
        return [value(v, now) for v in item]
    if isinstance(item, dt.datetime):
        return item if item.tzinfo else item.replace(tzinfo=dt.timezone.utc)
    if isinstance(item, dt.date):
        return dt.datetime(item.year, item.month, item.day, tzinfo=dt.timezone.utc)
    if isinstance(item, RegExp):
        return Regex(item.regexp, item.options)
    if isinstance(item, GeoPoint):
        return {"type": "Point", "coordinates": [item.longitude, item.latitude]}
    if isinstance(item, GeoShape):
        return item.geojson()
    if isinstance(item, Command):
        raise MongoError(f"_.{item.op} cannot stand here")
    return item


def flatten(cond: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{a: {b: 1}}`` → ``{"a.b": 1}``, down to values that are not plain non-empty objects."""
    flat: dict[str, Any] = {}
    for key, item in cond.items():
        path = f"{prefix}{key}"
        if isinstance(item, Mapping) and item and not all(str(k).startswith("$") for k in item):
            flat.update(flatten(item, path + "."))
        else:
            flat[path] = item
    return flat


def where(cond: Any, now: dt.datetime) -> dict[str, Any]:
    """A ``where`` (an object of fields, or ``_.and``/``_.or``/``_.nor``/``_.expr`` of whole
    conditions) as a MongoDB query."""
    if isinstance(cond, Command):
        if cond.base is None and cond.op in ("and", "or", "nor"):
            return {f"${cond.op}": [where(c, now) for c in cond.args]}
        if cond.base is None and cond.op in ("expr", "jsonSchema") and len(cond.args) == 1:
            return {f"${cond.op}": value(cond.args[0], now)}
        raise MongoError(f"_.{cond.op} cannot stand for a whole condition")
    if not isinstance(cond, Mapping):
        raise MongoError("where takes an object")
    parts = [field(path, want, now) for path, want in flatten(cond).items()]
    merged: dict[str, Any] = {}
    for part in parts:
        if set(part) & set(merged):
            return {"$and": parts}
        merged.update(part)
    return merged


def field(path: str, want: Any, now: dt.datetime) -> dict[str, Any]:
    """One field's condition: a value to equal, or a (chained) command."""
    if not isinstance(want, Command):
        return {path: value(want, now)}
    if want.base is not None:
        joined = "$or" if want.op == "or" else "$and"
        rest = list(want.args) if want.op in ("and", "or") else [Command(want.op, want.args)]
        return {joined: [field(path, want.base, now), *(field(path, r, now) for r in rest)]}
    op, args = want.op, want.args
    if op in ("and", "or", "nor"):
        items = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
        return {f"${op}": [field(path, a, now) for a in items]}
    if op == "not":
        if len(args) != 1:
            raise MongoError("_.not takes one command")
        return {"$nor": [field(path, args[0], now)]}
    return {path: _operator(op, args, now)}


def _operator(op: str, args: tuple[Any, ...], now: dt.datetime) -> dict[str, Any]:
    arg = value(args[0], now) if args and not isinstance(args[0], Command) else args[0] if args else None
    if op in SIMPLE:
        return {SIMPLE[op]: arg}
    if op == "mod":
        return {"$mod": arg if isinstance(arg, list) else [value(a, now) for a in args]}
    if op == "elemMatch":
        if isinstance(arg, Command):
            return {"$elemMatch": on_element(arg, now)}
        return {"$elemMatch": where(arg, now)}
    if op in GEO:
        if not isinstance(arg, Mapping):
            raise MongoError(f"_.{op} takes an object such as {{geometry: …}}")
        return {GEO[op]: {f"${k}": v for k, v in arg.items()}}
    raise MongoError(f"_.{op} is not a query command")


def on_element(cmd: Command, now: dt.datetime) -> dict[str, Any]:
    """A command on an array element itself (``_.pull(_.gt(1).and(_.lt(5)))``) as one object of
    operators (``{$gt: 1, $lt: 5}``)."""
    found = field("", cmd, now)
    if set(found) == {""}:
        return found[""]  # type: ignore[no-any-return]
    parts = found.get("$and")
    merged: dict[str, Any] = {}
    for part in parts if isinstance(parts, list) and len(found) == 1 else []:
        ops = on_element_part(part)
        if ops is None or set(ops) & set(merged):
            break
        merged.update(ops)
    else:
        if merged:
            return merged
    raise MongoError(f"_.{cmd.op} on an array element takes commands joined by and")


def on_element_part(part: Any) -> dict[str, Any] | None:
    if isinstance(part, Mapping) and set(part) == {""} and isinstance(part[""], Mapping):
        return dict(part[""])
    if isinstance(part, Mapping) and set(part) == {"$and"}:
        merged: dict[str, Any] = {}
        for inner in part["$and"]:
            ops = on_element_part(inner)
            if ops is None or set(ops) & set(merged):
                return None
            merged.update(ops)
        return merged
    return None


def update(data: Any, now: dt.datetime) -> dict[str, dict[str, Any]]:
    """``update({data})`` as a MongoDB update: plain values ``$set`` field by field, commands as
    their operators."""
    if not isinstance(data, Mapping):
        raise MongoError("update takes {data: {...}}")
    out: dict[str, dict[str, Any]] = {}
    for path, want in flatten(data).items():
        if isinstance(want, Mapping) and not want:
            continue
        op, arg = _update_command(want, now) if isinstance(want, Command) else ("$set", value(want, now))
        out.setdefault(op, {})[path] = arg
    return out


def _update_command(cmd: Command, now: dt.datetime) -> tuple[str, Any]:
    if cmd.base is not None:
        raise MongoError(f"update commands do not chain (.{cmd.op})")
    if cmd.op == "pull":
        raw = cmd.args[0] if cmd.args else None
        if isinstance(raw, Command):
            return "$pull", on_element(raw, now)
        return "$pull", where(raw, now) if isinstance(raw, Mapping) and raw else value(raw, now)
    op, args = cmd.op, [value(a, now) for a in cmd.args]
    arg = args[0] if args else None
    if op == "remove":
        return "$unset", ""
    if op in UPDATES:
        return UPDATES[op], arg
    if op in ("pop", "shift"):
        return "$pop", 1 if op == "pop" else -1
    if op in ("push", "unshift", "addToSet"):
        if isinstance(arg, Mapping) and "each" in arg:
            modifiers = {f"${k}": v for k, v in arg.items()}
        else:
            modifiers = {"$each": arg if isinstance(arg, list) else list(args)}
        if op == "unshift":
            modifiers["$position"] = 0
        return ("$addToSet" if op == "addToSet" else "$push"), modifiers
    raise MongoError(f"_.{op} is not an update command")


def projection(fields: Any, now: dt.datetime) -> dict[str, Any]:
    """``field({a: true, arr: _.project.slice(2)})`` as a MongoDB projection."""
    if not isinstance(fields, Mapping):
        raise MongoError("field takes an object")
    out: dict[str, Any] = {}
    for path, how in fields.items():
        if isinstance(how, Mapping) and set(how) == {"$elemMatch"} and isinstance(how["$elemMatch"], Mapping):
            out[path] = {"$elemMatch": where(how["$elemMatch"], now)}
        elif isinstance(how, (bool, int, float)):
            out[path] = int(bool(how))
        else:
            out[path] = value(how, now)
    return out


def pipeline(stages: list[tuple[str, tuple[Any, ...]]], now: dt.datetime) -> list[dict[str, Any]]:
    """An aggregation's ``.<stage>(<spec>)`` calls as MongoDB stages."""
    return [_stage(f"${stage}", args[0] if args else None, now) for stage, args in stages]


def _stage(name: str, spec: Any, now: dt.datetime) -> dict[str, Any]:
    """One stage; a ``match`` reads commands as ``where`` does, a ``lookup``'s pipeline stage by stage."""
    if name == "$match":
        return {name: where(spec, now)}
    if name == "$lookup" and isinstance(spec, Mapping) and isinstance(spec.get("pipeline"), list):
        inner = [
            _stage(*next(iter(s.items())), now) if isinstance(s, Mapping) and len(s) == 1 else value(s, now)
            for s in spec["pipeline"]
        ]
        return {name: {**value({k: v for k, v in spec.items() if k != "pipeline"}, now), "pipeline": inner}}
    return {name: value(spec, now)}
