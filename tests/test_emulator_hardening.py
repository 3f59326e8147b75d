"""The emulator stays up and honest under hostile or careless input: bad scenarios are refused with
a reason, every request gets an answer, secrets stay out of sight."""

from __future__ import annotations

import json
import pprint
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Answer, Emulator, ScenarioError, Scripted, serve
from cloud.emulator._scenario import reply_of
from cloud.emulator.server import Limits
from cloud.testing import stubbed

SCENARIO = "/__emulator/scenario"
CHECK = "/wxa/msg_sec_check"
DEEP = b"[" * 100_000 + b"]" * 100_000


def load(api_base: str, body: bytes) -> httpx.Response:
    return httpx.post(api_base + SCENARIO, content=body, timeout=5)


def msg_sec_check(api_base: str, emulator: Emulator) -> httpx.Response:
    return httpx.post(api_base + CHECK, params={"access_token": emulator.token}, json={"content": "a"}, timeout=5)


def test_a_scenario_nested_thousands_deep_is_refused_with_a_reason(api_base: str, emulator: Emulator) -> None:
    reply = load(api_base, DEEP)
    assert reply.status_code == 400 and reply.json() == {"error": "the scenario is not JSON: JSON nested too deeply"}


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_scenario_with_nan_or_infinity_is_refused(api_base: str, emulator: Emulator, constant: str) -> None:
    before = msg_sec_check(api_base, emulator).json()
    body = '{"replies": [{"api": "security.msgSecCheck", "json": {"errcode": 0, "score": SCORE}}]}'
    reply = load(api_base, body.replace("SCORE", constant).encode())
    assert reply.status_code == 400 and f"{constant.lstrip('-')} is not JSON" in reply.json()["error"]
    assert msg_sec_check(api_base, emulator).json() == before, "nothing was loaded"


def test_nan_given_as_python_data_is_refused_too() -> None:
    with pytest.raises(ScenarioError, match=r"replies\[0\]: the body is not JSON"):
        reply_of({"json": {"score": float("nan")}}, "replies[0]")
    with pytest.raises(ValueError, match="not JSON"):
        Scripted(body=[float("inf")])


@pytest.mark.parametrize("value", ["text/plain\r\nx-injected: 1", "text/plain\nx-injected: 1", "a\x00b", "a\x7f"])
def test_a_content_type_with_a_control_character_is_refused(api_base: str, emulator: Emulator, value: str) -> None:
    scenario = {"replies": [{"api": "security.msgSecCheck", "contentType": value}]}
    reply = load(api_base, json.dumps(scenario).encode())
    assert reply.status_code == 400
    assert reply.json()["error"].startswith("replies[0]: the content-type header value ")
    assert "control character" in reply.json()["error"]
    answered = msg_sec_check(api_base, emulator)
    assert "x-injected" not in answered.headers and answered.headers["content-type"].startswith("application/json")


