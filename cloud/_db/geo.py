"""``db.Geo``: a point and the shapes made of points, as Node's constructors make and check them,
and the GeoJSON the database stores them as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import errors


class ShapeError(ValueError):
    """A shape Node's constructors refuse."""


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """``new db.Geo.Point(longitude, latitude)``."""

    longitude: float
    latitude: float


SHAPE_PARTS = {"LineString": "Point", "Polygon": "LineString", "MultiPoint": "Point",
               "MultiLineString": "LineString", "MultiPolygon": "Polygon"}  # fmt: skip
"""Each shape, and what it is made of (Node's ``new db.Geo.Polygon([lineString, …])``)."""


@dataclass(frozen=True, slots=True)
class GeoShape:
    """``new db.Geo.<kind>([parts])``: a LineString of points, a Polygon of closed LineStrings, …"""

    kind: str
    parts: tuple[Any, ...]

    def geojson(self) -> dict[str, Any]:
        """The GeoJSON the database stores (``{"type": "Polygon", "coordinates": [[[lng, lat], …]]}``)."""
        return {"type": self.kind, "coordinates": [_coordinates(p) for p in self.parts]}


def _coordinates(part: Any) -> Any:
    if isinstance(part, GeoPoint):
        return [part.longitude, part.latitude]
    return [_coordinates(p) for p in part.parts]


def geo_shape(kind: str, parts: Any) -> GeoShape:
    """A shape from its parts, checked as Node's constructors check them (ShapeError)."""
    want = GeoPoint if SHAPE_PARTS[kind] == "Point" else GeoShape
    given = tuple(parts) if isinstance(parts, (list, tuple)) else ()
    if not given or not all(
        isinstance(p, want) and (isinstance(p, GeoPoint) or p.kind == SHAPE_PARTS[kind]) for p in given
    ):
        raise ShapeError(f"db.Geo.{kind} takes a non-empty array of {SHAPE_PARTS[kind]}s")
    if kind == "Polygon" and any(len(p.parts) < 4 or p.parts[0] != p.parts[-1] for p in given):
        raise ShapeError("each LineString of a db.Geo.Polygon is closed: at least 4 points, the last the first")
    return GeoShape(kind, given)


class Geo:
    """``db.Geo``: ``Point``, and the shapes made of points (``LineString``, ``Polygon``,
    ``MultiPoint``, ``MultiLineString``, ``MultiPolygon``); a bad shape is CloudSDKError -501007."""

    @staticmethod
    def Point(longitude: float, latitude: float) -> GeoPoint:  # noqa: N802 - Node's name
        return GeoPoint(longitude, latitude)

    @staticmethod
    def _shape(kind: str, parts: Any) -> GeoShape:
        try:
            return geo_shape(kind, parts)
        except ShapeError as exc:
            raise errors.invalid_params(f"Geo.{kind}", str(exc)) from None

    @staticmethod
    def LineString(points: Any) -> GeoShape:  # noqa: N802 - Node's name
        return Geo._shape("LineString", points)

    @staticmethod
    def Polygon(lines: Any) -> GeoShape:  # noqa: N802 - Node's name
        return Geo._shape("Polygon", lines)

    @staticmethod
    def MultiPoint(points: Any) -> GeoShape:  # noqa: N802 - Node's name
        return Geo._shape("MultiPoint", points)

    @staticmethod
    def MultiLineString(lines: Any) -> GeoShape:  # noqa: N802 - Node's name
        return Geo._shape("MultiLineString", lines)

    @staticmethod
    def MultiPolygon(polygons: Any) -> GeoShape:  # noqa: N802 - Node's name
        return Geo._shape("MultiPolygon", polygons)
