"""The testing kit: the pytest plugin (run on example test files with pytester), the stubbed()
context manager, scenario files, and the emulator's control endpoint."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import cloud
import cloud.sync as cloud_sync
from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator, ScenarioError, load_scenario, serve
from cloud.emulator import server as emulator_server
from cloud.emulator.server import spawn
from cloud.testing import stubbed

pytest_plugins = ["pytester"]

FUNCTION = """
import cloud

cloud.init()


async def main(event, context):
    try:
        return await cloud.openapi.security.msgSecCheck({"content": event["text"], "openId": "o1"})
    except cloud.CloudSDKError as err:
        return {"caught": err.errCode}
"""


@pytest.fixture
def function_dir(pytester: pytest.Pytester) -> Path:
    folder = pytester.mkdir("check")
    (folder / "index.py").write_text(FUNCTION)
    return folder


def test_a_test_with_a_stub_and_a_right_body_passes(pytester: pytest.Pytester, function_dir: Path) -> None:
    pytester.makepyfile(
        test_check="""
        def test_risky_text(wx):
            wx.stub("security.msgSecCheck", error=87014, errmsg="risky content")
            assert wx.run("check", {"text": "bad"}) == {"caught": 87014}
            wx.assert_called("security.msgSecCheck", body={"content": "bad", "open_id": "o1"}, times=1)

        def test_ok_text(wx):
            wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok"})
            result = wx.run("check", {"text": "fine"})
            assert result == {"errCode": 0, "errMsg": "openapi.security.msgSecCheck:ok"}
            assert [c.api for c in wx.calls] == ["security.msgSecCheck"]
            assert wx.calls[0].query == {"access_token": "***"}
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_a_wrong_expected_body_fails_with_a_readable_diff(pytester: pytest.Pytester, function_dir: Path) -> None:
    pytester.makepyfile(
        test_check="""
        def test_body(wx):
            wx.run("check", {"text": "hello"})
            wx.assert_called("security.msgSecCheck", body={"content": "hullo", "open_id": "o1"})
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*security.msgSecCheck was called, but not with this body (- expected, + sent in call 1 of 1):*",
            '*-  "content": "hullo",*',
            '*+  "content": "hello",*',
        ]
    )
    assert "def assert_called" not in result.stdout.str(), "the kit's own frames are hidden"


def test_strict_mode_fails_a_test_whose_function_called_an_api_it_did_not_stub(
    pytester: pytest.Pytester, function_dir: Path
) -> None:
    pytester.makeini("[pytest]\ncloud_strict = true\n")
    pytester.makepyfile(
        test_check="""
        def test_forgot_the_stub(wx):
            # the function catches the error: only strict mode notices
            assert wx.run("check", {"text": "hello"}) == {"caught": 48001}

        def test_stubbed(wx):
            wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok"})
            assert wx.run("check", {"text": "hello"})["errCode"] == 0
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*strict mode: called without a stub: security.msgSecCheck*"])


def test_strict_mode_per_test_and_examples_without_it(pytester: pytest.Pytester, function_dir: Path) -> None:
    pytester.makepyfile(
        test_check="""
        def test_strict_here(wx):
            wx.strict = True
            wx.run("check", {"text": "hello"})

        def test_not_strict(wx):
            assert wx.run("check", {"text": "hello"})["errCode"] == 0  # the documented example answers
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1, failed=1)


def test_fixture_state_does_not_leak_between_tests(pytester: pytest.Pytester, function_dir: Path) -> None:
    pytester.makepyfile(
        test_check="""
        import cloud

        def test_one(wx):
            wx.stub("security.msgSecCheck", error=87014)
            cloud.updateConfig(timeout=3)
            assert wx.run("check", {"text": "a"}) == {"caught": 87014}

        def test_two(wx):
            assert wx.calls == []
            assert wx.run("check", {"text": "a"})["errCode"] == 0  # the stub of test_one is gone
            assert cloud._default.config.timeout == 15  # and so is its updateConfig

        def test_three():
            assert cloud._default.config is None  # outside the fixture: as before any test
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)


def write_function(tmp_path: Path, name: str, source: str) -> Path:
    """A function folder ``name`` under ``tmp_path`` whose index.py is ``source``; its index.py."""
    path = tmp_path / name / "index.py"
    path.parent.mkdir()
    path.write_text(source)
    return path


@pytest.fixture
def function_file(tmp_path: Path) -> Path:
    return write_function(tmp_path, "check", FUNCTION)


def test_the_context_manager_blocking_and_after_it_the_default_is_back(function_file: Path) -> None:
    assert cloud._default.config is None
    with stubbed() as wx:
        wx.stub("security.msgSecCheck", error=87014, times=1)
        assert wx.run(function_file, {"text": "x"}) == {"caught": 87014}
        assert wx.run(function_file, {"text": "x"})["errCode"] == 0  # times=1: then the example
        assert len(wx.calls_to("security.msgSecCheck")) == 2
        cloud_sync.updateConfig(accessToken="any", retry="off")  # config changed inside the block
        assert cloud_sync.openapi.security.msgSecCheck({"content": "y"})["errCode"] == 0
    assert cloud._default.config is None, "init and updateConfig made in the block are undone"


def test_the_context_manager_in_async_code_with_a_delay_and_a_timeout(function_file: Path) -> None:
    async def scenario() -> None:
        async with stubbed() as wx:
            c = Cloud()
            c.init(timeout=0.3, retry="off")
            wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok"}, delay=0.1, times=1)
            wx.stub("security.msgSecCheck", reply={"errcode": 0, "errmsg": "ok"}, delay=5)
            assert (await c.openapi.security.msgSecCheck({"content": "a"}))["errCode"] == 0
            started = asyncio.get_running_loop().time()
            with pytest.raises(cloud.CloudSDKError) as info:
                await c.openapi.security.msgSecCheck({"content": "b"})
            assert info.value.errCode == -501002
            assert asyncio.get_running_loop().time() - started < 2
            wx.stub("security.msgSecCheck", error=87014)  # replaces the standing stub
            assert await wx.arun(function_file, {"text": "x"}) == {"caught": 87014}
            with pytest.raises(RuntimeError, match=r"use await wx\.arun"):
                wx.run(function_file)

    asyncio.run(scenario())


def test_status_and_raw_bodies_and_their_retries() -> None:
    with stubbed() as wx:
        c = Cloud()
        c.init(retry={"maxAttempts": 2, "baseDelay": 0.01})
        wx.stub("auth.getPaidUnionId", status=502)
        with pytest.raises(cloud.CloudSDKError) as info:
            c.sync.openapi.auth.getPaidUnionId({"openid": "o"})
        assert info.value.errCode == -501001 and "502" in info.value.errMsg
        assert len(wx.calls_to("auth.getPaidUnionId")) == 2, "an idempotent GET is retried after a 502"
        wx.stub("wxacode.getUnlimited", body=b"\x89PNG", content_type="image/png")
        assert c.sync.openapi.wxacode.getUnlimited({"scene": "a"})["buffer"] == b"\x89PNG"


def test_mistakes_in_stubs_and_assertions_are_told_plainly() -> None:
    with stubbed() as wx:
        with pytest.raises(ValueError, match=r"did you mean security\.msgSecCheck"):
            wx.stub("security.msgSecChek", reply={})
        with pytest.raises(ValueError, match="status must be an HTTP status"):
            wx.stub("security.msgSecCheck", status=9000)
        with pytest.raises(ValueError, match="errmsg goes with error"):
            wx.stub("security.msgSecCheck", errmsg="risky")
        with pytest.raises(ValueError, match="give one of json, body, bodyBase64, error"):
            wx.stub("security.msgSecCheck", reply={}, error=1)
        with pytest.raises(AssertionError, match=r"security.msgSecCheck was not called \(calls made: none\)"):
            wx.assert_called("security.msgSecCheck")
        wx.assert_not_called("security.msgSecCheck")


# Scenario files and the emulator's control endpoint


def test_scenarios_are_checked_whole_before_anything_changes() -> None:
    emulator = Emulator()
    load_scenario(emulator, {"replies": [{"api": "security.msgSecCheck", "error": 87014}]})
    bad = {"replies": [{"api": "security.msgSecCheck", "json": {}}, {"api": "no.suchApi"}]}
    with pytest.raises(ScenarioError, match=r"replies\[1\]: no.suchApi is not in the catalogue"):
        load_scenario(emulator, bad)
    with pytest.raises(ScenarioError, match="unknown key 'jsn'"):
        load_scenario(emulator, {"replies": [{"jsn": {}}]})
    with pytest.raises(ScenarioError, match="times needs an api"):
        load_scenario(emulator, {"replies": [{"times": 2}]})
    _, _, body = emulator.handle("POST", f"/wxa/msg_sec_check?access_token={emulator.token}", {}, b"{}")
    assert json.loads(body)["errcode"] == 87014, "the first scenario still holds"


@pytest.fixture
def scenario_emulator(tmp_path: Path) -> Iterator[str]:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"replies": [
        {"api": "security.msgSecCheck", "error": 87014, "errmsg": "risky content", "times": 1},
        {"api": "security.msgSecCheck", "json": {"errcode": 0, "errmsg": "ok", "trace_id": "t1"}},
    ]}))  # fmt: skip
    with spawn("--scenario", str(scenario)) as base:
        yield base


