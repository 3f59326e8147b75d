"""Key case conversion, exactly as wx-server-sdk 4.0.2 does it (node-behaviour.md §2 and §5).

Requests (camel → snake): every ASCII ``A``-``Z`` becomes ``_`` + its lower case, except that no
``_`` is added at index 0. Replies (snake → camel): every ``_`` followed by ASCII ``a``-``z``
becomes that letter upper-cased. Only keys change, never values; the walk goes through nested
objects, objects in arrays and arrays of arrays.

Objects are rebuilt the way Node's delete-and-re-add does it, so key order matches Node for string
keys: a key whose name changes moves to the end, unless its new name is already present, in which
case it takes that key's position and its value wins (``{"aB": 1, "a_b": 2}`` → ``{"a_b": 1}``).
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

_UPPER = r"[A-Z]"  # compiled on first use (re caches it), not at import
_SNAKE_HUMP = r"_([a-z])"
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@lru_cache(maxsize=4096)
def to_snake(key: str) -> str:
    """``imgUrl`` → ``img_url``, ``ImgURL`` → ``img_u_r_l``; non-ASCII capitals stay."""
    if not re.search(_UPPER, key):
        return key
    out = re.sub(_UPPER, r"_\g<0>", key).translate(_ASCII_LOWER)
    return out[1:] if "A" <= key[0] <= "Z" else out


@lru_cache(maxsize=4096)
def to_camel(key: str) -> str:
    """``image_width`` → ``imageWidth``, ``_leading`` → ``Leading``, ``key_1`` unchanged."""
    if "_" not in key:
        return key
    return re.sub(_SNAKE_HUMP, lambda m: m.group(1).upper(), key)


MAX_DEPTH = 256
"""Deepest nesting :func:`convert_keys` walks (each level takes three Python frames)."""


class TooDeepError(ValueError):
    """A JSON value nested deeper than we walk (or than ``json.loads`` parses)."""


def convert_keys(value: Any, rename: Callable[[str], str], depth: int = 1) -> Any:
    """A copy of a JSON value whose object keys went through ``rename``, Node's way. A value
    nested deeper than :data:`MAX_DEPTH` raises TooDeepError."""
    if isinstance(value, dict):
        return _convert_object(value, rename, depth)
    if isinstance(value, list):
        if depth > MAX_DEPTH:
            raise TooDeepError(f"nested deeper than {MAX_DEPTH} levels")
        return [convert_keys(item, rename, depth + 1) if isinstance(item, (dict, list)) else item for item in value]
    return value


def _convert_object(obj: dict[str, Any], rename: Callable[[str], str], depth: int) -> dict[str, Any]:
    """:func:`rebuild_object` for a JSON object, in one direct pass unless a renamed key meets another."""
    if depth > MAX_DEPTH:
        raise TooDeepError(f"nested deeper than {MAX_DEPTH} levels")
    out: dict[str, Any] = {}
    moved: dict[str, Any] = {}
    for key, val in obj.items():
        if isinstance(val, (dict, list)):
            val = convert_keys(val, rename, depth + 1)
        new = rename(key)
        if new == key:
            out[key] = val
        elif new in obj or new in moved:
            return _rebuild_colliding(
                obj,
                rename,
                lambda _key, item: convert_keys(item, rename, depth + 1) if isinstance(item, (dict, list)) else item,
            )
        else:
            moved[new] = val
    if moved:
        out.update(moved)
    return out


def rebuild_object(
    obj: Mapping[Any, Any], rename: Callable[[Any], str], walk: Callable[[Any, Any], Any]
) -> dict[str, Any]:
    """``obj`` with keys renamed and values walked (``walk(key, value)``), in Node's key order
    and collision rule."""
    out: dict[Any, Any] = {}
    moved: dict[Any, Any] = {}  # renamed keys go after the others, as delete-and-re-add puts them
    for key, val in obj.items():
        new = rename(key)
        if new == key:
            out[key] = walk(key, val)
        elif new in obj or new in moved:
            return _rebuild_colliding(obj, rename, walk)
        else:
            moved[new] = walk(key, val)
    if moved:
        out.update(moved)
    return out


def _rebuild_colliding(
    obj: Mapping[Any, Any], rename: Callable[[Any], str], walk: Callable[[Any, Any], Any]
) -> dict[str, Any]:
    """Node's delete-and-re-add, step by step, for an object where a new name meets another key."""
    out: dict[Any, Any] = dict(obj)
    renamed: set[str] = set()
    for key, val in obj.items():
        new = rename(key)
        if new == key:
            if key not in renamed:
                out[key] = walk(key, val)
            continue
        out[new] = walk(key, val)
        renamed.add(new)
        del out[key]
    return out
