"""Real public Node cloud functions of other people, ported: each agrees with its original on the emulator.

Each ``tests/ports/<name>/`` holds ``index.js``, the original rewritten in our words (its source
named at the top), the port ``index.py``, ``config.json``, ``event.json``, ``failing.json`` (a
scenario in which WeChat answers with an error) and, for functions that read ``cloud.getWXContext()``, ``context.json``.

Ports of functions that use the database or storage also hold ``scenario.json`` (the collections
and files they read); a database port's ``failing.json`` has no collections (CloudBase's
missing-collection error), a storage port's has the files and a WeChat error. They are
compared with a stopped clock (their originals write ``new Date()``), run with ``python -m cloud run``
and on the ``wx`` fixture, whose database is then checked.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from tests.test_compare import ROOT, cloud_compare

PORTS = sorted(p.name for p in (ROOT / "tests" / "ports").iterdir() if (p / "index.js").is_file())
DATABASE_PORTS = sorted(
    p.name
    for p in (ROOT / "tests" / "ports").iterdir()
    if (p / "scenario.json").is_file() and "collections" in json.loads((p / "scenario.json").read_text())
)
CLOCK = "2026-01-02T03:04:05Z"


def compare_args(name: str, scenario: str = "scenario.json") -> list[str]:
    folder = f"tests/ports/{name}"
    args = [f"{folder}/index.js", f"{folder}/index.py", "--event", f"@{folder}/event.json", "--clock", CLOCK]
    if (ROOT / folder / "context.json").is_file():
        args += ["--context", f"@{folder}/context.json"]
    if (ROOT / folder / scenario).is_file():
        args += ["--scenario", f"{folder}/{scenario}"]
    return args


def made_calls(report: str) -> bool:
    """The report shows calls: WeChat requests compared one by one, or database, storage and
    function calls compared by their effect."""
    return "request 1: " in report or "compared by effect): " in report


def test_every_port_is_complete() -> None:
    assert len(PORTS) >= 3
    for name in PORTS:
        folder = ROOT / "tests" / "ports" / name
        assert (folder / "index.js").read_text().startswith("// After github.com/"), name
        assert "cloud.init(" in (folder / "index.py").read_text(), name
        apis = json.loads((folder / "config.json").read_text())["permissions"]["openapi"]
        failing = json.loads((folder / "failing.json").read_text())
        scripted = {reply["api"] for reply in failing["replies"]}
        assert {api for api in scripted if not api.startswith("cloudPay.")} <= set(apis), name  # no permission for pay
        assert isinstance(json.loads((folder / "event.json").read_text()), dict), name


@pytest.mark.parametrize("name", PORTS)
def test_port_agrees_with_its_node_original(name: str) -> None:
    proc = cloud_compare(*compare_args(name))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")
    assert made_calls(proc.stdout), proc.stdout


@pytest.mark.parametrize("name", PORTS)
def test_port_agrees_when_wechat_answers_an_error(name: str) -> None:
    proc = cloud_compare(*compare_args(name, "failing.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")
    assert made_calls(proc.stdout), proc.stdout


def run_port(name: str, scenario: str) -> tuple[int, Any]:
    folder = ROOT / "tests" / "ports" / name
    env = {k: v for k, v in os.environ.items() if not k.startswith("WX_")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-m", "cloud", "run", str(folder), "--event", f"@{folder / 'event.json'}",
               "--scenario", str(folder / scenario)]  # fmt: skip
    if (folder / "context.json").is_file():
        command += ["--context", f"@{folder / 'context.json'}"]
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.mark.parametrize("name", DATABASE_PORTS)
def test_a_database_port_runs_offline_and_fails_without_its_collection(name: str) -> None:
    code, _ = run_port(name, "scenario.json")
    assert code == 0
    code, failed = run_port(name, "failing.json")
    err = failed.get("err", failed)  # thrown out of main (exit 1), or caught and returned as Node's catch does
    assert err["errCode"] == -502005 and ":fail -502005 database collection not exists." in err["errMsg"]


def seeded(wx: Any, name: str) -> Any:
    folder = ROOT / "tests" / "ports" / name
    wx.seed(json.loads((folder / "scenario.json").read_text())["collections"])
    if (folder / "context.json").is_file():
        wx.context = json.loads((folder / "context.json").read_text())
    return wx.run(folder, json.loads((folder / "event.json").read_text()))


def test_namecard_remove_pulls_the_card_and_deletes_its_photo(wx: Any) -> None:
    assert seeded(wx, "namecard_remove") == {"code": 0}
    [owner] = wx.documents("list")
    assert [card["name"] for card in owner["list"]] == ["Bo"]  # _.pull({cover}): the matching card only
    [delete] = [call for call in wx.calls if call.path == "/tcb/batchdeletefile"]
    assert delete.body["fileid_list"] == ["cloud://env-1.656e-env-1-1300000000/cards/a.jpg"]


def test_get_talks_pages_the_newest_first_with_the_feed_s_fields(wx: Any) -> None:
    result = seeded(wx, "get_talks")
    assert result["errMsg"] == "collection.get:ok"
    assert [doc["_id"] for doc in result["data"]] == [f"m{i:02}" for i in range(14, 4, -1)]  # skip(10), limit(10)
    assert all("_openid" not in doc for doc in result["data"])  # field(): only what the feed shows
    assert result["data"][0]["time"].isoformat() == "2023-11-14T22:27:20+00:00"


def test_delete_entry_removes_the_one_document(wx: Any) -> None:
    assert seeded(wx, "delete_entry") == {"stats": {"removed": 1}, "errMsg": "collection.remove:ok"}
    assert [doc["_id"] for doc in wx.documents("getLocations")] == ["booth-1"]


def test_get_user_logs_the_visit_as_a_returning_user(wx: Any) -> None:
    assert seeded(wx, "get_user") == {"success": True, "data": "done"}
    first, visit = wx.documents("t_user")
    assert first["_id"] == "v0" and visit["isNewUser"] is False  # the original's add, awaited in the port
    assert (visit["_openid"], visit["clientip"], visit["source"]) == ("oVisitor", "10.0.0.8", "wx_client")
    assert visit["createDate"].tzinfo is not None


def test_qrcode_upload_stores_the_image_wechat_sent(wx: Any) -> None:
    folder = ROOT / "tests" / "ports" / "qrcode_upload"
    result = wx.run(folder, json.loads((folder / "event.json").read_text()))
    assert result["errMsg"] == "uploadFile:ok" and result["fileID"].endswith("/xiace/beijing-no4.png")
    stored = wx.emulator.files.read(result["fileID"])
    assert stored is not None and stored.startswith(b"\x89PNG\r\n\x1a\n")  # the code image, as WeChat sent it
    wx.assert_called("wxacode.createQRCode", body={"path": "pages/school/detail?id=12", "width": 430})


def test_img_check_stored_sends_the_stored_file_as_the_media_part(wx: Any) -> None:
    folder = ROOT / "tests" / "ports" / "img_check_stored"
    event = json.loads((folder / "event.json").read_text())
    content = bytes(json.loads((ROOT / "tests" / "ports" / "check_img" / "event.json").read_text())["buffer"])
    wx.emulator.files.put(event["fileID"], content)
    assert wx.run(folder, event) == {"errMsg": "openapi.security.imgSecCheck:ok", "errCode": 0}
    media = wx.assert_called("security.imgSecCheck").body["media"]
    assert (media.content_type, media.content) == ("image/png", content)


def test_send_pending_returns_a_refused_send_in_its_place_and_marks_the_others(wx: Any) -> None:
    wx.stub("subscribeMessage.send", error=43101, errmsg="user refuse to accept the msg", times=1)
    refused, sent = seeded(wx, "send_pending")  # Promise.all's order: the pending messages', m1 then m3
    assert (refused.errCode, sent) == (43101, {"stats": {"updated": 1}, "errMsg": "document.update:ok"})
    assert [call.body["touser"] for call in wx.calls_to("subscribeMessage.send")] == ["oUser1", "oUser3"]
    assert {doc["_id"]: doc["isSend"] for doc in wx.documents("message")} == {"m1": False, "m2": True, "m3": True}


def test_media_check_async_keeps_a_record_under_the_check_s_trace_id(wx: Any) -> None:
    wx.stub("security.mediaCheckAsync", reply={"errcode": 0, "errmsg": "ok", "trace_id": "trace-77"})
    result = seeded(wx, "media_check_async")
    assert (result["traceId"], result["errCode"]) == ("trace-77", 0)  # trace_id, camelCased as Node does
    sent = wx.assert_called("security.mediaCheckAsync").body
    assert (sent["media_type"], sent["openid"]) == (2, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")  # snake_case left as it is
    assert {"_id": "trace-77", "postId": "p-31", "isChecked": False} in wx.documents("imageCheckStatus")


def test_customer_image_sends_the_stored_image_by_the_media_id_its_upload_got(wx: Any) -> None:
    folder = ROOT / "tests" / "ports" / "customer_image"
    [(file_id, content)] = json.loads((folder / "scenario.json").read_text())["files"].items()
    wx.emulator.files.put(file_id, base64.b64decode(content["base64"]))  # the fileID of the original's environment
    wx.stub("customerServiceMessage.uploadTempMedia", reply={"errcode": 0, "type": "image", "media_id": "M-9"})
    wx.context = json.loads((folder / "context.json").read_text())
    assert wx.run(folder, json.loads((folder / "event.json").read_text())) == "success"
    media = wx.assert_called("customerServiceMessage.uploadTempMedia").body["media"]
    assert (media.content_type, media.content) == ("image/png", base64.b64decode(content["base64"]))
    text, image = wx.calls_to("customerServiceMessage.send")
    assert (text.body["msgtype"], image.body["image"]) == ("text", {"media_id": "M-9"})


def test_send_event_sends_the_whole_event_with_the_user_info_the_platform_added(wx: Any) -> None:
    folder = ROOT / "tests" / "ports" / "send_event"
    wx.context = json.loads((folder / "context.json").read_text())
    assert wx.run(folder, json.loads((folder / "event.json").read_text()))["errCode"] == 0
    body = wx.assert_called("subscribeMessage.send").body
    assert (body["template_id"], body["miniprogram_state"]) == ("TEMPLATE_ID_ORDER_SHIPPED", "trial")
    assert body["user_info"] == {"app_id": "wxe0e0e0e0e0e0e0e0", "open_id": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
    assert body["data"]["character_string1"] == {"value": "SO-20260102-88"}  # keys of data are converted too
