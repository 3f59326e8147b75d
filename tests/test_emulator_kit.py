"""The testing kit and emulator for storage, callFunction and the database: named stubs and call
records, strict mode, Cloud Run's whitelist, ``reset`` clearing the file store, and a callee's
time limit and process changes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cloud import CloudSDKError
from cloud._client import platform
from cloud._client.instance import Cloud
from cloud._run import local
from cloud.emulator import Emulator
from cloud.testing import stubbed

CALLER = """import cloud.sync as cloud
cloud.init()

def main(event, context):
    done = cloud.callFunction({"name": "callee", "data": {"n": event["n"]}})
    return done["result"]
"""
CALLEE = "def main(event, context):\n    return {'ran': 'callee', 'n': event['n']}\n"
STORES = """import cloud.sync as cloud
cloud.init()

def main(event, context):
    up = cloud.uploadFile({"cloudPath": "a/b.txt", "fileContent": b"hello"})
    down = cloud.downloadFile({"fileID": up["fileID"]})
    cloud.getTempFileURL({"fileList": [up["fileID"]]})
    cloud.deleteFile({"fileList": [up["fileID"]]})
    cloud.database().collection("todos").add({"data": {"done": False}})
    found = cloud.database().collection("todos").get()
    return {"content": down["fileContent"].decode(), "todos": len(found["data"])}
