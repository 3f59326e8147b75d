"""The async shell's deadlines: one watchdog per event loop cancels the exchanges that outlive
theirs, and leaves every other cancellation to whoever asked for it."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import httpx
import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud._core.deadlines import Watchdog
from cloud.emulator import Emulator, Scripted

from .test_call import SAMPLE

SLOW = Scripted(200, {"errcode": 0, "errmsg": "ok", "data": "late"}, delay=2.0)


class Deaf(httpx.AsyncBaseTransport):
    """A transport that takes no notice of the timeouts it is given (only the watchdog stops it)."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        raise AssertionError("the watchdog let the exchange run on")


def deaf_cloud(timeout: float) -> Cloud:
    cloud = Cloud()
    cloud.init(accessToken="token", transport=Deaf(), timeout=timeout, retry="off")
    return cloud


def call(cloud: Any) -> Any:
    return cloud.openapi.serviceMarket.invokeService(SAMPLE)


def test_a_transport_deaf_to_timeouts_is_stopped_at_the_deadline() -> None:
    async def main() -> float:
        started = time.monotonic()
        with pytest.raises(CloudSDKError) as info:
            await call(deaf_cloud(0.3))
        assert info.value.errCode == -501002 and "request timeout" in info.value.errMsg
        return time.monotonic() - started

    took = asyncio.run(main())
    assert 0.3 <= took < 1.0


def test_a_late_reply_over_http_fails_at_the_deadline(make_cloud: Any, emulator: Emulator) -> None:
    emulator.enqueue(SLOW)
    cloud = make_cloud(timeout=0.3, retry="off")

    async def main() -> float:
        started = time.monotonic()
        with pytest.raises(CloudSDKError) as info:
            await call(cloud)
        assert info.value.errCode == -501002
        return time.monotonic() - started

    assert asyncio.run(main()) < 1.0


def test_calls_in_flight_each_keep_their_own_deadline() -> None:
    slow, quick = deaf_cloud(1.2), deaf_cloud(0.3)

    async def timed(cloud: Any) -> float:
        started = time.monotonic()
        with pytest.raises(CloudSDKError):
            await call(cloud)
        return time.monotonic() - started

    async def main() -> list[float]:
        first = asyncio.ensure_future(timed(slow))
        await asyncio.sleep(0.05)
        return [*await asyncio.gather(timed(quick), timed(quick)), await first]

    quick_one, quick_two, slow_one = asyncio.run(main())
    assert quick_one < 0.9 and quick_two < 0.9
    assert 1.2 <= slow_one < 1.9


def test_the_watchdog_moves_its_timer_to_an_earlier_deadline() -> None:
    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        dog = Watchdog(loop)
        ended: list[str] = []

        async def wait(name: str, seconds: float) -> None:
            task = asyncio.current_task()
            assert task is not None
            dog.enter(task, seconds)
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                ended.append(f"{name} late={dog.left(task)}")
                return
            dog.left(task)

        far, near = asyncio.ensure_future(wait("far", 0.6)), asyncio.ensure_future(wait("near", 0.1))
        await asyncio.sleep(0.3)
        assert ended == ["near late=True"] and not far.done()
        await asyncio.gather(far, near)
        dog.close()
        return ended

    assert asyncio.run(main()) == ["near late=True", "far late=True"]


def test_a_call_left_in_time_is_never_cancelled_later() -> None:
    async def main() -> bool:
        dog = Watchdog(asyncio.get_running_loop())
        task = asyncio.current_task()
        assert task is not None
        dog.enter(task, 0.05)
        assert dog.left(task) is False
        await asyncio.sleep(0.15)  # past the deadline: a cancel here would raise
        return dog.left(task)

    assert asyncio.run(main()) is False


def test_the_callers_cancel_goes_on() -> None:
    cloud = deaf_cloud(5)

    async def main() -> float:
        task = asyncio.ensure_future(call(cloud))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - started

    assert asyncio.run(main()) < 0.5


def test_the_callers_own_timeout_is_theirs() -> None:
    cloud = deaf_cloud(5)

    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(call(cloud), 0.2)

    asyncio.run(main())


@pytest.mark.skipif(sys.version_info < (3, 11), reason="Python 3.10 tasks do not count cancellations")
def test_a_cancel_that_comes_with_the_deadline_is_not_swallowed() -> None:
    """The watchdog and the caller cancel the task in the same turn of the loop: the call ends
    cancelled, not with a timeout error the caller would have to catch."""
    cloud = deaf_cloud(0.2)

    async def main() -> None:
        task = asyncio.ensure_future(call(cloud))
        await asyncio.sleep(0.1)  # the request is out; the watchdog is due at 0.25 s
        asyncio.get_running_loop().call_later(0.16, task.cancel)
        time.sleep(0.4)  # the loop is held past both: they run in one turn, before the task
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())


def test_a_call_after_a_late_one_is_not_cancelled() -> None:
    """The first call is cut at its deadline and the task goes on: nothing of the watchdog's
    cancel is left over for the task's next awaits."""

    class DeafOnce(Deaf):
        heard = False

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if not self.heard:
                self.heard = True
                return await super().handle_async_request(request)
            return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})

    cloud = Cloud()
    cloud.init(accessToken="token", transport=DeafOnce(), timeout=0.3, retry="off")

    async def main() -> dict[str, Any]:
        with pytest.raises(CloudSDKError):
            await call(cloud)
        await asyncio.sleep(0.5)  # past the first call's deadline
        return await call(cloud)  # type: ignore[no-any-return]

    assert asyncio.run(main())["errCode"] == 0


class WrongStream(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """Answers the async shell with a blocking-only stream and the blocking shell with an async-only one."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        class Later(httpx.AsyncByteStream):
            async def __aiter__(self) -> Any:
                yield b"{}"

        return httpx.Response(200, headers={"content-type": "application/json"}, stream=Later())

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        class Now(httpx.SyncByteStream):
            def __iter__(self) -> Any:
                yield b"{}"

        return httpx.Response(200, headers={"content-type": "application/json"}, stream=Now())


def test_a_transport_answering_with_the_wrong_kind_of_stream_fails_the_call_clearly() -> None:
    cloud = Cloud()
    cloud.init(accessToken="token", transport=WrongStream(), retry="off")
    with pytest.raises(CloudSDKError) as info:
        asyncio.run(call(cloud))
    assert info.value.errCode == -501001 and "not a AsyncByteStream" in info.value.errMsg
    with pytest.raises(CloudSDKError) as info:
        call(cloud.sync)
    assert info.value.errCode == -501001 and "not a SyncByteStream" in info.value.errMsg
