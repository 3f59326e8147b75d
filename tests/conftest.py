"""Shared fixtures: a fresh emulator served over real HTTP on 127.0.0.1, and a way to call an API
the same way through the async and the blocking API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cloud._client import platform
from cloud._client.instance import Cloud
from cloud._core.config import ENV_VARS
from cloud.emulator import Emulator, serve

from .parity_cases import NOARG


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No configuration leaks in from the machine or from another test."""
    for name in (*ENV_VARS.values(), "WX_CONTEXT_KEYS", "TCB_ENV", "SCF_NAMESPACE", "CBR_ENV_ID"):
        monkeypatch.delenv(name, raising=False)
    yield
    assert not platform.current(), f"the test left a platform block open: {dict(platform.current())}"


@pytest.fixture(scope="session")
def served_emulator() -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator()
    with serve(emulator) as base:
        yield emulator, base


@pytest.fixture
def emulator(served_emulator: tuple[Emulator, str]) -> Emulator:
    """The emulator behind ``api_base``, with no requests recorded and no replies queued."""
    served_emulator[0].reset()
    return served_emulator[0]


@pytest.fixture
def api_base(emulator: Emulator, served_emulator: tuple[Emulator, str]) -> str:
    """The emulator's address; like ``emulator``, it starts each test with nothing recorded or
    queued (a reply one test queued and did not use would answer the next test's call)."""
    return served_emulator[1]


@pytest.fixture(params=["async", "sync"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_cloud(emulator: Emulator, api_base: str) -> Iterator[Callable[..., Cloud]]:
    """A new initialised instance talking to the emulator over HTTP (options override)."""
    made: list[Cloud] = []

    def make(**options: Any) -> Cloud:
        cloud = Cloud()
        cloud.init({"accessToken": emulator.token, "apiBase": api_base, **options})
        made.append(cloud)
        return cloud

    yield make
    for cloud in made:
        cloud.close()


def invoke(cloud: Cloud, mode: str, path: str, params: Any = NOARG, options: tuple[Any, ...] = ()) -> Any:
    """``cloud.openapi.<path>(params)`` (or ``cloud.sync.openapi...``), awaited when async."""
    namespace = cloud.openapi if mode == "async" else cloud.sync.openapi
    for option in options:
        namespace = namespace(option)
    for segment in path.split("."):
        namespace = getattr(namespace, segment)
    call = namespace if params is NOARG else (lambda: namespace(params))
    if mode == "sync":
        return call()

    async def run() -> Any:
        return await call()

    return asyncio.run(run())


REDIS_SERVER_MISSING = (
    "redis-server is needed for the shared token store tests (the other tests run without it): on Debian or"
    " Ubuntu `apt-get update && apt-get install -y redis-server` (with sudo if not root), on macOS"
    " `brew install redis`"
)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server on 127.0.0.1 for this test session (``.ci/run`` installs it)."""
    import shutil
    import socket
    import subprocess
    import time

    server = shutil.which("redis-server")
    assert server, REDIS_SERVER_MISSING
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline and proc.poll() is None, "redis-server did not start"
            time.sleep(0.05)
    yield url
    client.close()
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def redis_store_url(redis_url: str) -> str:
    """The session's Redis, emptied for this test."""
    import redis

    with redis.Redis.from_url(redis_url) as client:
        client.flushall()
    return redis_url
