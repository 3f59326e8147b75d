"""A stopped wall clock for a ported function: ``--clock`` on ``python -m cloud run`` and ``compare``.

While :func:`frozen` is in force, what a port reads the time with gives one instant, always, as
Node's ``Date.now()`` and ``new Date()`` do on the other side of ``compare``: ``time.time()``,
``time.time_ns()``, and ``datetime.datetime.now()`` / ``utcnow()`` / ``today()`` and
``datetime.date.today()`` (the ``datetime`` module hands out classes whose clock is stopped).

Not frozen: ``time.monotonic()`` and ``time.perf_counter()`` (timeouts, asyncio and HTTP keep
working); ``time.localtime()``, ``time.gmtime()`` and ``time.strftime()`` without an argument;
``datetime`` classes a module imported before the clock stopped; and the library's own clocks
(token expiry, retry waits, the emulator), which read :func:`wall`, the real time.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_real_time = time.time
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MS = dt.timedelta(milliseconds=1)
EARLIEST = (dt.datetime(1, 1, 2, tzinfo=dt.timezone.utc) - EPOCH) // _MS
LATEST = (dt.datetime(9999, 12, 30, tzinfo=dt.timezone.utc) - EPOCH) // _MS
"""The frozen clock's range (epoch milliseconds): a day inside ``datetime``'s years 1-9999, so that
``datetime.now()`` works at any UTC offset (Node's ``Date`` reaches further; Python cannot show it)."""


def wall() -> float:
    """The real time, seconds since the epoch, whether or not a port's clock is frozen."""
    return _real_time()


def parse(text: str) -> int:
    """``--clock``'s value as epoch milliseconds: an ISO 8601 instant with its offset
    (``2026-01-02T03:04:05Z``) or a whole number of milliseconds (``Date.now()``'s unit)."""
    text = text.strip()
    if re.fullmatch(r"-?[0-9]{1,4000}", text):
        ms = int(text)
    else:
        try:  # Python 3.10 reads no "Z" (3.11 does): it is the offset +00:00
            when = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text)
        except ValueError:
            raise ValueError(
                f"--clock {text[:40]!r} is neither an ISO 8601 instant (2026-01-02T03:04:05Z) nor epoch milliseconds"
            ) from None
        if when.tzinfo is None:
            raise ValueError(f"--clock {text!r} needs a UTC offset (Z or +08:00), as an instant has one")
        ms = (when - EPOCH) // dt.timedelta(milliseconds=1)
    if not EARLIEST <= ms <= LATEST:
        raise ValueError(f"--clock {text[:40]!r} is outside the instants Python's datetime can show in any time zone")
    return ms


def seconds(ms: int) -> float:
    """``ms`` as ``time.time()`` gives it: the float nearest ``ms / 1000`` that a port's
    ``int(time.time() * 1000)`` turns back into ``ms`` exactly."""
    value = ms / 1000
    while math.floor(value * 1000) < ms:
        value = math.nextafter(value, math.inf)
    return value


@contextmanager
def frozen(ms: int) -> Iterator[None]:
    """Stop the port's clock at ``ms`` (epoch milliseconds) inside the block (see the module)."""
    stopped = seconds(ms)
    real = (time.time, time.time_ns, dt.datetime, dt.date)
    real_datetime, real_date = dt.datetime, dt.date

    class Stopped(type):
        """``isinstance(d, datetime.datetime)`` stays True for the datetimes made before the clock
        stopped, or by code that kept the real class (the library's checks read ``dt.datetime``)."""

        def __instancecheck__(cls, value: object) -> bool:
            return isinstance(value, real_datetime if issubclass(cls, real_datetime) else real_date)

    class Datetime(dt.datetime, metaclass=Stopped):
        """Makes real ``datetime`` objects (they pickle, and print as ``datetime.datetime(...)``)."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return real_datetime(*args, **kwargs)

        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Any:
            return real_datetime.fromtimestamp(stopped, tz)

        @classmethod
        def utcnow(cls) -> Any:
            return real_datetime.fromtimestamp(stopped, dt.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls) -> Any:
            return real_datetime.fromtimestamp(stopped)

    class Date(dt.date, metaclass=Stopped):
        """Makes real ``date`` objects."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            return real_date(*args, **kwargs)

        @classmethod
        def today(cls) -> Any:
            return real_date.fromtimestamp(stopped)

    # pickle finds a class by its module's attribute: while the stopped classes stand there, a
    # datetime pickles through them (by the real name, so that it loads as the real class anywhere)
    for stand_in, name in ((Datetime, "datetime"), (Date, "date")):
        stand_in.__module__, stand_in.__qualname__, stand_in.__name__ = "datetime", name, name
    reducers = {kind: copyreg.dispatch_table.get(kind) for kind in (real_datetime, real_date)}
    copyreg.pickle(real_datetime, lambda value: (Datetime, tuple(value.__reduce__()[1])))
    copyreg.pickle(real_date, lambda value: (Date, tuple(value.__reduce__()[1])))
    time.time = lambda: stopped
    time.time_ns = lambda: ms * 1_000_000
    dt.datetime, dt.date = Datetime, Date  # type: ignore[misc]
    try:
        yield
    finally:
        time.time, time.time_ns, dt.datetime, dt.date = real  # type: ignore[misc]
        for kind, reducer in reducers.items():
            if reducer is None:
                copyreg.dispatch_table.pop(kind, None)
            else:
                copyreg.dispatch_table[kind] = reducer
