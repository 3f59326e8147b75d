"""The call path beyond the parity table: configuration, bad input, transport failures, secrets."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import cloud
from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator, Scripted

from . import node_sdk
from .conftest import invoke
from .parity_cases import API, FAIL, OK

SAMPLE = {
    "service": "wx79ac3de8be320b71",
    "api": "OcrAllInOne",
    "data": {"imgUrl": "http://mmbiz.qpic.cn/x/0", "dataType": 3, "ocrType": 1},
    "clientMsgId": "id123",
}


def raises(mode: str, cloud_: Cloud, params: Any, path: str = API, options: tuple[Any, ...] = ()) -> CloudSDKError:
    with pytest.raises(CloudSDKError) as info:
        invoke(cloud_, mode, path, params, options)
    return info.value


# --- configuration -------------------------------------------------------------------------


def test_init_is_idempotent_and_update_config_replaces(emulator: Emulator, api_base: str, mode: str) -> None:
    c = Cloud()
    c.init(accessToken=emulator.token, apiBase=api_base)
    c.init(accessToken="other-token", apiBase="http://127.0.0.1:1")  # ignored, as in Node
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0
    c.updateConfig(accessToken="wrong-token", apiBase=api_base)
    assert raises(mode, c, SAMPLE).errCode == 40001


def test_update_config_switches_transport(mode: str) -> None:
    first, second = Emulator(), Emulator()
    c = Cloud()
    c.init(accessToken=first.token, transport=first.transport())
    invoke(c, mode, API, SAMPLE)
    c.updateConfig(accessToken=second.token, transport=second.transport())
    invoke(c, mode, API, SAMPLE)
    assert (len(first.requests), len(second.requests)) == (1, 1)


def test_update_config_is_not_init(emulator: Emulator, api_base: str, mode: str) -> None:
    c = Cloud()
    c.updateConfig(accessToken=emulator.token, apiBase=api_base)
    err = raises(mode, c, SAMPLE)
    assert err.errCode == -1 and err.errMsg.startswith("Cloud API isn't enabled, please call init first")
    assert emulator.requests == []


def test_options_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator, api_base: str, mode: str
) -> None:
    monkeypatch.setenv("WX_ACCESS_TOKEN", emulator.token)
    monkeypatch.setenv("WX_API_BASE", api_base + "/")
    monkeypatch.setenv("WX_TIMEOUT", "2.5")
    c = Cloud()
    c.init()
    assert c.config is not None and (c.config.api_base, c.config.timeout) == (api_base, 2.5)
    assert invoke(c, mode, API, SAMPLE)["errCode"] == 0


def test_init_options_beat_the_environment_and_snake_case_is_accepted(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator, api_base: str
) -> None:
    monkeypatch.setenv("WX_ACCESS_TOKEN", "env-token")
    monkeypatch.setenv("WX_TIMEOUT", "9")
    c = Cloud()
    c.init({"timeout": 3}, access_token=emulator.token, api_base=api_base)
    assert c.config is not None
    assert (c.config.access_token, c.config.timeout, c.config.api_base) == (emulator.token, 3.0, api_base)


def test_defaults_are_wechat_and_fifteen_seconds() -> None:
    c = Cloud()
    c.init(accessToken="t")
    assert c.config is not None and (c.config.api_base, c.config.timeout) == ("https://api.weixin.qq.com", 15.0)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"timeout": "soon"}, "timeout must be a positive number of seconds"),
        ({"timeout": -1}, "timeout must be a positive number of seconds"),
        ({"timeout": True}, "timeout must be a positive number of seconds"),
        ({"timeout": float("inf")}, "timeout must be a positive number of seconds"),
        ({"timeout": 1e10}, "at most 86400 (one day), got 10000000000.0"),
        ({"timeout": 86400.5}, "at most 86400 (one day)"),
        ({"timeout": 10**5000}, "at most 86400 (one day), got <int>"),
        ({"apiBase": "ftp://api.weixin.qq.com"}, "apiBase must be an http(s) URL"),
        ({"apiBase": "https://x/?access_token=1"}, "apiBase must be an http(s) URL"),
        ({"apiBase": "http://host:99999"}, "apiBase must be an http(s) URL"),
        ({"apiBase": 8080}, "apiBase must be a URL string"),
        ({"apiBase": "https://api.weixin.qq.com/\x00x"}, r"got 'https://api.weixin.qq.com/\x00x'"),
        ({"apiBase": "https://api.weixin.qq.com\r\nX-Forged: 1"}, "no user or password, query, fragment, spaces"),
        ({"apiBase": "https://api.weixin.qq.com/a b"}, "apiBase must be an http(s) URL"),
        ({"apiBase": "https://api.weixin.qq.com?"}, "got 'https://api.weixin.qq.com?'"),
        ({"apiBase": "https://api.weixin.qq.com/#"}, "got 'https://api.weixin.qq.com/#'"),
        ({"apiBase": "https://user@api.weixin.qq.com"}, "got 'https://***@api.weixin.qq.com'"),
        ({"apiBase": "https://evil.example\\@api.weixin.qq.com"}, "apiBase must be an http(s) URL"),
        ({"apiBase": "ftp://api.weixin.qq.com/" + "x" * 1_000_000}, "apiBase must be an http(s) URL"),
        ({"accessToken": 123}, "accessToken must be a non-empty string"),
        ({"accessToken": "a\nb"}, "accessToken must be a non-empty string"),
        ({"transport": "tcp"}, "transport must be an httpx transport"),
        ({"accessToken": "tok\ud800en"}, "accessToken must be a non-empty string on one line, of printable"),
        ({"appid": "wx\x00"}, r"appid must be a non-empty string without spaces, got 'wx\x00'"),
    ],
)
def test_bad_options_are_refused_at_init(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CloudSDKError) as info:
        Cloud().init(options)
    assert info.value.errCode == -501007
    assert info.value.errMsg.startswith("init:fail -501007 invalid parameters. ")
    assert fragment in info.value.errMsg
    assert len(info.value.errMsg) < 500 and "\n" not in info.value.errMsg


@pytest.mark.parametrize(
    "options",
    [
        {"apiBase": "https://user:pw-SECRET-1@api.weixin.qq.com"},
        {"apiBase": "https://:pw-SECRET-1@api.weixin.qq.com/x"},
        {"apiBase": "http://pw-SECRET-1@127.0.0.1:8080"},
        {"apiBase": "https://u:pw/SECRET?1@api.weixin.qq.com"},
        {"tokenStore": "redsi://:pw-SECRET-1@127.0.0.1:6379/0"},
        {"tokenStore": "redsi://127.0.0.1:6379/0?password=pw-SECRET-1"},
        {"tokenStore": "redis://:pw-SECRET-1@127.0.0.1:badport/0"},
        {"tokenStore": "redis://127.0.0.1:6379/0?password=pw-SECRET-1&socket_timeout=soon"},
        {"tokenStore": "redis://:pw-SECRET-1@127.0.0.1:6379/0\n"},
        {"tokenStore": "unix://:pw-SECRET-1@"},
    ],
)
def test_bad_urls_are_refused_at_init_without_their_password(options: dict[str, Any]) -> None:
    with pytest.raises(CloudSDKError) as info:
        Cloud().init(accessToken="t", **options)
    err = info.value
    assert err.errCode == -501007 and err.errMsg.startswith("init:fail -501007 invalid parameters. ")
    assert "***" in err.errMsg  # the URL is shown, its password hidden
    for text in (err.errMsg, str(err), repr(err), json.dumps(err.to_dict())):
        assert "SECRET" not in text


def test_bad_environment_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WX_TIMEOUT", "fifteen")
    with pytest.raises(CloudSDKError, match="timeout must be a positive number"):
        Cloud().init()


def test_init_config_must_be_a_dict() -> None:
    with pytest.raises(CloudSDKError, match="config must be a dict, got list"):
        Cloud().init(["accessToken"])  # type: ignore[arg-type]


def test_unknown_option_is_logged_not_fatal(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="cloud"):
        Cloud().init(accesToken="typo", traceUser=True, env="prod-1")
    assert "unknown option 'accesToken' ignored" in caplog.text
    assert "traceUser" not in caplog.text.split("ignored")[0]


def test_no_token_is_an_error_before_any_io(emulator: Emulator, api_base: str, mode: str) -> None:
    c = Cloud()
    c.init(apiBase=api_base)
    err = raises(mode, c, SAMPLE)
    assert err.errCode == -1
    assert err.errMsg == (
        f"{FAIL} no access token configured: pass accessToken, or appid and secret, to cloud.init() "
        "(or set WX_ACCESS_TOKEN, or WX_APPID and WX_SECRET)"
    )
    assert str(err) == f"errCode: -1 unknown error | errMsg: {err.errMsg}"
    assert emulator.requests == []


# --- the namespace -------------------------------------------------------------------------


def test_unknown_api_is_refused_before_any_io_with_the_gateway_answer(
    make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    err = raises(mode, make_cloud(), {}, path="serviceMarket.invokeServic")
    assert (err.errCode, err.errMsg) == (-604100, "system error: error code: -604100")
    assert err.api == "serviceMarket.invokeServic"  # type: ignore[attr-defined]
    assert emulator.requests == []


def test_path_is_never_case_converted(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    err = raises(mode, make_cloud(), {}, path="service_market.invoke_service")
    assert err.errCode == -604100
    assert invoke(make_cloud(), mode, API, SAMPLE)["errMsg"] == OK


def test_item_access_and_keyword_params(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()
    result = c.sync.openapi["serviceMarket"]["invokeService"](
        service="wx79ac3de8be320b71", api="OcrAllInOne", data=SAMPLE["data"], clientMsgId="id123"
    )
    assert result["errCode"] == 0
    merged = c.sync.openapi.serviceMarket.invokeService(
        {"service": "wx79ac3de8be320b71"}, api="OcrAllInOne", data=SAMPLE["data"]
    )
    assert merged["errCode"] == 0
    assert emulator.requests[-1].json()["api"] == "OcrAllInOne"


def test_options_need_a_mapping_and_node_agrees(make_cloud: Any) -> None:
    (outcome,) = node_sdk.run([{"id": "o", "options": [None], "path": API, "args": [{}]}])
    assert outcome["thrownSync"] and outcome["error"]["message"] == "an options object is expected"
    c = make_cloud()
    for bad in (None, "x", 1, ["convertCase"]):
        with pytest.raises(CloudSDKError) as info:
            c.openapi(bad)
        assert info.value.errCode == -501007 and "an options object is expected" in info.value.errMsg


def test_awaiting_a_namespace_is_a_clear_error(make_cloud: Any) -> None:
    c = make_cloud()

    async def run() -> None:
        await c.openapi.serviceMarket  # type: ignore[misc]

    with pytest.raises(CloudSDKError, match=r"openapi.serviceMarket is a namespace, not a call"):
        asyncio.run(run())


def test_async_call_returns_an_awaitable_and_sync_call_a_dict(make_cloud: Any) -> None:
    c = make_cloud()
    pending = c.openapi.serviceMarket.invokeService(SAMPLE)
    assert asyncio.iscoroutine(pending)
    assert asyncio.run(pending)["errCode"] == 0
    assert type(c.sync.openapi.serviceMarket.invokeService(SAMPLE)) is dict


def test_underscore_names_are_not_api_calls(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()
    for probe in ("_repr_html_", "__wrapped__", "_fields"):
        assert not hasattr(c.sync.openapi.serviceMarket, probe)
    assert emulator.requests == []
    assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0
    assert repr(c.sync.openapi["_odd"]) == "<cloud sync openapi._odd>"


def test_namespace_lists_catalogued_names(make_cloud: Any) -> None:
    c = make_cloud()
    assert "serviceMarket" in dir(c.openapi)
    assert dir(c.openapi.serviceMarket) == ["invokeService"]
    assert repr(c.sync.openapi.serviceMarket.invokeService) == "<cloud sync openapi.serviceMarket.invokeService>"


# --- bad params: a clear error before any I/O ----------------------------------------------


class Thing:
    pass


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"tags": {"a", "b"}}, "params.tags: a set cannot be sent as JSON"),
        ({"img": b"\x89PNG"}, "params.img: bytes cannot be sent as JSON"),
        ({"data": {"score": float("nan")}}, "params.data.score: nan cannot be sent as JSON"),
        ({"data": [1, float("inf")]}, "params.data.1: inf cannot be sent as JSON"),
        ({"data": {1: "x"}}, "params.data: keys must be strings, got int 1"),
        ({"obj": Thing()}, "params.obj: a Thing cannot be sent as JSON"),
        ({"text": "\ud800"}, "params contain a lone surrogate"),
        ({"data": {"n": 10**5000}}, "params.data.n: an integer over 1024 bits (about 308 digits) cannot be sent"),
        ({"data": [2**1024]}, "params.data.0: an integer over 1024 bits"),
        ({"data": {10**5000: 1}}, "params.data: keys must be strings, got int <int>"),
        ({"img": {"contentType": 10**5000, "value": b"x"}}, "params.img: contentType and fileName must be text"),
        ({"a\r\nb": [float("nan")]}, r"'params.a\r\nb.0': nan cannot be sent as JSON"),
        ({"k" * 1_000_000: float("nan")}, "'params.kkkk"),
        (42, "params must be a dict (an object in Node), got int"),
    ],
)
def test_unsendable_params_are_refused_before_any_io(
    make_cloud: Any, emulator: Emulator, mode: str, params: Any, fragment: str
) -> None:
    err = raises(mode, make_cloud(), params)
    assert err.errCode == -501007
    assert err.errMsg.startswith(f"{FAIL} -501007 invalid parameters. ")
    assert fragment in err.errMsg
    assert str(err) == err.errMsg
    assert emulator.requests == []
    assert "\n" not in err.errMsg and len(err.errMsg) < 400


def test_a_query_that_cannot_be_encoded_is_refused_before_the_token_fetch(
    make_cloud: Any, emulator: Emulator, mode: str
) -> None:
    """GET params travel in the URL: they are encoded with the rest, before any token work."""
    c = make_cloud(accessToken=None, appid=EMULATOR_APPID, secret=EMULATOR_SECRET)
    err = raises(mode, c, {"openid": "o\ud800"}, path="auth.getPaidUnionId")
    assert err.errCode == -501007 and "params contain a lone surrogate" in err.errMsg
    assert emulator.requests == []  # not even the stable_token fetch
    small = make_cloud(accessToken=None, appid=EMULATOR_APPID, secret=EMULATOR_SECRET, maxRequestBytes=1000)
    err = raises(mode, small, {"openid": "é" * 600}, path="auth.getPaidUnionId")  # 600 characters, 1200 bytes
    assert err.errCode == -501007 and "over the 1000-byte limit" in err.errMsg
    assert emulator.requests == []


def test_deep_nesting_is_refused_not_crashed_on(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    deep: Any = "leaf"
    for _ in range(10_000):
        deep = {"k": deep}
    err = raises(mode, make_cloud(), {"data": deep})
    assert err.errCode == -501007 and "nested deeper than 256 levels" in err.errMsg
    assert emulator.requests == []


def test_tuples_and_mapping_types_are_sent_as_json(make_cloud: Any, emulator: Emulator) -> None:
    from types import MappingProxyType

    emulator.enqueue(Scripted(200, '{"errcode":0}'))
    make_cloud().sync.openapi.serviceMarket.invokeService(MappingProxyType({"itemList": ({"aB": 1},), "tiny": 1e-7}))
    assert emulator.requests[-1].body == b'{"tiny":1e-7,"item_list":[{"a_b":1}]}'


def test_integers_over_2_53_are_sent_digit_for_digit(make_cloud: Any, emulator: Emulator) -> None:
    """A deliberate difference (README): in JavaScript the same number is a double, sent rounded."""
    emulator.enqueue(Scripted(200, '{"errcode":0}'))
    make_cloud().sync.openapi.serviceMarket.invokeService({"bigId": 2**53 + 1, "negative": -(2**64)})
    assert emulator.requests[-1].body == b'{"negative":-18446744073709551616,"big_id":9007199254740993}'
    (outcome,) = node_sdk.run([{"id": "big", "path": API, "args": [{"bigId": 2**53 + 1}]}])
    assert outcome["sent"]["pairs"] == [{"key": "big_id", "value": "9007199254740992"}]  # Node's port: rounded


# --- transport failures --------------------------------------------------------------------


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_connection_refused_is_501001_as_node_shapes_it(mode: str) -> None:
    (outcome,) = node_sdk.run(
        [
            {
                "id": "r",
                "path": API,
                "args": [{}],
                "throw": {"code": "ECONNREFUSED", "message": "connect ECONNREFUSED 127.0.0.1:1"},
            }
        ]
    )
    node_err = outcome["error"]
    assert node_err["errMsg"] == f"{FAIL} -501001 resource system error. connect ECONNREFUSED 127.0.0.1:1"
    assert node_err["message"] == node_err["errMsg"] and node_err["errCode"] == -501001
    c = Cloud()
    c.init(accessToken="t", apiBase=f"http://127.0.0.1:{unused_port()}")
    err = raises(mode, c, {})
    assert err.errCode == -501001
    assert err.errMsg.startswith(f"{FAIL} -501001 resource system error. ConnectError")
    assert str(err) == err.errMsg


def test_timeout_is_501002_within_the_deadline(silent_server: str, mode: str) -> None:
    c = Cloud()
    c.init(accessToken="t", apiBase=silent_server, timeout=0.3)
    started = time.monotonic()
    err = raises(mode, c, {})
    assert time.monotonic() - started < 2.0
    assert (err.errCode, err.errMsg) == (-501002, f"{FAIL} -501002 resource server timeout. request timeout")
    assert str(err) == err.errMsg


def test_node_reports_its_own_timeouts_as_501001() -> None:
    """The documented difference: @cloudbase/node-sdk's timeout code is not in wx-server-sdk's table."""
    (outcome,) = node_sdk.run(
        [{"id": "t", "path": API, "args": [{}], "throw": {"code": "ESOCKETTIMEDOUT", "message": "request timeout"}}]
    )
    assert outcome["error"]["errMsg"] == f"{FAIL} -501001 resource system error. request timeout"


@pytest.mark.parametrize(
    ("reply", "code", "msg"),
    [
        (
            Scripted(502, "<html>Bad Gateway</html>", "text/html"),
            -501001,
            f"{FAIL} -501001 resource system error. HTTP 502 Bad Gateway",
        ),
        (
            Scripted(503, '{"message":"busy"}', "application/json"),
            -501001,
            f"{FAIL} -501001 resource system error. HTTP 503 Service Unavailable",
        ),
        (Scripted(500, '{"errcode":-1,"errmsg":"system error"}', "application/json"), -1, f"{FAIL} system error"),
        (Scripted(404, "", None), -501001, f"{FAIL} -501001 resource system error. HTTP 404 Not Found"),
    ],
)
def test_http_errors_are_errors(
    make_cloud: Any, emulator: Emulator, mode: str, reply: Scripted, code: int, msg: str
) -> None:
    emulator.enqueue(reply)
    err = raises(mode, make_cloud(retry="off"), {})
    assert (err.errCode, err.errMsg) == (code, msg)


# --- secrets ---------------------------------------------------------------------------------

SECRET = "SECRET-token-0123456789"


def test_the_token_never_shows(
    make_cloud: Any, emulator: Emulator, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    def leaky(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    c = Cloud()
    shown: list[str] = []
    with caplog.at_level(logging.DEBUG):
        c.init(accessToken=SECRET, transport=httpx.MockTransport(leaky), accesToken=SECRET)
        err = raises(mode, c, {})
        shown += [str(err), repr(err), err.errMsg, json.dumps(err.to_dict()), repr(c), repr(c.config)]
        bad = Cloud()
        with pytest.raises(CloudSDKError) as info:
            bad.init(accessToken=SECRET, timeout="x")
        shown += [str(info.value), repr(info.value)]
    assert "access_token=***" in err.errMsg
    shown.append(caplog.text)
    for text in shown:
        assert SECRET not in text


def test_request_repr_hides_the_token() -> None:
    from cloud import catalog
    from cloud._core import request
    from cloud._tokens.model import Token

    token = Token(SECRET, "access_token", float("inf"), float("inf"))
    payload = request.Payload((), b"{}", "application/json")
    req = request.build(catalog.lookup(API), payload, api_base="https://x", token=token)
    assert SECRET not in repr(req) and SECRET not in repr(token) and "access_token=***" in repr(req)


# --- concurrency and the module-level API --------------------------------------------------


def test_many_concurrent_async_calls_share_one_loop(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()

    async def run() -> list[Any]:
        return await asyncio.gather(*(c.openapi.serviceMarket.invokeService(SAMPLE) for _ in range(50)))

    results = asyncio.run(run())
    assert [r["errCode"] for r in results] == [0] * 50
    assert len(emulator.requests) == 50


def test_sync_calls_from_threads(make_cloud: Any, emulator: Emulator) -> None:
    from concurrent.futures import ThreadPoolExecutor

    c = make_cloud()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: c.sync.openapi.serviceMarket.invokeService(SAMPLE), range(40)))
    assert all(r["errMsg"] == OK for r in results)


def test_calls_work_across_event_loops(make_cloud: Any) -> None:
    c = make_cloud()
    for _ in range(3):  # each asyncio.run has its own loop; a client never crosses loops
        assert asyncio.run(c.openapi.serviceMarket.invokeService(SAMPLE))["errCode"] == 0


@pytest.mark.anyio
async def test_async_api_under_anyio(make_cloud: Any) -> None:
    c = make_cloud()
    assert (await c.openapi.serviceMarket.invokeService(SAMPLE))["errCode"] == 0
    await c.aclose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_module_level_api_shares_one_config() -> None:
    import cloud.sync

    assert cloud.sync.init is cloud.init and cloud.sync.updateConfig is cloud.updateConfig
    assert cloud.sync.CloudSDKError is cloud.CloudSDKError
    assert repr(cloud.sync.openapi.a.b) == "<cloud sync openapi.a.b>"
    assert repr(cloud.openapi.a.b) == "<cloud openapi.a.b>"
    fresh = cloud.createNewInstance(accessToken="t")
    assert fresh is not cloud._default and fresh.config is not None


def test_errors_pickle_and_keep_their_message() -> None:
    import pickle

    err = CloudSDKError(40001, f"{FAIL} invalid credential")
    again = pickle.loads(pickle.dumps(err))
    assert (again.errCode, again.errMsg, str(again)) == (40001, err.errMsg, f"errCode: 40001  | errMsg: {err.errMsg}")
    assert (again.code, again.requestId, list(again.to_dict())) == (None, None, ["errCode", "errMsg"])
    coded = pickle.loads(pickle.dumps(CloudSDKError(-1, "x", message="x", code="INVALID_PARAM", requestId="")))
    expected = [("code", "INVALID_PARAM"), ("requestId", ""), ("errCode", -1), ("errMsg", "x")]
    assert list(coded.to_dict().items()) == expected


# --- hostile names and sizes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../cgi-bin/token", "a/../../b", "x?y=1", "x#frag", "%2e%2e.invoke", "a b", "", "security.msgSecCheck/../x"],
)
def test_hostile_api_names_never_reach_the_network(make_cloud: Any, emulator: Emulator, mode: str, name: str) -> None:
    c = make_cloud()
    namespace = c.openapi if mode == "async" else c.sync.openapi
    with pytest.raises(CloudSDKError) as info:
        result = namespace[name]({})
        if mode == "async":
            asyncio.run(result)
    assert (info.value.errCode, info.value.errMsg) == (-604100, "system error: error code: -604100")
    assert emulator.requests == []


def test_a_huge_string_is_refused_before_any_io(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    err = raises(mode, make_cloud(maxRequestBytes=1_000_000), {**SAMPLE, "data": {"note": "x" * 2_000_000}})
    assert err.errCode == -501007 and "over the 1000000-byte limit" in err.errMsg
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"retry": "sometimes"}, 'retry must be 1 to 10 attempts, "off", or {"maxAttempts": n}'),
        ({"retry": {"maxAttempts": 0}}, "retry must be 1 to 10 attempts"),
        ({"maxReplyBytes": -5}, "maxReplyBytes must be a positive number of bytes"),
        ({"maxConnections": "many"}, "maxConnections must be a positive number of connections"),
        ({"permissions": 42}, "permissions must be a list of API names"),
    ],
)
def test_option_values_of_the_wrong_type(options: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CloudSDKError) as info:
        Cloud().init(options)
    assert info.value.errCode == -501007 and fragment in info.value.errMsg


def test_context_managers_close_the_pools(api_base: str, emulator: Emulator) -> None:
    with cloud.createNewInstance(accessToken=emulator.token, apiBase=api_base) as c:
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)
        assert c._sync_pool is not None
    assert c._sync_pool is None

    async def run() -> None:
        async with cloud.createNewInstance(accessToken=emulator.token, apiBase=api_base) as c2:
            await c2.openapi.serviceMarket.invokeService(SAMPLE)
            assert len(c2._async_pools) == 1
        assert len(c2._async_pools) == 0

    asyncio.run(run())


def test_one_debug_line_per_attempt_without_secrets(make_cloud: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="cloud"):
        make_cloud().sync.openapi.serviceMarket.invokeService(SAMPLE)
    lines = [r.getMessage() for r in caplog.records if r.name == "cloud.call"]
    assert len(lines) == 1
    assert re.fullmatch(
        r"openapi\.serviceMarket\.invokeService POST /wxa/servicemarket -> 200 in [\d.]+ ms, attempt 1", lines[0]
    )


def test_odd_api_names_are_quoted_and_cut_in_log_lines(
    make_cloud: Any, emulator: Emulator, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    c = make_cloud()
    forged = "security.msgSecCheck -> 200\nWARNING forged line"
    started = time.monotonic()
    with caplog.at_level(logging.DEBUG, logger="cloud"):
        for name in (forged, "x" * 5_000_000):
            assert raises(mode, c, {}, path=name).errCode == -604100
    assert time.monotonic() - started < 5  # no close-match search through 5 MB
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("cloud")]
    assert lines[0] == repr("openapi." + forged) + " is not in the catalogue"
    assert lines[1].startswith("'openapi.xxxxxxxx") and lines[1].endswith("x… is not in the catalogue")
    assert all(len(line) < 200 and "\n" not in line for line in lines)
    assert emulator.requests == []


def test_a_long_registered_name_is_cut_in_log_lines_and_messages(
    make_cloud: Any, emulator: Emulator, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    from cloud import catalog

    name = "partner." + "q" * 1000
    catalog.register({name: {"method": "POST", "path": "/wxa/servicemarket"}})
    try:
        c = make_cloud()
        with caplog.at_level(logging.DEBUG, logger="cloud"):
            assert invoke(c, mode, name, SAMPLE)["errCode"] == 0
        (line,) = [r.getMessage() for r in caplog.records if r.name == "cloud.call"]
        assert line.startswith("'openapi.partner.qqq") and "… POST /wxa/servicemarket -> 200 in " in line
        assert len(line) < 200
        err = raises(mode, c, {"x": float("nan")}, path=name)
        assert err.errCode == -501007 and len(err.errMsg) < 300 and err.errMsg.startswith("'openapi.partner.qqq")
    finally:
        catalog.unregister(name)


def test_a_blocking_call_inside_an_event_loop_warns_once(
    make_cloud: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from cloud._client import instance as _instance

    monkeypatch.setattr(_instance, "_warned_in_loop", False)
    c = make_cloud()

    async def blocking_inside() -> None:
        for _ in range(3):
            assert c.sync.openapi.serviceMarket.invokeService(SAMPLE)["errCode"] == 0

    with caplog.at_level(logging.WARNING, logger="cloud"):
        c.sync.openapi.serviceMarket.invokeService(SAMPLE)  # outside a loop: nothing to say
        assert not [r for r in caplog.records if "running event loop" in r.getMessage()]
        asyncio.run(blocking_inside())
    lines = [r.getMessage() for r in caplog.records if "running event loop" in r.getMessage()]
    assert len(lines) == 1 and "asyncio.to_thread" in lines[0]
