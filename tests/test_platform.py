"""The local platform's seam (:func:`cloud._client.platform.provided`): what a block provides, and that
everything is as it was after it, the platform and every instance's init/updateConfig state."""

from __future__ import annotations

from pathlib import Path

import pytest

import cloud
import cloud.sync
from cloud import errors
from cloud._client import platform
from cloud._client.instance import Cloud
from cloud._core.config import DEFAULT_API_BASE, DEFAULT_TIMEOUT
from cloud._run import cli as runner
from cloud._run import local
from cloud.testing import stubbed

OUTER = "http://outer.test"
INNER = "http://inner.test"


def test_nested_blocks_restore_exactly() -> None:
    with platform.provided({"apiBase": OUTER, "timeout": 5}):
        assert platform.current() == {"apiBase": OUTER, "timeout": 5}
        with platform.provided({"apiBase": INNER, "permissions": ["wxacode.get"]}):
            assert platform.current() == {"apiBase": INNER, "timeout": 5, "permissions": ["wxacode.get"]}
        assert platform.current() == {"apiBase": OUTER, "timeout": 5}
    assert platform.current() == {}


def test_sequential_blocks_see_only_their_own() -> None:
    with platform.provided({"apiBase": OUTER}):
        pass
    with platform.provided({"timeout": 5}):
        assert platform.current() == {"timeout": 5}
    assert platform.current() == {}


def test_an_instance_configured_before_follows_the_block_and_returns() -> None:
    configured = Cloud()
    configured.init(accessToken="before-token")
    with platform.provided({"apiBase": OUTER}):
        assert configured.config is not None and configured.config.api_base == OUTER
        with platform.provided({"apiBase": INNER}):
            assert configured.config.api_base == INNER
        assert configured.config.api_base == OUTER
    assert configured.config.api_base == DEFAULT_API_BASE
    assert configured.save_state() == (True, ({"accessToken": "before-token"}, "init"))


def test_an_instance_initialised_inside_is_uninitialised_after() -> None:
    fresh = Cloud()
    before = fresh.save_state()
    with platform.provided({"accessToken": "platform-token"}):
        fresh.init()
        assert fresh.config is not None and fresh.config.access_token == "platform-token"
    assert fresh.save_state() == before == (False, None)
    assert fresh.config is None
    with pytest.raises(errors.CloudSDKError):
        fresh.sync.openapi.wxacode.get({"path": "p"})
    fresh.init()  # init works again: the block's init was undone, not kept
    assert fresh.config is not None and fresh.config.access_token is None


def test_update_config_inside_is_undone() -> None:
    configured = Cloud()
    configured.init(accessToken="before-token")
    with platform.provided({}):
        configured.updateConfig(accessToken="inside-token", timeout=1)
    assert configured.config is not None
    assert (configured.config.access_token, configured.config.timeout) == ("before-token", DEFAULT_TIMEOUT)


def test_an_exception_inside_restores() -> None:
    fresh = Cloud()
    with pytest.raises(ZeroDivisionError), platform.provided({"apiBase": OUTER}):
        fresh.init()
        raise ZeroDivisionError
    assert platform.current() == {}
    assert fresh.save_state() == (False, None)


def test_restore_instances_false_keeps_init_but_not_the_platform() -> None:
    fresh = Cloud()
    with platform.provided({"apiBase": OUTER}, restore_instances=False):
        fresh.init()
    assert platform.current() == {}
    assert fresh.config is not None and fresh.config.api_base == DEFAULT_API_BASE


def test_emulated_defaults_reach_the_emulator() -> None:
    emulator, defaults = local.emulated()
    fresh = Cloud()
    with platform.provided(defaults):
        fresh.init()
        assert fresh.sync.openapi.wxacode.getUnlimited({"scene": "a=1"})["errCode"] == 0
    assert [r.path for r in emulator.requests] == ["/wxa/getwxacodeunlimit"]


