"""Cloud storage and callFunction end to end: our client over real HTTP on 127.0.0.1 to the
emulator's WeChat API and storage server, async and blocking; the requests as WeChat documents
them; files on disk; temporary URLs that expire; sibling functions run with the caller's context."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud import CloudSDKError
from cloud._client import platform
from cloud._client.instance import Cloud
from cloud._run import local
from cloud.emulator import Emulator, serve
from cloud.emulator._stubs import Scripted

from .test_runner import run as run_cli

ENV = "test-env"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def served(clock: Clock, tmp_path: Path) -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(clock=clock, data=str(tmp_path / "data"), functions=tmp_path / "functions")
    with serve(emulator) as base:
        yield emulator, base


@pytest.fixture
def cloud(served: tuple[Emulator, str]) -> Iterator[Cloud]:
    emulator, base = served
    made = Cloud()
    made.init({"accessToken": emulator.token, "apiBase": base, "env": ENV, "retry": {"maxAttempts": 2}})
    yield made
    made.close()


def call(cloud: Cloud, mode: str, api: str, params: Any) -> Any:
    """``cloud.<api>(params)``, awaited (async) or blocking (``cloud.sync``)."""
    if mode == "sync":
        return getattr(cloud.sync, api)(params)

    async def run() -> Any:
        return await getattr(cloud, api)(params)

    return asyncio.run(run())


def test_a_file_goes_up_comes_back_and_is_deleted(cloud: Cloud, served: tuple[Emulator, str], mode: str) -> None:
    emulator, _ = served
    up = call(cloud, mode, "uploadFile", {"cloudPath": "reports/a b.csv", "fileContent": b"n,square\n1,1\n"})
    assert list(up) == ["fileID", "statusCode", "errMsg"]
    assert up == {"fileID": f"cloud://{ENV}.7465-{ENV}-1300000000/reports/a b.csv", "statusCode": -1,
                  "errMsg": "uploadFile:ok"}  # fmt: skip
    assert emulator.files.read(up["fileID"]) == b"n,square\n1,1\n"
    down = call(cloud, mode, "downloadFile", {"fileID": up["fileID"]})
    assert down == {"fileContent": b"n,square\n1,1\n", "statusCode": 200, "errMsg": "downloadFile:ok"}
    gone = call(cloud, mode, "deleteFile", {"fileList": [up["fileID"], up["fileID"]]})
    assert gone == {"fileList": [{"fileID": up["fileID"], "status": 0, "errMsg": "ok"},
                                 {"fileID": up["fileID"], "status": -503003, "errMsg": "storage file not exists"}],
                    "errMsg": "deleteFile:ok"}  # fmt: skip
    with pytest.raises(CloudSDKError) as err:
        call(cloud, mode, "downloadFile", {"fileID": up["fileID"]})
    assert (err.value.errCode, err.value.errMsg) == (-1, "downloadFile:fail storage file not exist")


def test_requests_are_the_documented_ones(cloud: Cloud, served: tuple[Emulator, str], mode: str) -> None:
    emulator, _ = served
    emulator.reset()
    up = call(cloud, mode, "uploadFile", {"cloudPath": "x.txt", "fileContent": io.BytesIO(b"from a file object")})
    call(cloud, mode, "getTempFileURL", {"fileList": [up["fileID"], {"fileID": up["fileID"], "maxAge": 60}]})
    call(cloud, mode, "deleteFile", {"fileList": [up["fileID"]]})
    sent = [(r.method, r.path, r.query, r.body) for r in emulator.requests]
    token = {"access_token": emulator.token}
    assert sent[0][:3] == ("POST", "/tcb/uploadfile", token)
    assert json.loads(sent[0][3]) == {"env": ENV, "path": "x.txt"}
    method, path, query, body = sent[1]
    assert (method, path, query) == ("POST", "/__cos/7465-test-env-1300000000", {})  # no token to storage
    for field in (b'name="key"', b'name="Signature"', b'name="x-cos-security-token"', b'name="x-cos-meta-fileid"',
                  b'name="file"', b"from a file object"):  # fmt: skip
        assert field in body
    assert sent[2][:3] == ("POST", "/tcb/batchdownloadfile", token)
    assert json.loads(sent[2][3]) == {"env": ENV, "file_list": [{"fileid": up["fileID"], "max_age": 86400},
                                                                {"fileid": up["fileID"], "max_age": 60}]}  # fmt: skip
    assert sent[3][:3] == ("POST", "/tcb/batchdeletefile", token)
    assert json.loads(sent[3][3]) == {"env": ENV, "fileid_list": [up["fileID"]]}


def test_temporary_urls_work_over_http_then_expire(cloud: Cloud, clock: Clock, mode: str) -> None:
    up = call(cloud, mode, "uploadFile", {"cloudPath": "t.bin", "fileContent": bytes(range(256))})
    found = call(
        cloud, mode, "getTempFileURL", {"fileList": [{"fileID": up["fileID"], "maxAge": 60}, "cloud://x.y/no"]}
    )
    first, missing = found["fileList"]
    assert list(first) == ["fileID", "status", "errMsg", "maxAge", "tempFileURL"]
    assert (first["status"], first["errMsg"], first["maxAge"]) == (0, "ok", 60)
    assert missing == {"fileID": "cloud://x.y/no", "status": -503003, "errMsg": "storage file not exists",
                       "tempFileURL": ""}  # fmt: skip
    assert httpx.get(first["tempFileURL"]).content == bytes(range(256))
    tampered = first["tempFileURL"].replace("t.bin", "u.bin")
    assert httpx.get(tampered).status_code == 403
    clock.now += 61
    expired = httpx.get(first["tempFileURL"])
    assert expired.status_code == 403 and b"Request has expired" in expired.content


def test_an_upload_form_with_a_wrong_signature_is_refused(cloud: Cloud, served: tuple[Emulator, str]) -> None:
    emulator, base = served
    meta = httpx.post(f"{base}/tcb/uploadfile", params={"access_token": emulator.token},
                      json={"env": ENV, "path": "p.txt"}).json()  # fmt: skip
    form = {"key": "p.txt", "Signature": "forged", "x-cos-security-token": meta["token"],
            "x-cos-meta-fileid": meta["cos_file_id"]}  # fmt: skip
    refused = httpx.post(meta["url"], data=form, files={"file": ("p.txt", b"x")})
    assert refused.status_code == 403 and b"<Code>AccessDenied</Code>" in refused.content
    form["Signature"] = meta["authorization"]
    assert httpx.post(meta["url"], data=form, files={"file": ("p.txt", b"x")}).status_code == 204
    again = httpx.post(meta["url"], data=form, files={"file": ("p.txt", b"y")})  # a signature serves once
    assert again.status_code == 403
    assert emulator.files.read(meta["file_id"]) == b"x"


def test_files_persist_in_the_data_folder(tmp_path: Path) -> None:
    first = Emulator(data=str(tmp_path))
    with serve(first) as base:
        made = Cloud()
        made.init({"accessToken": first.token, "apiBase": base})
        file_id = made.sync.uploadFile({"cloudPath": "kept.txt", "fileContent": b"kept"})["fileID"]
        made.close()
    assert (tmp_path / "storage" / "emulator-env" / "kept.txt").read_bytes() == b"kept"
    first.close()  # one emulator at a time keeps a data folder
    assert Emulator(data=str(tmp_path)).files.read(file_id) == b"kept"


def test_uploads_are_not_retried_but_url_lookups_are(cloud: Cloud, served: tuple[Emulator, str], mode: str) -> None:
    emulator, _ = served
    emulator.reset()
    emulator.enqueue(Scripted(status=503, body={"errcode": -1, "errmsg": "busy"}))
    with pytest.raises(CloudSDKError) as err:
        call(cloud, mode, "uploadFile", {"cloudPath": "r.txt", "fileContent": b"r"})
    assert (err.value.errCode, err.value.errMsg) == (-1, "uploadFile:fail busy")  # the errcode, as for openapi
    assert [r.path for r in emulator.requests] == ["/tcb/uploadfile"]
    emulator.reset()
    emulator.enqueue(Scripted(status=503, body={"errcode": -1, "errmsg": "busy"}))
    assert call(cloud, mode, "getTempFileURL", {"fileList": ["cloud://e.b/none"]})["errMsg"] == "getTempFileURL:ok"
    assert [r.path for r in emulator.requests] == ["/tcb/batchdownloadfile"] * 2


def test_wechat_errors_come_back_as_cloudsdkerrors(cloud: Cloud, served: tuple[Emulator, str], mode: str) -> None:
    emulator, _ = served
    emulator.enqueue(Scripted(body={"errcode": 85088, "errmsg": "no cloudbase"}))
    with pytest.raises(CloudSDKError) as err:
        call(cloud, mode, "deleteFile", {"fileList": ["cloud://e.b/a"]})
    assert (err.value.errCode, err.value.errMsg) == (85088, "deleteFile:fail no cloudbase")
    with pytest.raises(CloudSDKError) as err:
        call(cloud, mode, "uploadFile", {"cloudPath": "../escape", "fileContent": b"x"})
    assert err.value.errCode == 40097
    assert "access_token" not in str(err.value) and emulator.token not in str(err.value)


# callFunction


def write_function(folder: Path, name: str, source: str) -> None:
    (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / name / "index.py").write_text(source)


@pytest.fixture
def functions(tmp_path: Path) -> Path:
    folder = tmp_path / "functions"
    write_function(folder, "double", "def main(event, context):\n    return {'n': event['n'] * 2}\n")
    write_function(folder, "boom", "async def main(event, context):\n    raise ValueError('no good')\n")
    write_function(folder, "text", "def main(event, context):\n    return 'plain'\n")
    write_function(folder, "forever", "import cloud\ncloud.init()\n\nasync def main(event, context):\n"
                   "    return (await cloud.callFunction({'name': 'forever', 'data': event}))['result']\n")  # fmt: skip
    write_function(folder, "who", "import cloud.sync as cloud\ncloud.init()\n\ndef main(event, context):\n"
                   "    return cloud.getWXContext()['OPENID']\n")  # fmt: skip
    return folder


def test_call_function_over_http(cloud: Cloud, served: tuple[Emulator, str], functions: Path, mode: str) -> None:
    emulator, _ = served
    emulator.reset()
    done = call(cloud, mode, "callFunction", {"name": "double", "data": {"n": 21}})
    assert list(done) == ["result", "errMsg", "requestID"]
    assert (done["result"], done["errMsg"]) == ({"n": 42}, "callFunction:ok")
    (sent,) = emulator.requests
    assert (sent.path, sent.query) == ("/tcb/invokecloudfunction",
                                       {"access_token": emulator.token, "env": ENV, "name": "double"})  # fmt: skip
    assert json.loads(sent.body) == {"n": 21}
    assert call(cloud, mode, "callFunction", {"name": "text"})["result"] == "plain"
    with pytest.raises(CloudSDKError) as err:
        call(cloud, mode, "callFunction", {"name": "boom"})
    assert err.value.errCode == -504002
    assert err.value.errMsg.startswith("callFunction:fail -504002 functions execute fail. requestID ")
    assert err.value.errMsg.endswith(", ValueError: no good")
    with pytest.raises(CloudSDKError) as err:
        call(cloud, mode, "callFunction", {"name": "missing"})
    assert err.value.errCode == -501001 and "function missing not found" in err.value.errMsg


def test_call_function_is_never_resent(cloud: Cloud, served: tuple[Emulator, str], functions: Path) -> None:
    emulator, _ = served
    emulator.reset()
    emulator.enqueue(Scripted(status=503, body={"errcode": -1, "errmsg": "busy"}))
    with pytest.raises(CloudSDKError):
        cloud.sync.callFunction({"name": "double", "data": {"n": 1}})
    assert len(emulator.requests) == 1


def test_endless_recursion_stops_with_a_clear_error(functions: Path) -> None:
    _, defaults = local.emulated(functions=functions)
    with platform.provided(defaults):
        made = Cloud()
        made.init()
        with pytest.raises(CloudSDKError) as err:
            made.sync.callFunction({"name": "forever", "data": {}})
    assert err.value.errCode == -504002
    assert "nested deeper than 16 calls (does forever call itself without end?)" in err.value.errMsg


def test_the_callee_has_the_callers_context(functions: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WX_CONTEXT_KEYS", "WX_OPENID")
    monkeypatch.setenv("WX_OPENID", "o-caller")
    _, defaults = local.emulated(functions=functions)
    with platform.provided(defaults):
        made = Cloud()
        made.init()
        assert made.sync.callFunction({"name": "who"})["result"] == "o-caller"


def test_the_callee_s_event_is_the_data_sent_with_no_user_info_added(functions: Path) -> None:
    """The platform adds ``userInfo`` to the event of a function a mini program calls, not to one
    another function calls (README: Storage and callFunction): the callee reads the caller's
    identity from ``getWXContext()``, or from what the caller puts in ``data``."""
    from cloud.testing import stubbed

    write_function(functions, "echo", "def main(event, context):\n    return event\n")
    write_function(functions, "caller", "import cloud\ncloud.init()\n\nasync def main(event, context):\n"
                   "    got = await cloud.callFunction({'name': 'echo', 'data': {'n': 1}})\n"
                   "    who = await cloud.callFunction({'name': 'who'})\n"
                   "    return {'mine': event, 'callee': got['result'], 'who': who['result']}\n")  # fmt: skip
    with stubbed() as wx:
        wx.context = {"OPENID": "o-caller", "APPID": "wx-app"}
        result = wx.run(functions / "caller", {"k": 2})
    assert result == {"mine": {"k": 2, "userInfo": {"appId": "wx-app", "openId": "o-caller"}}, "callee": {"n": 1},
                      "who": "o-caller"}  # fmt: skip


def test_the_two_function_sample_runs_offline() -> None:
    proc = run_cli("samples/report_app/make_report", "--event", '{"rows": 4}', "--context", '{"OPENID": "o-9"}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "fileID": "cloud://emulator-env.7465-emulator-env-1300000000/reports/squares-4.csv",
        "bytes": 25,
        "measured": {"size": 25, "lines": 5, "openid": "o-9"},
        "called": "callFunction:ok",
        "deleted": True,
    }


def test_the_testing_kit_runs_the_sample_with_its_sibling() -> None:
    from cloud.testing import stubbed

    with stubbed() as wx:
        wx.context = {"OPENID": "o-kit"}
        result = wx.run("samples/report_app/make_report", {"rows": 2})
        calls = [call.api or call.path for call in wx.calls]
    assert result["measured"] == {"size": 17, "lines": 3, "openid": "o-kit"}
    assert result["called"] == "callFunction:ok" and result["deleted"] is True
    assert [c for c in calls if not c.startswith("/")] == ["uploadFile", "callFunction", "getTempFileURL", "deleteFile"]


def test_a_file_over_max_request_bytes_is_refused_before_any_io(served: tuple[Emulator, str], mode: str) -> None:
    emulator, base = served
    emulator.reset()
    made = Cloud()
    made.init({"accessToken": emulator.token, "apiBase": base, "maxRequestBytes": 1000})
    with pytest.raises(CloudSDKError) as err:
        call(made, mode, "uploadFile", {"cloudPath": "big.bin", "fileContent": bytes(1001)})
    assert err.value.errCode == -501007 and "1001 bytes, over the 1000-byte limit" in err.value.errMsg
    assert emulator.request_count == 0
    made.close()


def test_a_file_id_copied_from_a_real_environment_names_its_file(cloud: Cloud, served: tuple[Emulator, str]) -> None:
    """Real buckets are ``<4 hex>-<env>-<account number>`` (``7072-prod-…-1304834920``): a function
    that reads such a fileID finds the file a scenario stored under it, as in its environment."""
    emulator, _ = served
    file_id = "cloud://prod-2gzh.7072-prod-2gzh-1304834920/customer/qr.png"
    emulator.files.put(file_id, b"png")
    assert call(cloud, "async", "downloadFile", {"fileID": file_id})["fileContent"] == b"png"
    [found] = call(cloud, "async", "getTempFileURL", {"fileList": [file_id]})["fileList"]
    assert httpx.get(found["tempFileURL"]).content == b"png"
    assert call(cloud, "async", "deleteFile", {"fileList": [file_id]})["fileList"][0]["status"] == 0
    for other in ("cloud://prod-2gzh.7072-test-env-1304834920/customer/qr.png", "cloud://prod-2gzh.prod/qr.png"):
        with pytest.raises(ValueError, match="not a fileID"):  # a bucket of another environment, or no bucket
            emulator.files.put(other, b"png")


def test_keys_a_folder_of_files_cannot_hold_are_clear_refusals_never_os_errors() -> None:
    """COS keys ``a/b.txt`` and ``a/b.txt/c.txt`` may both exist; the emulator keeps files in
    folders, so it says it does not run that, leaves no partial file behind, and treats a folder's
    fileID as no file (deleting it: -503003)."""
    import cloud.sync as blocking
    from cloud._client import platform
    from cloud._run.local import emulated

    emulator, provided = emulated()
    with platform.provided(provided):
        blocking.init()
        file_id = blocking.uploadFile({"cloudPath": "a/b.txt", "fileContent": b"x"})["fileID"]
        folder = file_id.rsplit("/", 1)[0]
        for target in (folder, file_id + "/c"):
            assert blocking.deleteFile({"fileList": [target]})["fileList"][0]["status"] == -503003
        for path in ("a/b.txt/c.txt", "a", "x" * 300):
            with pytest.raises(CloudSDKError, match="the emulator does not run"):
                blocking.uploadFile({"cloudPath": path, "fileContent": b"y"})
        assert blocking.uploadFile({"cloudPath": "y" * 250, "fileContent": b"z"})["fileID"].endswith("y" * 250)
    env = emulator.files.root / "emulator-env"
    assert sorted(p.name for p in env.rglob("*") if p.name.endswith(".part")) == []
    assert (env / "a" / "b.txt").read_bytes() == b"x"
