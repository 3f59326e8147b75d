"""Every catalogued API routed as the catalogue says, over real HTTP to the emulator; multipart,
GET encoding, binary replies, aliases, user entries, unknown names and permissions."""

from __future__ import annotations

import json
import logging
import struct
import subprocess
import sys
import zlib
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from cloud import NULL, CloudSDKError, catalog, stubgen
from cloud.emulator import Emulator, Scripted

from . import node_sdk
from .conftest import invoke
from .test_runner import run

ALL = sorted(catalog.load())
PNG = b"\x89PNG\r\n\x1a\nfake-image-bytes\x00\xff"


def parts(recorded: Any) -> list[dict[str, Any]]:
    """The parts of a recorded multipart body: name, filename, content type, bytes."""
    head = f"Content-Type: {recorded.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + recorded.body)
    assert message.is_multipart()
    return [
        {
            "name": part.get_param("name", header="content-disposition"),
            "filename": part.get_filename(),
            "content_type": part.get_content_type() if part.get_filename() else None,
            "data": part.get_payload(decode=True),
        }
        for part in message.iter_parts()
    ]


def raw_query(recorded_target: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(recorded_target).query, keep_blank_values=True)


@pytest.mark.parametrize("name", ALL)
def test_every_api_routes_as_the_catalogue_says(name: str, make_cloud: Any, emulator: Emulator) -> None:
    api = catalog.lookup(name)
    assert api is not None
    params: dict[str, Any] = {"someKey": "v 1&2", "countN": 2, "flag": True, "listOf": [1, {"innerKey": "x"}]}
    url_values = {p: f"url-{p}" for p in api.query_params}
    params.update(url_values)
    media = {m: {"contentType": "image/png", "value": PNG} for m in api.media}
    params.update(media)
    if name == "serviceMarket.invokeService":  # the emulator checks servicemarket's own params
        emulator.enqueue(Scripted(200, '{"errcode":0}'))
    result = invoke(make_cloud(), "sync", name, params)
    assert result["errCode"] == 0 and result["errMsg"] == f"openapi.{name}:ok"
    (request,) = emulator.requests
    assert (request.method, request.path) == (api.method, api.path)
    converted = {"some_key": "v 1&2", "count_n": 2, "flag": True, "list_of": [1, {"inner_key": "x"}]}
    as_text = {
        k: v if isinstance(v, str) else json.dumps(v, separators=(",", ":")).replace("True", "true")
        for k, v in converted.items()
    }
    as_text["flag"] = "true"
    expected_query = {"access_token": emulator.token, **url_values}
    expected_query.update({k: v for k, v in api.query if k not in url_values})
    if api.params_in == "query":
        assert request.query == {**expected_query, **as_text}
        assert request.body == b""
    elif api.params_in == "body":
        assert request.query == expected_query
        assert request.headers["content-type"] == "application/json"
        assert request.json() == converted
    else:
        assert request.query == expected_query
        got = parts(request)
        files = [p for p in got if p["filename"]]
        fields = {p["name"]: p["data"].decode() for p in got if not p["filename"]}
        assert [(f["name"], f["filename"], f["content_type"], f["data"]) for f in files] == [
            (m, f"{m}.png", "image/png", PNG) for m in media
        ]
        assert fields == as_text


def test_every_entry_is_complete() -> None:
    apis = catalog.load()
    assert len(apis) == 324
    guessed = [a for a in apis.values() if a.method_guessed]
    assert len(guessed) == 152  # officialAccount APIs, ad.*, search.siteSearch: marked, not hidden
    assert {a.name for a in guessed if a.platform != "officialAccount" and not a.name.startswith("ad.")} == {
        "search.siteSearch"
    }
    undocumented = {a.name for a in apis.values() if not a.doc.startswith("https://")}
    assert undocumented == {n for n in apis if n.startswith("midas.")}  # legacy mini-game payments
    for api in apis.values():
        for other in api.same_endpoint:
            assert apis[other].path == api.path, (api.name, other)


# --- multipart ----------------------------------------------------------------------------------


