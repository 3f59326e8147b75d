"""Storage and callFunction against the real wx-server-sdk 4.0.2: its checks before any I/O, its
result shapes and its error shapes, run through the real @cloudbase/node-sdk with only its request
functions answering canned replies (``tests/node/storage_harness.js``)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from cloud import NULL, CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import Emulator

from .node_sdk import HARNESS_DIR, plain

ENV = "test-env"


def node(cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each case's outcome in Node, by id."""
    found = shutil.which("node")
    assert found, "Node 20 is needed for the parity checks: install nodejs"
    proc = subprocess.run([found, str(HARNESS_DIR / "storage_harness.js")], input=json.dumps({"cases": plain(cases)}),
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return {outcome["id"]: outcome for outcome in json.loads(proc.stdout)}


@pytest.fixture
def local() -> Iterator[tuple[Emulator, Cloud]]:
    emulator = Emulator()
    made = Cloud()
    made.init({"accessToken": emulator.token, "transport": emulator.transport(), "env": ENV})
    yield emulator, made
    made.close()


BEFORE_IO: list[tuple[str, str, list[Any]]] = [
    ("up-none", "uploadFile", []),
    ("up-not-object", "uploadFile", [0]),
    ("up-no-path", "uploadFile", [{"fileContent": b"hi"}]),
    ("up-path-number", "uploadFile", [{"cloudPath": 3, "fileContent": b"hi"}]),
    ("up-no-content", "uploadFile", [{"cloudPath": "a.txt"}]),
    ("up-empty-text", "uploadFile", [{"cloudPath": "a.txt", "fileContent": ""}]),
    ("up-text", "uploadFile", [{"cloudPath": "a.txt", "fileContent": "hi"}]),
    ("dl-none", "downloadFile", [{}]),
    ("dl-number", "downloadFile", [{"fileID": 3}]),
    ("tmp-none", "getTempFileURL", []),
    ("tmp-not-array", "getTempFileURL", [{"fileList": "x"}]),
    ("tmp-no-max-age", "getTempFileURL", [{"fileList": [{"fileID": "x"}]}]),
    ("tmp-number", "getTempFileURL", [{"fileList": [3]}]),
    ("del-not-array", "deleteFile", [{}]),
    ("del-number", "deleteFile", [{"fileList": ["a", 2]}]),
    ("del-empty", "deleteFile", [{"fileList": [""]}]),
    ("fn-none", "callFunction", []),
    ("fn-no-name", "callFunction", [{"data": {}}]),
    ("fn-name-number", "callFunction", [{"name": 1}]),
    ("fn-empty-name", "callFunction", [{"name": ""}]),
    ("fn-data-text", "callFunction", [{"name": "f", "data": "x"}]),
    ("fn-data-list", "callFunction", [{"name": "f", "data": [1]}]),
]


def test_checks_before_any_io_match_node(local: tuple[Emulator, Cloud]) -> None:
    """Same errCode, errMsg and message as Node, the same JSON (``code`` and ``requestId`` where
    @cloudbase/node-sdk's own checks add them, in Node's key order), and (as in Node) no request made."""
    emulator, made = local
    outcomes = node([{"id": i, "api": api, **({"args": args} if args else {})} for i, api, args in BEFORE_IO])
    for case_id, api, args in BEFORE_IO:
        expected = outcomes[case_id]
        assert expected["actions"] == [] and "error" in expected, case_id
        with pytest.raises(CloudSDKError) as err:
            getattr(made.sync, api)(*args)
        ours = err.value
        assert (ours.errCode, ours.errMsg, ours.message) == (
            expected["error"]["errCode"],
            expected["error"]["errMsg"],
            expected["error"]["message"],
        ), case_id
        assert list(ours.to_dict().items()) == list(json.loads(expected["error"]["json"]).items()), case_id
    assert emulator.request_count == 0


def test_data_null_is_refused_as_in_node(local: tuple[Emulator, Cloud]) -> None:
    expected = node([{"id": "n", "api": "callFunction", "args": [{"name": "f", "data": None}]}])["n"]["error"]
    with pytest.raises(CloudSDKError) as err:
        local[1].sync.callFunction({"name": "f", "data": NULL})
    assert (err.value.errCode, err.value.errMsg) == (expected["errCode"], expected["errMsg"])


def test_results_have_nodes_shapes(local: tuple[Emulator, Cloud]) -> None:
    """The same keys, in the same order, with the same values where the data is the same."""
    _, made = local
    ours_up = made.sync.uploadFile({"cloudPath": "a/b.txt", "fileContent": b"hello"})
    file_id = ours_up["fileID"]
    meta = {"url": "https://cos.example/x", "token": "t", "authorization": "a", "fileId": file_id, "cosFileId": "c"}
    listed = [{"fileID": file_id, "tempFileURL": "https://x/a/b.txt", "code": "SUCCESS"}]
    missing = {"fileID": "cloud://e.b/none", "tempFileURL": "", "code": "STORAGE_FILE_NONEXIST", "maxAge": 60}
    cases = [
        {"id": "up", "api": "uploadFile", "args": [{"cloudPath": "a/b.txt", "fileContent": b"hello"}],
         "replies": {"storage.getUploadMetadata": {"requestId": "r", "data": meta}},
         "storage": {"status": 204, "body": ""}},
        {"id": "dl", "api": "downloadFile", "args": [{"fileID": file_id}],
         "replies": {"storage.batchGetDownloadUrl": {"requestId": "r", "data": {"download_list": listed}}},
         "storage": {"status": 200, "body": "hello"}},
        {"id": "dl-missing", "api": "downloadFile", "args": [{"fileID": "cloud://e.b/none"}],
         "replies": {"storage.batchGetDownloadUrl": {"requestId": "r", "data": {"download_list": [
             {**missing, "message": "storage file not exist"}]}}}},
        {"id": "tmp", "api": "getTempFileURL", "args": [{"fileList": [{"fileID": "cloud://e.b/none", "maxAge": 60}]}],
         "replies": {"storage.batchGetDownloadUrl": {"requestId": "r", "data": {"download_list": [missing]}}}},
        {"id": "del", "api": "deleteFile", "args": [{"fileList": [file_id, file_id]}],
         "replies": {"storage.batchDeleteFile": {"requestId": "r", "data": {"delete_list": [
             {"fileID": file_id, "code": "SUCCESS"}, {"fileID": file_id, "code": "STORAGE_FILE_NONEXIST"}]}}}},
    ]  # fmt: skip
    outcomes = node(cases)
    assert ours_up == outcomes["up"]["result"]
    assert outcomes["up"]["actions"] == [{"action": "storage.getUploadMetadata", "path": "a/b.txt", "method": "put"}]
    assert made.sync.downloadFile({"fileID": file_id}) == {**outcomes["dl"]["result"], "fileContent": b"hello"}
    assert outcomes["dl"]["actions"][0]["file_list"] == [{"fileid": file_id, "max_age": 600}]
    with pytest.raises(CloudSDKError) as err:
        made.sync.downloadFile({"fileID": "cloud://e.b/none"})
    assert (err.value.errCode, err.value.errMsg) == (-1, outcomes["dl-missing"]["error"]["errMsg"])
    node_json = json.loads(outcomes["dl-missing"]["error"]["json"])  # code STORAGE_FILE_NONEXIST, requestId ""
    assert list(err.value.to_dict().items()) == list(node_json.items())
    tmp = made.sync.getTempFileURL({"fileList": [{"fileID": "cloud://e.b/none", "maxAge": 60}]})
    assert tmp == outcomes["tmp"]["result"]
    assert made.sync.deleteFile({"fileList": [file_id, file_id]}) == outcomes["del"]["result"]


def test_call_function_results_and_errors_match_node(tmp_path: Any) -> None:
    (tmp_path / "double").mkdir()
    (tmp_path / "double" / "index.py").write_text("def main(event, context):\n    return {'n': event['n'] * 2}\n")
    (tmp_path / "boom").mkdir()
    (tmp_path / "boom" / "index.py").write_text("def main(event, context):\n    raise ValueError('no good')\n")
    emulator = Emulator(functions=tmp_path)
    made = Cloud()
    made.init({"accessToken": emulator.token, "transport": emulator.transport(), "env": ENV})
    outcomes = node([
        {"id": "ok", "api": "callFunction", "args": [{"name": "double", "data": {"n": 2}}],
         "replies": {"functions.invokeFunction": {"requestId": "R", "data": {"response_data": '{"n":4}'}}}},
        {"id": "boom", "api": "callFunction", "args": [{"name": "boom"}],
         "replies": {"functions.invokeFunction": {"requestId": "R", "code": "FUNCTIONS_EXECUTE_FAIL",
                                                  "message": "ValueError: no good"}}},
    ])  # fmt: skip
    ours = made.sync.callFunction({"name": "double", "data": {"n": 2}})
    assert {**ours, "requestID": "R"} == outcomes["ok"]["result"]
    assert outcomes["ok"]["actions"][0]["request_data"] == json.dumps({"n": 2}, separators=(",", ":"))
    with pytest.raises(CloudSDKError) as err:
        made.sync.callFunction({"name": "boom"})
    expected = outcomes["boom"]["error"]
    mine = re.sub(r"requestID [0-9a-f-]+,", "requestID R,", err.value.errMsg)
    assert (err.value.errCode, mine) == (expected["errCode"], expected["errMsg"])
    made.close()
