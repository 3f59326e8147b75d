"""The testing kit's end-of-block checks: a strict refusal the function caught fails the block (or
the test) without ``check_strict()``; ``times=`` stubs not used up fail it when asked to."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from cloud.testing import stubbed

from .test_testing import FUNCTION, write_function

pytest_plugins = ["pytester"]


@pytest.fixture
def function_file(tmp_path: Path) -> Path:
    return write_function(tmp_path, "check", FUNCTION)


def test_leaving_a_strict_block_fails_after_a_refusal_the_function_caught(function_file: Path) -> None:
    with pytest.raises(AssertionError, match=r"strict mode: called without a stub: security\.msgSecCheck"):
        with stubbed(strict=True) as wx:
            assert wx.run(function_file, {"text": "x"}) == {"caught": 48001}  # caught: the block still fails
    with stubbed(strict=True) as wx:  # nothing refused: nothing raised
        wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok"})
        assert wx.run(function_file, {"text": "x"})["errCode"] == 0


def test_leaving_an_async_strict_block_fails_too(function_file: Path) -> None:
    async def block() -> None:
        async with stubbed() as wx:
            wx.strict = True  # switched on inside the block counts as well
            assert await wx.arun(function_file, {"text": "x"}) == {"caught": 48001}

    with pytest.raises(AssertionError, match="called without a stub"):
        asyncio.run(block())


def test_a_refusal_reported_by_check_strict_is_not_reported_again(function_file: Path) -> None:
    with stubbed(strict=True) as wx:
        wx.run(function_file, {"text": "x"})
        with pytest.raises(AssertionError, match="called without a stub"):
            wx.check_strict()
        wx.check_strict()  # reported once
    with pytest.raises(AssertionError, match="called without a stub"):
        with stubbed(strict=True) as wx:
            wx.run(function_file, {"text": "x"})
            with pytest.raises(AssertionError):
                wx.check_strict()
            wx.run(function_file, {"text": "y"})  # a new refusal after the check: the block's end says so


def test_an_exception_leaving_the_block_is_not_replaced_by_the_checks(function_file: Path) -> None:
    with pytest.raises(KeyError, match="mine"), stubbed(strict=True, check_pending=True) as wx:
        wx.stub("security.msgSecCheck", error=87014, times=2)
        wx.strict = True
        wx.stub("wxacode.getUnlimited", error=1, times=1)
        raise KeyError("mine")


def test_assert_no_pending_stubs_names_what_was_not_used(function_file: Path) -> None:
    with stubbed() as wx:
        wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok"})  # standing: never pending
        wx.assert_no_pending_stubs()
        wx.stub("security.msgSecCheck", error=87014, times=2)
        wx.stub("wxacode.getUnlimited", status=502, times=1)
        assert wx.run(function_file, {"text": "x"}) == {"caught": 87014}
        with pytest.raises(AssertionError) as failed:
            wx.assert_no_pending_stubs()
        message = str(failed.value)
        assert message == "stubs not used up: security.msgSecCheck (1 reply left), wxacode.getUnlimited (1 reply left)"
        assert wx.run(function_file, {"text": "x"}) == {"caught": 87014}
        with pytest.raises(AssertionError, match=r"^stubs not used up: wxacode.getUnlimited \(1 reply left\)$"):
            wx.assert_no_pending_stubs()
    # not asked for: the block's end does not check pending stubs


def test_check_pending_fails_the_block_when_a_counted_stub_is_left(function_file: Path) -> None:
    with pytest.raises(AssertionError, match=r"stubs not used up: security.msgSecCheck \(2 replies left\)"):
        with stubbed(check_pending=True) as wx:
            wx.stub("security.msgSecCheck", error=87014, times=3)
            wx.run(function_file, {"text": "x"})
    with stubbed(check_pending=True) as wx:
        wx.stub("security.msgSecCheck", error=87014, times=1)
        assert wx.run(function_file, {"text": "x"}) == {"caught": 87014}


def test_the_fixture_checks_pending_stubs_when_asked(pytester: pytest.Pytester) -> None:
    (pytester.mkdir("check") / "index.py").write_text(FUNCTION)
    pytester.makeini("[pytest]\ncloud_check_pending = true\n")
    pytester.makepyfile(
        test_check="""
        def test_used_up(wx):
            wx.stub("security.msgSecCheck", error=87014, times=1)
            assert wx.run("check", {"text": "a"}) == {"caught": 87014}

        def test_left_over(wx):
            wx.stub("security.msgSecCheck", error=87014, times=2)
            assert wx.run("check", {"text": "a"}) == {"caught": 87014}

        def test_failing_body_reported_once(wx):
            wx.stub("security.msgSecCheck", error=87014, times=2)
            assert False, "the body's own failure"

        def test_turned_off_here(wx):
            wx.check_pending = False
            wx.stub("security.msgSecCheck", error=87014, times=2)
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=2)  # no errors: nothing reported again at teardown
    result.stdout.fnmatch_lines(["*stubs not used up: security.msgSecCheck (1 reply left)*"])
    result.stdout.fnmatch_lines(["*the body's own failure*"])