def test_file_parts_are_named_as_node_names_them(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()
    c.sync.openapi.ocr.idcard({"type": "photo", "imgUrl": "http://x/1.jpg",
                               "img": {"contentType": "image/jpeg", "value": b"\xff\xd8jpeg"}})  # fmt: skip
    (request,) = emulator.requests
    assert request.query["img_url"] == "http://x/1.jpg"
    assert [(p["name"], p["filename"], p["content_type"], p["data"]) for p in parts(request)] == [
        ("type", None, None, b"photo"),
        ("img", "img.jpeg", "image/jpeg", b"\xff\xd8jpeg"),
    ]


@pytest.mark.parametrize(
    ("options", "value", "filename", "content_type"),
    [
        ((), {"contentType": "audio/mpeg", "value": b"m"}, "img_data.mpga", "audio/mpeg"),
        ((), {"content_type": "image/gif", "value": bytearray(b"g")}, "img_data.gif", "image/gif"),
        ((), {"contentType": "image/x-unknown", "value": b"u"}, "img_data.png", "image/x-unknown"),
        ((), {"contentType": "image/png", "value": b"p", "fileName": "mine.bin"}, "img_data.png", "image/png"),
        (({"convertCase": False},), {"contentType": "image/png", "value": b"p", "fileName": "mine.bin"}, "mine.bin",
         "image/png"),
    ],
)  # fmt: skip
def test_filename_rule_matches_node(
    make_cloud: Any,
    emulator: Emulator,
    options: tuple[Any, ...],
    value: dict[str, Any],
    filename: str,
    content_type: str,
) -> None:
    catalog.register({"test.upload": {"method": "POST", "path": "/test/upload", "params_in": "multipart",
                                      "media": ["imgData", "img_data"]}})  # fmt: skip
    try:
        emulator.enqueue(Scripted(200, '{"errcode":0}'))
        invoke(make_cloud(), "sync", "test.upload", {"imgData": value}, options)
    finally:
        catalog.unregister("test.upload")
    (part,) = parts(emulator.requests[0])
    assert (part["filename"], part["content_type"]) == (filename, content_type)
    name = "imgData" if options else "img_data"
    node_value = {k: ({"$bytes": "AA=="} if k == "value" else v) for k, v in value.items()}
    (outcome,) = node_sdk.run([{"id": "m", "path": "a.b", "options": list(options), "args": [{"imgData": node_value}]}])
    assert [(p["key"], p["filename"]) for p in outcome["sent"]["pairs"]] == [(name, filename)]


def test_a_file_for_an_api_that_takes_none_is_refused_before_io(make_cloud: Any, emulator: Emulator) -> None:
    with pytest.raises(CloudSDKError, match=r"params\.img: security\.msgSecCheck takes no file upload"):
        make_cloud().sync.openapi.security.msgSecCheck({"img": {"contentType": "image/png", "value": PNG}})
    assert emulator.requests == []


def test_fixed_query_values_are_added(make_cloud: Any, emulator: Emulator) -> None:
    media = {"contentType": "image/png", "value": PNG}
    make_cloud().sync.openapi.customerServiceMessage.uploadTempMedia({"media": media})
    assert emulator.requests[0].query["type"] == "image"


# --- GET ------------------------------------------------------------------------------------------


def test_get_query_encoding(make_cloud: Any, emulator: Emulator) -> None:
    make_cloud().sync.openapi.auth.getPaidUnionId(
        {"openid": "o 1/+?&=中", "transactionId": 42, "mchId": NULL, "outTradeNo": None, "flags": [1, "a"]}
        | {"paid": False, "ratio": 2.0}
    )
    (request,) = emulator.requests
    assert request.method == "GET" and request.body == b""
    assert request.query == {
        "access_token": emulator.token,
        "openid": "o 1/+?&=中",
        "transaction_id": "42",
        "mch_id": "null",
        "flags": '[1,"a"]',
        "paid": "false",
        "ratio": "2",
    }


# --- binary replies -------------------------------------------------------------------------------


def test_wxacode_returns_a_real_png(make_cloud: Any, mode: str) -> None:
    result = invoke(make_cloud(), mode, "wxacode.getUnlimited", {"scene": "a=1", "page": "pages/index/index"})
    assert list(result) == ["contentType", "buffer", "errMsg", "errCode"]
    assert result["contentType"] == "image/png"
    png = result["buffer"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", png[16:24])
    idat_length = struct.unpack(">I", png[33:37])[0]
    pixels = zlib.decompress(png[41 : 41 + idat_length])
    assert (width, height) == (92, 92) and len(pixels) == height * (width + 1)
    other = invoke(make_cloud(), mode, "wxacode.getUnlimited", {"scene": "b=2", "page": "pages/index/index"})
    assert other["buffer"] != png


def test_binary_or_json_api_gives_json_on_error(make_cloud: Any, emulator: Emulator) -> None:
    emulator.enqueue(Scripted(200, '{"errcode":40007,"errmsg":"invalid media_id"}', "application/json"))
    with pytest.raises(CloudSDKError) as info:
        make_cloud().sync.openapi.officialAccount.media.get({"mediaId": "nope"})
    assert (info.value.errCode, info.value.errMsg) == (40007, "openapi.officialAccount.media.get:fail invalid media_id")
    emulator.enqueue(Scripted(200, b"ID3audio", "audio/amr"))
    got = make_cloud().sync.openapi.officialAccount.media.get({"mediaId": "m"})
    assert (got["contentType"], got["buffer"]) == ("audio/amr", b"ID3audio")


# --- names ------------------------------------------------------------------------------------------


def test_aliases_reach_the_same_endpoint(make_cloud: Any, emulator: Emulator) -> None:
    c = make_cloud()
    c.sync.openapi.subscribeMessage.addTemplate({"tid": "401", "kidList": [1, 2]})
    c.sync.openapi.officialAccount.newtmpl.addTemplate({"tid": "401", "kidList": [1, 2]})
    c.sync.openapi({"convertCase": False}).subscribeMessage.addTemplate({"tid": "401", "kidList": [1, 2]})
    assert {r.path for r in emulator.requests} == {"/wxaapi/newtmpl/addtemplate"}
    assert [r.json() for r in emulator.requests] == [{"tid": "401", "kid_list": [1, 2]}] * 2 + [
        {"tid": "401", "kidList": [1, 2]}
    ]


def test_unknown_name_keeps_nodes_answer_and_hints(make_cloud: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="cloud"), pytest.raises(CloudSDKError) as info:
        make_cloud().sync.openapi.security.msgSeccheck({})
    err = info.value
    assert (err.errCode, err.errMsg) == (-604100, "system error: error code: -604100")
    assert err.suggestions[0] == "security.msgSecCheck"  # type: ignore[attr-defined]
    assert "openapi.security.msgSeccheck is not in the catalogue; did you mean security.msgSecCheck" in caplog.text


def test_registered_entries_route_and_can_be_removed(make_cloud: Any, emulator: Emulator) -> None:
    catalog.register({"security.msgSecCheck": {"method": "POST", "path": "/wxa/msg_sec_check_v9"},
                      "custom.thing": {"method": "GET", "path": "/custom/thing"}})  # fmt: skip
    try:
        emulator.enqueue(Scripted(200, '{"errcode":0}'), Scripted(200, '{"errcode":0,"n":1}'))
        c = make_cloud()
        c.sync.openapi.security.msgSecCheck({})
        assert c.sync.openapi.custom.thing({"aB": 1})["n"] == 1
        assert [(r.method, r.path, r.query.get("a_b")) for r in emulator.requests] == [
            ("POST", "/wxa/msg_sec_check_v9", None),
            ("GET", "/custom/thing", "1"),
        ]
    finally:
        catalog.unregister("security.msgSecCheck", "custom.thing")
    assert catalog.lookup("security.msgSecCheck").path == "/wxa/msg_sec_check"  # type: ignore[union-attr]
    assert catalog.lookup("custom.thing") is None


def test_entries_from_the_wx_catalog_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, make_cloud: Any, emulator: Emulator
) -> None:
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"apis": {"partner.query": {"method": "POST", "path": "/partner/query"}}}))
    monkeypatch.setenv("WX_CATALOG", str(extra))
    catalog.reload()
    try:
        emulator.enqueue(Scripted(200, '{"errcode":0}'))
        make_cloud().sync.openapi.partner.query({"x": 1})
        assert emulator.requests[0].path == "/partner/query"
    finally:
        monkeypatch.delenv("WX_CATALOG")
        catalog.reload()
    assert catalog.lookup("partner.query") is None


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ({"method": "PUT", "path": "/x"}, "method must be one of"),
        ({"method": "POST", "path": "/x/../y"}, "path must be an absolute URL path"),
        ({"method": "POST", "path": "/x?a=1"}, "path must be an absolute URL path"),
        ({"method": "GET", "path": "/x", "params_in": "body"}, "params_in must be query for GET"),
        ({"method": "POST", "path": "/x", "media": ["img"]}, "media params need params_in multipart"),
        ({"method": "POST", "path": "/x", "query": {"a": 1}}, "query must map names to fixed string values"),
    ],
)
def test_bad_user_entries_are_refused(entry: dict[str, Any], fragment: str) -> None:
    with pytest.raises(catalog.CatalogError, match=r"catalogue entry 'x\.y'") as info:
        catalog.register({"x.y": entry})
    assert fragment in str(info.value)
    with pytest.raises(catalog.CatalogError, match="dot-separated identifiers"):
        catalog.register({"../etc": {"method": "POST", "path": "/x"}})


