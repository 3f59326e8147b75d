"""When a failed attempt is tried again, and after how long: botocore's ``standard`` mode, for WeChat.

- **Attempts**: at most ``maxAttempts`` (default 3, so 2 retries); 1 turns retrying off. Never
  past the call's deadline: a retry whose wait would end after it is not made.
- **What is retried**: a connection that failed before the request was sent (refused, DNS,
  connect timeout, no pooled connection free in time), for every API; errcode 45011 (minute
  quota: refused, nothing done) after waiting for the next minute, for every API. Whatever else
  came after the request may have reached WeChat: a read timeout, a connection cut mid-reply,
  HTTP 5xx (a gateway's 502/504 may come after WeChat acted), errcode -1 (system busy) and 85113
  (token not ready). Those are retried only when the API is idempotent or the call carries its
  idempotency key (catalogue fields ``idempotent``, ``idempotency_key``): sending a message twice
  is worse than reporting one failure.
- **Never retried**: a 502 from Cloud Run's open-interface service (the API is not on its
  whitelist), 45009 (daily quota), 48001 (unauthorised), 40xxx argument errors, -604101,
  and anything else not listed above. (Token errors have their own single refresh, in ``call``.)
- **Backoff**: full jitter, ``random(0, min(cap, base * 2**retry))`` (base 0.2 s, cap 5 s).
- **Budget**: a token bucket per instance (capacity 500; a retry costs 5, after a timeout 10;
  a success refunds 1). When it is empty, failures are reported at once instead of retried, so a
  failing backend does not get multiplied load from every caller.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._js.case import to_snake
from ..catalog import Endpoint
from .cloudrun import WHITELIST_STATUS
from .messages import Failure, Reply

RETRYABLE_ERRCODES = frozenset({-1, 85113})
NEXT_MINUTE_ERRCODE = 45011


@dataclass(frozen=True)
class RetryPolicy:
    """``maxAttempts`` and the backoff shape; see the module docstring for the rules."""

    max_attempts: int = 3
    base: float = 0.2
    cap: float = 5.0
    budget: int = 500
    cost: int = 5
    timeout_cost: int = 10


class RetryBudget:
    """The token bucket shared by every call of an instance (thread-safe)."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._level = policy.budget
        self._lock = threading.Lock()

    @property
    def level(self) -> int:
        return self._level

    def forget_parent(self) -> None:
        """In the child of a fork: a lock of its own (another thread may have held the parent's)."""
        self._lock = threading.Lock()

    def take(self, timeout: bool) -> int:
        """Take the cost of one retry: what was taken (0: the budget is spent, do not retry)."""
        cost = self._policy.timeout_cost if timeout else self._policy.cost
        with self._lock:
            if self._level < cost:
                return 0
            self._level -= cost
            return cost

    def refund(self, taken: int = 0) -> None:
        """A call succeeded: give back what its last retry took, or 1 if it did not retry
        (botocore's standard mode)."""
        if self._level >= self._policy.budget:  # full already (the usual case): nothing to give back
            return
        with self._lock:
            self._level = min(self._policy.budget, self._level + (taken or 1))


def classify(
    outcome: Reply | Failure,
    errcode: Any,
    endpoint: Endpoint,
    params_have_key: bool | Callable[[], bool],
    cloudrun: bool = False,
) -> str | None:
    """Why this outcome (with its reply's ``errcode``) may be retried: ``"safe"``, ``"timeout"``,
    ``"next-minute"``, or None. Through Cloud Run's open-interface service (``cloudrun``) a 502
    means "not on the whitelist": never retried. ``params_have_key`` may be a function, asked
    only when the answer matters."""
    if cloudrun and isinstance(outcome, Reply) and outcome.status == WHITELIST_STATUS:
        return None
    if isinstance(outcome, Failure):
        if outcome.kind == "too-large":
            return None  # reading it again would not make it smaller
        if outcome.sent and not _repeatable(endpoint, params_have_key):
            return None
        return "timeout" if outcome.kind == "timeout" else "safe"
    if errcode == NEXT_MINUTE_ERRCODE:
        return "next-minute"
    if outcome.status < 500 and not (isinstance(errcode, (int, float)) and errcode in RETRYABLE_ERRCODES):
        return None
    # a reply came: the request reached WeChat, or a gateway that may have passed it on
    return "safe" if _repeatable(endpoint, params_have_key) else None


def _repeatable(endpoint: Endpoint, params_have_key: bool | Callable[[], bool]) -> bool:
    return endpoint.idempotent or (params_have_key() if callable(params_have_key) else params_have_key)


def delay(policy: RetryPolicy, reason: str, retry_number: int, now: float, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number ``retry_number`` (1 for the first retry)."""
    if reason == "next-minute":
        return 60.0 - (now % 60.0) + 0.05
    ceiling = min(policy.cap, policy.base * 2 ** (retry_number - 1))
    return (rng or random).uniform(0, ceiling)


def has_idempotency_key(endpoint: Endpoint, params: Any) -> bool:
    """Whether the call carries its API's idempotency key (servicemarket's ``client_msg_id``,
    given as ``clientMsgId`` or ``client_msg_id``)."""
    key = endpoint.idempotency_key
    if not key or not isinstance(params, Mapping):
        return False
    return any(isinstance(k, str) and to_snake(k) == key and bool(v) for k, v in params.items())
