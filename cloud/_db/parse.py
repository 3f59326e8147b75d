"""Reading a database statement (``db.collection("c").where({a:_.gt(1)}).get()``) back into calls.

The inverse of :func:`cloud._db.values.statement`: the emulator uses it to run what a client sent.
It reads the subset of JavaScript the statements use: JSON's values with bare keys and single-
quoted strings, commands (``_.op(...)`` and their chains), ``new Date(...)``, ``db.serverDate()``,
``db.RegExp({...})`` and ``db.Geo.Point(...)``, each with or without ``new``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from .geo import SHAPE_PARTS, GeoPoint, ShapeError, geo_shape
from .values import Command, RegExp, ServerDate, epoch_ms

_TOKEN = re.compile(  # digits are ASCII, as in JavaScript (\d would take any script's)
    r"""\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<num>-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"""
    r"""|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)|(?P<punct>[.(){}\[\],:]))""",
    re.DOTALL,
)
_SPACE = re.compile(r"\s*")
MAX_DEPTH = 256


class ParseError(ValueError):
    """Text that is not a statement, with where it went wrong."""


Call = tuple[str, tuple[Any, ...]]


def _tokens(text: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    at = 0
    while True:
        at = _SPACE.match(text, at).end()  # type: ignore[union-attr]  # \s* always matches
        if at == len(text):
            break
        match = _TOKEN.match(text, at)
        if match is None:
            raise ParseError(f"unexpected {text[at : at + 20].strip()!r} at {at}")
        kind = match.lastgroup or ""
        raw = match.group(kind)
        if kind == "str":
            value: Any = _string(raw)
        elif kind == "num":
            value = float(raw) if any(c in raw for c in ".eE") else int(raw)
        else:
            value = raw
        found.append((kind, value))
        at = match.end()
    found.append(("end", None))
    return found


def _string(raw: str) -> str:
    if raw[0] == "'":  # a single-quoted string: the same escapes, its own quote
        raw = '"' + raw[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    try:
        return str(json.loads(raw))
    except ValueError:
        raise ParseError(f"bad string {raw[:40]}") from None


class _Reader:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self, offset: int = 0) -> tuple[str, Any]:
        return self.tokens[min(self.at + offset, len(self.tokens) - 1)]

    def take(self, value: str | None = None, kind: str | None = None) -> Any:
        got_kind, got = self.tokens[self.at]
        if (value is not None and (got_kind not in ("punct", "name") or got != value)) or (
            kind is not None and got_kind != kind
        ):
            raise ParseError(f"expected {value or kind}, found {got!r} (token {self.at})")
        self.at += 1
        return got

    def is_(self, value: str, offset: int = 0) -> bool:
        kind, got = self.peek(offset)
        return kind in ("punct", "name") and got == value

    def args(self, depth: int) -> tuple[Any, ...]:
        self.take("(")
        found = []
        while not self.is_(")"):
            found.append(self.value(depth + 1))
            if not self.is_(")"):
                self.take(",")
        self.take(")")
        return tuple(found)

    def value(self, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise ParseError("nested too deeply")
        kind, got = self.peek()
        if kind in ("str", "num"):
            self.at += 1
            return got
        if kind == "punct" and got == "[":
            self.take("[")
            items = []
            while not self.is_("]"):
                items.append(self.value(depth + 1))
                if not self.is_("]"):
                    self.take(",")
            self.take("]")
            return items
        if kind == "punct" and got == "{":
            return self.object(depth)
        if kind == "name":
            return self.named(depth)
        raise ParseError(f"unexpected {got!r} (token {self.at})")

    def object(self, depth: int) -> dict[str, Any]:
        self.take("{")
        found: dict[str, Any] = {}
        while not self.is_("}"):
            kind, key = self.peek()
            if kind not in ("str", "name", "num"):
                raise ParseError(f"bad key {key!r} (token {self.at})")
            self.at += 1
            self.take(":")
            found[str(key)] = self.value(depth + 1)
            if not self.is_("}"):
                self.take(",")
        self.take("}")
        return found

    def named(self, depth: int) -> Any:
        literal = {"true": True, "false": False, "null": None}
        name = self.take(kind="name")
        if name in literal:
            return literal[name]
        if name == "new":
            name = self.take(kind="name")
        if name == "Date":
            args = self.args(depth)
            return _date(args[0] if args else None)
        if name == "_":
            return self.command(depth)
        if name == "db":
            self.take(".")
            what = self.take(kind="name")
            if what == "Geo":
                self.take(".")
                shape = self.take(kind="name")
                if shape == "Point":
                    lng, lat = self.args(depth)
                    return GeoPoint(lng, lat)
                if shape not in SHAPE_PARTS:
                    raise ParseError(f"db.Geo.{shape} is not a shape")
                try:
                    return geo_shape(shape, (self.args(depth) or ([],))[0])
                except ShapeError as exc:
                    raise ParseError(str(exc)) from None
            args = self.args(depth)
            options = args[0] if args and isinstance(args[0], dict) else {}
            if what == "serverDate":
                return ServerDate(options.get("offset", 0))
            if what == "RegExp":
                return RegExp(str(options.get("regexp", "")), str(options.get("options", "")))
        raise ParseError(f"unknown name {name!r} (token {self.at})")

    def command(self, depth: int) -> Command:
        found: Command | None = None
        while self.is_("."):
            self.take(".")
            op = self.take(kind="name")
            found = Command(op, self.args(depth), found)
        if found is None:
            raise ParseError("_ with no command")
        return found


def _date(arg: Any) -> dt.date | dt.datetime:
    if isinstance(arg, (int, float)) and not isinstance(arg, bool):
        when = epoch_ms(arg)
        if when is None:
            raise ParseError(f"new Date({arg!r}) is not a date Python can hold")
        return when
    if not isinstance(arg, str):
        raise ParseError(f"new Date({arg!r}) is not a date")
    try:
        if len(arg) == 10:
            return dt.date.fromisoformat(arg)
        return dt.datetime.fromisoformat(arg.replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(f"new Date({arg!r}) is not a date") from None


def parse_statement(text: str) -> list[Call]:
    """``db.a(x).b(y)`` → ``[("a", (x,)), ("b", (y,))]``; :class:`ParseError` if it is not one."""
    reader = _Reader(text)
    reader.take("db")
    calls: list[Call] = []
    while reader.is_("."):
        reader.take(".")
        name = reader.take(kind="name")
        calls.append((name, reader.args(0)))
    reader.take(kind="end")
    if not calls:
        raise ParseError("a statement calls at least one method of db")
    return calls


def parse_value(text: str) -> Any:
    """One value in the statement syntax."""
    reader = _Reader(text)
    found = reader.value()
    reader.take(kind="end")
    return found