# --- permissions ----------------------------------------------------------------------------------


def test_permissions_refuse_unlisted_apis_before_io(make_cloud: Any, emulator: Emulator, mode: str) -> None:
    c = make_cloud(permissions=["serviceMarket.invokeService"])
    with pytest.raises(CloudSDKError) as info:
        invoke(c, mode, "security.msgSecCheck", {"content": "hi"})
    err = info.value
    assert (err.errCode, err.errMsg) == (-604101, "system error: error code: -604101")
    assert (
        str(err)
        == "errCode: -604101 function has no permission to call this API | errMsg: system error: error code: -604101"
    )
    assert emulator.requests == []


def test_permissions_from_a_config_json_object_or_environment(monkeypatch: pytest.MonkeyPatch, make_cloud: Any) -> None:
    c = make_cloud(permissions={"permissions": {"openapi": ["security.msgSecCheck"]}})
    assert c.config.permissions == frozenset({"security.msgSecCheck"})
    monkeypatch.setenv("WX_OPENAPI_PERMISSIONS", "a.b, c.d")
    assert make_cloud().config.permissions == frozenset({"a.b", "c.d"})


def test_node_reports_permission_errors_the_same_way() -> None:
    (outcome,) = node_sdk.run(
        [{"id": "p", "path": "a.b", "args": [{}], "reply": {"contentType": "", "body": "", "errorCode": -604101}}]
    )
    assert outcome["error"]["errMsg"] == "system error: error code: -604101"
    assert (
        outcome["error"]["message"]
        == "errCode: -604101 function has no permission to call this API | errMsg: system error: error code: -604101"
    )


