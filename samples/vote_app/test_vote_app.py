"""The vote app, ported from real public cloud functions, run on the emulator.

No one public function found uses every capability, so the app gathers real ones, each named in its
``index.js``: ``vote_init`` and ``vote_exe`` (TCloudBase/WXAPP-Vote: ``where``,
``get``, ``add``, ``update`` with ``_.set`` and ``_.inc``), ``share_code`` (HWYD/grow myShare:
``wxacode.getUnlimited`` and ``uploadFile``), ``list_all`` (Levy-99/lostAndFound getdata: ``count``,
``skip``/``limit`` paging, ``Promise.all``), ``temp_url`` (laihezhao/yuelian tempFileUrl:
``getTempFileURL``)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cloud

APP = Path(__file__).parent
POLL = {"_id": "poll-sin", "code": "SIN", "title": "How much cloud development have you done?",
        "options": ["none", "learning", "some", "able", "expert"], "number": {"0": 3, "1": 1, "2": 0}}  # fmt: skip
ME = {"appId": "wx0123456789abcdef", "openId": "oVoter"}


def test_a_voter_votes_changes_their_mind_and_the_tallies_follow(wx):
    wx.seed({"vote_user": [], "vote_mess": [POLL]})

    assert wx.run(APP / "vote_init", {"userInfo": ME, "code": "SIN"}) == {}  # first visit: a record is made
    [record] = wx.documents("vote_user")
    assert record["openid"] == "oVoter" and record["project"] == {} and len(record["_id"]) == 32

    assert wx.run(APP / "vote_exe", {"userInfo": ME, "code": "SIN", "select": {"0": True, "2": True}}) == {
        "0": True, "2": True}  # fmt: skip
    assert wx.documents("vote_mess")[0]["number"] == {"0": 4, "1": 1, "2": 1}
    assert wx.run(APP / "vote_init", {"userInfo": ME, "code": "SIN"}) == {"0": True, "2": True}

    wx.run(APP / "vote_exe", {"userInfo": ME, "code": "SIN", "select": {"1": True, "2": True}})  # 0 dropped, 1 added
    assert wx.documents("vote_mess")[0]["number"] == {"0": 3, "1": 2, "2": 1}
    assert wx.documents("vote_user")[0]["project"] == {"SIN": {"1": True, "2": True}}  # _.set: replaced whole
    assert wx.documents("vote_mess")[0]["title"] == POLL["title"]  # the rest of the poll untouched


def test_a_stranger_s_vote_changes_nothing(wx):
    wx.seed({"vote_user": [], "vote_mess": [POLL]})
    wx.context = {"OPENID": "oVoter", "APPID": "wx0123456789abcdef"}  # the platform adds it to the event as userInfo
    assert wx.run(APP / "vote_exe", {"code": "SIN", "select": {"0": True}}) is None
    assert wx.documents("vote_mess") == [POLL] and wx.documents("vote_user") == []


def test_the_share_code_is_made_and_stored(wx):
    wx.context = {"OPENID": "oVoter"}
    file_id = wx.run(APP / "share_code")
    call = wx.assert_called("wxacode.getUnlimited", times=1)
    assert call.body == {"scene": "oVoter", "line_color": {"r": 0, "g": 0, "b": 128}}  # camelCase sent as WeChat's
    assert file_id.startswith("cloud://") and "/myCode/" in file_id and file_id.endswith(".png")
    stored = wx.emulator.files.read(file_id)
    assert stored is not None and stored[:8] == b"\x89PNG\r\n\x1a\n"  # the emulator's code image, as uploaded


def test_the_stored_code_has_a_temporary_link_and_a_missing_file_none(wx):
    wx.context = {"OPENID": "oVoter"}
    file_id = wx.run(APP / "share_code")
    link = wx.run(APP / "temp_url", {"fileId": file_id})
    assert link.startswith("http") and "/myCode/" in link and "sign=" in link
    missing = file_id.replace("myCode/", "myCode/gone-")
    assert wx.run(APP / "temp_url", {"fileId": missing}) == ""  # Node: the file's tempFileURL is ""
    assert wx.calls_to("wxacode.getUnlimited") and [c.path for c in wx.calls][-1] == "/tcb/batchdownloadfile"


def test_when_wechat_refuses_the_code_the_function_throws_nodes_error(wx):
    wx.context = {"OPENID": "oVoter"}
    wx.stub("wxacode.getUnlimited", reply={"errcode": 41030, "errmsg": "invalid page rid: 1"})
    with pytest.raises(cloud.CloudSDKError) as caught:
        wx.run(APP / "share_code")
    assert caught.value.errCode == 41030
    assert caught.value.errMsg == "openapi.wxacode.getUnlimited:fail invalid page rid: 1"  # as Node words it
    assert [c.path for c in wx.calls] == ["/wxa/getwxacodeunlimit"]  # nothing uploaded


def test_every_post_is_read_a_hundred_at_a_time(wx):
    wx.seed({"posts": [{"_id": f"p{i:03}", "n": i} for i in range(250)]})
    result = wx.run(APP / "list_all")
    assert result["errMsg"] == "collection.get:ok" and [d["n"] for d in result["data"]] == list(range(250))
    assert [c.path for c in wx.calls] == ["/tcb/databasecount"] + ["/tcb/databasequery"] * 3


def test_an_empty_collection_throws_as_the_original_does(wx):
    wx.seed({"posts": []})
    with pytest.raises(TypeError, match="reduce"):  # Node: TypeError: Reduce of empty array with no initial value
        wx.run(APP / "list_all")


def test_without_its_collections_the_app_fails_as_in_cloudbase(wx):
    with pytest.raises(cloud.CloudSDKError) as caught:
        wx.run(APP / "vote_init", {"userInfo": ME, "code": "SIN"})
    assert caught.value.errCode == -502005
    assert caught.value.errMsg.startswith("collection.get:fail -502005 database collection not exists.")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WX_")}
    env["PYTHONPATH"] = str(APP.parent.parent)
    return subprocess.run([sys.executable, "-m", "cloud", "run", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)  # fmt: skip


def test_python_m_cloud_run_with_the_scenario_returns_nodes_shapes():
    proc = run_cli(str(APP / "vote_exe"), "--scenario", str(APP / "scenario.json"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"0": True, "2": True}
    proc = run_cli(str(APP / "share_code"), "--context", '{"OPENID": "o1"}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout).startswith("cloud://")
    proc = run_cli(str(APP / "vote_init"), "--event", '{"code": "SIN"}', "--context", '{"OPENID": "o1"}')
    assert proc.returncode == 1  # no collection: CloudBase's error, as JSON
    assert json.loads(proc.stdout)["errCode"] == -502005


def compare(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m cloud compare`` with the wx-server-sdk the test setup installed (tests/node)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WX_")}
    env["PYTHONPATH"] = str(APP.parent.parent)
    env["WX_CLOUD_SDK_DIR"] = str(APP.parent.parent / "tests" / "node")
    return subprocess.run([sys.executable, "-m", "cloud", "compare", *args, "--clock", "2026-01-02T03:04:05Z"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("function", "event"),
    [
        ("vote_init", '{"code": "SIN"}'),
        ("vote_exe", '{"code": "SIN", "select": {"1": true}}'),
        ("list_all", "{}"),
        ("temp_url", '{"fileId": "cloud://emulator-env.7465-emulator-env-1300000000/myCode/none.png"}'),
    ],
)
def test_each_function_agrees_with_its_node_original(function, event):
    folder = str(APP / function)
    proc = compare(folder, folder, "--event", event, "--context", '{"OPENID": "oVoter"}',
                   "--scenario", str(APP / "scenario.json"))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "compared by effect): " in proc.stdout and proc.stdout.rstrip().endswith("agree")


def test_share_code_agrees_but_for_the_name_its_original_draws_at_random():
    folder = str(APP / "share_code")
    proc = compare(folder, folder, "--context", '{"OPENID": "oVoter"}')
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "request 1: POST /wxa/getwxacodeunlimit" in proc.stdout  # the code itself agrees
    assert proc.stdout.count("DIFFERENT: ") == 3, proc.stdout  # the returned fileID, and each side's one file
    for line in [line for line in proc.stdout.splitlines() if line.startswith("  DIFFERENT: ")]:
        assert line in ("  DIFFERENT: result.returned",) or line.startswith("  DIFFERENT: files.emulator-env/myCode/")
