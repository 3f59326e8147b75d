"""What a hostile token endpoint, a careless token provider, a hostile request header or a careless
function gives: a CloudSDKError or a one-line message with an exit status, never a traceback from
the library, a hang past the deadline, or a token the store cannot hold. Over real HTTP on 127.0.0.1
(the emulator, real Redis) or in-process."""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import pytest

from cloud import CloudSDKError
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator, Scripted

from .conftest import invoke
from .parity_cases import API, FAIL
from .test_call import SAMPLE

APP = {"appid": EMULATOR_APPID, "secret": EMULATOR_SECRET}


# --- a token endpoint or provider that gives odd lifetimes or tokens ----------------------------


def _token_reply(expires_in: str, token: str = '"emulator-issued-token"') -> Scripted:
    return Scripted(200, f'{{"access_token": {token}, "expires_in": {expires_in}}}'.encode())


@pytest.mark.parametrize("expires_in", ["1e400", "1e300", "1" + "0" * 400], ids=["1e400", "1e300", "10**400"])
@pytest.mark.parametrize("store", [False, True])
def test_an_endless_lifetime_from_the_token_endpoint_is_kept_a_day(
    expires_in: str, store: bool, make_cloud: Any, emulator: Emulator, redis_store_url: str
) -> None:
    emulator.enqueue(_token_reply(expires_in, f'"{emulator.token}"'))
    c = make_cloud(accessToken=None, **APP, **({"tokenStore": redis_store_url} if store else {}))
    assert invoke(c, "sync", API, SAMPLE)["errCode"] == 0
    if store:
        import redis

        with redis.Redis.from_url(redis_store_url) as client:
            left = client.pttl(f"wxcloud:token:{EMULATOR_APPID}:stable") / 1000
    else:
        left = c._shared.tokens._tokens[f"{EMULATOR_APPID}:stable"].expires_at - time.time()
    assert left == pytest.approx(86400, abs=60)  # WeChat's live 7,200 s: an endless one is kept a day


@pytest.mark.parametrize(
    ("expires_in", "token"),
    [("true", '"t-1"'), ("0", '"t-1"'), ("-5", '"t-1"'), ('"7200"', '"t-1"'), ("7200", '"two words"'),
     ("7200", '"line\\nbreak"'), ("7200", '""'), ("7200", "12345")],
)  # fmt: skip
def test_an_unusable_token_reply_is_a_server_error(
    expires_in: str, token: str, make_cloud: Any, emulator: Emulator
) -> None:
    emulator.enqueue(_token_reply(expires_in, token))
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(accessToken=None, **APP), "sync", API, SAMPLE)
    assert info.value.errCode == -601001
    assert "access token reply has no access_token and expires_in" in info.value.errMsg


@pytest.mark.parametrize("lifetime", [math.inf, 1e300, 10**400], ids=["inf", "1e300", "10**400"])
@pytest.mark.parametrize("store", [False, True])
def test_a_provider_may_say_forever(
    lifetime: float, store: bool, make_cloud: Any, emulator: Emulator, redis_store_url: str, mode: str
) -> None:
    options = {"tokenStore": redis_store_url} if store else {}
    c = make_cloud(accessToken=None, tokenProvider=lambda appid: (emulator.token, lifetime), **options)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_provider_that_hangs_ends_at_the_calls_deadline(kind: str, make_cloud: Any, mode: str) -> None:
    def hang(appid: Any) -> str:
        time.sleep(30)
        return "never"

    async def ahang(appid: Any) -> str:
        await asyncio.sleep(30)
        return "never"

    c = make_cloud(accessToken=None, tokenProvider=hang if kind == "sync" else ahang, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE)
    assert time.monotonic() - started < 3
    assert info.value.errCode == -501002
    said = "-501002 resource server timeout. tokenProvider did not answer within the call's timeout"
    assert info.value.errMsg == f"{FAIL} {said}"


def test_a_provider_still_sees_the_callers_context_variables(make_cloud: Any, emulator: Emulator) -> None:
    import contextvars

    tenant: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="none")
    seen: list[str] = []

    def provide(appid: Any) -> str:
        seen.append(tenant.get())
        return emulator.token

    tenant.set("t-1")
    assert invoke(make_cloud(accessToken=None, tokenProvider=provide), "sync", API, SAMPLE)["errCode"] == 0
    assert seen == ["t-1"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(3)])
def test_a_provider_raising_a_base_exception_lets_it_through_and_the_next_call_fetches(
    exc: BaseException, make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    raised: list[BaseException] = [exc]

    def provide(appid: Any) -> str:
        if raised:
            raise raised.pop()
        return emulator.token

    c = make_cloud(accessToken=None, tokenProvider=provide)
    with pytest.raises(type(exc)):
        invoke(c, mode, API, SAMPLE)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
