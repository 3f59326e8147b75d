"""Access tokens end to end against the emulator over real HTTP: modes, single-flight, refresh on
rejection, refresh windows, shared Redis store across processes, and no secret anywhere."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator

from .conftest import invoke
from .parity_cases import API, FAIL
from .test_call import SAMPLE

APP = {"appid": EMULATOR_APPID, "secret": EMULATOR_SECRET}
OTHER_APPID, OTHER_SECRET = "wxb0b0b0b0b0b0b0b0", "other-app-secret-fedcba9876543210"


@pytest.fixture
def two_apps(emulator: Emulator) -> Emulator:
    emulator.apps[OTHER_APPID] = OTHER_SECRET
    return emulator


def api_calls(emulator: Emulator) -> list[Any]:
    return [r for r in emulator.requests if r.path == "/wxa/servicemarket"]


# --- modes -----------------------------------------------------------------------------------


def test_stable_mode_is_the_default_for_appid_and_secret(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    c = make_cloud(accessToken=None, **APP)
    for _ in range(3):
        assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    (fetch,) = emulator.token_requests()
    assert (fetch.method, fetch.path) == ("POST", "/cgi-bin/stable_token")
    assert fetch.json() == {"grant_type": "client_credential", **APP, "force_refresh": False}
    tokens = {r.query["access_token"] for r in api_calls(emulator)}
    assert tokens == {emulator.issued_tokens[0]}


def test_classic_mode_uses_the_token_endpoint(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    c = make_cloud(accessToken=None, tokenMode="classic", **APP)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    (fetch,) = emulator.token_requests()
    assert (fetch.method, fetch.path) == ("GET", "/cgi-bin/token")
    assert fetch.query == {"grant_type": "client_credential", **APP}


def test_environment_selects_the_mode(monkeypatch: pytest.MonkeyPatch, emulator: Emulator, api_base: str) -> None:
    monkeypatch.setenv("WX_APPID", EMULATOR_APPID)
    monkeypatch.setenv("WX_SECRET", EMULATOR_SECRET)
    monkeypatch.setenv("WX_TOKEN_MODE", "classic")
    c = Cloud()
    c.init(apiBase=api_base)
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0
    assert [r.path for r in emulator.token_requests()] == ["/cgi-bin/token"]


def test_cloudrun_mode_sends_no_token(api_base: str, emulator: Emulator, mode: str) -> None:
    emulator.cloudrun = True
    c = Cloud()
    c.init(apiBase=api_base, tokenMode="cloudrun", **APP)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    (call,) = emulator.requests
    assert call.query == {}


def test_cloudrun_mode_outside_cloud_run_gets_wechats_answer(api_base: str, emulator: Emulator, mode: str) -> None:
    c = Cloud()
    c.init(apiBase=api_base, tokenMode="cloudrun")
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE)
    assert info.value.errCode == 41001 and len(emulator.requests) == 1  # no refresh, no retry


def test_cloudbase_mode_sends_cloudbase_access_token(api_base: str, emulator: Emulator, mode: str) -> None:
    emulator.cloudbase_tokens.add("cb-token-from-env-0001")
    c = Cloud()
    c.init(apiBase=api_base, tokenMode="cloudbase", cloudbaseAccessToken="cb-token-from-env-0001")
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    (call,) = emulator.requests
    assert call.query == {"cloudbase_access_token": "cb-token-from-env-0001"}


def test_cloudbase_file_is_reread_when_rejected(api_base: str, emulator: Emulator, tmp_path: Path, mode: str) -> None:
    token_file = tmp_path / "cloudbase_access_token"
    token_file.write_text("cb-old-token-000000\n")
    emulator.cloudbase_tokens.add("cb-old-token-000000")
    c = Cloud()
    c.init(apiBase=api_base, tokenMode="cloudbase", cloudbaseTokenFile=str(token_file))
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    token_file.write_text("cb-new-token-111111")  # the platform pushed a new one
    emulator.cloudbase_tokens = {"cb-new-token-111111"}
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    assert [r.query["cloudbase_access_token"] for r in emulator.requests] == [
        "cb-old-token-000000", "cb-old-token-000000", "cb-new-token-111111"
    ]  # fmt: skip


def test_cloudbase_without_a_token_is_a_clear_error(api_base: str, emulator: Emulator, tmp_path: Path) -> None:
    c = Cloud()
    c.init(apiBase=api_base, tokenMode="cloudbase", cloudbaseTokenFile=str(tmp_path / "missing"))
    with pytest.raises(CloudSDKError, match="no cloudbase access token") as info:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert info.value.errCode == -1 and emulator.requests == []


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_token_provider(make_cloud: Any, emulator: Emulator, mode: str, kind: str) -> None:
    calls: list[Any] = []

    def provide(appid: Any) -> tuple[str, int]:
        calls.append(appid)
        return emulator.token, 7200

    async def provide_async(appid: Any) -> dict[str, Any]:
        return {"access_token": provide(appid)[0], "expires_in": 7200}

    c = make_cloud(accessToken=None, tokenProvider=provide if kind == "sync" else provide_async)
    for _ in range(3):
        assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    assert calls == [None]


def test_token_provider_failure_says_its_message_without_secrets(
    make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    def broken(appid: Any) -> str:
        try:
            raise OSError(f"the vault's own detail {EMULATOR_SECRET}")
        except OSError:  # a chained cause: never shown
            raise ValueError(f"vault at https://vault?password=pw-123 said no to\n {EMULATOR_SECRET}") from None

    c = make_cloud(accessToken=None, tokenProvider=broken, **APP)  # the provider wins; the secret is known
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE)
    said = "tokenProvider failed: ValueError: vault at https://vault?password=*** said no to ***"
    assert (info.value.errCode, info.value.errMsg) == (-1, f"{FAIL} {said}")
    shown = "".join(traceback.format_exception(info.value))
    assert said in shown and EMULATOR_SECRET not in shown and "own detail" not in shown and "pw-123" not in shown


def test_token_provider_failure_is_cut_to_one_short_line(make_cloud: Any, emulator: Emulator) -> None:
    class SilentError(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no text")

    cases = ((RuntimeError("x " * 300), "RuntimeError: " + "x " * 99 + "x…"), (SilentError(), "SilentError"))
    for error, said in cases:

        def broken(appid: Any, error: Exception = error) -> str:
            raise error

        with pytest.raises(CloudSDKError) as info:
            invoke(make_cloud(accessToken=None, tokenProvider=broken), "sync", API, SAMPLE)
        assert info.value.errMsg == f"{FAIL} tokenProvider failed: {said}"
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("options", "errcode", "errmsg"),
    [
        ({"appid": EMULATOR_APPID, "secret": "wrong-secret-00000000"}, 40125, "invalid appsecret"),
        ({"appid": "wx-not-an-app", "secret": EMULATOR_SECRET}, 40013, "invalid appid"),
    ],
)
def test_wrong_credentials_give_wechats_error_once(
    make_cloud: Any, emulator: Emulator, options: dict[str, str], errcode: int, errmsg: str
) -> None:
    c = make_cloud(accessToken=None, **options)

    async def run() -> list[Any]:
        calls = (c.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(20))
        return await asyncio.gather(*calls, return_exceptions=True)

    errors = asyncio.run(run())
    assert all(isinstance(e, CloudSDKError) and e.errCode == errcode for e in errors)
    assert errors[0].errMsg.startswith(f"{FAIL} {errmsg} rid: ")
    assert str(errors[0]).startswith(f"errCode: {errcode}  | errMsg: {FAIL} {errmsg}")
    assert errors[0].stage == "token"
    assert len(emulator.token_requests()) == 1 and api_calls(emulator) == []


def test_mode_without_its_credentials_is_refused_before_io(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud(accessToken=None, tokenMode="stable", appid=EMULATOR_APPID)
    with pytest.raises(CloudSDKError, match="tokenMode stable needs appid and secret"):
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"tokenMode": "magic"}, "tokenMode must be one of static, stable, classic, cloudrun, cloudbase, provider"),
        ({"tokenStore": "memcached://x"}, 'tokenStore must be "memory" or a redis:// URL'),
        ({"tokenProvider": "https://vault"}, "tokenProvider must be a function"),
        ({"credentials": {"wxB": 1}}, "credentials must map appid to secret"),
        ({"appid": "wx with spaces"}, "appid must be a non-empty string without spaces"),
    ],
)
def test_bad_token_options_are_refused_at_init(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CloudSDKError) as info:
        Cloud().init(options)
    assert info.value.errCode == -501007 and fragment in info.value.errMsg


# --- single-flight ---------------------------------------------------------------------------


@pytest.mark.parametrize("token_mode", ["stable", "classic"])
def test_200_concurrent_async_calls_on_a_cold_cache_fetch_once(
    make_cloud: Any, emulator: Emulator, token_mode: str
) -> None:
    c = make_cloud(accessToken=None, tokenMode=token_mode, **APP)

    async def run() -> list[Any]:
        return await asyncio.gather(*(c.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(200)))

    results = asyncio.run(run())
    assert [r["errCode"] for r in results] == [0] * 200
    assert len(emulator.token_requests()) == 1
    assert len(api_calls(emulator)) == 200


@pytest.mark.parametrize("token_mode", ["stable", "classic"])
def test_8_threads_on_a_cold_cache_fetch_once(make_cloud: Any, emulator: Emulator, token_mode: str) -> None:
    c = make_cloud(accessToken=None, tokenMode=token_mode, **APP)
    start = threading.Barrier(8)

    def one(_: int) -> Any:
        start.wait()
        return c.sync.openapi.serviceMarket.invokeService(SAMPLE)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(8)))
    assert all(r["errCode"] == 0 for r in results)
    assert len(emulator.token_requests()) == 1


def test_async_and_sync_callers_share_one_fetch(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud(accessToken=None, tokenMode="classic", **APP)

    async def run() -> list[Any]:
        tasks = [c.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(50)]
        threads = [asyncio.to_thread(c.sync.openapi.serviceMarket.invokeService, SAMPLE) for _ in range(4)]
        return await asyncio.gather(*tasks, *threads)

    assert all(r["errCode"] == 0 for r in asyncio.run(run()))
    assert len(emulator.token_requests()) == 1


# --- reacting to token errors ----------------------------------------------------------------


@pytest.mark.parametrize("token_mode", ["stable", "classic"])
def test_a_rejected_token_is_refreshed_once_and_the_call_succeeds(
    make_cloud: Any, emulator: Emulator, mode: str, token_mode: str
) -> None:
    c = make_cloud(accessToken=None, tokenMode=token_mode, **APP)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    first = emulator.issued_tokens[-1]
    emulator.revoke(first)  # as if another party had refreshed it
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    assert len(emulator.token_requests()) == 2
    used = [r.query["access_token"] for r in api_calls(emulator)]
    assert used == [first, first, emulator.issued_tokens[-1]] and used[-1] != first
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0  # the new token is cached
    assert len(emulator.token_requests()) == 2


def test_stable_rejection_uses_force_refresh_at_most_once(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    c = make_cloud(accessToken=None, **APP)
    invoke(c, mode, API, SAMPLE)
    emulator.revoke(emulator.issued_tokens[-1])
    invoke(c, mode, API, SAMPLE)
    assert [r.json()["force_refresh"] for r in emulator.token_requests()] == [False, True]
    emulator.reject_tokens = True
    with pytest.raises(CloudSDKError) as info:  # no second force within the interval: normal mode
        invoke(c, mode, API, SAMPLE)  # hands back the same token, so the call ends
    assert info.value.errCode == 40001
    assert [r.json()["force_refresh"] for r in emulator.token_requests()] == [False, True, False]


@pytest.mark.parametrize("token_mode", ["stable", "classic"])
def test_a_backend_rejecting_every_token_ends_after_two_token_requests(
    make_cloud: Any, emulator: Emulator, mode: str, token_mode: str
) -> None:
    emulator.reject_tokens = True
    c = make_cloud(accessToken=None, tokenMode=token_mode, **APP)
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE)
    assert info.value.errCode == 40001
    assert info.value.errMsg.startswith(f"{FAIL} invalid credential, access_token is invalid or not latest rid: ")
    assert len(emulator.token_requests()) <= 2
    assert len(api_calls(emulator)) == 2  # the call and its one retry


def test_static_token_rejected_is_not_retried(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(accessToken="static-but-wrong-token"), mode, API, SAMPLE)
    assert info.value.errCode == 40001 and len(emulator.requests) == 1


def test_expired_token_is_refreshed(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    now = [1_000_000.0]
    emulator.clock = lambda: now[0]
    c = make_cloud(accessToken=None, tokenMode="classic", **APP)
    invoke(c, mode, API, SAMPLE)
    now[0] += 7200  # the emulator's token has expired; our cache does not know yet
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    assert len(emulator.token_requests()) == 2


# --- refresh windows ---------------------------------------------------------------------------

SHORT = 3.0
"""A provider token's lifetime in these tests: advisory window from 1.5 s, mandatory from 2.7 s."""


