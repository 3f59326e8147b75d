"""The token cache: each token kept with its schedule, fetched once however many callers ask.

Single-flight: the first caller (thread or task) that finds a token missing, due for refresh, or
just rejected by WeChat becomes the leader and fetches; everyone else waits on the leader's future
(``Wait``). With a shared store (Redis) the same happens across processes: the store is read
first, one process takes the store's lock and fetches, the others poll the store, and a write only
lands if no newer fetch has landed first.

Refresh windows (see :mod:`cloud._tokens.model`), as botocore's ``RefreshableCredentials``:

- Advisory (refresh due, the token good for more than :data:`~cloud._tokens.model.MANDATORY_MARGIN`):
  one caller per key leads the refresh; every other caller gets the current token at once, without
  waiting for it. With a store, the one refresher is the process holding its lock; the others go on
  with their token and look at the store again after :data:`POLL`. If the refresh fails, the
  leader logs it once at WARNING and goes on with the current token too, and this process tries no
  other advisory refresh of that key for :data:`ADVISORY_RETRY` seconds.
- Mandatory (the last minute, or no token): callers wait for the refresh, and its failure fails
  them. A token in the store that is not in its mandatory window will do (its own advisory refresh
  is then another process's business, or a later call's).

The leader of an advisory refresh waits for it itself, for at most :data:`ADVISORY_SHARE` of what
is left of its call (the fetch is given that as its timeout); if it has not come back by then it
counts as failed and the call goes on with the current token, in time. Not waiting at all would
take a refresh that outlives its call: the flow is a generator driven by the caller's shell, so a
refresh in the background needs an effect of its own that both shells run apart from the call (a
thread, or a task on an event loop that ``asyncio.run`` may close under it), with a deadline and
errors owned by nobody. One caller per key per refresh paying a bounded wait costs less.

A failed fetch raises in the leader; each waiter raises an error of its own made from it (one
exception object raised by many callers would grow its traceback with each, and a future holding
an exception logs it when nobody reads it), so the in-flight future only ever holds a result.

``get(..., rejected=token)`` is the reaction to 40001/40014/42001: it returns a token other than
the rejected one if the cache or the store already has one (someone refreshed), else fetches once
(and waits, whatever the window). For stable_token that fetch uses ``force_refresh`` when allowed,
at most once per :data:`FORCE_INTERVAL` per appid across every process sharing the store (WeChat
allows 20 a day): normal mode would hand back the rejected token, since we refresh ahead of expiry
anyway. When force is not allowed the normal fetch may return the same token, and the caller stops
retrying.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future
from typing import Any, Protocol

from .._core import threads
from .._core.clock import wall
from .._core.messages import Blocking, Sleep, Wait
from .model import Token, TokenFetchError
from .sources import Source

FORCE_INTERVAL = 7200.0
"""Seconds between two force_refresh calls for one appid: at most 12 a day, under WeChat's 20."""
POLL = 0.05
"""Seconds between two looks at the shared store while another process fetches (waiting for it in
the mandatory window; in the advisory window going on with the current token meanwhile)."""
ADVISORY_RETRY = 30.0
"""Seconds after a failed advisory refresh before this process tries another for that key; the
mandatory window and rejections do not wait for it."""
ADVISORY_SHARE = 0.5
"""Share of what is left of its call that the leader of an advisory refresh gives the refresh."""

log = logging.getLogger("cloud.tokens.cache")

Gen = Generator[Any, Any, Token]
Outcome = Token | TokenFetchError | None
"""What a fetch in flight ends with: the token, the error to raise, or None (the leader gave up:
cancelled, or another process is refreshing)."""


class SharedStore(Protocol):
    """Where tokens are shared between processes (see :mod:`cloud._tokens.redis_store`)."""

    def read(self, key: str) -> Token | None: ...
    def try_lock(self, key: str) -> tuple[str, int] | None: ...
    def write(self, key: str, token: Token, generation: int) -> bool: ...
    def unlock(self, key: str, owner: str) -> None: ...
    def claim_force(self, key: str, interval: float) -> bool: ...