def test_stubs_made_in_python_are_checked_the_same_way() -> None:
    with pytest.raises(ValueError, match="control character"):
        Scripted(headers=(("x-trace", "1\r\nset-cookie: a=b"),))
    with pytest.raises(ValueError, match="not a header name"):
        Scripted(headers=(("x trace", "1"),))
    with stubbed() as wx, pytest.raises(ScenarioError, match=r"stub\('security.msgSecCheck'\): .*control character"):
        wx.stub("security.msgSecCheck", {"errcode": 0}, content_type="text/plain\r\nx-injected: 1")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ({"body": "\ud800"}, "surrogate"),
        ({"json": {"text": "\udfff"}}, "surrogate"),
        ({"error": 1, "errmsg": "\ud800"}, "surrogate"),
        ({"contentType": "text/plain; charset=中文"}, "not Latin-1 text"),
    ],
)
def test_a_reply_that_could_not_be_sent_is_refused_when_loaded(
    api_base: str, emulator: Emulator, reply: dict[str, Any], reason: str
) -> None:
    scenario = {"replies": [{"api": "security.msgSecCheck", **reply}]}
    loaded = load(api_base, json.dumps(scenario).encode())
    assert loaded.status_code == 400 and loaded.headers["content-type"] == "application/json"
    assert loaded.json()["error"].startswith("replies[0]: ") and reason in loaded.json()["error"]
    assert msg_sec_check(api_base, emulator).json()["errcode"] == 0, "nothing was loaded"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (DEEP.decode(), "the scenario is not JSON: JSON nested too deeply"),
        ('{"event": {"score": NaN}, "replies": []}', "the scenario is not JSON: NaN is not JSON"),
    ],
    ids=["nested", "nan"],
)
def test_a_scenario_file_that_is_not_strict_json_stops_the_cli(tmp_path: Path, text: str, reason: str) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(text)
    command = [sys.executable, "-m", "cloud", "emulator", "--port", "0", "--scenario", str(scenario)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    assert done.returncode == 2 and f"{scenario}: {reason}" in done.stderr


@pytest.mark.parametrize("appid", [[1], {"a": 1}])
def test_token_fetch_with_a_wrongly_typed_appid_gets_wechats_error(api_base: str, appid: Any) -> None:
    body = {"grant_type": "client_credential", "appid": appid, "secret": EMULATOR_SECRET}
    reply = httpx.post(api_base + "/cgi-bin/stable_token", json=body, timeout=5).json()
    assert reply["errcode"] == 40013 and reply["errmsg"].startswith("invalid appid")


def test_deeply_nested_call_bodies_get_wechats_errors(api_base: str, emulator: Emulator) -> None:
    params = {"access_token": emulator.token}
    check = httpx.post(api_base + CHECK, params=params, content=DEEP, timeout=5)
    assert check.json()["errcode"] == 47001
    data = {"service": "wx79ac3de8be320b71", "api": "OcrAllInOne", "data": DEEP.decode()}
    market = httpx.post(api_base + "/wxa/servicemarket", params=params, json=data, timeout=5)
    assert market.json() == {"errcode": 40097, "errmsg": "invalid args, data is not JSON rid: " + market.json()[
        "errmsg"].rsplit("rid: ", 1)[1]}  # fmt: skip
    log = httpx.get(api_base + "/__emulator/requests", timeout=5)
    assert log.status_code == 200 and len(log.json()["requests"]) == 2


def test_recorded_requests_show_no_secret_or_token(api_base: str, emulator: Emulator) -> None:
    credentials = {"grant_type": "client_credential", "appid": EMULATOR_APPID, "secret": EMULATOR_SECRET}
    token = httpx.post(api_base + "/cgi-bin/stable_token", json=credentials, timeout=5).json()["access_token"]
    httpx.get(api_base + "/cgi-bin/token", params=credentials, timeout=5)
    httpx.post(api_base + "/cgi-bin/stable_token", content=f"secret={EMULATOR_SECRET}&x=1", timeout=5)
    httpx.post(api_base + CHECK, params={"access_token": token}, json={"content": "a"}, timeout=5)
    httpx.post(api_base + CHECK, params={"cloudbase_access_token": "cb-token-123"}, json={"access_token": token},
               timeout=5)  # fmt: skip
    recorded = emulator.requests
    assert len(recorded) == 5
    shown = "\n".join([repr(recorded), str(recorded[0]), pprint.pformat(recorded, width=40)])
    for secret in (EMULATOR_SECRET, token, "cb-token-123"):
        assert secret not in shown
    assert "'secret': '***'" in repr(recorded[1]) and '"secret": "***"' in repr(recorded[0])
    assert b"secret=***&x=1" in repr(recorded[2]).encode()
    assert recorded[0].json()["secret"] == EMULATOR_SECRET and recorded[1].query["secret"] == EMULATOR_SECRET
    assert recorded[3].query["access_token"] == token and recorded[4].json() == {"access_token": token}


# --- the HTTP server: bounded heads and bodies, idle and slow peers, failures answered ------------


@pytest.fixture(scope="module")
def tight() -> Iterator[str]:
    """An emulator served with small limits, so a test sees them within a second."""
    limits = Limits(body_bytes=1000, idle_timeout=0.3, head_timeout=0.5)
    with serve(Emulator(), limits=limits) as base:
        yield base


def exchange(base: str, *sends: bytes, pause: float = 0.0) -> tuple[bytes, float]:
    """Send ``sends`` on a new connection (``pause`` seconds apart); what the server answered until
    it closed, and how long that took."""
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        for data in sends:
            sock.sendall(data)
            time.sleep(pause)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received, time.monotonic() - started


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def test_a_request_head_over_64_kib_gets_431_not_buffered(api_base: str) -> None:
    head = b"GET /wxa/msg_sec_check HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (4 << 20) + b"\r\n\r\n"
    reply, _ = exchange(api_base, head)
    assert status_of(reply) == 431 and b"connection: close" in reply
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1])["error"].startswith("bad request")


def test_a_body_over_20_mib_is_refused_before_it_is_sent(api_base: str) -> None:
    head = b"POST /wxa/msg_sec_check HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (20 * 1024 * 1024 + 1)
    reply, took = exchange(api_base, head)
    assert status_of(reply) == 413 and took < 2
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1]) == {"error": f"the body is over {20 * 1024 * 1024} bytes"}


def test_the_body_limit_holds_for_chunked_bodies_too(tight: str) -> None:
    head = b"POST /wxa/msg_sec_check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    chunk = b"3e8\r\n" + b"a" * 1000 + b"\r\n"
    assert status_of(exchange(tight, head, chunk, b"1\r\na\r\n0\r\n\r\n")[0]) == 413
    exact = b"POST /wxa/msg_sec_check HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 1000\r\n\r\n"
    assert status_of(exchange(tight, exact + b"a" * 1000)[0]) == 200, "a body at the limit is served"


