"""The token cache's decisions, driven without I/O: refresh schedule, rejection, cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import pytest

from cloud.instance import Cloud
from cloud.messages import CallUser
from cloud.tokens.cache import TokenCache
from cloud.tokens.model import REFRESH_MARGIN, Token, scheduled
from cloud.tokens.sources import Provider

from .test_call import SAMPLE


@dataclass
class Counting:
    """A source that hands out token-1, token-2, ... with a fixed lifetime."""

    lifetime: float = 7200
    fetched: list[bool] = field(default_factory=list)
    key = "test:counting"
    can_force = True
    refreshable = True

    def fetch(
        self, api_base: str, now: float, force: bool = False, timeout: float = 15.0
    ) -> Generator[Any, Any, Token]:
        self.fetched.append(force)
        return scheduled(f"token-{len(self.fetched)}", "access_token", now, self.lifetime)
        yield


def drive(gen: Generator[Any, Any, Token]) -> Token:
    try:
        effect = next(gen)
        while True:
            assert isinstance(effect, CallUser), effect
            effect = gen.send(effect.fn(*effect.args))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def test_schedule_refreshes_five_minutes_ahead_or_at_half_life() -> None:
    assert scheduled("t", "access_token", 1000, 7200).refresh_at == 1000 + 7200 - REFRESH_MARGIN
    assert scheduled("t", "access_token", 1000, 100).refresh_at == 1050
    assert scheduled("t", "access_token", 1000, 7200).expires_at == 8200


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
