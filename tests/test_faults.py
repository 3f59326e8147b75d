"""A server that misbehaves on cue, and what each fault gives the caller: the errCode/errMsg Node
would show (or a success after a retry), always within the call's deadline."""

from __future__ import annotations

import functools
import gzip
import json
import random
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any

import pytest

from cloud import CloudSDKError, catalog
from cloud._client.instance import Cloud
from cloud._core import response, retry
from cloud._core.messages import Failure, Reply
from cloud.emulator import Emulator, Scripted

from .conftest import invoke
from .parity_cases import API, FAIL
from .test_call import SAMPLE

GET_API = "auth.getPaidUnionId"  # idempotent: safe to resend after it may have reached WeChat
NO_KEY = {k: v for k, v in SAMPLE.items() if k != "clientMsgId"}  # servicemarket without its idempotency key


class FaultServer:
    """Accepts HTTP connections on 127.0.0.1 and answers each as ``mode`` says."""

    def __init__(self) -> None:
        self.mode = "silent"
        self.connections = 0
        self.heads: list[bytes] = []
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        self.base = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            self.connections += 1
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(65536)
            head, _, body = request.partition(b"\r\n\r\n")
            self.heads.append(head)
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            while len(body) < length:
                body += conn.recv(65536)
            getattr(self, "_" + self.mode)(conn)
            conn.close()  # one exchange per connection: a retry comes on a new one
        except OSError:
            pass

    def _silent(self, conn: socket.socket) -> None:
        self._stop.wait(10)

    def _half(self, conn: socket.socket) -> None:
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"errcode":0,')
        conn.close()

    def _drip(self, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(1000):
            if self._stop.is_set():
                return
            conn.sendall(b" ")
            time.sleep(0.05)

    def _html502(self, conn: socket.socket) -> None:
        body = b"<html><body>502 Bad Gateway</body></html>"
        conn.sendall(
            b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )

    def _json500(self, conn: socket.socket) -> None:
        body = b'{"errcode":-1,"errmsg":"system error"}'
        conn.sendall(
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
            % (len(body), body)
        )

    def _ok(self, conn: socket.socket) -> None:
        body = b'{"errcode":0,"errmsg":"ok","data":"{}"}'
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )

    def _invalid(self, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{bad}")

    def _huge_declared(self, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n")
        self._send_megabytes(conn, 50)

    def _huge_chunked(self, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 65536
        for _ in range(800):  # 50 MiB
            if self._stop.is_set():
                return
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.sendall(b"0\r\n\r\n")

    def _send_megabytes(self, conn: socket.socket, count: int) -> None:
        block = b" " * (1024 * 1024)
        for _ in range(count):
            if self._stop.is_set():
                return
            conn.sendall(block)

    def _encoded(self, conn: socket.socket, encoding: bytes, body: bytes, content_type: bytes) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Encoding: %s\r\nContent-Length: %d\r\n\r\n%s"
            % (content_type, encoding, len(body), body)
        )

    def _gzip_bomb(self, conn: socket.socket) -> None:  # 128 MiB of spaces in about 128 kB
        self._encoded(conn, b"gzip", gzip_bomb(), b"application/json")

    def _gzip_ok(self, conn: socket.socket) -> None:
        self._encoded(conn, b"gzip", gzip.compress(b'{"errcode":0,"errmsg":"ok","data":"gz"}'), b"application/json")

    def _deflate_ok(self, conn: socket.socket) -> None:
        self._encoded(conn, b"deflate", zlib.compress(b'{"errcode":0,"errmsg":"ok","data":"zz"}'), b"application/json")

    def _gzip_corrupt(self, conn: socket.socket) -> None:
        self._encoded(conn, b"gzip", b"\x1f\x8b\x08\x00not gzip at all", b"application/json")

    def _wrong_length(self, conn: socket.socket) -> None:
        body = b'{"errcode":0,"errmsg":"ok"}'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n" + body)
        conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._open:
            conn.close()
        self._listener.close()


@functools.cache
def gzip_bomb() -> bytes:
    """128 MiB of spaces, gzipped to about 128 kB (made once, a megabyte at a time)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * 2**20
    return b"".join([*(packer.compress(block) for _ in range(128)), packer.flush()])


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


def call_timed(c: Cloud, mode: str, path: str = API, params: Any = NO_KEY) -> tuple[CloudSDKError, float]:
    started = time.monotonic()
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, path, params)
    return info.value, time.monotonic() - started


def cloud_at(base: str, **options: Any) -> Cloud:
    c = Cloud()
    c.init({"accessToken": "fault-test-token", "apiBase": base, **options})
    return c


def test_refused_connection_is_retried_then_501001(mode: str) -> None:
    from .test_call import unused_port

    err, took = call_timed(cloud_at(f"http://127.0.0.1:{unused_port()}", timeout=5), mode)
    assert err.errCode == -501001 and err.errMsg.startswith(f"{FAIL} -501001 resource system error. ConnectError")
    assert took < 5


def test_no_answer_ends_at_the_deadline(faults: FaultServer, mode: str) -> None:
    err, took = call_timed(cloud_at(faults.base, timeout=0.5), mode)
    assert (err.errCode, err.errMsg) == (-501002, f"{FAIL} -501002 resource server timeout. request timeout")
    assert 0.45 < took < 0.9
    assert faults.connections == 1  # it may have reached WeChat: not resent (servicemarket, no client_msg_id)


def test_no_answer_for_an_idempotent_api_is_retried_within_the_deadline(faults: FaultServer, mode: str) -> None:
    err, took = call_timed(cloud_at(faults.base, timeout=1.0), mode, GET_API, {"openid": "o"})
    assert err.errCode == -501002 and took < 1.4
    assert faults.connections >= 1


def test_an_idempotency_key_makes_a_retry_safe(faults: FaultServer, mode: str) -> None:
    faults.mode = "half"
    err, _ = call_timed(cloud_at(faults.base, timeout=5), mode, API, SAMPLE)
    assert err.errCode == -501001 and faults.connections == 3


def test_half_a_body_then_close(faults: FaultServer, mode: str) -> None:
    faults.mode = "half"
    err, took = call_timed(cloud_at(faults.base, timeout=5), mode)
    assert err.errCode == -501001
    assert err.errMsg.startswith(f"{FAIL} -501001 resource system error. RemoteProtocolError")
    assert faults.connections == 1 and took < 2


def test_slow_drip_ends_at_the_deadline(faults: FaultServer, mode: str) -> None:
    faults.mode = "drip"
    err, took = call_timed(cloud_at(faults.base, timeout=0.6), mode)
    assert (err.errCode, err.errMsg) == (-501002, f"{FAIL} -501002 resource server timeout. request timeout")
    assert took < 0.6 + 0.3


def test_502_html_is_retried_then_501001(faults: FaultServer, mode: str) -> None:
    faults.mode = "html502"
    err, took = call_timed(cloud_at(faults.base, timeout=10), mode, GET_API, {"openid": "o"})
    assert err.errMsg == "openapi.auth.getPaidUnionId:fail -501001 resource system error. HTTP 502 Bad Gateway"
    assert faults.connections == 3 and took < 3


def test_500_json_errcode_is_retried_then_raised(faults: FaultServer, mode: str) -> None:
    faults.mode = "json500"
    err, took = call_timed(cloud_at(faults.base, timeout=10), mode, API, SAMPLE)  # with its idempotency key
    assert (err.errCode, err.errMsg) == (-1, f"{FAIL} system error")
    assert faults.connections == 3 and took < 3


@pytest.mark.parametrize(
    "reply",
    [
        Scripted(502, "<html>502 Bad Gateway</html>", "text/html"),
        Scripted(504, "<html>504 Gateway Time-out</html>", "text/html"),
        Scripted(500, {"errcode": -1, "errmsg": "system error"}),
        Scripted(200, {"errcode": -1, "errmsg": "system error"}),
    ],
)
def test_a_gateway_error_for_an_api_that_acts_is_not_resent(
    make_cloud: Any, emulator: Emulator, mode: str, reply: Scripted
) -> None:
    """A 502/504 may come after WeChat sent the message: sending it again could send it twice."""
    emulator.stub("subscribeMessage.send", reply)
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(), mode, "subscribeMessage.send", {"touser": "o", "templateId": "t", "data": {}})
    assert info.value.errCode in (-501001, -1)
    assert [r.path for r in emulator.requests] == ["/cgi-bin/message/subscribe/send"]


def test_a_refused_connection_is_retried_even_for_an_api_that_acts(mode: str) -> None:
    """Nothing was sent, so nothing can happen twice."""
    from .test_call import unused_port

    c = cloud_at(f"http://127.0.0.1:{unused_port()}", timeout=5)
    budget = c._shared.budget.level
    err, _ = call_timed(c, mode, "subscribeMessage.send", {"touser": "o"})
    assert err.errCode == -501001 and "ConnectError" in err.errMsg
    assert budget - c._shared.budget.level == 10  # two retries taken


@pytest.mark.parametrize("levels", [256, 330, 500, 990, 5000])  # the reply object itself is one more level
def test_a_reply_nested_too_deeply_is_601001(make_cloud: Any, emulator: Emulator, mode: str, levels: int) -> None:
    body = '{"errcode":0,"list":' + "[" * levels + "]" * levels + "}"
    emulator.enqueue(Scripted(200, body))
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(), mode, API, SAMPLE)
    assert info.value.errCode == -601001
    assert info.value.errMsg == f"{FAIL} wechat server internal error, response body is nested too deeply: {body}"
    assert len(emulator.requests) == 1  # not retried


def test_deep_replies_that_can_be_returned_are(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    emulator.enqueue(Scripted(200, '{"errcode":0,"a_list":' + "[" * 255 + "]" * 255 + "}"))
    converted = invoke(make_cloud(), mode, API, SAMPLE)  # 256 levels: converted
    assert json.dumps(converted["aList"], separators=(",", ":")) == "[" * 255 + "]" * 255
    emulator.enqueue(Scripted(200, '{"errcode":0,"a_list":' + "[" * 500 + "]" * 500 + "}"))
    result = invoke(make_cloud(), mode, API, SAMPLE, ({"convertCase": False},))  # nothing to walk
    assert result["errCode"] == 0 and isinstance(result["a_list"], list)


def test_invalid_json_is_not_retried(faults: FaultServer, mode: str) -> None:
    faults.mode = "invalid"
    err, _ = call_timed(cloud_at(faults.base), mode)
    assert (err.errCode, err.errMsg) == (
        -601001,
        f"{FAIL} wechat server internal error, response body is invalid json: {{bad}}",
    )
    assert faults.connections == 1


def test_declared_50mb_reply_is_refused_without_reading_it(faults: FaultServer, mode: str) -> None:
    faults.mode = "huge_declared"
    err, took = call_timed(cloud_at(faults.base, timeout=10), mode)
    assert (err.errCode, err.errMsg) == (
        -501001,
        f"{FAIL} -501001 resource system error. reply body over 33554432 bytes (maxReplyBytes)",
    )
    assert took < 3


def test_undeclared_50mb_reply_stops_at_the_limit(faults: FaultServer, mode: str) -> None:
    faults.mode = "huge_chunked"
    err, took = call_timed(cloud_at(faults.base, timeout=10, maxReplyBytes=1024 * 1024), mode)
    assert (err.errCode, err.errMsg) == (
        -501001,
        f"{FAIL} -501001 resource system error. reply body over 1048576 bytes (maxReplyBytes)",
    )
    assert took < 3


def test_an_oversized_reply_is_not_read_again(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    emulator.stub("auth.getPaidUnionId", Scripted(200, {"errcode": 0, "unionid": "u" * 5000}))  # idempotent GET
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(maxReplyBytes=1000), mode, "auth.getPaidUnionId", {"openid": "o"})
    assert info.value.errCode == -501001 and "over 1000 bytes (maxReplyBytes)" in info.value.errMsg
    assert len(emulator.requests) == 1


def test_a_gzip_bomb_is_not_inflated_past_the_limit(faults: FaultServer, mode: str) -> None:
    faults.mode = "gzip_bomb"
    gzip_bomb()  # made before the clock and the memory count start
    c = cloud_at(faults.base, timeout=10, maxReplyBytes=1024 * 1024, retry="off")
    tracemalloc.start()
    try:
        err, took = call_timed(c, mode)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (err.errCode, err.errMsg) == (
        -501001,
        f"{FAIL} -501001 resource system error. reply body over 1048576 bytes (maxReplyBytes)",
    )
    assert peak < 16 * 1024 * 1024, f"{peak / 2**20:.0f} MiB allocated while reading a 128 kB reply"
    assert took < 3


@pytest.mark.parametrize(("fault", "data"), [("gzip_ok", "gz"), ("deflate_ok", "zz")])
def test_compressed_replies_are_read(faults: FaultServer, mode: str, fault: str, data: str) -> None:
    faults.mode = fault
    assert invoke(cloud_at(faults.base, timeout=5), mode, API, NO_KEY)["data"] == data
    assert b"accept-encoding: gzip, deflate" in faults.heads[0].lower()


def test_a_corrupt_gzip_reply_is_501001(faults: FaultServer, mode: str) -> None:
    faults.mode = "gzip_corrupt"
    err, _ = call_timed(cloud_at(faults.base, timeout=5), mode)
    assert err.errCode == -501001 and "DecodingError" in err.errMsg
    assert faults.connections == 1  # a reply came: not resent


def test_wrong_content_length(faults: FaultServer, mode: str) -> None:
    faults.mode = "wrong_length"
    err, _ = call_timed(cloud_at(faults.base, timeout=5), mode)
    assert err.errCode == -501001 and "RemoteProtocolError" in err.errMsg


def test_dns_failure_of_api_base(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    real = socket.getaddrinfo

    def no_such_host(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "api.no-such-host.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    err, took = call_timed(cloud_at("http://api.no-such-host.invalid", timeout=5), mode)
    assert err.errCode == -501001 and "ConnectError" in err.errMsg and "Name or service not known" in err.errMsg
    assert took < 5


def test_the_environment_proxy_is_used_unless_no_proxy_names_the_host(
    faults: FaultServer, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", faults.base)
    faults.mode = "ok"
    result = invoke(cloud_at("http://api.proxied.invalid", timeout=5), mode, API, NO_KEY)
    assert result["errCode"] == 0
    assert faults.heads[0].startswith(b"POST http://api.proxied.invalid/wxa/servicemarket?access_token=")

    real = socket.getaddrinfo

    def no_such_host(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "api.proxied.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    monkeypatch.setenv("NO_PROXY", "proxied.invalid")
    err, _ = call_timed(cloud_at("http://api.proxied.invalid", timeout=5, retry="off"), mode, API, NO_KEY)
    assert "Name or service not known" in err.errMsg
    assert len(faults.heads) == 1


def test_a_502_then_success_is_a_success(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    emulator.enqueue(Scripted(502, "<html>bad gateway</html>", "text/html"))
    assert invoke(make_cloud(), mode, API, SAMPLE)["errCode"] == 0
    assert len(emulator.requests) == 2


@pytest.mark.parametrize("errcode", [45009, 48001, 40003, 87014])
def test_errors_that_are_never_retried(make_cloud: Any, emulator: Emulator, mode: str, errcode: int) -> None:
    emulator.enqueue(Scripted(200, {"errcode": errcode, "errmsg": "no"}))
    with pytest.raises(CloudSDKError) as info:
        invoke(make_cloud(), mode, API, SAMPLE)
    assert info.value.errCode == errcode and len(emulator.requests) == 1


def test_busy_and_token_not_ready_are_retried(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    emulator.enqueue(
        Scripted(200, {"errcode": -1, "errmsg": "system error"}), Scripted(200, {"errcode": 85113, "errmsg": "x"})
    )
    assert invoke(make_cloud(), mode, API, SAMPLE)["errCode"] == 0
    assert len(emulator.requests) == 3


def test_retry_off_and_attempts_option(make_cloud: Any, emulator: Emulator) -> None:
    busy = Scripted(200, {"errcode": -1, "errmsg": "system error"})
    emulator.enqueue(busy, busy, busy, busy)
    with pytest.raises(CloudSDKError):
        make_cloud(retry="off").sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert len(emulator.requests) == 1
    with pytest.raises(CloudSDKError):
        make_cloud(retry={"maxAttempts": 2}).sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert len(emulator.requests) == 3


def test_minute_quota_waits_for_the_next_minute_only_within_the_deadline(make_cloud: Any, emulator: Emulator) -> None:
    quota = Scripted(200, {"errcode": 45011, "errmsg": "api minute-quota reach limit"})
    emulator.enqueue(quota, quota, quota)
    started = time.monotonic()
    with pytest.raises(CloudSDKError) as info:
        make_cloud(timeout=0.5).sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert info.value.errCode == 45011 and time.monotonic() - started < 0.8
    # waiting for the next minute fits in 0.5 s only in the last half second of a minute
    assert len(emulator.requests) == 1 or time.time() % 60 < 1.0


def test_retry_rules_are_pure_decisions() -> None:
    get = catalog.lookup(GET_API)
    post = catalog.lookup(API)
    assert get is not None and post is not None
    cut = Failure("connect", "RemoteProtocolError", sent=True)
    assert retry.classify(cut, None, get, False) == "safe"
    assert retry.classify(cut, None, post, False) is None
    assert retry.classify(cut, None, post, True) == "safe"
    assert retry.classify(Failure("timeout", "connect timeout", sent=False), None, post, False) == "timeout"
    assert retry.classify(Failure("connect", "ConnectError", sent=False), None, post, False) == "safe"
    assert retry.classify(Reply(503, "text/html", b""), None, post, True) == "safe"
    assert retry.classify(Reply(503, "text/html", b""), None, get, False) == "safe"
    assert retry.classify(Reply(502, "text/html", b""), None, post, False) is None  # WeChat may have acted
    assert retry.classify(Reply(200, "application/json", b'{"errcode":45011}'), 45011, post, False) == "next-minute"
    assert retry.classify(Reply(200, "application/json", b'{"errcode":40001}'), 40001, post, False) is None
    assert retry.classify(Reply(200, "application/json", b'{"errcode":-1}'), -1, post, True) == "safe"
    assert retry.classify(Reply(200, "application/json", b'{"errcode":-1}'), -1, post, False) is None
    # whether the params carry the idempotency key is asked only when the answer matters
    never = lambda: pytest.fail("asked whether the params carry the key")  # noqa: E731
    assert retry.classify(Reply(200, "application/json", b'{"errcode":0}'), 0, post, never) is None
    assert retry.classify(Reply(200, "application/json", b'{"errcode":[-1]}'), [-1], post, never) is None
    assert retry.classify(Reply(503, "text/html", b""), None, post, lambda: True) == "safe"
    assert retry.classify(cut, None, post, lambda: False) is None
    body = response.body_of(Reply(200, "application/json; encoding=utf-8", b'{"errcode":85113}'))
    assert (
        response.errcode_of(body) == 85113
        and response.errcode_of(response.body_of(Reply(200, "image/png", b""))) is None
    )
    assert response.is_token_error(42001) and not response.is_token_error("42001")
    assert retry.delay(retry.RetryPolicy(), "next-minute", 1, now=119.5) == pytest.approx(0.55)
    rng = random.Random(7)
    waits = [retry.delay(retry.RetryPolicy(), "safe", n, 0.0, rng) for n in (1, 2, 3, 10)]
    assert 0 <= waits[0] <= 0.2 and 0 <= waits[1] <= 0.4 and 0 <= waits[2] <= 0.8 and 0 <= waits[3] <= 5.0
    assert retry.has_idempotency_key(post, {"clientMsgId": "x"}) and not retry.has_idempotency_key(post, {"a": 1})


def test_an_empty_budget_stops_retrying(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()
    budget = c._shared.budget
    while budget.take(timeout=True):
        pass
    emulator.enqueue(Scripted(502, "", "text/html"))
    with pytest.raises(CloudSDKError) as info:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
    assert info.value.errCode == -501001 and len(emulator.requests) == 1
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0
    assert budget.level == 1  # successes refill it slowly


def test_a_call_that_succeeds_after_a_retry_gives_back_what_its_retry_took(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()
    budget, full = c._shared.budget, c._shared.budget.level
    emulator.enqueue(Scripted(502, "", "text/html"))
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0  # one retry: 5 taken, 5 back
    assert budget.level == full and len(emulator.requests) == 2
    budget.take(timeout=False)
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0  # no retry: 1 back
    assert budget.level == full - 4