def test_an_idle_connection_is_closed(tight: str) -> None:
    reply, took = exchange(tight)
    assert reply == b"" and 0.25 < took < 2
    served, took = exchange(tight, b"GET /cgi-bin/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert status_of(served) == 404 and 0.25 < took < 2, "kept alive after a reply, then closed when idle"


def test_a_head_sent_too_slowly_gets_408(tight: str) -> None:
    reply, took = exchange(tight, b"GET /cgi-bin/nothing HTTP/1.1\r\n", *[b"X-Slow: 1\r\n"] * 10, pause=0.1)
    assert status_of(reply) == 408 and took < 2
    assert json.loads(reply.split(b"\r\n\r\n", 1)[1]) == {"error": "the request head came too slowly"}


class Broken:
    """An app that fails: it raises, or answers with a header no HTTP reply may carry."""

    def __init__(self, failure: BaseException | None) -> None:
        self.failure = failure

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        if self.failure is not None:
            raise self.failure
        return Answer(200, [("content-type", "text/plain\r\nx-injected: 1")], b"hi")


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum recursion depth exceeded"),
        (KeyError("appid"), "KeyError: 'appid'"),
        (None, "ValueError: the reply has a header HTTP cannot carry: the content-type header value"),
    ],
)
def test_a_failing_app_gets_a_500_with_a_json_error(failure: BaseException | None, error: str) -> None:
    with serve(Broken(failure)) as base, httpx.Client(base_url=base, timeout=5) as http:
        for _ in range(2):  # the connection stays usable
            reply = http.post("/__emulator/scenario", content=b"{}")
            assert reply.status_code == 500 and "x-injected" not in reply.headers
            assert reply.json()["error"].startswith(f"the emulator failed: {error}")


# The doors: no web page drives the emulator (cross-site requests, DNS rebinding)


def test_a_cross_site_post_from_a_web_page_empties_no_database(tmp_path: Path) -> None:
    emulator = Emulator(data=tmp_path / "data")
    emulator.database.answer("/tcb/databasecollectionadd", b'{"collection_name": "todos"}')
    emulator.database.answer("/tcb/databaseadd", b'{"query": "db.collection(\\"todos\\").add({data:{a:1}})"}')
    statement = b'{"query": "db.collection(\\"todos\\").where({}).remove()"}'
    with serve(emulator) as base:
        url = f"{base}/tcb/databasedelete?access_token={emulator.token}"
        for markers in (
            {"origin": "http://evil.example", "content-type": "text/plain"},  # a form or fetch() with no-cors
            {"origin": "null"},  # a sandboxed frame or a file:// page
            {"sec-fetch-site": "cross-site"},
            {"host": "evil.example"},  # DNS rebinding: the page's own name, resolved to 127.0.0.1
        ):
            refused = httpx.post(url, content=statement, headers=markers)
            assert refused.status_code == 403, markers
        control = httpx.post(f"{base}/__emulator/reset", headers={"origin": "https://evil.example"})
        assert control.status_code == 403
        counted = emulator.database.answer("/tcb/databasecount", b'{"query": "db.collection(\\"todos\\").count()"}')
        assert counted["count"] == 1
        for allowed in (
            {},
            {"origin": "http://localhost:5173"},
            {"sec-fetch-site": "same-site"},
            {"host": "localhost"},
        ):
            answered = httpx.post(f"{base}/wxa/msg_sec_check?access_token={emulator.token}", json={"content": "a"},
                                  headers=allowed)  # fmt: skip
            assert answered.status_code == 200, allowed


def test_the_door_rules_name_what_they_refuse() -> None:
    from cloud.emulator._checks import door_problem, loopback_name

    assert [loopback_name(h) for h in ("127.0.0.1:80", "[::1]:8080", "LOCALHOST", "app.localhost", "127.9.9.9")] == [
        True
    ] * 5  # fmt: skip
    assert not any(loopback_name(h) for h in ("evil.example", "10.0.0.1", "[::2]", "localhost.evil.example", ""))
    assert door_problem({"Host": "evil.example:80"}, open_host=False) == (
        "the emulator answers requests to a loopback host name only, not Host: evil.example:80"
    )
    assert door_problem({"Host": "emulator:8080"}, open_host=True) is None  # --host 0.0.0.0: a container's name
    assert door_problem({"Host": "emulator:8080", "Origin": "http://emulator:8080"}, open_host=True) is None
    assert "another origin" in str(door_problem({"Host": "emulator:8080", "Origin": "http://evil"}, open_host=True))
    assert door_problem({}, open_host=False) is None  # HTTP/1.0 without Host: no browser sends that
