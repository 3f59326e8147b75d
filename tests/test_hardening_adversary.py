"""What a hostile token endpoint, a careless token provider, a hostile request header or a careless
function gives: a CloudSDKError or a one-line message with an exit status, never a traceback from
the library, a hang past the deadline, or a token the store cannot hold. Over real HTTP on 127.0.0.1
(the emulator, real Redis) or in-process."""

from __future__ import annotations

import asyncio
import json
import math
import re
import subprocess
import sys
import threading
import time
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
import pytest

import cloud
from cloud import CloudSDKError
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator, Scripted

from .conftest import invoke
from .parity_cases import API, FAIL
from .test_call import SAMPLE
from .test_runner import run as run_cli
from .test_runner import write_function

APP = {"appid": EMULATOR_APPID, "secret": EMULATOR_SECRET}


# --- a token endpoint or provider that gives odd lifetimes or tokens ----------------------------


def _token_reply(expires_in: str, token: str = '"emulator-issued-token"') -> Scripted:
    return Scripted(200, f'{{"access_token": {token}, "expires_in": {expires_in}}}'.encode())


@pytest.mark.parametrize("expires_in", ["1e400", "1e300", "1" + "0" * 400], ids=["1e400", "1e300", "10**400"])
@pytest.mark.parametrize("store", [False, True])
def test_an_endless_lifetime_from_the_token_endpoint_is_kept_a_day(
    expires_in: str, store: bool, make_cloud: Any, emulator: Emulator, redis_store_url: str
) -> None:
    emulator.enqueue(_token_reply(expires_in, f'"{emulator.token}"'))
    c = make_cloud(accessToken=None, **APP, **({"tokenStore": redis_store_url} if store else {}))
    assert invoke(c, "sync", API, SAMPLE)["errCode"] == 0
    if store:
        import redis

        with redis.Redis.from_url(redis_store_url) as client:
            left = client.pttl(f"wxcloud:token:{EMULATOR_APPID}:stable") / 1000
    else:
        left = c._shared.tokens._tokens[f"{EMULATOR_APPID}:stable"].expires_at - time.time()
    assert left == pytest.approx(86400, abs=60)  # WeChat's live 7,200 s: an endless one is kept a day


@pytest.mark.parametrize(
    ("expires_in", "token"),
    [("true", '"t-1"'), ("0", '"t-1"'), ("-5", '"t-1"'), ('"7200"', '"t-1"'), ("7200", '"two words"'),
     ("7200", '"line\\nbreak"'), ("7200", '""'), ("7200", "12345")],
)  # fmt: skip
def test_an_unusable_token_reply_is_a_server_error(
    expires_in: str, token: str, make_cloud: Any, emulator: Emulator
) -> None:
    emulator.enqueue(_token_reply(expires_in, token))
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(accessToken=None, **APP), "sync", API, SAMPLE)
    assert info.value.errCode == -601001
    assert "access token reply has no access_token and expires_in" in info.value.errMsg


@pytest.mark.parametrize("lifetime", [math.inf, 1e300, 10**400], ids=["inf", "1e300", "10**400"])
@pytest.mark.parametrize("store", [False, True])
def test_a_provider_may_say_forever(
    lifetime: float, store: bool, make_cloud: Any, emulator: Emulator, redis_store_url: str, mode: str
) -> None:
    options = {"tokenStore": redis_store_url} if store else {}
    c = make_cloud(accessToken=None, tokenProvider=lambda appid: (emulator.token, lifetime), **options)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_a_provider_that_hangs_ends_at_the_calls_deadline(kind: str, make_cloud: Any, mode: str) -> None:
    def hang(appid: Any) -> str:
        time.sleep(30)
        return "never"

    async def ahang(appid: Any) -> str:
        await asyncio.sleep(30)
        return "never"

    c = make_cloud(accessToken=None, tokenProvider=hang if kind == "sync" else ahang, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE)
    assert time.monotonic() - started < 3
    assert info.value.errCode == -501002
    said = "-501002 resource server timeout. tokenProvider did not answer within the call's timeout"
    assert info.value.errMsg == f"{FAIL} {said}"


