"""What a sans-I/O flow asks its shell to do, besides sending a :class:`~cloud.request.Request`.

The shells in :mod:`cloud.transport` carry these out, blocking or awaiting; flows never do I/O.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Sleep:
    """Pause for ``seconds``."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Wait:
    """Wait until ``future`` is done (at most ``timeout`` seconds); the flow reads its result."""

    future: concurrent.futures.Future[Any]
    timeout: float


@dataclass(frozen=True, slots=True)
class Blocking:
    """Run a short blocking function (a Redis command, a file read) and send back its result.
    With a ``timeout``, wait at most that many seconds for it, then throw ``TimeoutError`` into
    the flow (the function finishes in a thread of its own)."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class CallUser:
    """Call the user's function (sync or async) and send back its result."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
