"""The values of the database API and how a statement writes them: pure, no I/O.

WeChat's database HTTP API (``/tcb/databasequery`` and its siblings) takes each operation as one
statement in the database API's own JavaScript-like syntax, for example
``db.collection("geo").where({done:true,age:_.gt(18)}).limit(10).get()``. :func:`statement`
writes one from a chain of calls; :mod:`cloud._db.parse` reads it back (the emulator does).

``None`` as an object's value is left out, as Node leaves out ``undefined`` (``cloud.NULL`` is
``null``; in a list ``None`` is ``null``, as ``JSON.stringify`` writes ``undefined`` there).
Beside JSON's values a statement holds commands (``_.gt(1)``, ``_.inc(1)``, chained as
``_.gt(1).and(_.lt(5))``), dates (``new Date("2019-09-09T00:00:00.000Z")``), ``db.serverDate()``,
``db.RegExp({regexp:"^a",options:"i"})`` and ``new db.Geo.Point(113,23)``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import errors
from .._js.json import date_text, number
from .._js.value import NULL, Document
from .geo import GeoPoint, GeoShape

QUERY_COMMANDS = frozenset(
    {"eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "exists", "size", "mod", "all", "elemMatch",
     "and", "or", "nor", "not", "expr", "geoNear", "geoWithin", "geoIntersects", "jsonSchema"}
)  # fmt: skip
UPDATE_COMMANDS = frozenset(
    {"set", "remove", "inc", "mul", "push", "pull", "pullAll", "pop", "shift", "unshift", "addToSet",
     "rename", "max", "min", "bit"}
)  # fmt: skip
COMMANDS = QUERY_COMMANDS | UPDATE_COMMANDS
PYTHON_NAMES = {"in_": "in", "and_": "and", "or_": "or", "not_": "not"}
"""The commands whose JavaScript names are Python keywords: ``_.in_`` (or ``_["in"]``) is ``_.in``."""

MAX_DEPTH = 128
_IDENTIFIER = r"[A-Za-z_$][A-Za-z0-9_$]*\Z"  # compiled on first use (re caches it), not at import


class StatementError(ValueError):
    """A value a statement cannot hold, with the path to it."""


@dataclass(frozen=True, slots=True)
class Command:
    """``_.<op>(*args)``; with ``base``, the chained ``<base>.<op>(*args)`` (``_.gt(1).and(_.lt(5))``)."""

    op: str
    args: tuple[Any, ...] = ()
    base: Command | None = None

    def and_(self, *others: Any) -> Command:
        """``<this>.and(<others>)``: both must hold."""
        return Command("and", others, self)

    def or_(self, *others: Any) -> Command:
        """``<this>.or(<others>)``: either may hold."""
        return Command("or", others, self)

    def eq(self, value: Any) -> Command:
        """``<this>.eq(value)``: Node's chained form of ``<this>.and(_.eq(value))``; likewise below."""
        return self.and_(Command("eq", (value,)))

    def neq(self, value: Any) -> Command:
        return self.and_(Command("neq", (value,)))

    def gt(self, value: Any) -> Command:
        return self.and_(Command("gt", (value,)))

    def gte(self, value: Any) -> Command:
        return self.and_(Command("gte", (value,)))

    def lt(self, value: Any) -> Command:
        return self.and_(Command("lt", (value,)))

    def lte(self, value: Any) -> Command:
        return self.and_(Command("lte", (value,)))

    def in_(self, values: Any) -> Command:
        return self.and_(Command("in", (values,)))

    def nin(self, values: Any) -> Command:
        return self.and_(Command("nin", (values,)))

    def geoNear(self, options: Any) -> Command:  # noqa: N802 - Node's name
        return self.and_(Command("geoNear", (options,)))

    def geoWithin(self, options: Any) -> Command:  # noqa: N802 - Node's name
        return self.and_(Command("geoWithin", (options,)))

    def geoIntersects(self, options: Any) -> Command:  # noqa: N802 - Node's name
        return self.and_(Command("geoIntersects", (options,)))

    def __getitem__(self, name: str) -> Any:
        if name in ("and", "or", "in"):
            return getattr(self, name + "_")
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class ServerDate:
    """``db.serverDate({offset})``: the server's clock when the write happens, plus ``offset`` ms."""

    offset: int | float = 0