def test_the_fixture_leaves_pending_stubs_alone_by_default(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_check="""
        def test_left_over(wx):
            wx.stub("security.msgSecCheck", error=87014, times=2)

        def test_asked_here(wx):
            wx.check_pending = True
            wx.stub("security.msgSecCheck", error=87014, times=2)

        def test_asked_explicitly(wx):
            wx.stub("security.msgSecCheck", error=87014, times=2)
            wx.assert_no_pending_stubs()
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)


DROPPING = """import cloud

cloud.init()


async def main(event, context):
    cloud.openapi.security.msgSecCheck({"content": "x"})
    return {"sent": True}
"""


def test_a_call_left_without_await_fails_wx_run_naming_the_line(tmp_path: Path) -> None:
    """As ``python -m cloud run`` reports it: in Node the request would have gone; here it never ran."""
    path = write_function(tmp_path, "drop", DROPPING)
    expected = f"{path}:7: a call was not awaited, so it never ran (did you forget await?)"
    with stubbed() as wx:
        with pytest.raises(AssertionError) as failed:
            wx.run(path)
        assert str(failed.value) == expected
        wx.assert_not_called("security.msgSecCheck")

    async def from_async() -> None:
        async with stubbed() as wx:
            with pytest.raises(AssertionError, match="a call was not awaited"):
                await wx.arun(path.parent)

    asyncio.run(from_async())
    path.write_text(DROPPING.replace("    cloud.openapi", "    await cloud.openapi"))
    with stubbed() as wx:  # awaited: it ran, and nothing is reported
        assert wx.run(path) == {"sent": True}
        wx.assert_called("security.msgSecCheck", times=1)


def test_a_call_returned_without_await_fails_wx_run_naming_the_line(tmp_path: Path) -> None:
    """Node's async ``main`` waits for a promise it returns (``return cloud.openapi.x()``); a
    Python ``main`` hands the coroutine back unawaited, so the call never ran."""
    source = DROPPING.replace('    return {"sent": True}\n', "").replace("    cloud", "    return cloud")
    path = write_function(tmp_path, "give", source)
    expected = f"{path}:7: main returned a call in the result that was not awaited, so it never ran "
    expected += "(did you forget await?)"
    with stubbed() as wx:
        with pytest.raises(AssertionError) as failed:
            wx.run(path)
        assert str(failed.value) == expected
        wx.assert_not_called("security.msgSecCheck")

    async def from_async() -> None:
        async with stubbed() as wx:
            with pytest.raises(AssertionError, match=r":7: main returned a call in the result that was not awaited"):
                await wx.arun(path.parent)

    asyncio.run(from_async())


STUCK = """\
import asyncio, time

async def main(event, context):
    if event.get("how") == "blocks":
        time.sleep(30)
    await asyncio.sleep(30)
"""


@pytest.mark.parametrize("how", ["blocks", "awaits"])
def test_a_main_past_its_time_limit_fails_wx_run_instead_of_hanging_the_test(tmp_path: Path, how: str) -> None:
    """The cloud stops a function at its config.json ``timeout`` (else 3 s); so does the kit."""
    path = write_function(tmp_path, "stuck", STUCK)
    (path.parent / "config.json").write_text('{"timeout": 1}')
    started = time.monotonic()
    with stubbed() as wx:
        with pytest.raises(AssertionError, match=r"main did not return within 1 s, where the cloud stops it"):
            wx.run(path, {"how": how})
    assert time.monotonic() - started < 3

    async def from_async() -> None:
        async with stubbed() as wx:
            with pytest.raises(AssertionError, match=r"within 1 s"):
                await wx.arun(path.parent, {"how": "awaits"})

    started = time.monotonic()
    asyncio.run(from_async())
    assert time.monotonic() - started < 3


def test_a_main_raising_its_own_timeout_error_is_not_taken_for_the_time_limit(tmp_path: Path) -> None:
    path = write_function(tmp_path, "own", "def main(event, context):\n    raise TimeoutError('mine')\n")
    with stubbed() as wx, pytest.raises(TimeoutError, match="mine"):
        wx.run(path)
