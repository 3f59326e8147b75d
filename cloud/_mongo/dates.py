"""Aggregation operators on dates: ``$year`` … ``$millisecond``, ``$dayOfYear``/``$dayOfWeek``/
``$week``, the ISO week ones, ``$dateToString``, ``$dateFromString``, ``$dateFromParts``,
``$dateToParts``; each in UTC or the ``timezone`` given (an Olson name or ``+08:00``)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

from .values import EPOCH, MongoError, Scope, args, is_number, nullish, type_name

Operator = Callable[[Any, Scope], Any]
OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})?$")


def zone(value: Any) -> dt.tzinfo:
    if nullish(value):
        return dt.timezone.utc
    text = str(value)
    found = OFFSET.match(text)
    if found:
        sign = -1 if found[1] == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(found[2]), minutes=int(found[3] or 0)))
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MongoError(f"unrecognized time zone identifier: {text}") from None


def _local(raw: Any, scope: Scope, op: str) -> dt.datetime | None:
    """The date an operator reads, in its time zone (None for null or missing)."""
    if isinstance(raw, Mapping) and "date" in raw:
        value, tz = scope.ev(raw["date"]), zone(scope.ev(raw.get("timezone")))
    else:
        (value,), tz = args(raw, scope, op, 1), dt.timezone.utc
    if nullish(value):
        return None
    if not isinstance(value, dt.datetime):
        raise MongoError(f"{op} can't convert from {type_name(value)} to date")
    return value.astimezone(tz)


def _part(op: str, read: Callable[[dt.datetime], int]) -> Operator:
    def operator(raw: Any, scope: Scope) -> Any:
        local = _local(raw, scope, op)
        return None if local is None else read(local)

    return operator


def _week(day: dt.datetime) -> int:
    """Week of the year, weeks starting on Sunday (``%U``: days before the first Sunday are week 0)."""
    return int(day.strftime("%U"))


FORMATS: dict[str, Callable[[dt.datetime], str]] = {
    "Y": lambda d: f"{d.year:04d}", "m": lambda d: f"{d.month:02d}", "d": lambda d: f"{d.day:02d}",
    "H": lambda d: f"{d.hour:02d}", "M": lambda d: f"{d.minute:02d}", "S": lambda d: f"{d.second:02d}",
    "L": lambda d: f"{d.microsecond // 1000:03d}", "j": lambda d: f"{d.timetuple().tm_yday:03d}",
    "w": lambda d: str(d.isoweekday() % 7 + 1), "u": lambda d: str(d.isoweekday()),
    "U": lambda d: f"{_week(d):02d}", "V": lambda d: f"{d.isocalendar()[1]:02d}",
    "G": lambda d: f"{d.isocalendar()[0]:04d}", "%": lambda d: "%",
    "z": lambda d: d.strftime("%z"), "Z": lambda d: str(int((d.utcoffset() or dt.timedelta()).total_seconds() // 60)),
}  # fmt: skip


def _date_to_string(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or "date" not in raw:
        raise MongoError("$dateToString takes {date, format, timezone, onNull}")
    if nullish(scope.ev(raw["date"])):
        return scope.ev(raw["onNull"]) if "onNull" in raw else None
    local = _local(raw, scope, "$dateToString")
    assert local is not None
    form = scope.ev(raw["format"]) if "format" in raw else "%Y-%m-%dT%H:%M:%S.%LZ"
    out, i = [], 0
    while i < len(form):
        if form[i] == "%":
            spec = form[i + 1 : i + 2]
            if spec not in FORMATS:
                raise MongoError(f"invalid format character '%{spec}' in format string")
            out.append(FORMATS[spec](local))
            i += 2
        else:
            out.append(form[i])
            i += 1
    return "".join(out)


def _date_from_string(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or "dateString" not in raw:
        raise MongoError("$dateFromString takes {dateString, format, timezone, onError, onNull}")
    text = scope.ev(raw["dateString"])
    if nullish(text):
        return scope.ev(raw["onNull"]) if "onNull" in raw else None
    tz = zone(scope.ev(raw.get("timezone")))
    try:
        if "format" in raw:
            form = str(scope.ev(raw["format"])).replace("%L", "%f")
            parsed = dt.datetime.strptime(str(text), form)
        else:
            parsed = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        if "onError" in raw:
            return scope.ev(raw["onError"])
        raise MongoError(f"Error parsing date string '{text}'") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(dt.timezone.utc)


PARTS = ("year", "month", "day", "hour", "minute", "second", "millisecond")


def _date_from_parts(raw: Any, scope: Scope) -> Any:
    if not isinstance(raw, Mapping) or not ("year" in raw or "isoWeekYear" in raw):
        raise MongoError("$dateFromParts takes {year, month, day, hour, minute, second, millisecond, timezone}")
    values = {p: scope.ev(raw[p]) if p in raw else (1 if p in ("month", "day") else 0) for p in PARTS}
    if any(nullish(v) for v in values.values()):
        return None
    if not all(is_number(v) for v in values.values()):
        raise MongoError("$dateFromParts' parts must be numbers")
    start = dt.datetime(int(values["year"]), 1, 1, tzinfo=zone(scope.ev(raw.get("timezone"))))
    moved = _add_months(start, int(values["month"]) - 1) + dt.timedelta(
        days=values["day"] - 1, hours=values["hour"], minutes=values["minute"], seconds=values["second"],
        milliseconds=values["millisecond"],
    )  # fmt: skip
    return moved.astimezone(dt.timezone.utc)


def _add_months(day: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + year, month=month + 1)


def _date_to_parts(raw: Any, scope: Scope) -> Any:
    local = _local(raw, scope, "$dateToParts")
    if local is None:
        return None
    return {"year": local.year, "month": local.month, "day": local.day, "hour": local.hour, "minute": local.minute,
            "second": local.second, "millisecond": local.microsecond // 1000}  # fmt: skip


def milliseconds(day: dt.datetime) -> int:
    return round((day - EPOCH).total_seconds() * 1000)


OPERATORS: dict[str, Operator] = {
    "$year": _part("$year", lambda d: d.year), "$month": _part("$month", lambda d: d.month),
    "$dayOfMonth": _part("$dayOfMonth", lambda d: d.day), "$hour": _part("$hour", lambda d: d.hour),
    "$minute": _part("$minute", lambda d: d.minute), "$second": _part("$second", lambda d: d.second),
    "$millisecond": _part("$millisecond", lambda d: d.microsecond // 1000),
    "$dayOfYear": _part("$dayOfYear", lambda d: d.timetuple().tm_yday),
    "$dayOfWeek": _part("$dayOfWeek", lambda d: d.isoweekday() % 7 + 1), "$week": _part("$week", _week),
    "$isoWeek": _part("$isoWeek", lambda d: d.isocalendar()[1]),
    "$isoWeekYear": _part("$isoWeekYear", lambda d: d.isocalendar()[0]),
    "$isoDayOfWeek": _part("$isoDayOfWeek", lambda d: d.isoweekday()),
    "$dateToString": _date_to_string, "$dateFromString": _date_from_string,
    "$dateFromParts": _date_from_parts, "$dateToParts": _date_to_parts,
}  # fmt: skip