"""


def write(folder: Path, name: str, source: str, config: str | None = None) -> Path:
    (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / name / "index.py").write_text(source)
    if config is not None:
        (folder / name / "config.json").write_text(config)
    return folder / name


@pytest.fixture
def functions(tmp_path: Path) -> Path:
    folder = tmp_path / "functions"
    write(folder, "caller", CALLER)
    write(folder, "callee", CALLEE)
    write(folder, "stores", STORES)
    return folder


def test_a_callfunction_stub_answers_instead_of_the_sibling(functions: Path) -> None:
    with stubbed() as wx:
        assert wx.run(functions / "caller", {"n": 1}) == {"ran": "callee", "n": 1}
        wx.stub("callFunction", {"resp_data": '{"ran": "stub"}'})
        assert wx.run(functions / "caller", {"n": 2}) == {"ran": "stub"}
        assert [c.api for c in wx.calls] == ["callFunction", "callFunction"]
        made = wx.assert_called("callFunction", body={"n": 2}, query={"name": "callee"})
        assert made.path == "/tcb/invokecloudfunction"
        assert len(wx.calls_to("callFunction")) == 2
        wx.stub("callFunction", error=-504002, errmsg="functions execute fail", times=1)
        with pytest.raises(CloudSDKError) as err:
            wx.run(functions / "caller", {"n": 3})
        assert err.value.errCode == -504002


def test_storage_and_database_calls_carry_their_names(functions: Path) -> None:
    with stubbed() as wx:
        wx.seed({"todos": []})
        assert wx.run(functions / "stores") == {"content": "hello", "todos": 1}
        named = [c.api for c in wx.calls if c.api is not None]
        assert named == ["uploadFile", "getTempFileURL", "getTempFileURL", "deleteFile", "collection.add",
                         "collection.get"]  # fmt: skip
        wx.assert_called("uploadFile", body={"env": "", "path": "a/b.txt"})
        wx.assert_called("downloadFile", times=2)  # downloadFile asks for a temporary URL too
        wx.assert_called("deleteFile", times=1)
        wx.assert_called("collection.add", times=1)
        assert wx.calls_to("document.get") == wx.calls_to("collection.get")
        wx.assert_not_called("callFunction")
        with pytest.raises(AssertionError, match="callFunction was not called"):
            wx.assert_called("callFunction")


def test_storage_and_database_stubs_answer_before_the_local_store(functions: Path) -> None:
    with stubbed() as wx:
        wx.seed({"todos": []})
        wx.stub("uploadFile", error=-503002, errmsg="storage quota exceeded")
        with pytest.raises(CloudSDKError) as err:
            wx.run(functions / "stores")
        assert err.value.errCode == -503002
        wx.emulator.clear_stubs()
        wx.stub("collection.get", {"data": ['{"_id":"x","done":true}', '{"_id":"y"}'], "pager": {}})
        assert wx.run(functions / "stores")["todos"] == 2
        with pytest.raises(ValueError):
            wx.stub("noSuchStorageCall", {})


def test_strict_mode_refuses_an_unstubbed_callfunction_but_not_the_stores(functions: Path) -> None:
    with pytest.raises(AssertionError, match="called without a stub: callFunction"):
        with stubbed(strict=True) as wx:
            wx.seed({"todos": []})
            assert wx.run(functions / "stores") == {"content": "hello", "todos": 1}
            assert wx.emulator.unexpected == []
            with pytest.raises(CloudSDKError) as err:
                wx.run(functions / "caller", {"n": 1})
            assert err.value.errCode == 48001 and "no stub for callFunction" in err.value.errMsg
            wx.stub("callFunction", {"resp_data": "7"})
            assert wx.run(functions / "caller", {"n": 1}) == 7


def test_the_cloudrun_whitelist_covers_storage_functions_and_the_database(functions: Path) -> None:
    emulator = Emulator(cloudrun=True, whitelist=["uploadFile", "/tcb/databasequery"], functions=functions)
    answered = emulator.answer("POST", "/tcb/uploadfile?env=e1", {}, b'{"env":"e1","path":"x.txt"}')
    assert answered.status == 200 and b'"url"' in answered.body
    assert dict(answered.headers).get("x-openapi-seqid")
    add = b'{"env":"e1","query":"db.collection(\\"t\\").add({data:[{}]})"}'
    delete = b'{"env":"e1","fileid_list":[]}'
    calls = (("/tcb/invokecloudfunction?env=e1&name=callee", b'{"n":1}'), ("/tcb/batchdeletefile", delete))
    for path, body in (*calls, ("/tcb/databaseadd", add)):
        assert emulator.answer("POST", path, {}, body).status == 502, path
    assert emulator.answer("POST", "/tcb/databasequery", {}, b'{"env":"e1","query":"x"}').status == 200
    refused = emulator.answer("POST", "/tcb/uploadfile?access_token=t", {}, b'{"env":"e1","path":"x.txt"}')
    assert b"40001" in refused.body  # the service adds the token: one sent is refused


def test_reset_clears_stored_files(tmp_path: Path) -> None:
    for emulator in (Emulator(), Emulator(data=tmp_path / "data")):
        emulator.files.put("cloud://e1.7465-e1-1300000000/a.txt", b"x")
        assert emulator.files.file("cloud://e1.7465-e1-1300000000/a.txt").is_file()  # type: ignore[union-attr]
        emulator.reset()
        assert not emulator.files.file("cloud://e1.7465-e1-1300000000/a.txt").exists()  # type: ignore[union-attr]
        assert emulator.files.root.is_dir()


def test_each_test_starts_with_no_files_in_the_wx_fixture() -> None:
    with stubbed() as wx:
        wx.emulator.files.put("cloud://e1.7465-e1-1300000000/left.txt", b"x")
        wx.reset()
        assert list(wx.emulator.files.root.iterdir()) == []


def test_a_hanging_callee_times_out_as_in_the_cloud(tmp_path: Path) -> None:
    folder = tmp_path / "functions"
    write(folder, "hang", "import time\n\ndef main(event, context):\n    time.sleep(30)\n", '{"timeout": 1}')
    _, defaults = local.emulated(functions=folder)
    with platform.provided(defaults):
        made = Cloud()
        made.init()
        started = time.monotonic()
        with pytest.raises(CloudSDKError) as err:
            made.sync.callFunction({"name": "hang"})
    assert 0.9 < time.monotonic() - started < 5
    assert err.value.errCode == -504003
    assert "Invoking task timed out after 1 seconds" in err.value.errMsg


def test_the_time_limit_comes_from_config_json(tmp_path: Path) -> None:
    from cloud.emulator._functions import time_limit

    for config, limit in ((None, 3), ('{"timeout": 20}', 20), ('{"timeout": 600}', 60), ('{"timeout": 0}', 1),
                          ('{"timeout": "5"}', 3), ("not json", 3)):  # fmt: skip
        assert time_limit(write(tmp_path, f"f{limit}{config is None}", "", config)) == limit, config


def test_a_callee_leaves_the_callers_directory_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "functions"
    write(folder, "meddle", "import os\n\ndef main(event, context):\n    os.chdir('/')\n"
          "    os.environ['WX_KIT_ADDED'] = '1'\n    os.environ['WX_KIT_KEPT'] = 'changed'\n"
          "    os.environ.pop('WX_KIT_GONE')\n    return os.getcwd()\n")  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WX_KIT_KEPT", "as-is")
    monkeypatch.setenv("WX_KIT_GONE", "here")
    _, defaults = local.emulated(functions=folder)
    with platform.provided(defaults):
        made = Cloud()
        made.init()
        assert made.sync.callFunction({"name": "meddle"})["result"] == "/"
    assert os.getcwd() == str(tmp_path)
    assert "WX_KIT_ADDED" not in os.environ
    assert (os.environ["WX_KIT_KEPT"], os.environ["WX_KIT_GONE"]) == ("as-is", "here")


# A function's own process-wide changes stay its own; called functions never hold up the caller's loop

CHANGES_ITS_PROCESS = """import contextvars, os, threading, time
import cloud