def test_runner_applies_config_json_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "index.py").write_text(
        "import cloud\ncloud.init()\nasync def main(event, context):\n"
        "    try:\n        return await cloud.openapi.security.msgSecCheck({'content': 'x'})\n"
        "    except cloud.CloudSDKError as err:\n        return err\n"
    )
    (folder / "config.json").write_text(json.dumps({"permissions": {"openapi": ["serviceMarket.invokeService"]}}))
    proc = run(str(folder))
    assert json.loads(proc.stdout) == {"errCode": -604101, "errMsg": "system error: error code: -604101"}
    (folder / "config.json").write_text(json.dumps({"permissions": {"openapi": ["security.msgSecCheck"]}}))
    assert json.loads(run(str(folder)).stdout)["errMsg"] == "openapi.security.msgSecCheck:ok"


# --- samples, types, docs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "check"),
    [
        ("get_paid_unionid", lambda out: out["unionid"] == "oTmHYjg-tElZ68xxxxxxxxhy1Rgk"),
        ("wxacode_unlimited", lambda out: out["buffer"]["data"][:4] == [137, 80, 78, 71]),
        ("ocr_idcard_upload", lambda out: out["type"] == "Front" and out["name"] == "张三"),
    ],
)  # fmt: skip
def test_samples_run_on_the_emulator(sample: str, check: Any) -> None:
    proc = run(f"samples/{sample}")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["errCode"] == 0 and check(out)
    assert (Path("samples") / sample / "index.js").is_file()


