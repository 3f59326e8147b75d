"""JavaScript value semantics that Node's behaviour depends on: ``undefined`` and ``null``,
truthiness, string conversion, ``typeof`` and ``Object.prototype.toString``."""

from __future__ import annotations

import math
from typing import Any

UNDEFINED: Any = type("Undefined", (), {"__repr__": lambda self: "undefined"})()
"""Stands for a missing value where Node would print ``undefined``."""


class _Null:
    """JSON ``null`` in params: ``None`` as an object value is left out, as Node leaves out
    ``undefined``; ``cloud.NULL`` sends an explicit ``null``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "cloud.NULL"

    def __bool__(self) -> bool:
        return False


NULL: Any = _Null()
"""JavaScript's ``null`` in params (``None`` stands for ``undefined`` there)."""


def js_truthy(value: Any) -> bool:
    """``Boolean(value)`` for values parsed from JSON: ``"0"`` is truthy, ``[]`` and ``{}`` too."""
    if value is None or value is False or value is UNDEFINED:
        return False
    if isinstance(value, (int, float)):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def js_number(value: float) -> str:
    """``String(value)`` for a JavaScript number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    digits, exponent = _shortest_digits(abs(value))
    sign = "-" if value < 0 else ""
    # ECMAScript Number::toString: n is the position of the decimal point relative to the digits.
    n = exponent + len(digits)
    if len(digits) <= n <= 21:
        return sign + digits + "0" * (n - len(digits))
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _shortest_digits(value: float) -> tuple[str, int]:
    """The shortest round-tripping decimal digits of ``value`` and the exponent of the last one."""
    mantissa, _, exp = repr(value).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    exponent = (int(exp) if exp else 0) - len(frac)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return stripped or "0", exponent


def js_str(value: Any) -> str:
    """``String(value)`` / template-literal conversion for JSON-like values."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return js_number(value)
    if isinstance(value, (list, tuple)):
        return ",".join("" if item is None or item is UNDEFINED else js_str(item) for item in value)
    return "[object Object]"


def js_type(value: Any) -> str:
    """``Object.prototype.toString`` of the value as JavaScript would see it, lower-cased."""
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "uint8array"
    return "object"


def typeof(value: Any) -> str:
    """JavaScript's ``typeof`` of a Python value as a port passes it (``None`` is ``undefined``)."""
    if value is None or value is UNDEFINED:
        return "undefined"
    found = js_type(value)
    return "object" if found in ("array", "uint8array") else found


class Document(dict):  # type: ignore[type-arg]
    """An object as JSON gave it (a document the database returned; a request Node sent): a plain
    ``dict`` but for one rule. ``None`` in params is Node's ``undefined`` and is left out, but a
    ``None`` here was JSON's ``null``, and written on (``doc.set({"data": got["data"]})``, a
    returned result) it stays null. A dict built anew (``{"x": event.get("x")}``, ``{**doc}``)
    follows the params rule."""

    __slots__ = ()
