"""Tests of the ported guestbook: a content check, then the database, on the emulator."""

import json
import os
import subprocess
import sys
from pathlib import Path

FUNCTION = Path(__file__).parent
PASS = {"errcode": 0, "errmsg": "ok", "result": {"suggest": "pass", "label": 100}}


def test_only_checked_text_is_kept_and_the_board_is_managed(wx):
    wx.context = {"OPENID": "oWriter"}
    wx.seed({"messages": [{"_id": "old", "openid": "oOther", "text": "earlier", "likes": 5}]})
    wx.stub("security.msgSecCheck", reply=PASS, times=2)  # the third text is risky (the documented example)

    result = wx.run(FUNCTION, {"texts": ["hello", "nice day", "buy followers now"]})

    assert result["added"] == 2
    assert result["liked"] == {"stats": {"updated": 2}, "errMsg": "collection.update:ok"}
    assert [(m["text"], m["likes"]) for m in result["popular"]["data"]] == [("hello", 2), ("nice day", 1)]
    assert result["total"] == {"total": 2, "errMsg": "collection.count:ok"}
    assert [m["text"] for m in result["page"]["data"]] == ["hello", "earlier"]
    assert result["stats"] == {"list": [{"_id": "oWriter", "likes": 3}], "errMsg": "collection.aggregate:ok"}
    assert result["removed"] == {"stats": {"removed": 0}, "errMsg": "collection.remove:ok"}
    assert result["left"] == {"total": 3, "errMsg": "collection.count:ok"}
    kept = {doc["text"]: doc for doc in wx.documents("messages")}
    assert set(kept) == {"earlier", "hello", "nice day"} and len(kept["hello"]["_id"]) == 32
    assert kept["hello"]["createdAt"].tzinfo is not None  # db.serverDate(): the emulator's clock
    assert len(wx.calls_to("security.msgSecCheck")) == 3


def test_without_its_collection_the_function_fails_as_in_cloudbase(wx):
    wx.stub("security.msgSecCheck", reply=PASS)
    try:
        wx.run(FUNCTION, {"texts": ["hello"]})
    except Exception as err:  # thrown out of main, as in Node
        assert err.errCode == -502005
        assert err.errMsg.startswith("collection.add:fail -502005 database collection not exists.")
    else:
        raise AssertionError("the add should fail: the collection does not exist")


def test_python_m_cloud_run_with_the_scenario_returns_nodes_shapes():
    root = FUNCTION.parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    for name in ("WX_ACCESS_TOKEN", "WX_SECRET", "WX_TOKEN_MODE", "WX_API_BASE"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-m", "cloud", "run", str(FUNCTION), "--scenario", str(FUNCTION / "scenario.json"),
         "--context", '{"OPENID": "o1"}'],
        capture_output=True, text=True, cwd=root, env=env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["added"] == 3
    assert result["removed"] == {"stats": {"removed": 1}, "errMsg": "collection.remove:ok"}
    assert result["left"] == {"total": 2, "errMsg": "collection.count:ok"}
    assert [m["text"] for m in result["page"]["data"]] == ["nice day", "hello"]
    assert set(result["page"]["data"][0]) == {"_id", "text"}
