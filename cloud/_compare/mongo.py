"""The real Node SDK's database requests (``@cloudbase/database``'s actions: a query, an update or
documents as extended JSON with MongoDB operators) read back into the calls of a statement that
our emulator runs (:func:`cloud._db.values.statement`): ``{"a": {"$gt": {"$numberInt": "1"}}}``
becomes ``where({a: _.gt(1)})``. Pure; what has no statement form raises :class:`NotComparableError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .._db.values import Command, ServerDate, from_stored
from .._js.value import Document

Call = tuple[str, tuple[Any, ...]]

EJSON_KEYS = frozenset({"$numberInt", "$numberLong", "$numberDouble", "$date", "$regularExpression"})
LOGIC = {"$and": "and", "$or": "or", "$nor": "nor"}
FIELD_OPS = {"$eq": "eq", "$ne": "neq", "$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte", "$in": "in",
             "$nin": "nin", "$exists": "exists", "$size": "size", "$mod": "mod", "$all": "all"}  # fmt: skip
UPDATE_OPS = {"$set": "set", "$unset": "remove", "$inc": "inc", "$mul": "mul", "$min": "min", "$max": "max",
              "$rename": "rename", "$pull": "pull", "$pullAll": "pullAll", "$addToSet": "addToSet",
              "$push": "push", "$pop": "pop", "$bit": "bit"}  # fmt: skip


class NotComparableError(ValueError):
    """A request the emulator's database cannot run as the cloud would."""


def parsed(text: Any, what: str) -> Any:
    """Extended JSON text (as the SDK sends it) → JSON."""
    if not isinstance(text, str):
        raise NotComparableError(f"{what} is not extended JSON text: {text!r}")
    return json.loads(text)


def value(item: Any) -> Any:
    """An extended-JSON value → Python: numbers, dates, regular expressions, ``db.serverDate()``."""
    if isinstance(item, list):
        return [value(v) for v in item]
    if not isinstance(item, dict):
        return item
    if len(item) == 1:
        (key, inner), = item.items()  # fmt: skip
        if key == "$tcb_server_date":
            return ServerDate(value(inner.get("offset", 0)) if isinstance(inner, dict) else 0)
        if key in EJSON_KEYS:
            return from_stored(item)
    return Document({k: value(v) for k, v in item.items()})  # Node's nulls stay null


def _operators(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and bool(item)
        and all(str(k).startswith("$") for k in item)
        and not (len(item) == 1 and next(iter(item)) in EJSON_KEYS | {"$tcb_server_date"})
    )


def condition(query: Any) -> Any:
    """A whole ``where`` condition: an object of fields, ``$and``/``$or``/``$nor`` of conditions."""
    if not isinstance(query, dict):
        raise NotComparableError(f"a query that is not an object: {query!r}")
    parts: list[Any] = []
    fields: dict[str, Any] = {}
    for key, item in query.items():
        if key in LOGIC:
            parts.append(Command(LOGIC[key], tuple(condition(c) for c in _list(item, key))))
        elif key in ("$jsonSchema", "$expr"):
            parts.append(Command(key[1:], (value(item),)))
        elif key.startswith("$"):
            raise NotComparableError(f"the query operator {key} at the top of a query")
        else:
            fields[key] = field(item)
    if not parts:
        return fields
    if fields:
        parts.insert(0, fields)
    return parts[0] if len(parts) == 1 else Command("and", tuple(parts))


def field(item: Any) -> Any:
    """What one field must be: a value, a nested object of fields, or commands (``{"$gt": 1}``)."""
    if not _operators(item):
        if isinstance(item, dict) and not (len(item) == 1 and next(iter(item)) in EJSON_KEYS):
            return {k: field(v) for k, v in item.items()} if item else item
        return value(item)
    commands = []
    for op, arg in item.items():
        if op in LOGIC:
            commands.append(Command(LOGIC[op], tuple(field(a) for a in _list(arg, op))))
        elif op == "$not":
            commands.append(Command("not", (field(arg),)))
        elif op == "$elemMatch":
            commands.append(Command("elemMatch", (field(arg) if _operators(arg) else condition(arg),)))
        elif op in FIELD_OPS:
            commands.append(Command(FIELD_OPS[op], (value(arg),)))
        else:
            raise NotComparableError(f"the query operator {op}")
    return commands[0] if len(commands) == 1 else Command("and", tuple(commands[1:]), commands[0])


