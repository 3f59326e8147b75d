"""The messages a sans-I/O flow and its shells exchange: a leaf module (it imports only error codes).

A flow (:func:`cloud._core.flow.flow`, the token cache) yields an :data:`Effect`: a :class:`Request` to
send, or a :class:`Sleep`, :class:`Wait`, :class:`Blocking` or :class:`CallUser`; the shell in
:mod:`cloud._core.transport` carries it out and sends back what came of it: an :data:`Outcome` for a
request (a :class:`Reply`, or a :class:`Failure` when no reply came), the effect's result otherwise.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

from ..errors import RESOURCE_SERVER_TIMEOUT, RESOURCE_SYSTEM_ERROR


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request to send. ``query`` holds the token: never print it, print ``str(request)``."""

    method: str
    url: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    content: bytes
    timeout: float = 15.0
    """Seconds this attempt may take: what is left of the call's deadline."""

    def __repr__(self) -> str:
        names = "&".join(f"{k}=***" for k, _ in self.query)
        return f"<Request {self.method} {self.url}{'?' + names if names else ''} ({len(self.content)} bytes)>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server answered (the body whole, decompressed)."""

    status: int
    content_type: str
    body: bytes
    seqid: str | None = None
    """The ``x-openapi-seqid`` header: Cloud Run's open-interface service's id for the call."""


FailureKind: TypeAlias = Literal["timeout", "connect", "too-large"]


@dataclass(frozen=True, slots=True)
class Failure:
    """No usable reply: ``kind`` is ``"timeout"``, ``"too-large"`` (over ``maxReplyBytes``: reading
    it again would not help) or ``"connect"`` (any other transport failure); ``sent`` says whether
    the request may have reached the server (then it is not safe to resend)."""

    kind: FailureKind
    detail: str
    sent: bool = False

    @property
    def code(self) -> int:
        """The errCode it gives: -501002 for a timeout, else -501001."""
        return RESOURCE_SERVER_TIMEOUT if self.kind == "timeout" else RESOURCE_SYSTEM_ERROR


Outcome: TypeAlias = "Reply | Failure"


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
    """Call the user's function (sync or async) and send back its result. With a ``timeout``, wait
    at most that many seconds for it, then throw ``TimeoutError`` into the flow (a blocking function
    finishes in a thread of its own, a coroutine is cancelled)."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()
    timeout: float | None = None


Effect: TypeAlias = "Request | Sleep | Wait | Blocking | CallUser"
"""Everything a flow may yield."""


@dataclass(frozen=True)
class ShellSettings:
    """Per-instance settings of the shells: the largest reply read, and the secrets to scrub."""

    max_reply_bytes: int
    secrets: tuple[str | None, ...] = field(repr=False)
