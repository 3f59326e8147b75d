"""Storage, the database, and the frozen clock under attack: paths that climb out of the file store,
forged or tampered temporary URLs, hostile storage servers, file objects that fail or never end,
dates no calendar holds, and a hostile reply's extended JSON. Everything over real HTTP on
127.0.0.1 (the emulator, or a small hostile server in a thread) or in-process."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud import CloudSDKError, errors
from cloud._client.instance import Cloud
from cloud._core import clock
from cloud._db.values import from_stored
from cloud.emulator import Emulator, serve
from cloud.emulator._database import LocalDatabase

from .test_runner import run as run_cli

SIGN = "temporary-url-signature-0123456789"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Emulator, str, Path]]:
    emulator = Emulator(data=str(tmp_path / "data"))
    with serve(emulator) as base:
        yield emulator, base, tmp_path / "data"


def _api(emulator: Emulator, base: str, path: str, body: Any) -> dict[str, Any]:
    content = body if isinstance(body, str) else json.dumps(body)
    reply = httpx.post(f"{base}{path}", params={"access_token": emulator.token}, content=content, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()  # type: ignore[no-any-return]


def _upload(emulator: Emulator, base: str, env: str, path: str, data: bytes) -> tuple[dict[str, Any], int]:
    """The upload form as COS takes it: WeChat's reply, and the storage server's status (0: no URL)."""
    meta = _api(emulator, base, "/tcb/uploadfile", {"env": env, "path": path})
    if meta.get("errcode"):
        return meta, 0
    fields = {"key": path, "Signature": meta["authorization"], "x-cos-security-token": meta["token"],
              "x-cos-meta-fileid": meta["cos_file_id"]}  # fmt: skip
    sent = httpx.post(meta["url"], data=fields, files={"file": ("f", data)}, timeout=10)
    return meta, sent.status_code


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# the emulator's file store


@pytest.mark.parametrize("env", ["..", ".", "../up", "/tmp/abs", "a\\b", "a\0b", "x" * 65, "é"])
def test_an_environment_that_is_not_an_id_is_refused_and_nothing_lands_outside_the_store(
    served: tuple[Emulator, str, Path], env: str
) -> None:
    emulator, base, data = served
    before = _files(data)
    meta, status = _upload(emulator, base, env, "database.sqlite3", b"overwritten")
    assert meta["errcode"] == 40097 and "env" in meta["errmsg"] and status == 0
    assert _files(data) == before  # the database beside the store is untouched


def _temp_url(emulator: Emulator, base: str, file_id: str, max_age: Any = 60) -> dict[str, Any]:
    body = f'{{"env": "e1", "file_list": [{{"fileid": {json.dumps(file_id)}, "max_age": {max_age}}}]}}'
    return _api(emulator, base, "/tcb/batchdownloadfile", body)["file_list"][0]  # type: ignore[no-any-return]


def test_temporary_urls_refuse_tampering_forgery_and_odd_expiries(served: tuple[Emulator, str, Path]) -> None:
    emulator, base, _ = served
    meta, status = _upload(emulator, base, "e1", "a.txt", b"secret file")
    assert status == 204
    url = _temp_url(emulator, base, meta["file_id"])["download_url"]
    assert httpx.get(url).content == b"secret file"
    head, _, query = url.partition("?")
    sign = query.split("&")[0]
    for t in ["²", "١٢٣", "9" * 5000, "-1", "", "1e9"]:  # never a 500, whatever ``t`` is
        refused = httpx.get(f"{head}?{sign}&t={t}")
        assert refused.status_code == 403 and b"AccessDenied" in refused.content, t
    other = head.replace("a.txt", "b.txt")
    assert httpx.get(f"{other}?{query}").status_code == 403  # a signature is for one path
    for age in ["1e400", "-1", "0", '"60"']:  # 1e400 reads as infinity
        item = _temp_url(emulator, base, meta["file_id"], age)
        assert item["status"] == 40097 and item["download_url"] == "", age
    far = _temp_url(emulator, base, meta["file_id"], "1e300")["download_url"]
    assert far.endswith("&t=100000000000") and httpx.get(far).content == b"secret file"


def test_a_file_id_naming_another_bucket_or_env_is_not_found(served: tuple[Emulator, str, Path]) -> None:
    emulator, base, _ = served
    meta, _ = _upload(emulator, base, "e1", "a.txt", b"one")
    for forged in [meta["file_id"].replace("7465-e1-", "7465-e2-"), "cloud://...7465-..-1300000000/a.txt",
                   meta["file_id"].replace("a.txt", "../e1/a.txt")]:  # fmt: skip
        assert _temp_url(emulator, base, forged)["status"] == -503003, forged


def test_symbolic_links_in_the_data_folder_lead_nowhere(served: tuple[Emulator, str, Path], tmp_path: Path) -> None:
    emulator, base, data = served
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_bytes(b"not for download")
    _upload(emulator, base, "e1", "a.txt", b"one")
    store = data / "storage" / "e1"
    (store / "link.txt").symlink_to(outside / "private.txt")
    (store / "dir").symlink_to(outside, target_is_directory=True)
    assert _temp_url(emulator, base, "cloud://e1.7465-e1-1300000000/link.txt")["status"] == -503003
    _, status = _upload(emulator, base, "e1", "dir/planted.txt", b"planted")
    assert status == 403 and not (outside / "planted.txt").exists()


# the library's storage against a hostile storage server


class _Hostile(BaseHTTPRequestHandler):
    """WeChat's storage API whose URLs lead to trouble (``server.mode``)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        here = f"http://127.0.0.1:{self.server.server_address[1]}"
        url = {"bad-url": f"{here}/f\0?sign={SIGN}", "drip": f"{here}/drip?sign={SIGN}"}.get(
            self.server.mode,  # type: ignore[attr-defined]
            f"{here}/redirect?sign={SIGN}&t=1",
        )
        body = json.dumps({"errcode": 0, "file_list": [{"fileid": "cloud://e.b/x", "download_url": url, "status": 0}]})
        self._send(200, body.encode())

    def do_GET(self) -> None:
        if self.path.startswith("/drip"):
            self.send_response(200)
            self.send_header("content-length", "100")
            self.end_headers()
            for _ in range(20):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.25)
            return
        self.send_response(302)
        self.send_header("location", f"/elsewhere?sign={SIGN}")
        self.send_header("content-length", "0")
        self.end_headers()

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile() -> Iterator[tuple[ThreadingHTTPServer, str]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    server.mode = ""  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _call(made: Cloud, mode: str, api: str, params: Any) -> Any:
    if mode == "sync":
        return getattr(made.sync, api)(params)
    return asyncio.run(getattr(made, api)(params))


@pytest.mark.parametrize("case", ["bad-url", "drip", "redirect"])
def test_download_from_a_hostile_storage_server_is_a_cloud_error_within_the_deadline(
    hostile: tuple[ThreadingHTTPServer, str], case: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    server, base = hostile
    server.mode = case  # type: ignore[attr-defined]
    made = Cloud()
    made.init({"accessToken": "access-token-value", "apiBase": base, "env": "e", "timeout": 1.5})
    started = time.monotonic()
    with caplog.at_level(logging.DEBUG), pytest.raises(CloudSDKError) as caught:
        _call(made, mode, "downloadFile", {"fileID": "cloud://e.b/x"})
    made.close()
    assert time.monotonic() - started < 4
    shown = f"{caught.value!s} {caught.value!r} {caught.value.errMsg}"
    assert SIGN not in shown and SIGN not in caplog.text  # the temporary URL's signature is a credential
    assert caught.value.errMsg.startswith("downloadFile:fail")


class _Endless(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = b"y" * len(buffer)
        return len(buffer)


class _Raises(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise OSError("the disk went away")


class _Hangs(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        time.sleep(5)
        return 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (_Endless(), "over the 100000-byte limit (maxRequestBytes)"),
        (_Raises(), "reading fileContent failed: OSError: the disk went away"),
        (_Hangs(), "-501002 resource server timeout. reading fileContent timed out"),
    ],
    ids=["endless", "raises", "hangs"],
)
def test_a_file_object_that_never_ends_fails_or_hangs_is_a_cloud_error_before_any_io(
    served: tuple[Emulator, str, Path], content: Any, expected: str, mode: str
) -> None:
    emulator, base, _ = served
    made = Cloud()
    made.init({"accessToken": emulator.token, "apiBase": base, "env": "e", "timeout": 1, "maxRequestBytes": 100_000})
    count = emulator.request_count
    started = time.monotonic()
    with pytest.raises(CloudSDKError) as caught:
        _call(made, mode, "uploadFile", {"cloudPath": "a.bin", "fileContent": content})
    made.close()
    assert expected in caught.value.errMsg and caught.value.errMsg.startswith("uploadFile:fail")
    assert time.monotonic() - started < 3 and emulator.request_count == count


def test_a_text_file_object_is_sent_as_utf8(served: tuple[Emulator, str, Path], mode: str) -> None:
    emulator, base, _ = served
    made = Cloud()
    made.init({"accessToken": emulator.token, "apiBase": base, "env": "e"})
    up = _call(made, mode, "uploadFile", {"cloudPath": "t.txt", "fileContent": io.StringIO("héllo")})
    made.close()
    assert emulator.files.read(up["fileID"]) == "héllo".encode()


def test_sign_query_values_are_redacted_but_other_names_ending_in_sign_are_not() -> None:
    text = f"GET /f?sign={SIGN}&t=1 design=kept"
    assert errors.redact(text, ()) == "GET /f?sign=***&t=1 design=kept"
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: GET %s", (text,), None)
    errors.RedactingFilter().filter(record)
    assert SIGN not in record.getMessage()


# the database


@pytest.mark.parametrize("arg", ["-1e20", "9" * 400, "8.64e15", "-62135596800001", "1e999"])
def test_a_date_no_calendar_holds_is_an_invalid_command_not_a_crash(arg: str) -> None:
    database = LocalDatabase()
    assert database.answer("/tcb/databasecollectionadd", b'{"collection_name": "c"}')["errcode"] == 0
    query = json.dumps({"query": f'db.collection("c").add({{data: {{d: new Date({arg})}}}})'})
    reply = database.answer("/tcb/databaseadd", query.encode())
    assert reply["errcode"] == -502002 and "is not a date" in reply["errmsg"]


def test_dates_before_1970_still_read_back() -> None:
    database = LocalDatabase()
    database.answer("/tcb/databasecollectionadd", b'{"collection_name": "c"}')
    query = json.dumps({"query": 'db.collection("c").add({data: {d: new Date(-86400000)}})'})
    assert database.answer("/tcb/databaseadd", query.encode())["errcode"] == 0
    found = database.answer("/tcb/databasequery", b'{"query": "db.collection(\\"c\\").get()"}')
    assert from_stored(json.loads(found["data"][0]))["d"].isoformat() == "1969-12-31T00:00:00+00:00"


def test_a_hostile_replys_extended_json_is_kept_as_it_came() -> None:
    odd = [{"$date": 1e20}, {"$date": "garbage"}, {"$date": None}, {"$date": True}, {"$numberInt": "x"},
           {"$numberLong": "9" * 5000}, {"$numberDouble": "not a number"}]  # fmt: skip
    assert from_stored({"odd": odd}) == {"odd": odd}
    assert from_stored({"$date": {"$numberLong": "1000"}}).timestamp() == 1.0


# the frozen clock


@pytest.mark.parametrize(
    "value", ["8640000000000001", "-62135596800001", "9" * 400, "²", "0001-01-01T00:00:00+14:00", "NaN", "1e3"]
)
def test_a_clock_python_cannot_show_is_refused_with_a_message(value: str) -> None:
    with pytest.raises(ValueError, match="--clock"):
        clock.parse(value)


def test_the_clock_reaches_both_ends_of_the_calendar() -> None:
    for value in (str(clock.EARLIEST), str(clock.LATEST), "0001-01-02T00:00:00Z", "-1"):
        with clock.frozen(clock.parse(value)):
            assert time.time() * 1000 // 1 == clock.parse(value)
            import datetime

            datetime.datetime.now()  # at any offset the instant is a date Python holds


def test_the_command_line_says_what_is_wrong_with_a_clock(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "index.py").write_text("def main(event, context):\n    return 1\n")
    proc = run_cli(str(folder), "--clock", "8640000000000001", cwd=tmp_path)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "--clock '8640000000000001' is outside" in proc.stderr
    assert os.path.isdir(folder)


# callFunction on the emulator over HTTP


@pytest.fixture
def functions(tmp_path: Path) -> Path:
    folder = tmp_path / "functions"
    for name, source in {
        "double": "def main(event, context):\n    return {'n': event['n'] * 2}\n",
        "hang": "import time\n\ndef main(event, context):\n    time.sleep(30)\n",
        "outer": "from cloud._client.instance import Cloud\n\ndef main(event, context):\n    made = Cloud()\n"
        "    made.init({'apiBase': event['base'], 'accessToken': event['token'], 'env': 'e', 'timeout': 5})\n"
        "    return made.sync.callFunction({'name': 'double', 'data': {'n': 2}})['result']\n",
    }.items():
        (folder / name).mkdir(parents=True)
        (folder / name / "index.py").write_text(source)
    return folder


def test_a_function_that_calls_the_emulator_over_http_is_answered(functions: Path, mode: str) -> None:
    emulator = Emulator(functions=functions)
    with serve(emulator) as base:
        made = Cloud()
        made.init({"accessToken": emulator.token, "apiBase": base, "env": "e", "timeout": 10})
        started = time.monotonic()
        done = _call(made, mode, "callFunction", {"name": "outer", "data": {"base": base, "token": emulator.token}})
        made.close()
    assert done["result"] == {"n": 4} and time.monotonic() - started < 5


def test_a_callee_that_never_returns_holds_up_no_other_call_nor_the_servers_stop(functions: Path) -> None:
    emulator = Emulator(functions=functions)
    started = time.monotonic()
    with serve(emulator) as base:
        made = Cloud()
        made.init({"accessToken": emulator.token, "apiBase": base, "env": "e", "timeout": 1})
        with pytest.raises(CloudSDKError) as caught:
            made.sync.callFunction({"name": "hang", "data": {}})
        assert caught.value.errCode == -501002  # the caller's deadline
        made.init({"accessToken": emulator.token, "apiBase": base, "env": "e", "timeout": 2})
        done = made.sync.callFunction({"name": "double", "data": {"n": 1}})  # the hung callee still runs
        made.close()
    assert done["result"] == {"n": 2} and time.monotonic() - started < 6


# payment notifications


class _Loud(BaseHTTPRequestHandler):
    """A Cloud Run service whose answer is ``{"errcode": 0}`` padded to 5 MiB (gzip on ``/gzip``)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b'{"errcode": 0, "pad": "' + b"x" * (5 << 20) + b'"}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        if self.path == "/gzip":
            import gzip

            body = gzip.compress(body)
            self.send_header("content-encoding", "gzip")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.parametrize("path", ["/plain", "/gzip"])
def test_a_service_answering_megabytes_to_a_payment_notification_is_a_failed_delivery(path: str) -> None:
    import cloud

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Loud)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    emulator = Emulator(cloudrun=True)
    emulator.payment_targets["pay"] = f"http://127.0.0.1:{server.server_address[1]}"
    order = {"body": "b", "outTradeNo": "N1", "spbillCreateIp": "127.0.0.1", "subMchId": "1900000109",
             "totalFee": 1, "envId": "e", "callbackType": 2, "container": {"service": "pay", "path": path}}  # fmt: skip
    try:
        with serve(emulator) as base:
            made = cloud.Cloud()
            made.init(tokenMode="cloudrun", apiBase=base)
            made.sync.cloudPay.unifiedOrder(order)
            made.close()
            reply = httpx.post(f"{base}/__emulator/pay/notify", json={"outTradeNo": "N1"}, timeout=30).json()
    finally:
        server.shutdown()
        server.server_close()
    assert reply["accepted"] is False and reply["problem"] == "the service answered over 1048576 bytes"


def test_upload_signatures_held_at_once_are_bounded_and_cheap(tmp_path: Path) -> None:
    from cloud.emulator import _storage as storage

    emulator = Emulator(data=str(tmp_path / "data"))
    started = time.monotonic()
    first = emulator.files.answer("/tcb/uploadfile", {"env": "e1", "path": "a"}, "http://h")
    for _ in range(storage.MAX_PENDING):  # once quadratic: each one copied every one held
        emulator.files.answer("/tcb/uploadfile", {"env": "e1", "path": "a"}, "http://h")
    assert time.monotonic() - started < 5
    last = emulator.files.answer("/tcb/uploadfile", {"env": "e1", "path": "a"}, "http://h")

    def form(meta: Any) -> Any:
        boundary = "b0undary"
        fields = {"key": "a", "Signature": meta["authorization"], "x-cos-security-token": meta["token"],
                  "x-cos-meta-fileid": meta["cos_file_id"], "file": "data"}  # fmt: skip
        body = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
        )
        headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
        return emulator.files.serve(
            "POST", "/__cos/7465-e1-1300000000", {}, headers, f"{body}--{boundary}--\r\n".encode()
        )

    assert form(first).status == 403  # the oldest, forgotten
    assert form(last).status == 204


def test_a_pattern_that_is_not_a_regular_expression_is_an_invalid_command() -> None:
    database = LocalDatabase()
    database.answer("/tcb/databasecollectionadd", b'{"collection_name": "c"}')
    database.answer("/tcb/databaseadd", b'{"query": "db.collection(\\"c\\").add({data: {s: \\"a\\"}})"}')
    where = 'db.collection("c").where({s: db.RegExp({regexp: "(", options: ""})}).get()'
    reply = database.answer("/tcb/databasequery", json.dumps({"query": where}).encode())
    assert reply["errcode"] == -502002 and "is not a regular expression" in reply["errmsg"]


class _Vault(dict):  # type: ignore[type-arg]
    """What the test keeps to look for, hidden from the traceback it looks in (its frame is there)."""

    def __repr__(self) -> str:
        return "<vault>"


def _shown(err: BaseException) -> str:
    """Everything a traceback with locals shows (as Sentry or pytest -l would)."""
    import traceback

    return "".join(traceback.TracebackException.from_exception(err, capture_locals=True).format())


def test_tracebacks_with_locals_of_failed_storage_calls_show_no_signature(
    hostile: tuple[ThreadingHTTPServer, str], served: tuple[Emulator, str, Path], mode: str
) -> None:
    server, base = hostile
    server.mode = "redirect"  # type: ignore[attr-defined]
    made = Cloud()
    made.init({"accessToken": "access-token-value", "apiBase": base, "env": "e", "timeout": 2})
    with pytest.raises(CloudSDKError) as caught:
        _call(made, mode, "downloadFile", {"fileID": "cloud://e.b/x"})
    made.close()
    shown = _shown(caught.value)
    assert "config = Config(" in shown and SIGN not in shown  # the locals are there, the signature is not
    emulator, emulator_base, _ = served
    made = Cloud()
    made.init({"accessToken": emulator.token, "apiBase": emulator_base, "env": "e"})
    meta = _Vault()

    def refuse(*args: Any) -> Any:  # the storage server refuses the form, after WeChat signed it
        from cloud.emulator._storage import _cos_error

        meta.update(emulator.files._uploads)  # the signatures WeChat issued
        return _cos_error(403, "AccessDenied", "Access Denied.")

    emulator.files.serve = refuse  # type: ignore[method-assign]
    with pytest.raises(CloudSDKError) as caught:
        _call(made, mode, "uploadFile", {"cloudPath": "a.txt", "fileContent": b"data"})
    made.close()
    shown = _shown(caught.value)
    (authorization, upload), = meta.items()  # fmt: skip
    assert "config = Config(" in shown and "[AccessDenied]" in shown
    assert authorization not in shown and upload.token not in shown


def test_an_upload_form_of_thousands_of_parts_is_refused_unread(tmp_path: Path) -> None:
    emulator = Emulator(data=str(tmp_path / "data"))
    meta = emulator.files.answer("/tcb/uploadfile", {"env": "e1", "path": "a"}, "http://h")
    fields = {"key": "a", "Signature": meta["authorization"], "x-cos-security-token": meta["token"],
              "x-cos-meta-fileid": meta["cos_file_id"], "file": "data"}  # fmt: skip
    parts = [*fields.items(), *((f"pad{i}", "x") for i in range(20_000))]
    body = (
        "".join(f'--b0\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in parts) + "--b0--\r\n"
    )
    started = time.monotonic()
    answer = emulator.files.serve(
        "POST", "/__cos/7465-e1-1300000000", {}, {"content-type": "multipart/form-data; boundary=b0"}, body.encode()
    )
    assert answer.status == 403 and time.monotonic() - started < 0.5
    assert emulator.files.read("cloud://e1.7465-e1-1300000000/a") is None


def test_datetimes_made_under_a_stopped_clock_pickle_and_print_as_datetimes() -> None:
    import copyreg
    import datetime
    import pickle

    from cloud._core import clock

    real = datetime.datetime
    with clock.frozen(clock.parse("2026-01-02T03:04:05Z")):
        utc = datetime.timezone.utc
        made = [datetime.datetime.now(), datetime.datetime(2024, 1, 1), datetime.date.today(),
                datetime.datetime.now(utc), datetime.datetime.strptime("2024-02-03", "%Y-%m-%d")]  # fmt: skip
        assert repr(made[0]) == "datetime.datetime(2026, 1, 2, 3, 4, 5)"
        assert repr(made[2]) == "datetime.date(2026, 1, 2)"
        assert isinstance(made[0], datetime.datetime) and not isinstance(made[2], datetime.datetime)
        data = pickle.dumps(made)
        assert pickle.loads(data) == made
    assert [type(value) for value in pickle.loads(data)] == [real, real, datetime.date, real, real]
    assert real not in copyreg.dispatch_table and pickle.loads(pickle.dumps(real(2020, 1, 1))) == real(2020, 1, 1)
