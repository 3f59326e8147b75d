"""The token cache's decisions, driven without I/O: refresh schedule and windows, rejection,
cancellation."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import pytest

from cloud._client.instance import Cloud
from cloud._core.messages import Blocking, CallUser, Sleep, Wait
from cloud._tokens.cache import ADVISORY_RETRY, ADVISORY_SHARE, POLL, TokenCache
from cloud._tokens.model import MANDATORY_MARGIN, REFRESH_MARGIN, Token, TokenFetchError, scheduled
from cloud._tokens.sources import Provider

from .test_call import SAMPLE


@dataclass
class Counting:
    """A source that hands out token-1, token-2, ... with a fixed lifetime, each fetch one
    ``CallUser`` effect (where a test can hold it), or fails them all when ``failing``."""

    lifetime: float = 7200
    failing: bool = False
    fetched: list[bool] = field(default_factory=list)
    timeouts: list[float] = field(default_factory=list)
    key = "test:counting"
    can_force = True
    refreshable = True

    def fetch(
        self, api_base: str, now: float, force: bool = False, timeout: float = 15.0
    ) -> Generator[Any, Any, Token]:
        self.fetched.append(force)
        self.timeouts.append(timeout)
        yield CallUser(lambda: None)
        if self.failing:
            raise TokenFetchError("coded", -1000, "system error")
        return scheduled(f"token-{len(self.fetched)}", "access_token", now, self.lifetime)


def drive(gen: Generator[Any, Any, Token], effect: Any = None) -> Token:
    """Run ``gen`` to its end, performing fetches and store commands (from ``effect`` when it is
    already under way); fails on any other effect."""
    try:
        effect = next(gen) if effect is None else effect
        while True:
            assert isinstance(effect, (CallUser, Blocking)), effect
            effect = gen.send(effect.fn(*effect.args))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def at_once(gen: Generator[Any, Any, Token]) -> Token:
    """What ``gen`` returns without yielding a single effect (no wait, no fetch, no store)."""
    with pytest.raises(StopIteration) as done:
        next(gen)
    return done.value.value  # type: ignore[no-any-return]


ADVISORY_AT = 7200 - REFRESH_MARGIN
MANDATORY_AT = 7200 - MANDATORY_MARGIN


def test_schedule_refreshes_five_minutes_ahead_or_at_half_life() -> None:
    assert scheduled("t", "access_token", 1000, 7200).refresh_at == 1000 + 7200 - REFRESH_MARGIN
    assert scheduled("t", "access_token", 1000, 100).refresh_at == 1050
    assert scheduled("t", "access_token", 1000, 7200).expires_at == 8200


def test_windows_open_five_minutes_and_one_minute_before_expiry_or_in_proportion() -> None:
    token = scheduled("t", "access_token", 0, 7200)
    assert (token.refresh_at, token.mandatory_at, token.expires_at) == (ADVISORY_AT, MANDATORY_AT, 7200)
    assert not token.overdue(MANDATORY_AT - 0.1) and token.overdue(MANDATORY_AT)
    short = scheduled("t", "access_token", 0, 100)
    assert (short.refresh_at, short.mandatory_at) == (50, 90)
    assert not Token("t", "access_token", math.inf, math.inf).overdue(1e18)


def test_cached_until_refresh_time_then_fetched_again() -> None:
    now = [0.0]
    source, cache = Counting(), TokenCache(clock=lambda: now[0])
    assert drive(cache.get(source, "", wait=1)).value == "token-1"
    now[0] = 7200 - REFRESH_MARGIN - 1
    assert drive(cache.get(source, "", wait=1)).value == "token-1"
    now[0] = 7200 - REFRESH_MARGIN
    assert drive(cache.get(source, "", wait=1)).value == "token-2"
    assert source.fetched == [False, False]


def test_short_lived_tokens_are_not_refetched_in_a_loop() -> None:
    now = [0.0]
    source, cache = Counting(lifetime=10), TokenCache(clock=lambda: now[0])
    for t in (0.0, 1.0, 4.9):
        now[0] = t
        drive(cache.get(source, "", wait=1))
    assert len(source.fetched) == 1


def test_rejection_fetches_with_force_once_per_interval() -> None:
    now = [0.0]
    source, cache = Counting(), TokenCache(clock=lambda: now[0])
    first = drive(cache.get(source, "", wait=1))
    second = drive(cache.get(source, "", wait=1, rejected=first.value))
    assert second.value == "token-2" and source.fetched == [False, True]
    drive(cache.get(source, "", wait=1, rejected=second.value))
    assert source.fetched == [False, True, False]  # no second force within two hours
    now[0] = 7200
    drive(cache.get(source, "", wait=1, rejected="token-3"))
    assert source.fetched[-1] is True


def test_rejection_of_an_old_token_uses_the_newer_cached_one() -> None:
    source, cache = Counting(), TokenCache(clock=lambda: 0.0)
    drive(cache.get(source, "", wait=1))
    assert drive(cache.get(source, "", wait=1, rejected="some-older-token")).value == "token-1"
    assert len(source.fetched) == 1


def test_in_the_advisory_window_only_the_leader_waits_for_the_refresh() -> None:
    now = [0.0]
    source, cache = Counting(), TokenCache(clock=lambda: now[0])
    drive(cache.get(source, "", wait=10))
    now[0] = ADVISORY_AT + 1
    leader = cache.get(source, "", wait=10)
    fetching = next(leader)  # the refresh is under way (a slow token endpoint)
    for _ in range(3):
        assert at_once(cache.get(source, "", wait=10)).value == "token-1"
    assert source.timeouts[-1] == 10 * ADVISORY_SHARE  # the leader keeps time for its own call
    assert drive(leader, fetching).value == "token-2"
    assert at_once(cache.get(source, "", wait=10)).value == "token-2"
    assert len(source.fetched) == 2


def test_in_the_mandatory_window_callers_wait_and_a_failure_fails_them() -> None:
    now = [0.0]
    source, cache = Counting(), TokenCache(clock=lambda: now[0])
    drive(cache.get(source, "", wait=10))
    now[0] = ADVISORY_AT + 1
    leader = cache.get(source, "", wait=10)
    fetching = next(leader)
    assert at_once(cache.get(source, "", wait=10)).value == "token-1"
    now[0] = MANDATORY_AT  # the early refresh is still under way: from now on, callers wait for it
    follower = cache.get(source, "", wait=10)
    assert isinstance(next(follower), Wait)
    source.failing = True
    with pytest.raises(TokenFetchError):
        drive(leader, fetching)
    with pytest.raises(TokenFetchError) as info:
        follower.send(None)
    assert info.value.code == -1000
    with pytest.raises(TokenFetchError):  # the next caller tries again at once, and fails too
        drive(cache.get(source, "", wait=10))
    assert len(source.fetched) == 3


def test_a_failed_advisory_refresh_keeps_the_token_logs_once_and_waits_to_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    source, cache = Counting(), TokenCache(clock=lambda: now[0])
    drive(cache.get(source, "", wait=10))
    source.failing = True
    now[0] = ADVISORY_AT + 1
    with caplog.at_level(logging.DEBUG, logger="cloud.tokens"):
        assert drive(cache.get(source, "", wait=10)).value == "token-1"  # the leader tried, and goes on
        for _ in range(5):
            assert at_once(cache.get(source, "", wait=10)).value == "token-1"
        now[0] += ADVISORY_RETRY - 1
        assert at_once(cache.get(source, "", wait=10)).value == "token-1"
    assert len(source.fetched) == 2
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and "test:counting" in record.getMessage()
    assert "system error" in record.getMessage() and "token-1" not in caplog.text
    now[0] += 1  # one more try
    assert drive(cache.get(source, "", wait=10)).value == "token-1" and len(source.fetched) == 3
    with pytest.raises(TokenFetchError):  # a rejected token is refreshed at once, whatever the window
        drive(cache.get(source, "", wait=10, rejected="token-1"))
    assert len(source.fetched) == 4


@dataclass
class Held:
    """A shared store holding ``token``, whose lock another process holds."""

    token: Token
    locks_tried: int = 0

    def read(self, key: str) -> Token | None:
        return self.token

    def try_lock(self, key: str) -> tuple[str, int] | None:
        self.locks_tried += 1
        return None

    def write(self, key: str, token: Token, generation: int) -> bool:
        raise AssertionError("not the lock holder")

    def unlock(self, key: str, owner: str) -> None:
        raise AssertionError("not the lock holder")

    def claim_force(self, key: str, interval: float) -> bool:
        return False


def test_while_another_process_refreshes_early_the_store_is_not_polled() -> None:
    now = [0.0]
    source, store = Counting(), Held(scheduled("token-0", "access_token", 0, 7200))
    cache = TokenCache(store, clock=lambda: now[0])
    assert drive(cache.get(source, "", wait=10)).value == "token-0"
    now[0] = ADVISORY_AT + 1
    assert drive(cache.get(source, "", wait=10)).value == "token-0"  # tried the lock once, went on
    assert at_once(cache.get(source, "", wait=10)).value == "token-0"
    assert store.locks_tried == 1
    now[0] += POLL  # looks again in a moment (the other process may be done)
    assert drive(cache.get(source, "", wait=10)).value == "token-0"
    assert store.locks_tried == 2 and source.fetched == []
    now[0] = MANDATORY_AT  # now it waits for the other process
    waiting = cache.get(source, "", wait=10)
    assert [type(next(waiting)), type(next(waiting)), type(next(waiting))] == [Blocking, Blocking, Sleep]
    waiting.close()


def test_a_caller_whose_token_is_overdue_takes_the_stores_if_it_is_not() -> None:
    now = [0.0]
    source, store = Counting(), Held(scheduled("token-0", "access_token", 0, 7200))
    cache = TokenCache(store, clock=lambda: now[0])
    drive(cache.get(source, "", wait=10))
    store.token = scheduled("token-A", "access_token", 200, 7200)  # another process's, due for refresh
    now[0] = MANDATORY_AT
    assert drive(cache.get(source, "", wait=10)).value == "token-A"
    assert store.locks_tried == 0 and source.fetched == []


def test_a_cancelled_leader_does_not_strand_the_others(make_cloud: Any, emulator: Any) -> None:
    calls: list[Any] = []

    async def slow_provider(appid: Any) -> tuple[str, int]:
        calls.append(appid)
        await asyncio.sleep(0.3 if len(calls) == 1 else 0)
        return emulator.token, 7200

    c: Cloud = make_cloud(accessToken=None, tokenProvider=slow_provider)

    async def run() -> Any:
        leader = asyncio.ensure_future(c.openapi.serviceMarket.invokeService(SAMPLE))
        await asyncio.sleep(0.05)
        follower = asyncio.ensure_future(c.openapi.serviceMarket.invokeService(SAMPLE))
        await asyncio.sleep(0.05)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        return await asyncio.wait_for(follower, 5)

    assert asyncio.run(run())["errCode"] == 0
    assert len(calls) == 2  # the follower took over the fetch


def test_source_of_a_provider_names_its_appid() -> None:
    assert Provider(lambda appid: "t", "wxB").key == "wxB:provider"
