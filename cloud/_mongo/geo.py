"""Geospatial semantics over GeoJSON values (as a ``2dsphere`` index reads them): distances on a
sphere of MongoDB's radius, ``$geoWithin`` (``$geometry`` polygons, ``$centerSphere``),
``$geoIntersects`` and ``$near`` for points, and the ``$geoNear`` stage."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .values import EmulatorLimitError, MongoError, is_number

RADIUS = 6378100.0
"""Metres: the Earth's radius MongoDB uses for spherical distances."""


def point(value: Any) -> tuple[float, float] | None:
    """``(longitude, latitude)`` of a GeoJSON point or a legacy ``[lng, lat]`` pair; None otherwise."""
    if isinstance(value, Mapping) and value.get("type") == "Point":
        value = value.get("coordinates")
    if isinstance(value, list) and len(value) == 2 and all(is_number(c) for c in value):
        return float(value[0]), float(value[1])
    return None


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres between two points on the sphere (haversine)."""
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * RADIUS * math.asin(min(1.0, math.sqrt(h)))


def _rings(shape: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    kind, coords = shape.get("type"), shape.get("coordinates")
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
    if not isinstance(polygons, list):
        raise EmulatorLimitError(f"geo queries on a {kind} (it takes Polygon and MultiPolygon)")
    return [[(float(x), float(y)) for x, y in polygon[0]] for polygon in polygons]


def _inside(p: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y, inside = p[0], p[1], False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def holds(op: str, value: Any, arg: Any) -> bool:
    """Whether a field's ``value`` satisfies a geo query operator."""
    here = point(value)
    if here is None or not isinstance(arg, Mapping):
        return False
    if op in ("$near", "$nearSphere"):
        centre = point(arg.get("$geometry", arg))
        if centre is None:
            raise MongoError(f"{op} takes {{$geometry: <point>, $maxDistance, $minDistance}}")
        gap = distance(here, centre)
        return gap <= arg.get("$maxDistance", math.inf) and gap >= arg.get("$minDistance", 0)
    if "$centerSphere" in arg:
        centre, radians = arg["$centerSphere"]
        return distance(here, point(centre) or (0.0, 0.0)) <= radians * RADIUS
    shape = arg.get("$geometry")
    if not isinstance(shape, Mapping):
        raise MongoError(f"{op} takes {{$geometry: <shape>}} or {{$centerSphere: [[lng, lat], radians]}}")
    if shape.get("type") == "Point":
        return point(shape) == here
    return any(_inside(here, ring) for ring in _rings(shape))


def near(docs: list[dict[str, Any]], spec: Any, matches: Callable[[Any, Any], bool]) -> list[dict[str, Any]]:
    """The ``$geoNear`` stage: documents by distance from ``near``, each with its ``distanceField``."""
    if not isinstance(spec, Mapping) or point(spec.get("near")) is None or not spec.get("distanceField"):
        raise MongoError("$geoNear takes {near: <point>, distanceField, maxDistance, minDistance, query, key}")
    centre = point(spec["near"])
    assert centre is not None
    found = []
    for doc in docs:
        if spec.get("query") and not matches(doc, spec["query"]):
            continue
        field = spec.get("key") or next((k for k, v in doc.items() if isinstance(v, Mapping) and point(v)), None)
        where = point(doc.get(field)) if field else None
        if where is None:
            continue
        gap = distance(where, centre) * float(spec.get("distanceMultiplier", 1))
        if spec.get("minDistance", 0) <= gap <= spec.get("maxDistance", math.inf):
            found.append((gap, {**doc, str(spec["distanceField"]): gap}))
    return [doc for _, doc in sorted(found, key=lambda pair: pair[0])]