def test_a_provider_still_sees_the_callers_context_variables(make_cloud: Any, emulator: Emulator) -> None:
    import contextvars

    tenant: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="none")
    seen: list[str] = []

    def provide(appid: Any) -> str:
        seen.append(tenant.get())
        return emulator.token

    tenant.set("t-1")
    assert invoke(make_cloud(accessToken=None, tokenProvider=provide), "sync", API, SAMPLE)["errCode"] == 0
    assert seen == ["t-1"]


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(3)])
def test_a_provider_raising_a_base_exception_lets_it_through_and_the_next_call_fetches(
    exc: BaseException, make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    raised: list[BaseException] = [exc]

    def provide(appid: Any) -> str:
        if raised:
            raise raised.pop()
        return emulator.token

    c = make_cloud(accessToken=None, tokenProvider=provide)
    with pytest.raises(type(exc)):
        invoke(c, mode, API, SAMPLE)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0


# --- python -m cloud run: what a careless main returns or does ---------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("    d = {}\n    d['d'] = d\n    return d\n", "main returned a value that contains itself at the result['d']"),
        ("    x = [1]\n    x.append({'a': x})\n    return {'x': x}\n", "contains itself at the result['x'][1]['a']"),
        ("    d = x = {}\n    for _ in range(5000):\n        x['a'] = x = {}\n    return d\n",
         "main returned a value nested deeper than 256 levels at the result['a']['a']"),
        ("    return {'n': 10 ** 5000}\n", "an integer over 1024 bits in the result['n'], which is not JSON"),
        ("    return {'n': [-(2 ** 1024)]}\n", "an integer over 1024 bits in the result['n'][0]"),
        ("    import sys\n    sys.exit(3)\n", "main called sys.exit(3): a cloud function returns its result or raises"),
    ],
)  # fmt: skip
def test_a_result_json_cannot_write_is_one_line_and_exit_2(tmp_path: Any, source: str, message: str) -> None:
    folder = write_function(tmp_path / "fn", "async def main(event, context):\n" + source)
    proc = run_cli(str(folder))
    lines = [line for line in proc.stderr.splitlines() if "in-process emulator" not in line]
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
    assert len(lines) == 1 and lines[0].startswith(f"cloud run: {folder}") and message in lines[0], lines
    assert len(lines[0]) < 400


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("def main():\n    return 1\n", "main() cannot be called as main(event, context)"),
        ("def main(event):\n    return 1\n", "main(event) cannot be called as main(event, context)"),
        ("async def main(event, context, extra):\n    return 1\n", "main(event, context, extra) cannot be called"),
        ("import sys\nsys.exit(5)\n", "index.py called sys.exit(5)"),
    ],
)
def test_a_main_that_cannot_be_called_as_the_platform_calls_it_is_one_line(
    tmp_path: Any, source: str, reason: str
) -> None:
    folder = write_function(tmp_path / "fn", source)
    proc = run_cli(str(folder))
    lines = [line for line in proc.stderr.splitlines() if "in-process emulator" not in line]
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
    assert len(lines) == 1 and lines[0].startswith(f"cloud run: {folder}") and reason in lines[0], lines


def test_lone_surrogates_print_as_node_escapes_them(tmp_path: Any) -> None:
    returned = "{'lone': 'a\\ud800b', 'pair': '\\ud83d\\ude00', '\\udc00': 1}"
    source = f"async def main(event, context):\n    return {returned}\n"
    proc = run_cli(str(write_function(tmp_path / "fn", source)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == '{"lone":"a\\ud800b","pair":"\U0001f600","\\udc00":1}'  # JSON.stringify's text


# --- a caller's appid taken from a request header ------------------------------------------------


@pytest.mark.parametrize("appid", ["", "  ", "wx\r\nX-Forged: 1", "wx\x00", "wx b", "wx\u2028b"])
def test_an_appid_that_is_no_appid_is_refused_before_io(
    appid: str, make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    c = make_cloud(accessToken=None, tokenProvider=lambda appid: emulator.token)
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, API, SAMPLE, options=({"appid": appid},))
    assert info.value.errCode == -501007
    assert info.value.errMsg.startswith("openapi:fail -501007 invalid parameters. appid must be a non-empty string")
    assert "\n" not in info.value.errMsg and "\r" not in info.value.errMsg
    assert emulator.requests == []


# --- Cloud Run request headers -------------------------------------------------------------------

ODD_HEADERS = [
    (b"X-WX-OPENID", b"o-first"), (b"X-WX-OPENID", b"o-second"), (b"X-WX-API-TOKEN", b"platform-token-0001"),
    (b"X-WX-TRIGGER-API-TOKEN-V0", b"platform-token-0002"), (b"X-Forwarded-For", b"10.0.0.9, 10.0.0.1"),
    (b"X-Forwarded-For", b"10.0.0.2"), (b"x_wx_appid", b"wx-underscored"),
]  # fmt: skip


def _context_wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("content-type", "application/json")])
    return [json.dumps(cloud.getWXContext()).encode()]


