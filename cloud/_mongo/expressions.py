"""Aggregation expressions: ``"$field"`` (a path, through arrays), ``"$$name"`` (a variable:
``$$ROOT``, ``$$CURRENT``, or one a ``$let``/``$map``/``$filter``/``$reduce``/``$lookup`` bound),
``{"$op": args}`` (the operators of :mod:`.arith`, :mod:`.strings`, :mod:`.dates`, :mod:`.arrays`),
objects of expressions (a missing value leaves its key out) and arrays of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import arith, arrays, dates, paths, strings
from .values import MISSING, MongoError, Scope, truthy, type_name

OPERATORS = {**arith.OPERATORS, **strings.OPERATORS, **dates.OPERATORS, **arrays.OPERATORS}

__all__ = ["OPERATORS", "evaluate", "scope_of", "truthy", "type_name"]


def scope_of(doc: Any, variables: Mapping[str, Any] | None = None) -> Scope:
    """The scope for evaluating expressions over ``doc``."""
    return Scope(doc, {"ROOT": doc, "CURRENT": doc, **(variables or {})}, _evaluate)


def evaluate(expr: Any, doc: Any, variables: Mapping[str, Any] | None = None) -> Any:
    """The value of ``expr`` for ``doc`` (``MISSING`` when it names nothing)."""
    return _evaluate(expr, scope_of(doc, variables))


def _evaluate(expr: Any, scope: Scope) -> Any:
    if isinstance(expr, str) and expr.startswith("$"):
        if expr.startswith("$$"):
            name, _, rest = expr[2:].partition(".")
            if name not in scope.variables:
                raise MongoError(f"Use of undefined variable: {name}")
            value = scope.variables[name]
            return paths.get(value, rest) if rest else value
        if len(expr) == 1:
            raise MongoError("'$' by itself is not a valid field path")
        return paths.get(scope.doc, expr[1:])
    if isinstance(expr, list):
        return [None if v is MISSING else v for v in (_evaluate(item, scope) for item in expr)]
    if isinstance(expr, Mapping):
        keys = list(expr)
        if keys and str(keys[0]).startswith("$"):
            if len(keys) != 1:
                raise MongoError(f"an expression object must have exactly one operator field, not {keys}")
            operator = OPERATORS.get(keys[0])
            if operator is None:
                raise MongoError(f"Unrecognized expression '{keys[0]}'")
            return operator(expr[keys[0]], scope)
        out = {}
        for key, item in expr.items():
            value = _evaluate(item, scope)
            if value is not MISSING:
                out[key] = value
        return out
    return expr
