"""``$jsonSchema`` (``_.jsonSchema({...})``): whether a document satisfies a JSON Schema as MongoDB
reads one (draft 4 with ``bsonType``): types, ``required``, ``properties``,
``additionalProperties``, ``patternProperties``, ``enum``, bounds, lengths, ``pattern``, ``items``,
``uniqueItems``, ``allOf``/``anyOf``/``oneOf``/``not``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .values import MongoError, Regex, compare, equal, frozen, is_number, search, type_name

TYPES = {"object": ("object",), "array": ("array",), "string": ("string",), "bool": ("bool",),
         "boolean": ("bool",), "null": ("null",), "date": ("date",), "regex": ("regex",),
         "int": ("int",), "long": ("int", "long"), "double": ("double",),
         "number": ("int", "long", "double"), "decimal": ("double",), "integer": ("int", "long")}  # fmt: skip


def holds(value: Any, schema: Any) -> bool:
    """Whether ``value`` satisfies ``schema`` (MongoError for a schema MongoDB refuses)."""
    if not isinstance(schema, Mapping):
        raise MongoError("$jsonSchema must be an object")
    return all(_keyword(value, key, arg, schema) for key, arg in schema.items())


def _is_type(value: Any, names: Any) -> bool:
    wanted = names if isinstance(names, list) else [names]
    actual = type_name(value)
    for name in wanted:
        if name not in TYPES:
            raise MongoError(f"unknown type name in $jsonSchema: {name!r}")
        if actual in TYPES[name] or (name in ("number", "double") and isinstance(value, float)):
            return True
    return False


def _keyword(value: Any, key: str, arg: Any, schema: Mapping[str, Any]) -> bool:
    if key in ("bsonType", "type"):
        return _is_type(value, arg)
    if key in ("title", "description", "$schema", "exclusiveMinimum", "exclusiveMaximum"):
        return True
    if key in ("properties", "required", "additionalProperties", "patternProperties", "minProperties",
               "maxProperties"):  # fmt: skip
        return not isinstance(value, Mapping) or _object(value, key, arg, schema)
    if key in ("minimum", "maximum"):
        if not is_number(value):
            return True
        found = compare(value, arg)
        strict = schema.get("exclusiveMinimum" if key == "minimum" else "exclusiveMaximum") is True
        beyond = found > 0 if key == "minimum" else found < 0
        return beyond or (found == 0 and not strict)
    if key in ("minLength", "maxLength", "pattern"):
        if not isinstance(value, str):
            return True
        if key == "pattern":
            return search(Regex(str(arg)), value)
        return len(value) >= arg if key == "minLength" else len(value) <= arg
    if key in ("items", "minItems", "maxItems", "uniqueItems"):
        return not isinstance(value, list) or _array(value, key, arg)
    if key == "enum":
        return any(equal(value, item) for item in arg)
    if key in ("allOf", "anyOf", "oneOf"):
        held = [holds(value, s) for s in arg]
        return all(held) if key == "allOf" else any(held) if key == "anyOf" else held.count(True) == 1
    if key == "not":
        return not holds(value, arg)
    raise MongoError(f"$jsonSchema keyword {key!r} is not supported")


def _object(value: Mapping[str, Any], key: str, arg: Any, schema: Mapping[str, Any]) -> bool:
    if key == "required":
        return all(name in value for name in arg)
    if key == "properties":
        return all(holds(value[name], sub) for name, sub in arg.items() if name in value)
    if key == "patternProperties":
        return all(holds(item, sub) for pattern, sub in arg.items() for name, item in value.items()
                   if search(Regex(pattern), name))  # fmt: skip
    if key in ("minProperties", "maxProperties"):
        return len(value) >= arg if key == "minProperties" else len(value) <= arg
    known = set(schema.get("properties") or {})
    patterns = list(schema.get("patternProperties") or {})
    extra = [v for k, v in value.items() if k not in known and not any(search(Regex(p), k) for p in patterns)]
    if isinstance(arg, bool):
        return arg or not extra
    return all(holds(v, arg) for v in extra)


def _array(value: list[Any], key: str, arg: Any) -> bool:
    if key == "items":
        if isinstance(arg, list):
            return all(holds(v, s) for v, s in zip(value, arg, strict=False))
        return all(holds(v, arg) for v in value)
    if key in ("minItems", "maxItems"):
        return len(value) >= arg if key == "minItems" else len(value) <= arg
    if key == "uniqueItems":
        return not arg or len({frozen(v) for v in value}) == len(value)
    return True
