"""The aggregation stages the emulator runs: ``match``, ``group``, ``sort``, ``limit``, ``skip``,
``project``, ``count``, ``unwind``, ``addFields``; expressions ``"$field"`` and the accumulators
``$sum``, ``$avg``, ``$min``, ``$max``, ``$first``, ``$last``, ``$push``, ``$addToSet``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._dbeval import MISSING, EvalError, get_path, matches, sort_key


def _expr(doc: Mapping[str, Any], expr: Any) -> Any:
    if isinstance(expr, str) and expr.startswith("$"):
        found = get_path(doc, expr[1:])
        return None if found is MISSING else found
    if isinstance(expr, dict) and len(expr) == 1 and next(iter(expr)).startswith("$"):
        (op, arg), = expr.items()  # fmt: skip
        args = [_expr(doc, a) for a in (arg if isinstance(arg, list) else [arg])]
        numbers = [a for a in args if isinstance(a, (int, float)) and not isinstance(a, bool)]
        if op == "$add":
            return sum(numbers)
        if op == "$multiply":
            product: int | float = 1
            for n in numbers:
                product *= n
            return product
        raise EvalError(f"the emulator does not evaluate the expression {op}")
    if isinstance(expr, dict):
        return {k: _expr(doc, v) for k, v in expr.items()}
    return expr


def _accumulate(op: str, found: list[Any]) -> Any:
    numbers = [v for v in found if isinstance(v, (int, float)) and not isinstance(v, bool)]
    present = [v for v in found if v is not None]
    if op == "$sum":
        return sum(numbers)
    if op == "$avg":
        return sum(numbers) / len(numbers) if numbers else None
    if op in ("$min", "$max"):
        return (min if op == "$min" else max)(present, key=sort_key) if present else None
    if op == "$first":
        return found[0] if found else None
    if op == "$last":
        return found[-1] if found else None
    if op == "$push":
        return found
    if op == "$addToSet":
        unique: list[Any] = []
        for v in found:
            if v not in unique:
                unique.append(v)
        return unique
    raise EvalError(f"the emulator does not run the accumulator {op}")


def _group(docs: list[dict[str, Any]], spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    if "_id" not in spec:
        raise EvalError("group needs an _id")
    groups: dict[str, tuple[Any, list[dict[str, Any]]]] = {}
    for doc in docs:
        key = _expr(doc, spec["_id"])
        groups.setdefault(repr(key), (key, []))[1].append(doc)
    out = []
    for key, members in groups.values():
        row: dict[str, Any] = {"_id": key}
        for name, acc in spec.items():
            if name == "_id":
                continue
            if not isinstance(acc, dict) or len(acc) != 1:
                raise EvalError(f"group field {name} must be one accumulator, such as {{$sum: 1}}")
            (op, arg), = acc.items()  # fmt: skip
            row[name] = _accumulate(op, [_expr(m, arg) for m in members])
        out.append(row)
    return out


def _project(docs: list[dict[str, Any]], spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for doc in docs:
        if all(v in (0, False) for v in spec.values()):
            out.append({k: v for k, v in doc.items() if k not in spec})
            continue
        row = {"_id": doc["_id"]} if "_id" in doc and spec.get("_id", 1) not in (0, False) else {}
        for name, how in spec.items():
            if name == "_id" or how in (0, False):
                continue
            value = _expr(doc, f"${name}" if how in (1, True) else how)
            if value is not None or how not in (1, True):
                row[name] = value
        out.append(row)
    return out


def _unwind(docs: list[dict[str, Any]], spec: Any) -> list[dict[str, Any]]:
    path = (spec.get("path") if isinstance(spec, dict) else spec) or ""
    field = path.lstrip("$")
    out = []
    for doc in docs:
        items = get_path(doc, field)
        for item in items if isinstance(items, list) else []:
            out.append({**doc, field: item})
    return out


def run_pipeline(docs: list[dict[str, Any]], stages: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """The documents out of ``stages`` (``(name, spec)`` in order)."""
    for name, spec in stages:
        if name == "match":
            docs = [d for d in docs if matches(d, spec)]
        elif name == "group":
            docs = _group(docs, spec)
        elif name == "sort":
            for field, direction in reversed(list(spec.items())):
                docs = sorted(docs, key=lambda d, f=field: sort_key(get_path(d, f)), reverse=direction == -1)  # type: ignore[misc]
        elif name == "limit":
            docs = docs[: int(spec)]
        elif name == "skip":
            docs = docs[int(spec) :]
        elif name == "project":
            docs = _project(docs, spec)
        elif name == "count":
            docs = [{str(spec): len(docs)}]
        elif name == "unwind":
            docs = _unwind(docs, spec)
        elif name == "addFields":
            docs = [{**d, **{k: _expr(d, v) for k, v in spec.items()}} for d in docs]
        else:
            raise EvalError(f"the emulator does not run the aggregation stage {name}")
    return docs