cloud.init()


def later():
    time.sleep(0.3)  # after main returned, and after its test ended
    try:
        cloud.sync.database().collection("todos").add({"data": {"late": True}})
    except Exception:
        pass  # refused: this run is over


def main(event, context):
    os.chdir(event["dir"])
    os.environ["TZ"] = "Pacific/Kiritimati"
    os.environ["PORT_SECRET_FLAG"] = "1"
    time.tzset()
    threading.Thread(target=contextvars.copy_context().run, args=(later,), daemon=True).start()  # as to_thread
    return os.getcwd()
"""


def test_a_functions_chdir_environment_and_late_writes_do_not_reach_the_next_test(tmp_path: Path) -> None:
    import cloud.sync  # noqa: F401 - the function's own import, loaded here too

    folder = write(tmp_path / "functions", "changes", CHANGES_ITS_PROCESS)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd, environ, zone = os.getcwd(), dict(os.environ), time.strftime("%z")
    with stubbed() as first:
        first.seed({"todos": []})
        assert first.run(folder, {"dir": str(elsewhere)}) == str(elsewhere)
    assert (os.getcwd(), dict(os.environ), time.strftime("%z")) == (cwd, environ, zone)
    with stubbed() as wx:  # the next test
        wx.seed({"todos": []})
        time.sleep(0.6)
        assert wx.documents("todos") == []
    assert [doc.get("late") for doc in first.documents("todos")] == [True]  # kept to its own test


SLEEPS = "import time\n\n\ndef main(event, context):\n    time.sleep(event['seconds'])\n    return event['seconds']\n"


def test_in_process_calls_to_functions_run_off_the_callers_event_loop(tmp_path: Path) -> None:
    import asyncio

    import cloud

    write(tmp_path / "functions", "sleeps", SLEEPS, '{"timeout": 10}')

    async def calls() -> tuple[float, float]:
        cloud.init()
        started = time.monotonic()
        got = await asyncio.gather(*(cloud.callFunction({"name": "sleeps", "data": {"seconds": 0.3}})
                                     for _ in range(20)))  # fmt: skip
        assert [r["result"] for r in got] == [0.3] * 20
        together = time.monotonic() - started
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(cloud.callFunction({"name": "sleeps", "data": {"seconds": 1.5}}), 0.2)
        given_up = time.monotonic() - started
        await asyncio.sleep(1.6)  # the callee ends (and puts the process back) before the next test
        return together, given_up

    with stubbed() as wx:
        wx.emulator.functions.folder = tmp_path / "functions"
        together, given_up = asyncio.run(calls())
    assert together < 3.0  # one after another: 6 s
    assert given_up < 1.0  # the caller waited 0.2 s, not the callee's 1.5 s


def test_many_calls_at_once_are_not_taken_for_deep_nesting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures
    import json
    import sys
    import threading
    import types

    gate = types.SimpleNamespace(all_in=threading.Barrier(150, timeout=20))
    monkeypatch.setitem(sys.modules, "wx_kit_gate", gate)  # type: ignore[arg-type]
    write(tmp_path / "functions", "waits", "import wx_kit_gate\n\n\ndef main(event, context):\n"
          "    wx_kit_gate.all_in.wait()\n    return 1\n", '{"timeout": 30}')  # fmt: skip
    emulator = Emulator(functions=tmp_path / "functions")
    with concurrent.futures.ThreadPoolExecutor(150) as pool:  # 150 calls in flight together, none nested
        replies = list(pool.map(lambda _: emulator.functions.invoke("waits", b"{}"), range(150)))
    assert [(r["errcode"], json.loads(r["resp_data"])) for r in replies] == [(0, 1)] * 150
