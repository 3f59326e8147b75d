"""The caller's context (``--context``, ``wx.context``) and other accounts (``cloud.openapi({"appid": X})``)
under the local platform: ``run``, ``compare`` and the testing kit, as the cloud gives them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import cloud
from cloud.testing import stubbed

from .test_compare import cloud_compare, write
from .test_runner import run

CONTEXT = {"OPENID": "o-user-1", "APPID": "wxaaaa0000", "UNIONID": "u-1", "FROM_OPENID": "o-from",
           "FROM_APPID": "wxbbbb1111", "ENV": "prod-1", "SOURCE": "wx_client"}  # fmt: skip

JS = """const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
exports.main = async (event) => {
  const ctx = cloud.getWXContext()
  const other = await cloud.openapi({ appid: ctx.FROM_APPID }).security.msgSecCheck({
    openid: ctx.OPENID, scene: 2, version: 2, content: event.text, env: cloud.DYNAMIC_CURRENT_ENV, color: event.color })
  return { ctx, errCode: other.errCode }
}
"""
PY = """import cloud

cloud.init(env=cloud.DYNAMIC_CURRENT_ENV)


async def main(event, context):
    ctx = cloud.getWXContext()
    other = await cloud.openapi({"appid": ctx["FROM_APPID"]}).security.msgSecCheck({
        "openid": ctx.get("OPENID"), "scene": 2, "version": 2, "content": event.get("text"),
        "env": cloud.DYNAMIC_CURRENT_ENV, "color": event.get("color")})
    return {"ctx": ctx, "errCode": other["errCode"]}
"""


def test_run_gives_the_context_and_calls_other_accounts_on_the_emulator(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", JS, PY)
    (folder / "context.json").write_text(json.dumps(CONTEXT))
    (folder / "event.json").write_text('{"text": "hi"}')
    proc = run(str(folder), "--context", f"@{folder / 'context.json'}", "--event", f"@{folder / 'event.json'}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ctx": CONTEXT, "errCode": 0}
    assert "in-process emulator" in proc.stderr


def test_wx_appid_alone_is_the_callers_context_and_keeps_the_emulator(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", JS, PY)
    env = {"WX_APPID": "wxaaaa0000", "WX_FROM_APPID": "wxcccc", "WX_CONTEXT_KEYS": "WX_APPID,WX_FROM_APPID"}
    proc = run(str(folder), env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ctx": {"APPID": "wxaaaa0000", "FROM_APPID": "wxcccc"}, "errCode": 0}
    assert "in-process emulator" in proc.stderr


def test_run_scenario_scripts_the_emulator(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", JS, PY)
    reply = {"api": "security.msgSecCheck", "error": 87014, "errmsg": "risky"}
    scenario = {"event": {"text": "bad"}, "replies": [reply]}
    (folder / "scenario.json").write_text(json.dumps(scenario))
    proc = run(str(folder), "--scenario", str(folder / "scenario.json"), "--context", json.dumps(CONTEXT))
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == {"errCode": 87014, "errMsg": "openapi.security.msgSecCheck:fail risky"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--context", "[1]"], "--context must be a JSON object"),
        (["--context", '{"OPENID": {"a": 1}}'], "--context: OPENID must be a string or an integer, not an object"),
        (["--event", "@/no/such/file.json"], "No such file"),
    ],
)
def test_bad_context_or_files_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    proc = run(str(write(tmp_path / "fn", JS, PY)), *args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_compare_gives_both_sides_the_context_and_agrees(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", JS, PY)
    proc = cloud_compare(str(folder), str(folder), "--context", json.dumps(CONTEXT), "--event", '{"text": "hi"}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("\nagree"), proc.stdout
    assert "request 1: POST /wxa/msg_sec_check\n" in proc.stdout and "request 2" not in proc.stdout


def test_compare_keeps_the_node_way_of_giving_context(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", JS, PY)
    env = {"WX_OPENID": "o-env", "WX_FROM_APPID": "wxdddd", "WX_CONTEXT_KEYS": "WX_OPENID,WX_FROM_APPID"}
    proc = cloud_compare(str(folder), str(folder), env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_wx_context_and_other_accounts_in_the_testing_kit() -> None:
    with stubbed() as wx:
        wx.context = {"OPENID": "o1", "FROM_APPID": "wxB"}
        assert cloud.getWXContext() == {"OPENID": "o1", "FROM_APPID": "wxB"}
        result = cloud.createNewInstance().sync.openapi({"appid": "wxB"}).security.msgSecCheck({"content": "x"})
        assert result["errCode"] == 0
        wx.context = {"OPENID": "o2"}
        assert cloud.getWXContext() == {"OPENID": "o2"}
        assert wx.context == {"OPENID": "o2"}
    assert "OPENID" not in cloud.getWXContext()


def test_a_bad_wx_context_is_refused(wx: Any) -> None:
    with pytest.raises(Exception, match=r"wx\.context: OPENID must be a string or an integer"):
        wx.context = {"OPENID": None}