async def _context_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": json.dumps(cloud.getWXContext()).encode()})


def test_wsgi_and_asgi_read_duplicated_and_token_headers_alike() -> None:
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = make_server("127.0.0.1", 0, cloud.wsgi(_context_wsgi), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        plain = [h for h in ODD_HEADERS if b"_" not in h[0]]  # wsgiref passes x_wx_appid on as X-WX-APPID
        over_wsgi = httpx.get(f"http://127.0.0.1:{server.server_port}/", headers=plain).json()
    finally:
        server.shutdown()
        server.server_close()

    async def over_asgi() -> Any:
        transport = httpx.ASGITransport(cloud.asgi(_context_asgi))
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            return (await client.get("/", headers=ODD_HEADERS)).json()

    # one identity header sent twice is both values, as WSGI servers join them: never one picked silently
    expected = {"OPENID": "o-first,o-second", "CLIENTIP": "10.0.0.9"}
    assert over_wsgi == expected
    assert asyncio.run(over_asgi()) == expected  # and an underscored name is no X-WX- header


# --- scenario files a careless user writes --------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        ({"reply": [{"status": 502}]}, "unknown key 'reply' (known: collections, event, files, replies)"),
        ({"Replies": []}, "unknown key 'Replies'"),
    ],
)
def test_a_scenario_key_the_emulator_does_not_know_is_refused(
    scenario: dict[str, Any], message: str, tmp_path: Any, api_base: str
) -> None:
    from cloud.emulator import ScenarioError, load_scenario

    with pytest.raises(ScenarioError, match=re.escape(message)):
        load_scenario(Emulator(), scenario)
    refused = httpx.post(f"{api_base}/__emulator/scenario", json=scenario)  # the control endpoint says why
    assert refused.status_code == 400 and message in refused.json()["error"]
    (tmp_path / "s.json").write_text(json.dumps(scenario))
    folder = write_function(tmp_path / "fn", "def main(e, c):\n    return 1\n")
    proc = run_cli(str(folder), "--scenario", str(tmp_path / "s.json"))
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "body",
    [
        "    import time\n    time.sleep(3600)\n",
        "    import asyncio\n    await asyncio.sleep(3600)\n",
        "    import asyncio, time\n    await asyncio.to_thread(time.sleep, 3600)\n",  # an executor thread too
    ],
)
def test_a_main_that_never_returns_is_stopped_at_its_time_limit(tmp_path: Any, body: str) -> None:
    folder = write_function(tmp_path / "fn", "async def main(event, context):\n" + body)
    (folder / "config.json").write_text('{"timeout": 1}')
    started = time.monotonic()
    proc = run_cli(str(folder))
    assert time.monotonic() - started < 15
    lines = [line for line in proc.stderr.splitlines() if "in-process emulator" not in line]
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
    assert lines == [f"cloud run: {folder / 'index.py'}: main did not return within 1 s, where the cloud stops it "
                     '(config.json "timeout", 3 s when it gives none, at most 60)']  # fmt: skip


def test_without_a_timeout_in_config_json_main_has_the_clouds_3_seconds(tmp_path: Any) -> None:
    source = "import time\ndef main(event, context):\n    time.sleep(1)\n    return 1\n"
    quick = write_function(tmp_path / "quick", source)
    assert run_cli(str(quick)).stdout.strip() == "1"
    slow = write_function(tmp_path / "slow", "import time\ndef main(event, context):\n    time.sleep(60)\n")
    started = time.monotonic()
    proc = run_cli(str(slow))
    assert proc.returncode == 2 and "within 3 s" in proc.stderr and time.monotonic() - started < 15


# --- compare: what the two functions print ------------------------------------------------------


