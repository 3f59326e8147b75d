"""Aggregation operators on strings: ``$concat``, ``$substr`` (bytes and code points),
``$toLower``/``$toUpper``, ``$strLenBytes``/``$strLenCP``, ``$strcasecmp``, ``$split``,
``$indexOfBytes``/``$indexOfCP``, ``$trim``/``$ltrim``/``$rtrim``, ``$regexMatch``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .values import MongoError, Regex, Scope, args, is_number, nullish, search, to_string, type_name

Operator = Callable[[Any, Scope], Any]


def _text(value: Any, op: str) -> str:
    if not isinstance(value, str):
        raise MongoError(f"{op} only supports strings, not {type_name(value)}")
    return value


def _concat(raw: Any, scope: Scope) -> Any:
    values = args(raw, scope, "$concat")
    if any(nullish(v) for v in values):
        return None
    return "".join(_text(v, "$concat") for v in values)


def _substr(op: str, unit: str) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        value, start, length = args(raw, scope, op, 3)
        text = "" if nullish(value) else to_string(value)
        if not is_number(start) or not is_number(length):
            raise MongoError(f"{op}: starting index and length must be numbers")
        start, length = int(start), int(length)
        if unit == "cp":
            return text[start : None if length < 0 else start + length]
        data = text.encode("utf-8")
        piece = data[start : None if length < 0 else start + length]
        try:
            return piece.decode("utf-8")
        except UnicodeDecodeError:
            raise MongoError(f"{op}: the range does not fall on UTF-8 character boundaries") from None

    return operator


def _case(op: str, upper: bool) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        (value,) = args(raw, scope, op, 1)
        text = "" if nullish(value) else to_string(value)
        return text.upper() if upper else text.lower()

    return operator


def _length(op: str, count: Callable[[str], int]) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        (value,) = args(raw, scope, op, 1)
        return count(_text(value, op))

    return operator


def _strcasecmp(raw: Any, scope: Scope) -> Any:
    a, b = ("" if nullish(v) else to_string(v).upper() for v in args(raw, scope, "$strcasecmp", 2))
    return (a > b) - (a < b)


def _split(raw: Any, scope: Scope) -> Any:
    value, sep = args(raw, scope, "$split", 2)
    if nullish(value):
        return None
    if not _text(sep, "$split"):
        raise MongoError("$split requires a non-empty separator")
    return _text(value, "$split").split(sep)


def _index_of(op: str, unit: str) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        values = args(raw, scope, op, (2, 4))
        if nullish(values[0]):
            return None
        text, sub = _text(values[0], op), _text(values[1], op)
        start = int(values[2]) if len(values) > 2 else 0
        end = int(values[3]) if len(values) > 3 else None
        if unit == "bytes":
            return text.encode("utf-8").find(sub.encode("utf-8"), start, end)
        return text.find(sub, start, end)

    return operator


def _trim(op: str, left: bool, right: bool) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        if not isinstance(raw, Mapping) or "input" not in raw:
            raise MongoError(f"{op} takes {{input, chars}}")
        value = scope.ev(raw["input"])
        if nullish(value):
            return None
        chars = scope.ev(raw["chars"]) if "chars" in raw else None
        text = _text(value, op)
        chars = None if nullish(chars) else _text(chars, op)
        text = text.lstrip(chars) if left else text
        return text.rstrip(chars) if right else text

    return operator


def _regex_match(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or "input" not in raw or "regex" not in raw:
        raise MongoError("$regexMatch takes {input, regex, options}")
    value, pattern = scope.ev(raw["input"]), scope.ev(raw["regex"])
    if nullish(value):
        return False
    options = scope.ev(raw.get("options", ""))
    found = pattern if isinstance(pattern, Regex) else Regex(_text(pattern, "$regexMatch"), str(options or ""))
    return search(found, _text(value, "$regexMatch"))


OPERATORS: dict[str, Operator] = {
    "$concat": _concat, "$substr": _substr("$substr", "bytes"), "$substrBytes": _substr("$substrBytes", "bytes"),
    "$substrCP": _substr("$substrCP", "cp"), "$toLower": _case("$toLower", False), "$toUpper": _case("$toUpper", True),
    "$strLenBytes": _length("$strLenBytes", lambda s: len(s.encode("utf-8"))),
    "$strLenCP": _length("$strLenCP", len), "$strcasecmp": _strcasecmp, "$split": _split,
    "$indexOfBytes": _index_of("$indexOfBytes", "bytes"), "$indexOfCP": _index_of("$indexOfCP", "cp"),
    "$trim": _trim("$trim", True, True), "$ltrim": _trim("$ltrim", True, False), "$rtrim": _trim("$rtrim", False, True),
    "$regexMatch": _regex_match,
}  # fmt: skip