@dataclass(frozen=True, slots=True)
class RegExp:
    """``db.RegExp({regexp, options})``: a regular expression for ``where``."""

    regexp: str
    options: str = ""


def dumps(value: Any, path: str = "data", depth: int = 0) -> str:
    """``value`` written in the statement syntax; :class:`StatementError` if it cannot be."""
    if depth > MAX_DEPTH:
        raise StatementError(f"{path} is nested too deeply")
    if value is None or value is NULL:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) >= 2**1024:
            raise StatementError(f"{path} is an integer too large for a JavaScript number")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise StatementError(f"{path} is {value}, which JSON cannot hold")
        shown = number(value)
        return json.dumps(shown if isinstance(shown, (int, float)) else shown.value)
    if isinstance(value, str):
        return _string(value, path)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)) + "]"
    if isinstance(value, Mapping):
        return _object(value, path, depth)
    return _special(value, path, depth)


def _string(value: str, path: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise StatementError(f"{path} holds a lone surrogate, which is not valid text") from None
    return json.dumps(value, ensure_ascii=False)


def key_text(key: str) -> str:
    """An object key: bare when it is an identifier (``done``), else quoted (``"a.b"``)."""
    return key if re.match(_IDENTIFIER, key) else json.dumps(key, ensure_ascii=False)


def _object(value: Mapping[Any, Any], path: str, depth: int) -> str:
    parts = []
    stored = isinstance(value, Document)
    for key, item in value.items():
        if not isinstance(key, str):
            raise StatementError(f"{path} has a key that is not a string: {key!r}")
        if item is None and not stored:  # Node's undefined: left out, as its EJSON leaves it out
            continue
        _string(key, path)  # refuses a lone surrogate
        parts.append(f"{key_text(key)}:{dumps(item, f'{path}.{key}', depth + 1)}")
    return "{" + ",".join(parts) + "}"


def _special(value: Any, path: str, depth: int) -> str:
    if isinstance(value, Command):
        args = ",".join(dumps(a, f"{path}({value.op})", depth + 1) for a in value.args)
        head = "_" if value.base is None else _special(value.base, path, depth + 1)
        return f"{head}.{value.op}({args})"
    if isinstance(value, dt.datetime):
        try:
            return f'new Date("{date_text(value)}")'
        except OverflowError:
            raise StatementError(f"{path} is a date outside the years 1 to 9999 in UTC") from None
    if isinstance(value, dt.date):
        return f'new Date("{value.isoformat()}")'
    if isinstance(value, ServerDate):
        return "db.serverDate()" if not value.offset else f"db.serverDate({{offset:{dumps(value.offset)}}})"
    if isinstance(value, RegExp):
        return f"db.RegExp({{regexp:{_string(value.regexp, path)},options:{_string(value.options, path)}}})"
    if isinstance(value, GeoPoint):
        return f"new db.Geo.Point({dumps(value.longitude, path)},{dumps(value.latitude, path)})"
    if isinstance(value, GeoShape):
        return f"new db.Geo.{value.kind}([{','.join(dumps(p, path, depth + 1) for p in value.parts)}])"
    raise StatementError(f"{path} is a {type(value).__name__}, which the database cannot store")


def statement(calls: list[tuple[str, tuple[Any, ...]]], what: str = "data") -> str:
    """``db.<name>(<args>).<name>(<args>)…`` for ``calls`` in order."""
    return "db" + "".join(f".{name}({','.join(dumps(a, what) for a in args)})" for name, args in calls)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def epoch_ms(ms: Any) -> dt.datetime | None:
    """``ms`` milliseconds after 1970 as a UTC datetime (None: not a finite number of years 1-9999)."""
    try:
        return EPOCH + dt.timedelta(milliseconds=ms)
    except (TypeError, ValueError, OverflowError):
        return None


def _scalar(key: str, inner: Any) -> Any:
    """The value of ``{"$date": …}``, ``{"$numberInt": …}`` … (None: not one, or not readable,
    as a hostile reply may send: the document then keeps it as it came)."""
    try:
        if key == "$date" and isinstance(inner, str):
            return dt.datetime.fromisoformat(inner.replace("Z", "+00:00"))
        if key == "$date":
            inner = from_stored(inner)
            return epoch_ms(inner) if isinstance(inner, (int, float)) and not isinstance(inner, bool) else None
        if key in ("$numberInt", "$numberLong") and isinstance(inner, str):
            return int(inner)
        if key == "$numberDouble" and isinstance(inner, str):
            return float(inner)
    except ValueError:
        return None
    return None


def from_stored(value: Any) -> Any:
    """A document as a reply carries it (extended JSON) → Python: ``{"$date": ms}`` a UTC datetime,
    ``{"$numberInt": "1"}`` and its kin numbers, ``{"$regularExpression": …}`` a :class:`RegExp`; an
    object a :class:`Document` (its nulls stay null when written on)."""
    if isinstance(value, list):
        return [from_stored(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (key, inner), = value.items()  # fmt: skip
        found = _scalar(key, inner)
        if found is not None:
            return found
        if key == "$regularExpression" and isinstance(inner, dict):
            return RegExp(str(inner.get("pattern", "")), str(inner.get("options", "")))
    return Document({k: from_stored(v) for k, v in value.items()})  # its nulls were stored nulls


def checked(value: Any, display_name: str, path: str = "data") -> None:
    """Raise the CloudSDKError (-501007) for a value a statement cannot hold, before any I/O."""
    try:
        dumps(value, path)
    except StatementError as exc:
        raise errors.invalid_params(display_name, str(exc)) from None


class Pipeline:
    """``db.command.aggregate.pipeline()``: stages chained (``.match({...}).project({...})``), then
    ``.done()``, the stages as ``[{"$match": {...}}, …]`` (for ``lookup``'s ``pipeline``)."""

    def __init__(self, stages: tuple[dict[str, Any], ...] = ()) -> None:
        self._stages = stages

    def __getattr__(self, stage: str) -> Callable[[Any], Pipeline]:
        if stage.startswith("_"):
            raise AttributeError(stage)
        return lambda spec: Pipeline((*self._stages, {f"${stage}": spec}))

    def done(self) -> list[dict[str, Any]]:
        return list(self._stages)


class AggregateCommands:
    """``db.command.aggregate``: ``.sum(1)`` → ``{"$sum": 1}``, the operators of expressions and
    ``group`` as raw data; ``.pipeline()`` a :class:`Pipeline`."""

    def pipeline(self) -> Pipeline:
        return Pipeline()

    def __getattr__(self, op: str) -> Callable[..., dict[str, Any]]:
        if op.startswith("__"):
            raise AttributeError(op)
        return lambda *args: {f"${op}": args[0] if len(args) == 1 else list(args)}


class ProjectCommands:
    """``db.command.project``: ``.slice(n)`` / ``.slice([skip, n])`` and ``.elemMatch({...})`` for ``field``."""

    @staticmethod
    def slice(count: Any) -> dict[str, Any]:
        return {"$slice": count}

    @staticmethod
    def elemMatch(condition: Any) -> dict[str, Any]:  # noqa: N802 - Node's name
        return {"$elemMatch": condition}


class Commands:
    """``db.command``: ``_.gt(1)``, ``_.inc(1)``… Python keywords take a trailing ``_`` (``_.in_``,
    ``_.and_``, ``_.or_``, ``_.not_``) or an index (``_["in"]``). An unknown name raises
    CloudSDKError (-501007), as no statement could carry it."""

    aggregate: AggregateCommands
    project: ProjectCommands

    def __getattr__(self, name: str) -> Callable[..., Command]:
        op = PYTHON_NAMES.get(name, name)
        if name.startswith("_"):  # no command starts with "_"; tools probe such names (_repr_html_)
            raise AttributeError(name)
        if op not in COMMANDS:
            known = ", ".join(sorted(COMMANDS))
            raise errors.invalid_params("db.command", f"unknown command {name!r}; the commands are {known}")

        def command(*args: Any) -> Command:
            if op in ("and", "or", "nor") and len(args) == 1 and isinstance(args[0], (list, tuple)):
                args = tuple(args[0])
            return Command(op, args)

        command.__name__ = name
        return command

    def __getitem__(self, name: str) -> Callable[..., Command]:
        return self.__getattr__(name)  # type: ignore[no-any-return]


Commands.aggregate = AggregateCommands()
Commands.project = ProjectCommands()