INITS_AND_RETURNS = """import cloud
cloud.init()
async def main(event, context):
    return {"inited": cloud._default.config is not None, "permissions": sorted(cloud._default.config.permissions)}
"""


def function_folder(folder: Path) -> Path:
    """A function that calls ``cloud.init()`` at import and returns what it was given."""
    folder.mkdir()
    (folder / "index.py").write_text(INITS_AND_RETURNS)
    (folder / "config.json").write_text('{"permissions": {"openapi": ["wxacode.get"]}}')
    return folder


def test_runner_run_restores_the_platform_and_the_instances(tmp_path: Path) -> None:
    folder = function_folder(tmp_path / "run_restores")
    before = cloud._default.save_state()
    assert runner.run(folder) == '{"inited":true,"permissions":["wxacode.get"]}'
    assert platform.current() == {}
    assert cloud._default.save_state() == before


def test_runner_run_restores_when_the_function_raises(tmp_path: Path) -> None:
    folder = tmp_path / "run_raises"
    folder.mkdir()
    (folder / "index.py").write_text("import cloud\ncloud.init()\ndef main(event, context):\n    raise KeyError\n")
    before = cloud._default.save_state()
    with pytest.raises(KeyError):
        runner.run(folder, api_base=OUTER)
    assert platform.current() == {}
    assert cloud._default.save_state() == before


def test_a_stubbed_block_that_raises_restores_and_the_next_one_opens() -> None:
    before = cloud._default.save_state()
    with pytest.raises(ZeroDivisionError), stubbed():
        cloud.init()
        raise ZeroDivisionError
    assert platform.current() == {}
    assert cloud._default.save_state() == before
    with stubbed() as wx:
        assert wx.calls == []


def test_a_function_run_in_a_stubbed_block_has_its_permissions_only_while_it_runs(tmp_path: Path) -> None:
    folder = function_folder(tmp_path / "permitted_run")
    before = cloud._default.save_state()
    with stubbed() as wx:
        assert wx.run(folder) == {"inited": True, "permissions": ["wxacode.get"]}
        assert "permissions" not in platform.current()
        config = cloud._default.config
        assert config is not None and config.permissions is None, "the function's init stays for the block"
    assert cloud._default.save_state() == before


# The platform lives in a context variable: blocks nest, and concurrent blocks stay apart.


def test_stubbed_blocks_nest_each_answering_its_own_calls() -> None:
    with stubbed() as outer:
        cloud.init()
        outer.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok", "result": {"suggest": "pass"}})
        with stubbed() as inner:
            cloud.init()  # inited in the outer block already: ignored, as a second init is
            cloud.updateConfig(timeout=7)  # the inner block's: its own, gone with it
            inner.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok", "result": {"suggest": "risky"}})
            got = cloud.sync.openapi.security.msgSecCheck({"content": "a"})
            assert got["result"]["suggest"] == "risky" and cloud._default.config.timeout == 7  # type: ignore[union-attr]
        got = cloud.sync.openapi.security.msgSecCheck({"content": "a"})
        assert got["result"]["suggest"] == "pass" and cloud._default.config.timeout == DEFAULT_TIMEOUT  # type: ignore[union-attr]
        assert (len(outer.calls), len(inner.calls)) == (1, 1)
    assert platform.current() == {}


