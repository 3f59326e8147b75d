"""The local platform's seam (:func:`cloud._client.platform.provided`): what a block provides, and that
everything is as it was after it, the platform and every instance's init/updateConfig state."""

from __future__ import annotations

from pathlib import Path

import pytest

import cloud
from cloud import errors
from cloud._client import platform
from cloud._client.instance import Cloud
from cloud._core.config import DEFAULT_API_BASE, DEFAULT_TIMEOUT
from cloud._run import cli as runner
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
    emulator, defaults = platform.emulated()
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
