"""What a MongoDB update does to one document: ``$set``, ``$unset``, ``$inc``, ``$mul``, ``$min``,
``$max``, ``$rename``, ``$push`` (with ``$each``, ``$position``, ``$sort``, ``$slice``),
``$addToSet``, ``$pop``, ``$pull``, ``$pullAll``; paths with array indexes, the positional ``$``
(the element the query matched) and ``$[]`` (every element). ``_id`` never changes."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from . import paths, query
from .values import MISSING, MongoError, compare, equal, is_number, rank, sort_cmp, type_name

Updater = Callable[[dict[str, Any], list[str], Any], None]


def apply(doc: Mapping[str, Any], update: Mapping[str, Any], where: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``doc`` after ``update`` (a new document; ``doc`` is left as it was). ``where`` is the query
    that chose the document: the positional ``$`` stands for the array element it matched."""
    if not isinstance(update, Mapping) or not update:
        raise MongoError("an update needs at least one operator, such as {$set: {...}}")
    out = copy.deepcopy(dict(doc))
    written: list[str] = []
    for op, fields in update.items():
        if op not in UPDATERS:
            raise MongoError(f"Unknown modifier: {op}")
        if not isinstance(fields, Mapping):
            raise MongoError(f"Modifiers operate on fields but we found type {type_name(fields)} instead.")
        for path, arg in fields.items():
            targets = [path, str(arg)] if op == "$rename" else [path]
            for target in targets:
                _check(target, written)
                written.append(target)
            parts = path.split(".")
            spot = parts.index("$") if "$" in parts else None
            position = query.position(doc, where or {}, ".".join(parts[:spot])) if spot is not None else None
            for place in paths.expand(out, parts, position):
                UPDATERS[op](out, place, arg)
    return out


def _check(path: str, written: list[str]) -> None:
    if path == "" or any(part == "" for part in path.split(".")):
        raise MongoError(f"The update path '{path}' contains an empty field name, which is not allowed.")
    if path.split(".")[0] == "_id":
        raise MongoError("Performing an update on the path '_id' would modify the immutable field '_id'")
    for other in written:
        if path == other or path.startswith(other + ".") or other.startswith(path + "."):
            raise MongoError(f"Updating the path '{path}' would create a conflict at '{other}'")