def test_two_concurrent_tests_with_different_platforms_stay_apart() -> None:
    import threading

    before = cloud._default.save_state()
    both_open, first_closed = threading.Barrier(2, timeout=10), threading.Event()
    seen: dict[str, object] = {}

    def a_test(name: str, suggest: str, timeout: int) -> None:
        try:
            with stubbed() as wx:
                cloud.init(timeout=timeout)
                wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok", "result": {"suggest": suggest}})
                both_open.wait()
                if name == "second":
                    assert first_closed.wait(10)  # the other block has ended: this one's init must stand
                got = cloud.sync.openapi.security.msgSecCheck({"content": name})
                seen[name] = (got["result"]["suggest"], cloud._default.config.timeout, [c.body for c in wx.calls])  # type: ignore[union-attr]
        except BaseException as exc:  # the thread's failure is the test's
            seen[name] = exc
        finally:
            if name == "first":
                first_closed.set()

    threads = [threading.Thread(target=a_test, args=args) for args in (("first", "pass", 4), ("second", "risky", 9))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert seen == {
        "first": ("pass", 4, [{"content": "first"}]),
        "second": ("risky", 9, [{"content": "second"}]),
    }
    assert cloud._default.save_state() == before  # each block's init was its own


def test_concurrent_tasks_in_their_own_blocks_stay_apart() -> None:
    import asyncio

    async def a_test(suggest: str) -> str:
        async with stubbed() as wx:
            cloud.init()
            wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok", "result": {"suggest": suggest}})
            await asyncio.sleep(0.01)  # the other task runs in between
            got = await cloud.openapi.security.msgSecCheck({"content": suggest})
            assert len(wx.calls) == 1
            return str(got["result"]["suggest"])

    async def both() -> list[str]:
        return list(await asyncio.gather(a_test("pass"), a_test("risky")))

    assert asyncio.run(both()) == ["pass", "risky"]


SLOW_CALLEE = """import cloud, cloud.sync, wx_platform_gate as gate
cloud.init()
def main(event, context):
    gate.callee_inited.set()
    assert gate.callee_go.wait(10)
    return cloud.sync.openapi.wxacode.getUnlimited({"scene": "a=1"})["errCode"]
"""
CALLBACK = """import cloud, wx_platform_gate as gate
def main(event, context):
    gate.callback_entered.set()
    assert gate.callback_go.wait(10)
    cloud.init()
    return {"errcode": 0}
"""


def test_a_function_run_ending_does_not_undo_the_init_of_one_still_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A payment callback that started before a called function and ends while it runs (the
    emulator runs both in-process) leaves the callee's ``init`` in place."""
    import sys
    import threading
    import types

    gate = types.SimpleNamespace(**{name: threading.Event() for name in
                                    ("callee_inited", "callee_go", "callback_entered", "callback_go")})  # fmt: skip
    monkeypatch.setitem(sys.modules, "wx_platform_gate", gate)  # type: ignore[arg-type]
    for name, source in (("callee", SLOW_CALLEE), ("callback", CALLBACK)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.py").write_text(source)
    emulator, defaults = local.emulated()
    results: dict[str, object] = {}

    def run(name: str) -> None:
        try:
            results[name] = runner.run(tmp_path / name, defaults=defaults)
        except BaseException as exc:
            results[name] = exc

    callback = threading.Thread(target=run, args=("callback",))
    callback.start()
    assert gate.callback_entered.wait(10)
    callee = threading.Thread(target=run, args=("callee",))
    callee.start()
    assert gate.callee_inited.wait(10)
    gate.callback_go.set()
    callback.join(10)
    gate.callee_go.set()
    callee.join(10)
    assert results == {"callback": '{"errcode":0}', "callee": "0"}
    assert [r.path for r in emulator.requests] == ["/wxa/getwxacodeunlimit"]


def test_a_ported_functions_own_thread_sees_the_platform_under_cloud_run(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "threads").mkdir()
    (tmp_path / "threads" / "index.py").write_text(
        "import threading\nimport cloud\nimport cloud.sync\ncloud.init()\n\ndef main(event, context):\n    out = []\n"
        "    worker = threading.Thread(target=lambda: out.append(cloud.sync.openapi.wxacode.getUnlimited("
        "{'scene': 'a=1'})['errCode']))\n    worker.start()\n    worker.join(10)\n    return out\n"
    )
    clean = {k: v for k, v in __import__("os").environ.items() if not k.startswith("WX_")}
    proc = subprocess.run([sys.executable, "-m", "cloud", "run", str(tmp_path / "threads")], capture_output=True,
                          text=True, env=clean, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[0]"