def at(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def quick_calls(calls: Callable[[], Any], n: int = 3) -> float:
    """Seconds taken by ``n`` successful calls, one after the other."""
    started = time.monotonic()
    for _ in range(n):
        assert calls()["errCode"] == 0
    return time.monotonic() - started


def in_background(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    return thread, out


def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_slow_early_refresh_does_not_delay_the_other_calls(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    asked, release = [], threading.Event()

    def provide(appid: Any) -> tuple[str, float]:
        asked.append(appid)
        if len(asked) == 2:
            release.wait(5)  # a slow token service
        return emulator.token, SHORT

    c = make_cloud(accessToken=None, tokenProvider=provide)
    invoke(c, mode, API, SAMPLE)
    at(time.time() + SHORT / 2 + 0.1)  # the advisory window
    leader, result = in_background(lambda: invoke(c, mode, API, SAMPLE))
    until(lambda: len(asked) == 2)
    assert quick_calls(lambda: invoke(c, mode, API, SAMPLE)) < 0.8  # with the current token
    release.set()
    leader.join(10)
    assert result[0]["errCode"] == 0 and len(asked) == 2


def test_a_failing_early_refresh_fails_no_call_until_the_mandatory_window(
    make_cloud: Any, emulator: Emulator, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    asked: list[Any] = []

    def provide(appid: Any) -> tuple[str, float]:
        asked.append(appid)
        if len(asked) > 1:
            raise ValueError(f"vault said no to {EMULATOR_SECRET}")
        return emulator.token, SHORT

    c = make_cloud(accessToken=None, tokenProvider=provide, **APP)  # the provider wins; the secret is known
    invoke(c, mode, API, SAMPLE)
    fetched = time.time()
    at(fetched + SHORT / 2 + 0.1)
    with caplog.at_level(logging.WARNING, logger="cloud.tokens"):
        quick_calls(lambda: invoke(c, mode, API, SAMPLE), 5)
    assert len(asked) == 2  # tried once, not by every call
    (warning,) = caplog.records
    assert "tokenProvider failed: ValueError: vault said no to ***" in warning.getMessage()
    assert EMULATOR_SECRET not in caplog.text
    at(fetched + SHORT * 0.9 + 0.05)  # the mandatory window: callers wait, and the failure is theirs
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE)
    assert info.value.errMsg == f"{FAIL} tokenProvider failed: ValueError: vault said no to ***" and len(asked) == 3
    assert len(api_calls(emulator)) == 6


def test_instances_sharing_redis_refresh_early_without_waiting_or_failing(
    redis_store_url: str, make_cloud: Any, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    asked, release, failing = [], threading.Event(), threading.Event()

    def provide(appid: Any) -> tuple[str, float]:
        asked.append(appid)
        if failing.is_set():
            raise ValueError("vault down")
        if len(asked) == 2:
            release.wait(5)
        return emulator.token, SHORT

    first, second = (make_cloud(accessToken=None, tokenProvider=provide, tokenStore=redis_store_url) for _ in "12")
    call_first = first.sync.openapi.serviceMarket.invokeService
    call_second = second.sync.openapi.serviceMarket.invokeService
    call_first(SAMPLE)
    call_second(SAMPLE)  # the first one's token, from Redis
    at(time.time() + SHORT / 2 + 0.1)
    leader, result = in_background(lambda: call_first(SAMPLE))  # refreshes, holding the store's lock
    until(lambda: len(asked) == 2)
    assert quick_calls(lambda: call_second(SAMPLE)) < 0.8  # no polling the store meanwhile
    release.set()
    leader.join(10)
    assert result[0]["errCode"] == 0 and len(asked) == 2
    call_second(SAMPLE)  # the new token, from Redis
    fetched, failing_from = time.time(), len(asked)
    failing.set()
    at(fetched + SHORT / 2 + 0.1)
    with caplog.at_level(logging.WARNING, logger="cloud.tokens"):
        for _ in range(3):
            assert call_first(SAMPLE)["errCode"] == 0 and call_second(SAMPLE)["errCode"] == 0
    assert 1 <= len(asked) - failing_from <= 2 and len(caplog.records) == len(asked) - failing_from
    at(fetched + SHORT * 0.9 + 0.05)
    for call in (call_first, call_second):
        with pytest.raises(CloudSDKError, match="tokenProvider failed: ValueError"):
            call(SAMPLE)


# --- several appids --------------------------------------------------------------------------


def test_openapi_appid_uses_that_apps_token(make_cloud: Any, two_apps: Emulator, mode: str) -> None:
    c = make_cloud(accessToken=None, credentials={OTHER_APPID: OTHER_SECRET}, **APP)
    invoke(c, mode, API, SAMPLE)
    invoke(c, mode, API, SAMPLE, options=({"appid": OTHER_APPID},))
    invoke(c, mode, API, SAMPLE, options=({"appid": EMULATOR_APPID},))
    assert [r.json()["appid"] for r in two_apps.token_requests()] == [EMULATOR_APPID, OTHER_APPID]
    used = [r.query["access_token"] for r in api_calls(two_apps)]
    assert used == [two_apps.issued_tokens[0], two_apps.issued_tokens[1], two_apps.issued_tokens[0]]


def test_credentials_from_the_environment(monkeypatch: pytest.MonkeyPatch, two_apps: Emulator, api_base: str) -> None:
    monkeypatch.setenv("WX_CREDENTIALS", json.dumps({OTHER_APPID: OTHER_SECRET}))
    c = Cloud()
    c.init(apiBase=api_base, **APP)
    assert c.sync.openapi({"appid": OTHER_APPID}).serviceMarket.invokeService(SAMPLE)["errCode"] == 0


def test_unknown_appid_is_refused_before_io(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    c = make_cloud(accessToken=None, **APP)
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE, options=({"appid": "wxunknown"},))
    assert info.value.errMsg == f"{FAIL} no credentials for appid wxunknown: add it to credentials (WX_CREDENTIALS)"
    assert emulator.requests == []


def test_provider_is_asked_for_other_appids(make_cloud: Any, emulator: Emulator) -> None:
    asked: list[Any] = []

    def provide(appid: Any) -> tuple[str, int]:
        asked.append(appid)
        return emulator.token, 600

    c = make_cloud(accessToken=None, tokenProvider=provide)
    c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    c.sync.openapi({"appid": "wxB"}).serviceMarket.invokeService(SAMPLE)
    assert asked == [None, "wxB"]


# --- the shared store ------------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cloud._client.instance import Cloud

    api_base, store, appid, secret, go = sys.argv[1:6]
    c = Cloud()
    c.init(apiBase=api_base, appid=appid, secret=secret, tokenMode="classic", tokenStore=store)
    while not Path(go).exists():
        time.sleep(0.005)
    for _ in range(5):
        assert c.sync.openapi.serviceMarket.invokeService({sample})["errCode"] == 0
    print("ok")
    """
)


def test_four_processes_sharing_redis_make_one_classic_fetch(
    redis_store_url: str, emulator: Emulator, api_base: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    script = WORKER.replace("{sample}", repr(SAMPLE))
    args = [api_base, redis_store_url, EMULATOR_APPID, EMULATOR_SECRET, str(go)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    import time

    time.sleep(1.0)  # let all four start and import
    go.touch()
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outputs]
    assert len(emulator.token_requests()) == 1
    assert len(api_calls(emulator)) == 20
    assert len({r.query["access_token"] for r in api_calls(emulator)}) == 1


def test_instances_sharing_redis_refresh_once_after_rejection(
    redis_store_url: str, make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    first = make_cloud(accessToken=None, tokenMode="classic", tokenStore=redis_store_url, **APP)
    second = make_cloud(accessToken=None, tokenMode="classic", tokenStore=redis_store_url, **APP)
    invoke(first, mode, API, SAMPLE)
    invoke(second, mode, API, SAMPLE)  # reads the first one's token from Redis
    assert len(emulator.token_requests()) == 1
    emulator.revoke(emulator.issued_tokens[-1])
    invoke(first, mode, API, SAMPLE)  # refreshes, through the store
    invoke(second, mode, API, SAMPLE)  # rejected, finds first's new token in the store: no fetch
    assert len(emulator.token_requests()) == 2


def test_an_older_token_never_overwrites_a_newer_one(redis_store_url: str) -> None:
    from cloud._tokens.model import scheduled
    from cloud._tokens.redis_store import RedisStore

    store = RedisStore(redis_store_url)
    first, second = store.try_lock("k"), None
    assert first is not None and store.try_lock("k") is None  # one holder at a time
    store.unlock("k", first[0])
    second = store.try_lock("k")
    assert second is not None and second[1] > first[1]
    newer = scheduled("newer-token", "access_token", 1e10, 7200)
    older = scheduled("older-token", "access_token", 1e10, 7200)
    assert store.write("k", newer, second[1])
    assert not store.write("k", older, first[1])  # a late write from an earlier lock grant
    read = store.read("k")
    assert read is not None and read.value == "newer-token"


def test_unreachable_store_is_a_cloud_error(make_cloud: Any, emulator: Emulator) -> None:
    from .test_call import unused_port

    url = f"redis://:store-password-123@127.0.0.1:{unused_port()}/0"
    c = make_cloud(accessToken=None, tokenStore=url, **APP)
    with pytest.raises(CloudSDKError) as info:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert info.value.errCode == -501001
    assert "token store redis://:***@127.0.0.1" in info.value.errMsg and "store-password-123" not in info.value.errMsg
    assert "store-password-123" not in repr(c.config)


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:{port}/0?password=pw-SECRET-1",
        "unix://:pw-SECRET-1@{socket}",
        "unix://{socket}?password=pw-SECRET-1",
        "rediss://user:pw-SECRET-1@127.0.0.1:{port}/0",
    ],
)
def test_a_store_password_never_shows(url: str, make_cloud: Any, emulator: Emulator, tmp_path: Path) -> None:
    from .test_call import unused_port

    url = url.format(port=unused_port(), socket=tmp_path / "no-redis.sock")
    c = make_cloud(accessToken=None, tokenStore=url, **APP)
    with pytest.raises(CloudSDKError) as info:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    err = info.value
    assert err.errCode == -501001 and "token store " in err.errMsg and "***" in err.errMsg
    for text in (err.errMsg, str(err), repr(err), repr(c), repr(c.config), repr(c._shared.tokens._store)):
        assert "SECRET" not in text
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("redis://127.0.0.1:badport/0", "tokenStore has a bad host or port: 'redis://127.0.0.1:badport/0'"),
        ("redis://127.0.0.1:6379/0?socket_timeout=soon", "Invalid value for 'socket_timeout'"),
        ("redsi://:pw-SECRET-1@127.0.0.1/0", "got 'redsi://:***@127.0.0.1/0'"),
        ("unix://", "tokenStore unix:// needs the socket's path"),
    ],
)
def test_a_bad_store_url_is_refused_at_init(url: str, fragment: str, emulator: Emulator, api_base: str) -> None:
    with pytest.raises(CloudSDKError) as info:
        Cloud().init(accessToken=None, apiBase=api_base, tokenStore=url, **APP)
    assert info.value.errCode == -501007 and info.value.errMsg.startswith("init:fail -501007 invalid parameters. ")
    assert fragment in info.value.errMsg and "SECRET" not in info.value.errMsg


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


GOOD = {"v": "stored-token-0123456789", "p": "access_token", "e": 4e9, "r": 4e9, "g": 1}


CORRUPT = {
    "invalid-json": "not json",
    "invalid-utf8": b"\xff\xfe",
    "array": "[1, 2]",
    "string": '"a string"',
    "number": "5",
    "null": "null",
    "deep-array": _deep(5000),
    "deep-value": '{"v": ' + _deep(5000) + "}",
    "null-token": json.dumps({**GOOD, "v": None}),
    "object-token": json.dumps({**GOOD, "v": {"a": 1}}),
    "empty-token": json.dumps({**GOOD, "v": ""}),
    "surrogate-token": json.dumps({**GOOD, "v": "tok\ud800en"}),
    "null-param": json.dumps({**GOOD, "p": None}),
    "other-param": json.dumps({**GOOD, "p": "secret"}),
    "string-expiry": json.dumps({**GOOD, "e": "4000000000"}),
    "null-refresh": json.dumps({**GOOD, "r": None}),
    "boolean-expiry": json.dumps({**GOOD, "e": True}),
    "infinite-expiry": '{"v": "stored-token-0123456789", "p": "access_token", "e": Infinity, "r": Infinity}',
    "string-generation": json.dumps({**GOOD, "e": "x", "g": "not a number"}),
    "object-generation": json.dumps({**GOOD, "e": "x", "g": {"nested": [1]}}),
    "redis-list": None,  # another Redis type at the key
}


@pytest.mark.parametrize("corruption", list(CORRUPT))
def test_a_corrupt_stored_token_is_replaced_by_a_fresh_one(
    corruption: str, redis_store_url: str, make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    import redis

    key = f"wxcloud:token:{EMULATOR_APPID}:stable"
    stored = CORRUPT[corruption]
    with redis.Redis.from_url(redis_store_url) as client:
        if stored is None:
            client.rpush(key, "a", "b")
        else:
            client.set(key, stored)
        c = make_cloud(accessToken=None, tokenStore=redis_store_url, **APP)
        assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
        assert len(emulator.token_requests()) == 1
        (call,) = api_calls(emulator)
        assert call.query["access_token"] == emulator.issued_tokens[0]
        written = json.loads(client.get(key))  # the fresh token replaced the corrupt value
        assert written["v"] == emulator.issued_tokens[0] and written["p"] == "access_token"


def test_a_good_stored_token_is_used_as_it_is(
    redis_store_url: str, make_cloud: Any, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the test above: a well-formed stored token is used without a fetch."""
    import redis

    monkeypatch.setattr(emulator, "any_token", True)  # the emulator did not issue the stored token
    with redis.Redis.from_url(redis_store_url) as client:
        client.set(f"wxcloud:token:{EMULATOR_APPID}:stable", json.dumps(GOOD))
    c = make_cloud(accessToken=None, tokenStore=redis_store_url, **APP)
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0
    assert emulator.token_requests() == []
    assert api_calls(emulator)[0].query["access_token"] == GOOD["v"]


# --- secrets ---------------------------------------------------------------------------------


def test_no_secret_or_token_in_logs_or_errors(
    make_cloud: Any, emulator: Emulator, redis_store_url: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    shown: list[str] = []

    def attempt(c: Cloud, mode: str, options: tuple[Any, ...] = ()) -> None:
        try:
            result = invoke(c, mode, API, SAMPLE, options)
            shown.append(json.dumps(result, ensure_ascii=False))
        except CloudSDKError as err:
            shown.extend([str(err), repr(err), err.errMsg, json.dumps(err.to_dict())])
        shown.extend([repr(c), repr(c.config)])

    with caplog.at_level(logging.DEBUG):
        for mode in ("async", "sync"):
            emulator.reset()
            attempt(make_cloud(accessToken=None, **APP), mode)
            attempt(make_cloud(accessToken=None, tokenMode="classic", tokenStore=redis_store_url, **APP), mode)
            attempt(make_cloud(accessToken=None, appid=EMULATOR_APPID, secret="wrong-secret-00000000"), mode)
            attempt(make_cloud(accessToken=None, credentials={"wxb": OTHER_SECRET}, **APP), mode, ({"appid": "wxb"},))
            emulator.reject_tokens = True
            attempt(make_cloud(accessToken=None, **APP), mode)
            emulator.reject_tokens = False
            issued = list(emulator.issued_tokens)
            emulator.revoke(issued[-1])
            attempt(make_cloud(accessToken=None, tokenMode="classic", **APP), mode)
            attempt(make_cloud(accessToken=None, apiBase="http://127.0.0.1:1", **APP), mode)
        for bad in ({"secret": "a\nb-secret-value"}, {"tokenStore": "memcached://:pw-123456789@x"}):
            try:
                Cloud().init(bad)
            except CloudSDKError as err:
                shown.extend([str(err), repr(err)])
    shown.append(caplog.text)
    everything = "\n".join(shown)
    assert "invalid appsecret" in everything and "-501001" in everything  # the scenarios did fail
    secrets_ = [EMULATOR_SECRET, OTHER_SECRET, "wrong-secret-00000000", "b-secret-value", "pw-123456789"]
    for secret in secrets_ + emulator.issued_tokens:
        assert secret not in everything
