"""Dotted paths (``"objs.1.x"``) into documents, as MongoDB follows them: a query's path goes into
every element of an array it meets (``objs.x`` reaches each object's ``x``); an update's path names
one place, and an array index in it may lie past the end (the array is padded with nulls)."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from .values import MISSING, EmulatorLimitError, MongoError


def leaves(doc: Any, path: str) -> list[Any]:
    """The values a query's ``path`` reaches in ``doc``: one per branch through arrays; ``MISSING``
    where a branch ends before the path does (so ``[MISSING]`` for an absent field)."""
    found = list(_walk(doc, path.split("."), 0))
    return found or [MISSING]


def _walk(value: Any, parts: list[str], i: int) -> Iterator[Any]:
    if i == len(parts):
        yield value
        return
    part = parts[i]
    if isinstance(value, dict):
        yield from _walk(value.get(part, MISSING), parts, i + 1)
    elif isinstance(value, list):
        if part.isdigit():
            if int(part) < len(value):
                yield from _walk(value[int(part)], parts, i + 1)
            else:
                yield MISSING
        docs = [item for item in value if isinstance(item, dict)]
        for item in docs:
            yield from _walk(item, parts, i)
        if not docs and not part.isdigit():
            yield MISSING
    else:
        yield MISSING


def get(doc: Any, path: str) -> Any:
    """The value at ``path`` as an aggregation expression reads it: through an array, the list of
    what each element holds (``"$objs.x"`` → ``[1, 2]``); ``MISSING`` if there is none."""
    value = doc
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, list):
            value = [v for v in (get(item, part) for item in value if isinstance(item, dict)) if v is not MISSING]
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def at(doc: Any, parts: list[str]) -> Any:
    """The value at one exact place (array indexes as indexes), or ``MISSING``."""
    value = doc
    for part in parts:
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def put(doc: dict[str, Any], parts: list[str], value: Any) -> None:
    """Set one place, making the objects (and padding the arrays) on the way; MongoError where
    the way meets a scalar, or a field of an array that is not an index."""
    target: Any = doc
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(target, dict):
            if not last and part not in target:
                target[part] = {}
        elif isinstance(target, list) and part.isdigit():
            fresh = int(part) >= len(target)
            target.extend([None] * (int(part) + 1 - len(target)))
            if fresh and not last:
                target[int(part)] = {}
        else:
            shown = "[...]" if isinstance(target, list) else repr(target)
            raise MongoError(f"Cannot create field '{part}' in element {{{parts[i - 1]}: {shown}}}")
        if last:
            target[int(part) if isinstance(target, list) else part] = value
            return
        target = target[int(part) if isinstance(target, list) else part]


def remove(doc: dict[str, Any], parts: list[str]) -> None:
    """``$unset`` one place: a field is removed, an array element becomes null."""
    parent = at(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = None


def expand(doc: Any, parts: list[str], position: int | None) -> list[list[str]]:
    """The exact places an update path names: ``$`` is the element the query matched
    (``position``), ``$[]`` every element of the array there."""
    places: list[list[str]] = [[]]
    for part in parts:
        if part == "$":
            if position is None:
                raise MongoError("The positional operator did not find the match needed from the query.")
            places = [[*p, str(position)] for p in places]
        elif part == "$[]":
            grown: list[list[str]] = []
            for p in places:
                items = at(doc, p)
                if not isinstance(items, list):
                    raise MongoError(f"The path '{'.'.join(p)}' must exist in the document to apply array updates.")
                grown.extend([*p, str(i)] for i in range(len(items)))
            places = grown
        elif part.startswith("$"):
            raise EmulatorLimitError(f"the update path part {part} (arrayFilters)")
        else:
            places = [[*p, part] for p in places]
    return places


def include(source: Any, target: dict[str, Any], parts: list[str]) -> None:
    """Copy the field at ``parts`` from ``source`` into ``target`` (into each object of an array)."""
    head, rest = parts[0], parts[1:]
    if not isinstance(source, Mapping) or head not in source:
        return
    value = source[head]
    if not rest:
        target[head] = copy.deepcopy(value)
    elif isinstance(value, Mapping):
        inner = target.get(head)
        inner = target[head] = inner if isinstance(inner, dict) else {}
        include(value, inner, rest)
    elif isinstance(value, list):
        have = target.get(head)
        kept = have if isinstance(have, list) else [{} for item in value if isinstance(item, Mapping)]
        docs = [item for item in value if isinstance(item, Mapping)]
        for item, into in zip(docs, kept, strict=False):
            include(item, into, rest)
        target[head] = kept


def exclude(target: Any, parts: list[str]) -> None:
    """Drop the field at ``parts`` (from each object of an array)."""
    head, rest = parts[0], parts[1:]
    if isinstance(target, dict):
        if not rest:
            target.pop(head, None)
        elif head in target:
            exclude(target[head], rest)
    elif isinstance(target, list):
        for item in target:
            exclude(item, parts)