class TokenCache:
    """Tokens by source key, for one configured instance."""

    def __init__(self, store: SharedStore | None = None, clock: Callable[[], float] = wall) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {}
        self._inflight: dict[str, Future[Outcome]] = {}
        self._last_force: dict[str, float] = {}
        self._retry_at: dict[str, float] = {}

    def forget_parent(self) -> None:
        """In the child of a fork: a lock of its own, and no fetch in flight (the threads that led
        them stayed in the parent). Tokens already held are kept."""
        self._lock = threading.Lock()
        self._inflight = {}

    def get(self, source: Source, api_base: str, *, wait: float, rejected: str | None = None) -> Gen:
        """The token to use now (``rejected``: the one WeChat just refused)."""
        if not source.key:
            return (yield from source.fetch(api_base, self._clock(), timeout=wait))
        while True:
            with self._lock:
                now = self._clock()
                token = self._tokens.get(source.key)
                if token is not None and _good(token, now, rejected):
                    return token
                # advisory window: the current token serves while someone refreshes, or until retry
                current = token if token is not None and rejected is None and not token.overdue(now) else None
                future = self._inflight.get(source.key)
                if current is not None and (future is not None or now < self._retry_at.get(source.key, now)):
                    return current
                leading = future is None
                if future is None:
                    future = self._inflight[source.key] = Future()
            if leading:
                return (yield from self._lead(source, api_base, future, wait, rejected, current))
            yield Wait(future, wait)
            if not future.done():
                raise TokenFetchError("coded", -501002, "timed out waiting for the access token")
            got = future.result()
            if isinstance(got, TokenFetchError):
                raise TokenFetchError(got.kind, got.code, got.text)
            if got is not None:
                return got
            # the leader gave up without a token (it was cancelled, or left an advisory refresh to
            # another process): look again, maybe lead

    def _lead(
        self,
        source: Source,
        api_base: str,
        future: Future[Outcome],
        wait: float,
        rejected: str | None,
        current: Token | None,
    ) -> Gen:
        """Fetch for everyone waiting on ``future``; ``current``: the token to go on with if this
        is an advisory refresh and it does not succeed."""
        token: Token | None = None
        failure: TokenFetchError | None = None
        if current is not None:
            wait *= ADVISORY_SHARE
        try:
            if self._store is None:
                token = yield from self._fetch(source, api_base, rejected, wait)
            else:
                token = yield from self._through_store(source, api_base, wait, rejected, early=current is not None)
            if token is None:  # another process is refreshing it: look again in a moment
                assert current is not None
                self._retry_later(source.key, POLL)
                return current
            return token
        except TokenFetchError as exc:
            failure = exc
            if current is None or current.overdue(self._clock()):
                raise
            self._retry_later(source.key, ADVISORY_RETRY)
            log.warning(
                "refreshing the access token for %s ahead of expiry failed (%s: %s); the current one is used "
                "for up to %.0f s more, the next try in %.0f s",
                source.key, exc.code, exc.text, current.mandatory_at - self._clock(), ADVISORY_RETRY,
            )  # fmt: skip
            return current
        except Exception as exc:
            failure = TokenFetchError("local", -1, f"getting the access token failed: {type(exc).__name__}")
            raise
        finally:
            with self._lock:
                if token is not None:
                    self._tokens[source.key] = token
                del self._inflight[source.key]
            future.set_result(failure or token)

    def _retry_later(self, key: str, seconds: float) -> None:
        """No advisory refresh of ``key`` by this process for ``seconds``."""
        with self._lock:
            self._retry_at[key] = self._clock() + seconds

    def _fetch(self, source: Source, api_base: str, rejected: str | None, wait: float) -> Gen:
        deadline = self._clock() + wait
        force = rejected is not None and source.can_force and (yield from self._claim_force(source.key, deadline))
        return (
            yield from source.fetch(api_base, self._clock(), force=force, timeout=max(0.0, deadline - self._clock()))
        )

    def _ask(self, deadline: float, fn: Callable[..., Any], *args: Any) -> Generator[Any, Any, Any]:
        """``fn(*args)`` on the shared store, waited for no later than ``deadline``."""
        left = deadline - self._clock()
        try:
            if left <= 0:
                raise TimeoutError
            return (yield Blocking(fn, args, left))
        except TimeoutError:
            raise TokenFetchError("coded", -501002, "the token store did not answer in time") from None

    def _claim_force(self, key: str, deadline: float) -> Generator[Any, Any, bool]:
        if self._store is not None:
            return bool((yield from self._ask(deadline, self._store.claim_force, key, FORCE_INTERVAL)))
        now = self._clock()
        with self._lock:
            if now - self._last_force.get(key, -FORCE_INTERVAL) < FORCE_INTERVAL:
                return False
            self._last_force[key] = now
        return True

    def _through_store(
        self, source: Source, api_base: str, wait: float, rejected: str | None, *, early: bool
    ) -> Generator[Any, Any, Token | None]:
        """The token from the store, or fetched under its lock; None if ``early`` (an advisory
        refresh) and another process holds the lock. Unless ``early``, a token in the store's
        advisory window will do (a later call refreshes it)."""
        store = self._store
        assert store is not None
        deadline = self._clock() + wait
        while True:
            shared: Token | None = yield from self._ask(deadline, store.read, source.key)
            if shared is not None and _good(shared, self._clock(), rejected, lenient=not early):
                return shared
            lock = yield from self._ask(deadline, store.try_lock, source.key)
            if lock is not None:
                break
            if early:
                return None
            if self._clock() > deadline:
                raise TokenFetchError(
                    "coded", -501002, "timed out waiting for another process to fetch the access token"
                )
            yield Sleep(POLL)
        owner, generation = lock
        try:
            shared = yield from self._ask(deadline, store.read, source.key)
            token: Token
            if shared is not None and _good(shared, self._clock(), rejected, lenient=not early):
                token = shared
            else:
                token = yield from self._fetch(source, api_base, rejected, max(0.0, deadline - self._clock()))
                yield from self._ask(deadline, store.write, source.key, token, generation)
        except BaseException:
            # no yield while unwinding: released in the background (a store that hangs must not
            # hold up the error); the lock expires by itself anyway
            threads.in_thread(_quietly, (store.unlock, source.key, owner), "wx-cloud-token-unlock")
            raise
        try:
            yield from self._ask(deadline, store.unlock, source.key, owner)
        except TokenFetchError:
            pass  # the token is here; the lock expires by itself
        return token


def _quietly(fn: Callable[..., Any], *args: Any) -> None:
    try:
        fn(*args)
    except Exception:
        pass


def _good(token: Token, now: float, rejected: str | None, lenient: bool = False) -> bool:
    """Whether ``token`` will do: fresh (``lenient``: not yet in its mandatory window), or (after a
    rejection) any usable token but that one."""
    if rejected is not None:
        return token.value != rejected and token.usable(now)
    return not token.overdue(now) if lenient else token.fresh(now)