def test_the_emulator_cli_plays_a_scenario_and_its_control_endpoint_works(scenario_emulator: str) -> None:
    base = scenario_emulator
    with httpx.Client(base_url=base, timeout=10) as http:
        url = "/wxa/msg_sec_check?access_token=emulator-access-token"
        assert http.post(url, json={"content": "a"}).json()["errcode"] == 87014
        assert http.post(url, json={"content": "b"}).json() == {"errcode": 0, "errmsg": "ok", "trace_id": "t1"}
        log = http.get("/__emulator/requests").json()["requests"]
        assert [(r["api"], json.loads(r["body"])["content"]) for r in log] == [
            ("security.msgSecCheck", "a"),
            ("security.msgSecCheck", "b"),
        ]
        assert log[0]["query"] == {"access_token": "***"}
        stable = {"grant_type": "client_credential", "appid": EMULATOR_APPID, "secret": EMULATOR_SECRET}
        assert "access_token" in http.post("/cgi-bin/stable_token", json=stable).json()
        http.get("/cgi-bin/token", params=stable)
        log = http.get("/__emulator/requests").json()["requests"]
        assert json.loads(log[2]["body"])["secret"] == "***" and log[3]["query"]["secret"] == "***"
        assert "emulator-access-token" not in json.dumps(log) and EMULATOR_SECRET not in json.dumps(log)
        http.post("/__emulator/reset")
        load = http.post("/__emulator/scenario", json={"replies": [{"api": "security.msgSecCheck", "status": 503}]})
        assert load.json() == {"ok": True}
        assert http.post(url, json={"content": "c"}).status_code == 503
        bad = http.post("/__emulator/scenario", json={"replies": [{"api": "nope"}]})
        assert bad.status_code == 400 and "nope is not in the catalogue" in bad.json()["error"]
        assert http.post("/__emulator/reset").json() == {"ok": True}
        assert http.get("/__emulator/requests").json() == {"requests": []}
        assert http.post(url, json={"content": "d"}).json()["errcode"] == 0  # the emulated answer again