def _list(item: Any, op: str) -> list[Any]:
    if not isinstance(item, list):
        raise NotComparableError(f"{op} takes a list: {item!r}")
    return item


def update(data: Any) -> dict[str, Any]:
    """An update's operators → ``{path: _.<command>(…)}`` (``{"$inc": {"a": 1}}`` → ``{"a": _.inc(1)}``)."""
    if not isinstance(data, dict):
        raise NotComparableError(f"an update that is not an object: {data!r}")
    found: dict[str, Any] = {}
    for op, paths in data.items():
        if op not in UPDATE_OPS or not isinstance(paths, dict):
            raise NotComparableError(f"the update operator {op}")
        for path, arg in paths.items():
            found[path] = _update_command(op, arg)
    return found


def _update_command(op: str, arg: Any) -> Command:
    name = UPDATE_OPS[op]
    if name == "remove":
        return Command("remove")
    if name == "pop":
        return Command("shift" if arg == -1 else "pop")
    if name == "pull":
        return Command("pull", (field(arg) if _operators(arg) else value(arg),))
    if name in ("push", "addToSet") and isinstance(arg, dict) and ("$each" in arg or "each" in arg):
        options = {k.removeprefix("$"): value(v) for k, v in arg.items()}  # _.push({each, position}) comes unprefixed
        allowed = {"each"} if name == "addToSet" else {"each", "position", "sort", "slice"}
        if set(options) - allowed:
            raise NotComparableError(f"{op} with {', '.join(sorted(set(options) - allowed))}")
        return Command(name, (options,))
    return Command(name, (value(arg),))


def order(text: Any) -> list[Call]:
    """``{"a": -1, "b": 1}`` → ``orderBy("a", "desc")``, ``orderBy("b", "asc")``."""
    found = value(parsed(text, "order"))
    if not isinstance(found, dict):
        raise NotComparableError(f"an order that is not an object: {found!r}")
    return [("orderBy", (key, "desc" if direction == -1 else "asc")) for key, direction in found.items()]


def head(params: Mapping[str, Any]) -> list[Call]:
    """``collection(name)`` then ``doc(id)`` or ``where(condition)``, from a document action's params."""
    calls: list[Call] = [("collection", (params.get("collectionName"),))]
    if "query" not in params:
        return calls
    query = value(parsed(params["query"], "query"))
    if params.get("queryType") == "DOC":
        if not isinstance(query, dict) or set(query) != {"_id"}:
            raise NotComparableError(f"a document query that is not {{_id}}: {query!r}")
        return [*calls, ("doc", (query["_id"],))]
    return [*calls, ("where", (condition(query),))] if query else calls


def paging(params: Mapping[str, Any]) -> list[Call]:
    """``orderBy``, ``skip``, ``limit`` and ``field`` of a get."""
    calls = order(params["order"]) if params.get("order") else []
    if params.get("offset"):
        calls.append(("skip", (params["offset"],)))
    if params.get("limit") is not None:
        calls.append(("limit", (params["limit"],)))
    if params.get("projection"):
        shown = value(parsed(params["projection"], "projection"))
        calls.append(("field", ({k: bool(v) for k, v in shown.items()},)))
    return calls


def stages(params: Mapping[str, Any]) -> list[Call]:
    """An aggregation's stages: ``aggregate()``, ``<stage>(<value>)``…, ``end()``."""
    calls: list[Call] = [("collection", (params.get("collectionName"),)), ("aggregate", ())]
    for stage in params.get("stages") or []:
        key = str(stage.get("stageKey", ""))
        calls.append((key.removeprefix("$"), (value(parsed(stage.get("stageValue"), key)),)))
    return [*calls, ("end", ())]