def test_output_left_without_a_newline_does_not_hide_either_sides_result(tmp_path: Any) -> None:
    from .test_compare import cloud_compare, write

    js = "exports.main = async () => { process.stdout.write('working...{'); return { n: 1 } }\n"
    py = "import sys\n\nasync def main(event, context):\n    sys.stdout.write('working...{')\n    return {'n': 1}\n"
    folder = write(tmp_path / "fn", js, py)
    proc = cloud_compare(str(folder / "index.js"), str(folder / "index.py"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")


def test_a_cloudbase_token_file_that_never_ends_is_read_no_further_than_a_token(tmp_path: Any) -> None:
    # in a process of its own with 2 GiB of address space: a reader that did not stop fills it, not the machine
    script = (
        "import resource, cloud.sync as c\n"
        "from cloud.emulator import Emulator\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "emu = Emulator()\n"
        "c.init({'tokenMode': 'cloudbase', 'cloudbaseTokenFile': '/dev/zero', 'timeout': 2,\n"
        "        'transport': emu.transport()})\n"
        "try:\n"
        "    c.openapi.security.msgSecCheck({'content': 'x'})\n"
        "except c.CloudSDKError as err:\n"
        "    print(err.errMsg)\n"
    )
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert "/dev/zero is unreadable" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert time.monotonic() - started < 10


# --- the emulator's HTTP server ------------------------------------------------------------------


def test_a_client_waiting_for_100_continue_gets_it_and_then_its_answer(api_base: str, emulator: Emulator) -> None:
    import socket

    host, port = api_base.removeprefix("http://").split(":")
    body = b'{"content": "hello"}'
    head = (f"POST /wxa/msg_sec_check?access_token={emulator.token} HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n").encode()  # fmt: skip
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head)
        sock.settimeout(0.5)  # curl waits 1 s for it, then sends anyway
        assert sock.recv(4096).startswith(b"HTTP/1.1 100 Continue\r\n")
        sock.sendall(body)
        sock.settimeout(5)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 OK") and b'"errcode": 0' in answer
    assert emulator.requests[-1].body == body
    refused = httpx.post(f"{api_base}/wxa/msg_sec_check", content=b"x" * 100, headers={"expect": "100-continue"})
    assert refused.status_code == 200  # a client that sends its body at once is answered as before


def test_only_ascii_digits_are_parsed_as_integers_as_in_node() -> None:
    environ = {"WX_CONTEXT_KEYS": "WX_OPENID,WX_APPID,WX_UNIONID", "WX_OPENID": "٣٣", "WX_APPID": "1" * 5000,
               "WX_UNIONID": "-42"}  # fmt: skip
    context = cloud.getWXContext(environ)
    assert context["OPENID"] == "٣٣"  # JavaScript's \d is 0-9 only: Node keeps the text
    assert context["APPID"] == "1" * 5000  # past what Python parses: kept as sent, not a crash
    assert context["UNIONID"] == -42


def _raw(api_base: str, data: bytes) -> bytes:
    import socket

    host, port = api_base.removeprefix("http://").split(":")
    out = b""
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        sock.settimeout(1.5)
        try:
            while chunk := sock.recv(65536):
                out += chunk
        except TimeoutError:  # the connection stays open for the next request
            pass
    return out


@pytest.mark.parametrize(
    ("sent", "status"),
    [
        (b"POST /wxa/msg_sec_check HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n", 400),
        (b"POST /wxa/msg_sec_check HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef", 400),
        (b"POST /wxa/msg_sec_check HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        (b"GET /\xff\xfe HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 404),  # HTTP/2's preface: no such path, then 400 for its "SM"
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40, 400),
        (b"GET /cgi-bin/token HTTP/1.1\r\n\r\n", 400),  # no Host
        (b"GET http://api.weixin.qq.com/__emulator/requests HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 404),
    ],
)
def test_malformed_requests_get_a_status_not_a_dropped_connection(api_base: str, sent: bytes, status: int) -> None:
    answer = _raw(api_base, sent)
    assert answer.split(b"\r\n", 1)[0].startswith(f"HTTP/1.1 {status} ".encode()), answer[:200]
    assert b"__emulator" not in answer.split(b"\r\n\r\n", 1)[-1]  # no request log through an absolute-form target


def test_pipelined_requests_are_answered_in_order(api_base: str, emulator: Emulator) -> None:
    def one(text: str) -> bytes:
        body = json.dumps({"content": text}).encode()
        return (f"POST /wxa/msg_sec_check?access_token={emulator.token} HTTP/1.1\r\nHost: localhost\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body  # fmt: skip

    answer = _raw(api_base, one("first") + one("second") + one("third"))
    assert answer.count(b"HTTP/1.1 200 OK") == 3
    assert [json.loads(r.body)["content"] for r in emulator.requests[-3:]] == ["first", "second", "third"]


def test_a_provider_returning_the_token_services_json_text_is_told_so(make_cloud: Any, emulator: Emulator) -> None:
    text = json.dumps({"access_token": emulator.token, "expires_in": 7200}, separators=(",", ":"))
    c = make_cloud(accessToken=None, tokenProvider=lambda appid: text)  # `return reply.text`, not the token
    with pytest.raises(CloudSDKError) as info:
        invoke(c, "sync", API, SAMPLE)
    assert info.value.errMsg == (
        f"{FAIL} tokenProvider returned JSON text: return the token, (token, expires_in) or a dict such as "
        "json.loads(text)"
    )
    assert emulator.token not in str(info.value) and emulator.requests == []
