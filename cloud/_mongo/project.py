"""A find's projection, as MongoDB applies it: ``{a: 1}`` keeps ``_id`` and ``a``; ``{a: 0}`` drops
``a``; a dotted path keeps (or drops) the field inside an object, and inside each object of an array
(``{"objs.y": 1}`` → ``objs: [{y: 1}, {}]``); ``{arr: {$slice: n | [skip, n]}}`` and
``{arr: {$elemMatch: {...}}}`` cut an array (``$slice`` alone keeps every other field)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from . import paths, query
from .values import MongoError, is_number


def check(fields: Mapping[str, Any]) -> None:
    """MongoError for a projection MongoDB refuses (inclusion and exclusion mixed, a bad operator)."""
    _mode(fields)


def _mode(fields: Mapping[str, Any]) -> bool:
    """True for an inclusion projection, False for an exclusion one."""
    including = excluding = False
    for path, how in fields.items():
        if isinstance(how, Mapping):
            if set(how) == {"$elemMatch"}:
                including = True
            elif set(how) != {"$slice"}:
                raise MongoError(f"unsupported projection option: {path}: {dict(how)}")
            continue
        if path == "_id":
            continue
        if isinstance(how, bool) or is_number(how):
            including, excluding = including or bool(how), excluding or not how
        else:
            raise MongoError(f"a find projection takes 1, 0, true, false, $slice or $elemMatch, not {how!r} ({path})")
    if including and excluding:
        raise MongoError("Cannot do exclusion on a field in an inclusion projection")
    return including


def apply(doc: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """``doc`` as ``fields`` shows it."""
    if not fields:
        return dict(doc)
    including = _mode(fields)
    keep_id = "_id" not in fields or bool(fields["_id"])
    if including:
        out: dict[str, Any] = {}
        if keep_id and "_id" in doc:
            out["_id"] = doc["_id"]
        for path, how in fields.items():
            if path != "_id" and (isinstance(how, Mapping) or how):
                paths.include(doc, out, path.split("."))
    else:
        out = copy.deepcopy(dict(doc))
        for path, how in fields.items():
            if not isinstance(how, Mapping) and not how and (path != "_id" or not keep_id):
                paths.exclude(out, path.split("."))
    for path, how in fields.items():
        if isinstance(how, Mapping):
            _operator(doc, out, path, how)
    return out


def _operator(doc: Mapping[str, Any], out: dict[str, Any], path: str, how: Mapping[str, Any]) -> None:
    if "." in path:
        raise MongoError(f"$slice and $elemMatch take a top-level field here, not {path}")
    value = doc.get(path)
    if not isinstance(value, list):
        return
    if "$elemMatch" in how:
        found = [item for item in value if query.element(item, how["$elemMatch"])][:1]
        if found:
            out[path] = copy.deepcopy(found)
        else:
            out.pop(path, None)
        return
    arg = how["$slice"]
    if is_number(arg):
        n = int(arg)
        out[path] = copy.deepcopy(value[:n] if n >= 0 else value[n:])
    elif isinstance(arg, list) and len(arg) == 2 and all(is_number(a) for a in arg) and arg[1] > 0:
        start = int(arg[0]) if arg[0] >= 0 else max(len(value) + int(arg[0]), 0)
        out[path] = copy.deepcopy(value[start : start + int(arg[1])])
    else:
        raise MongoError("$slice takes a number or [skip, limit] with a positive limit")