def test_a_bad_scenario_file_stops_the_cli_with_a_message(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.json"
    scenario.write_text('{"replies": [{"status": "soon"}]}')
    done = subprocess.run([sys.executable, "-m", "cloud", "emulator", "--port", "0", "--scenario", str(scenario)],
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 2
    assert "replies[0]: status must be an HTTP status" in done.stderr


def test_the_control_endpoint_answers_loopback_peers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert emulator_server._is_loopback(("127.0.0.1", 5000)) and emulator_server._is_loopback(("::1", 5000, 0, 0))
    assert not emulator_server._is_loopback(("192.168.1.7", 5000)) and not emulator_server._is_loopback(None)
    emulator = Emulator()
    with serve(emulator) as base:
        monkeypatch.setattr(emulator_server, "_is_loopback", lambda peer: False)
        with httpx.Client(base_url=base, timeout=10) as http:
            refused = http.get("/__emulator/requests")
            assert refused.status_code == 403
            token = emulator.token
            assert http.post(f"/wxa/msg_sec_check?access_token={token}", json={}).json()["errcode"] == 0


def test_a_delayed_reply_over_http_is_waited_without_stalling_other_connections() -> None:
    emulator = Emulator()
    emulator.stub("security.msgSecCheck", load_reply({"json": {"errcode": 0, "errmsg": "ok"}, "delay": 0.5}))

    async def both(base: str) -> list[float]:
        async with httpx.AsyncClient(base_url=base, timeout=10) as http:
            loop = asyncio.get_running_loop()
            started = loop.time()

            async def timed(path: str) -> float:
                await http.post(f"{path}?access_token={emulator.token}", json={})
                return loop.time() - started

            return await asyncio.gather(timed("/wxa/msg_sec_check"), timed("/wxa/media_check_async"))

    with serve(emulator) as base:
        slow, quick = asyncio.run(both(base))
    assert slow >= 0.5 and quick < 0.4


def load_reply(item: dict[str, Any]) -> Any:
    from cloud.emulator._scenario import reply_of

    return reply_of(item)