def test_typed_namespaces_and_api_table_are_in_step_with_the_data() -> None:
    apis = catalog._builtin()
    assert stubgen.TYPES_FILE.read_text("utf-8") == stubgen.render_types(apis), "run: python -m cloud.stubgen"
    assert stubgen.TABLE_FILE.read_text("utf-8") == stubgen.render_table(apis), "run: python -m cloud.stubgen"
    table = stubgen.TABLE_FILE.read_text("utf-8")
    assert all(f"| `{name}` |" in table for name in apis)


@pytest.mark.slow  # runs mypy: about 10 s
def test_a_type_checker_sees_the_catalogue(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import cloud\nimport cloud.sync\n"
        "async def f() -> None:\n"
        "    reveal_type(cloud.openapi.security.msgSecCheck)\n"
        "    reveal_type(await cloud.openapi.wxacode.getUnlimited({'scene': 'a'}))\n"
        "    reveal_type(cloud.sync.openapi.officialAccount.media.get({'mediaId': 'm'}))\n"
    )
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", str(probe)], capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    awaitable = "-> typing.Coroutine[Any, Any, dict[str, Any]]"
    assert f'Revealed type is "def (typing.Mapping[str, Any] | None =, **kwargs: Any) {awaitable}"' in proc.stdout
    assert proc.stdout.count('Revealed type is "dict[str, Any]"') == 2, proc.stdout


# The cloud calls (storage, callFunction, the database): one entry each, read by everything that needs a path


def test_every_cloud_path_in_the_catalogue_is_answered_by_the_emulator() -> None:
    emulator = Emulator()
    first_names: dict[str, str] = {}
    for name, entry in catalog.cloud_apis().items():
        if entry.sdk:
            first_names.setdefault(entry.path, name)
        got = emulator.answer("POST", f"{entry.path}?access_token={emulator.token}", {}, b"{}")
        assert got.status == 200 and "errcode" in json.loads(got.body), name  # WeChat's JSON, not a 404 page
        assert emulator.requests[-1].api == first_names.get(entry.path), name  # recorded by the SDK's name


def test_every_cloud_call_the_sdk_sends_can_be_stubbed_by_its_name() -> None:
    from cloud.testing import stubbed

    names = [name for name, entry in catalog.cloud_apis().items() if entry.sdk]
    assert {"uploadFile", "callFunction", "collection.get", "createCollection"} <= set(names)
    with stubbed() as wx:
        for name in names:
            wx.stub(name, reply={"errcode": 0, "errmsg": "ok"})  # a name the kit did not know raises ValueError


def test_compare_translates_nodes_actions_by_the_catalogue() -> None:
    from cloud._compare import cloudbase

    actions = catalog.node_actions()
    assert actions["database.getDocument"].path == catalog.cloud_path("collection.get")
    assert cloudbase.DOCUMENT_ACTIONS["database.insertDocument"] == catalog.cloud_path("collection.add")
    assert cloudbase.COLLECTION_ACTIONS == {
        "database.addCollection": catalog.cloud_path("createCollection"),
        "database.deleteCollection": catalog.cloud_path("deleteCollection"),
    }
    assert cloudbase.EFFECT_PATHS == {entry.path for entry in catalog.cloud_apis().values()}


def test_a_cloud_entry_with_an_unknown_family_is_refused() -> None:
    with pytest.raises(catalog.CatalogError, match="family must be one of"):
        catalog._cloud_endpoint("x.y", {"path": "/tcb/x", "family": "queue"})
