"""The library under attack: fork, many event loops, a flood of waiters on a failed token fetch,
tracebacks with locals, servers that drip or echo secrets, pools closed under calls in flight.

Hostile servers run in their own process (tests/hostile_server.py) so that forking this process
forks no server thread. Linux only (fork, /proc, RLIMIT_NOFILE)."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import cloud
from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator, Scripted

from .conftest import invoke
from .test_call import SAMPLE

HERE = Path(__file__).parent
SECRET = "hostile-secret-abcdefghijklmnop"
TOKEN = "hostile-token-0123456789"
STATIC = "static-token-zyxwvutsrqponm"


def start(mode: str) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(HERE / "hostile_server.py"), mode], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{proc.stdout.readline().strip()}"
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def echo_server() -> Iterator[str]:
    yield from start("echo")


@pytest.fixture
def drip_server() -> Iterator[str]:
    yield from start("drip")


@pytest.fixture
def mirror_server() -> Iterator[str]:
    yield from start("mirror")


def _echo_call(c: Cloud, tag: str) -> str:
    result = c.sync.openapi.serviceMarket.invokeService({**SAMPLE, "clientMsgId": tag})
    return str(result["echo"])


_forked: Cloud | None = None


def _calls_in_child(worker: int) -> list[tuple[str, str]]:
    assert _forked is not None
    tags = [f"child-{os.getpid()}-{worker}-{i}" for i in range(20)]
    return [(tag, _echo_call(_forked, tag)) for tag in tags]


def test_after_fork_no_reply_crosses_between_parent_and_children(echo_server: str) -> None:
    global _forked
    _forked = Cloud()
    _forked.init(accessToken=STATIC, apiBase=echo_server, timeout=10, retry="off")
    assert _echo_call(_forked, "warm") == "warm"  # the parent now holds a pooled keep-alive connection
    context = multiprocessing.get_context("fork")
    with context.Pool(4) as pool:
        pending = pool.map_async(_calls_in_child, range(8))
        parent = [(f"parent-{i}", _echo_call(_forked, f"parent-{i}")) for i in range(40)]
        children = [pair for chunk in pending.get(timeout=60) for pair in chunk]
    crossed = [(sent, got) for sent, got in parent + children if sent != got]
    assert len(children) == 160 and crossed == []
    _forked.close()


def test_a_fork_while_another_thread_fetches_the_token_does_not_strand_the_child(echo_server: str) -> None:
    c = Cloud()
    c.init(appid="wxhostile", secret=SECRET, apiBase=echo_server, timeout=8, retry="off")
    leader = threading.Thread(target=_echo_call, args=(c, "leader"))
    leader.start()  # its token fetch takes 2 s (hostile_server.SLOW_TOKEN)
    time.sleep(0.5)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the leading thread is not here; it must fetch its own token
        try:
            outcome = _echo_call(c, "child")
        except BaseException as exc:
            outcome = repr(exc)
        os.write(write, outcome.encode()[:500])
        os._exit(0)
    os.close(write)
    started = time.monotonic()
    with os.fdopen(read) as pipe:
        child_said = pipe.read()
    os.waitpid(pid, 0)
    leader.join()
    assert child_said == "child"
    assert time.monotonic() - started < 6, "the child did not wait out the parent's fetch"


RUNS = textwrap.dedent(
    """
    import asyncio, gc, json, os, resource, sys
    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    import cloud
    cloud.init(accessToken="emulator-access-token", apiBase=sys.argv[1])
    sample = json.loads(sys.argv[4])

    async def one():
        return (await cloud.openapi.serviceMarket.invokeService(sample))["errCode"]

    for i in range(int(sys.argv[2])):
        if sys.argv[3] == "run":
            assert asyncio.run(one()) == 0
        else:  # a loop closed by hand, without shutting down its async generators
            loop = asyncio.new_event_loop()
            assert loop.run_until_complete(one()) == 0
            loop.close()
    gc.collect()  # a pool left by a loop closed by hand is closed by the collector: count after it runs
    print(len(os.listdir("/proc/self/fd")), len(cloud._default._async_pools))
    """
)


@pytest.mark.parametrize(("how", "runs"), [("run", 1000), ("by-hand", 300)])
def test_event_loops_come_and_go_without_leaking_descriptors(api_base: str, how: str, runs: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUNS, api_base, str(runs), how, json.dumps(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    descriptors, pools = map(int, done.stdout.split())
    assert descriptors < 20 and pools <= 1


def test_one_failed_token_fetch_gives_each_waiter_its_own_short_error(
    emulator: Emulator, api_base: str, caplog: pytest.LogCaptureFixture
) -> None:
    c = Cloud()
    c.init(appid=EMULATOR_APPID, secret="not-the-secret-12345", apiBase=api_base, retry="off")

    async def flood() -> list[BaseException]:
        calls = [c.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(200)]
        return await asyncio.gather(*calls, return_exceptions=True)

    with caplog.at_level(logging.DEBUG):
        errors = asyncio.run(flood())
        gc.collect()
    assert all(isinstance(e, CloudSDKError) and e.errCode == 40125 for e in errors)
    assert len({id(e) for e in errors}) == 200
    assert len({id(e.__context__) for e in errors if e.__context__ is not None}) == 200 - errors.count(None)
    longest = max(len(traceback.format_exception(e)) for e in errors)
    assert longest < 60, f"a traceback of {longest} lines"
    assert not [r for r in caplog.records if "never retrieved" in r.getMessage()]
    assert len(emulator.token_requests()) == 1


def _shown(err: BaseException) -> str:
    """Everything a traceback with locals shows, the chain included (as Sentry or pytest -l would)."""
    return "".join(traceback.TracebackException.from_exception(err, capture_locals=True).format())


def test_tracebacks_with_locals_show_no_secret(emulator: Emulator, api_base: str, mode: str) -> None:
    c = Cloud()
    c.init(appid=EMULATOR_APPID, secret=EMULATOR_SECRET, apiBase=api_base, retry="off",
           credentials={"wxother": "other-secret-0987654321"})  # fmt: skip
    shown = []
    for stub in (Scripted(body={"errcode": 45009, "errmsg": "quota"}), Scripted(status=503), Scripted(body="not json")):
        emulator.stub("serviceMarket.invokeService", stub)
        with pytest.raises(CloudSDKError) as info:
            invoke(c, mode, "serviceMarket.invokeService", SAMPLE)
        shown.append(_shown(info.value))
    for text in shown:
        assert "config = Config(" in text and "shared = Shared(" in text  # the locals are there
        for secret in (EMULATOR_SECRET, _sent_token(emulator), "other-secret-0987654321"):
            assert secret not in text


def _sent_token(emulator: Emulator) -> str:
    return next(r.query["access_token"] for r in emulator.requests if r.path == "/wxa/servicemarket")


def test_no_object_of_the_library_shows_a_secret_in_its_repr(emulator: Emulator, api_base: str) -> None:
    c = Cloud()
    c.init(appid=EMULATOR_APPID, secret=EMULATOR_SECRET, apiBase=api_base, credentials={"wxo": "other-secret-0987"})
    c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    asyncio.run(c.openapi.serviceMarket.invokeService(SAMPLE))
    token_value = _sent_token(emulator)
    ours = [o for o in gc.get_objects() if type(o).__module__.startswith("cloud.") and not isinstance(o, type)]
    ours = [o for o in ours if not type(o).__module__.startswith("cloud.emulator")]  # the test double's own
    shown = [repr(o) for o in ours]
    assert len(shown) > 50
    leaks = [text for text in shown if EMULATOR_SECRET in text or token_value in text or "other-secret" in text]
    assert leaks == []


def test_no_attribute_of_an_instance_shows_a_secret(emulator: Emulator, api_base: str) -> None:
    called, given = Cloud(), Cloud()
    called.init(appid=EMULATOR_APPID, secret=EMULATOR_SECRET, apiBase=api_base, credentials={"wxo": "other-secret-09"})
    called.sync.openapi.serviceMarket.invokeService(SAMPLE)
    given.init(accessToken="given-token-0123", tokenStore="redis://:store-password-42@127.0.0.1:1/0")
    shown = "".join(repr(vars(c)) + "".join(repr(vars(s)) for s in c._settled.values()) for c in (called, given))
    for secret in (EMULATOR_SECRET, _sent_token(emulator), "other-secret-09", "store-password-42", "given-token-0123"):
        assert secret not in shown, secret


def test_a_mistyped_store_url_is_not_echoed_with_its_password() -> None:
    for url in ("redis//:PASSWORD-1@host:6379", "redis:/:PASSWORD-1@host", "PASSWORD-1@host"):
        with pytest.raises(CloudSDKError) as caught:
            Cloud().init(accessToken="t", tokenStore=url)
        assert caught.value.errCode == -501007 and "PASSWORD-1" not in str(caught.value), url


def test_the_kits_call_records_show_no_secret_a_port_sent_in_its_params() -> None:
    from cloud.testing import stubbed

    with stubbed() as wx:
        c = Cloud()
        c.init()
        c.sync.openapi.security.msgSecCheck({"content": "x", "secret": "port-secret-77", "appsecret": "port-secret-78"})
        call = wx.calls[-1]
        assert call.body["secret"] == "port-secret-77"  # the value itself stays for assertions
        assert "port-secret-77" not in repr(call) and "port-secret-78" not in repr(wx.calls)


def test_errors_never_repeat_a_secret_the_server_echoes(mirror_server: str) -> None:
    c = Cloud()
    c.init(appid="wxmirror", secret=SECRET, apiBase=mirror_server, retry="off")
    with pytest.raises(CloudSDKError) as fetch:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert fetch.value.errCode == 40125 and "invalid appsecret" in fetch.value.errMsg
    c = Cloud()
    c.init(accessToken=STATIC, apiBase=mirror_server, retry="off", credentials={"wxother": SECRET})
    with pytest.raises(CloudSDKError) as echoed:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert echoed.value.errCode == 48001
    with pytest.raises(CloudSDKError) as page:
        c.sync.openapi.security.msgSecCheck({"content": f"my secret is {SECRET}"})
    assert page.value.errCode == -601001 and "bad gateway" in page.value.errMsg
    for err in (fetch.value, echoed.value, page.value):
        text = f"{err} {err.errMsg} {err!r} {err.args}"
        assert SECRET not in text and STATIC not in text and "***" in text


def test_a_blocking_call_to_a_dripping_server_ends_at_its_deadline(drip_server: str, mode: str) -> None:
    c = Cloud()
    c.init(accessToken=STATIC, apiBase=drip_server, timeout=2, retry="off")
    started = time.monotonic()
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, "serviceMarket.invokeService", SAMPLE)
    assert info.value.errCode == -501002
    assert time.monotonic() - started < 3


def test_close_and_update_config_let_calls_in_flight_finish(emulator: Emulator, api_base: str) -> None:
    emulator.stub("serviceMarket.invokeService", Scripted(body={"errcode": 0, "data": "late"}, delay=0.5))
    c = Cloud()
    c.init(accessToken=emulator.token, apiBase=api_base, retry="off", timeout=5)

    def interrupt() -> None:
        time.sleep(0.2)
        c.close()
        c.updateConfig(accessToken=emulator.token, apiBase=api_base, retry="off", timeout=5, maxConnections=7)

    with ThreadPoolExecutor(9) as pool:
        interrupting = pool.submit(interrupt)
        results = list(pool.map(lambda _: c.sync.openapi.serviceMarket.invokeService(SAMPLE)["data"], range(8)))
        interrupting.result()
    assert results == ["late"] * 8
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["data"] == "late"

    async def in_flight_then_aclose() -> list[Any]:
        calls = [asyncio.ensure_future(c.openapi.serviceMarket.invokeService(SAMPLE)) for _ in range(8)]
        await asyncio.sleep(0.2)
        await c.aclose()
        c.updateConfig(accessToken=emulator.token, apiBase=api_base, retry="off", timeout=5, maxConnections=3)
        return [r["data"] for r in await asyncio.gather(*calls)]

    assert asyncio.run(in_flight_then_aclose()) == ["late"] * 8
    c.close()


def test_a_flood_on_an_unreachable_token_endpoint_logs_little() -> None:
    """200 callers waiting on one fetch that cannot connect: asyncio logs nothing about futures."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("asyncio").addHandler(handler)
    try:
        c = cloud.createNewInstance(appid="wxnobody", secret="nobody-secret-123456789", apiBase="http://127.0.0.1:9",
                                    retry="off", timeout=2)  # fmt: skip

        async def flood() -> list[BaseException]:
            calls = [c.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(200)]
            return await asyncio.gather(*calls, return_exceptions=True)

        errors = asyncio.run(flood())
        gc.collect()
    finally:
        logging.getLogger("asyncio").removeHandler(handler)
    assert all(isinstance(e, CloudSDKError) and e.errCode == -501001 for e in errors)
    assert stream.getvalue().count("\n") < 200


def test_a_token_store_that_never_answers_costs_no_more_than_the_timeout(api_base: str, mode: str) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        c = Cloud()
        c.init(appid=EMULATOR_APPID, secret=EMULATOR_SECRET, apiBase=api_base, timeout=1,
               tokenStore=f"redis://127.0.0.1:{silent.getsockname()[1]}/0")  # fmt: skip
        started = time.monotonic()
        with pytest.raises(CloudSDKError) as info:
            invoke(c, mode, "serviceMarket.invokeService", SAMPLE)
        took = time.monotonic() - started
    assert info.value.errCode == -501002 and "token store did not answer in time" in info.value.errMsg
    assert took < 1.5