def _set(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    paths.put(doc, place, copy.deepcopy(arg))


def _unset(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    paths.remove(doc, place)


def _arithmetic(op: str) -> Updater:
    def updater(doc: dict[str, Any], place: list[str], arg: Any) -> None:
        if not is_number(arg):
            raise MongoError(f"Cannot {op[1:]} with non-numeric argument: {{{'.'.join(place)}: {arg!r}}}")
        current = paths.at(doc, place)
        if current is MISSING:
            paths.put(doc, place, arg if op == "$inc" else 0 * arg)
        elif not is_number(current):
            raise MongoError(
                f"Cannot apply {op} to a value of non-numeric type. {{_id: {doc.get('_id')!r}}} has the field "
                f"'{place[-1]}' of non-numeric type {type_name(current)}"
            )
        else:
            paths.put(doc, place, current + arg if op == "$inc" else current * arg)

    return updater


def _bound(greater: bool) -> Updater:
    def updater(doc: dict[str, Any], place: list[str], arg: Any) -> None:
        current = paths.at(doc, place)
        if current is MISSING or (compare(arg, current) > 0 if greater else compare(arg, current) < 0):
            paths.put(doc, place, copy.deepcopy(arg))

    return updater


def _rename(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    if not isinstance(arg, str) or not arg:
        raise MongoError(f"The 'to' field for $rename must be a string: {'.'.join(place)}: {arg!r}")
    if arg == ".".join(place):
        raise MongoError(f"The source and target field for $rename must differ: {arg}")
    for way in (place, arg.split(".")):
        if any(isinstance(paths.at(doc, way[:i]), list) for i in range(1, len(way))):
            raise MongoError(f"The source and target field for $rename must not be on an array: {'.'.join(way)}")
    value = paths.at(doc, place)
    if value is not MISSING:
        paths.remove(doc, place)
        paths.put(doc, arg.split("."), value)


def _array_at(doc: dict[str, Any], place: list[str], op: str) -> list[Any]:
    current = paths.at(doc, place)
    if current is MISSING:
        return []
    if not isinstance(current, list):
        raise MongoError(
            f"The field '{'.'.join(place)}' must be an array but is of type {type_name(current)} in document "
            f"{{_id: {doc.get('_id')!r}}}"
        )
    return current


def _push(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    items = list(_array_at(doc, place, "$push"))
    modifiers = arg if isinstance(arg, Mapping) and "$each" in arg else {"$each": [arg]}
    unknown = set(modifiers) - {"$each", "$position", "$sort", "$slice"}
    if unknown or not isinstance(modifiers["$each"], list):
        raise MongoError(f"$push takes $each (an array) with $position, $sort, $slice; not {sorted(unknown)}")
    each = copy.deepcopy(modifiers["$each"])
    where = modifiers.get("$position", len(items))
    if not isinstance(where, int) or isinstance(where, bool):
        raise MongoError("The value for $position must be an integer value")
    where = max(len(items) + where, 0) if where < 0 else where
    items[where:where] = each
    if "$sort" in modifiers:
        items = _sorted(items, modifiers["$sort"])
    if "$slice" in modifiers:
        n = modifiers["$slice"]
        if not isinstance(n, int) or isinstance(n, bool):
            raise MongoError("The value for $slice must be an integer value")
        items = items[:n] if n >= 0 else items[len(items) + n :] if -n < len(items) else items
    paths.put(doc, place, items)


def _sorted(items: list[Any], order: Any) -> list[Any]:
    if order in (1, -1):
        return sorted(items, key=sort_cmp, reverse=order == -1)
    if not isinstance(order, Mapping) or not order or any(d not in (1, -1) for d in order.values()):
        raise MongoError("$sort takes 1/-1 to sort whole elements, or {field: 1/-1} to sort by embedded fields")
    for key, direction in reversed(list(order.items())):
        items = sorted(items, key=lambda i, k=key: sort_cmp(paths.at(i, k.split("."))), reverse=direction == -1)  # type: ignore[misc]
    return items


def _add_to_set(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    items = list(_array_at(doc, place, "$addToSet"))
    given = arg["$each"] if isinstance(arg, Mapping) and "$each" in arg else [arg]
    if not isinstance(given, list):
        raise MongoError("The argument to $each in $addToSet must be an array")
    for item in given:
        if not any(equal(item, have) for have in items):
            items.append(copy.deepcopy(item))
    paths.put(doc, place, items)


def _pop(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    if arg not in (1, -1) or isinstance(arg, bool):
        raise MongoError(f"$pop expects 1 or -1, found: {arg!r}")
    if paths.at(doc, place) is not MISSING:
        items = _array_at(doc, place, "$pop")
        paths.put(doc, place, items[1:] if arg == -1 else items[:-1])


def _pull(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    if paths.at(doc, place) is not MISSING:
        paths.put(doc, place, [i for i in _array_at(doc, place, "$pull") if not _pulled(i, arg)])


def _pulled(item: Any, cond: Any) -> bool:
    if query.is_operators(cond) and not {"$and", "$or", "$nor", "$expr"} & set(cond):
        return query.holds([item], cond)
    if isinstance(cond, Mapping) and isinstance(item, Mapping):
        return query.matches(item, cond)
    return rank(item) == rank(cond) and equal(item, cond)


def _pull_all(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    if not isinstance(arg, list):
        raise MongoError("$pullAll requires an array argument")
    if paths.at(doc, place) is not MISSING:
        paths.put(doc, place, [i for i in _array_at(doc, place, "$pullAll") if not any(equal(i, g) for g in arg)])


def _bit(doc: dict[str, Any], place: list[str], arg: Any) -> None:
    if not isinstance(arg, Mapping) or not arg or set(arg) - {"and", "or", "xor"}:
        raise MongoError("$bit takes {and | or | xor: <integer>}")
    current = paths.at(doc, place)
    current = 0 if current is MISSING else current
    if not isinstance(current, int) or isinstance(current, bool):
        raise MongoError(f"Cannot apply $bit to a value of non-integral type {type_name(current)}")
    for op, operand in arg.items():
        if not isinstance(operand, int) or isinstance(operand, bool):
            raise MongoError("$bit's operands must be integers")
        current = current & operand if op == "and" else current | operand if op == "or" else current ^ operand
    paths.put(doc, place, current)


UPDATERS: dict[str, Updater] = {
    "$set": _set, "$unset": _unset, "$inc": _arithmetic("$inc"), "$mul": _arithmetic("$mul"),
    "$min": _bound(False), "$max": _bound(True), "$rename": _rename, "$push": _push,
    "$addToSet": _add_to_set, "$pop": _pop, "$pull": _pull, "$pullAll": _pull_all, "$bit": _bit,
}  # fmt: skip
