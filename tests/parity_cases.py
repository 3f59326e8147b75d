"""Parity cases: one cloud call each, with what Node's wx-server-sdk 4.0.2 does and what we do.

Each case is run twice over: through the real Node SDK (``tests/node/sdk_harness.js``, transport
replaced) and through our library against the emulator over HTTP, async and sync. Both must give
the expected ``sent`` body, result or error. Where we differ from Node on purpose (node-behaviour.md
*differ* rows, listed in the README), ``node`` holds what Node does instead, so the quirk itself is
checked against the real package too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cloud import DYNAMIC_CURRENT_ENV, NULL

API = "serviceMarket.invokeService"
OK = f"openapi.{API}:ok"
FAIL = f"openapi.{API}:fail"
NOARG: Any = object()  # the call is made with no argument at all


@dataclass(frozen=True)
class Reply:
    body: str | bytes = '{"errcode":0,"errmsg":"ok"}'
    content_type: str = "application/json"
    error_code: int = 0  # the gateway's errorCode (Node side only)


@dataclass(frozen=True)
class Case:
    id: str
    params: Any = NOARG
    options: tuple[dict[str, Any], ...] = ()
    reply: Reply = field(default_factory=Reply)
    sent: dict[str, Any] | None = field(default_factory=dict)  # the JSON body; None: nothing sent
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    node: dict[str, Any] | None = None  # Node's outcome where we differ on purpose
    differ: str = ""  # why we differ (the README's list)
    path: str = API  # the API our side calls (Node's side always calls API)
    node_init: bool = True


def ok(**fields: Any) -> dict[str, Any]:
    """A success result: the body fields, then errMsg and errCode, in Node's order."""
    return {**fields, "errMsg": OK, "errCode": 0}


def sdk_error(code: Any, text: str, msg: str) -> dict[str, Any]:
    """A CloudSDKError: ``str(err)`` is ``errCode: <code> <text> | errMsg: <msg>``."""
    shown = json.dumps(code) if isinstance(code, bool) else code  # JavaScript prints true, not True
    return {"errCode": code, "errMsg": msg, "message": f"errCode: {shown} {text} | errMsg: {msg}"}


def plain_error(code: int, msg: str) -> dict[str, Any]:
    """An error Node builds as a plain Error: its message is its errMsg."""
    return {"errCode": code, "errMsg": msg, "message": msg}


def json_reply(obj: Any, content_type: str = "application/json") -> Reply:
    return Reply(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), content_type)


# §2 request keys, camel → snake: (in, out)
REQUEST_KEYS = [
    ("imgUrl", "img_url"), ("imgURL", "img_u_r_l"), ("ImgUrl", "img_url"), ("HTTPSProxy", "h_t_t_p_s_proxy"),
    ("A", "a"), ("ABC", "a_b_c"), ("key1Value", "key1_value"), ("x_Y", "x__y"),
    ("Trailing_Upper_", "trailing__upper_"), ("1Key", "1_key"), ("中文Key", "中文_key"),
    ("ÄpfelKey", "Äpfel_key"), ("iOS", "i_o_s"), ("userID", "user_i_d"), ("_private", "_private"),
    ("a__b", "a__b"), ("already_snake", "already_snake"), ("value2", "value2"), ("a-b", "a-b"),
    ("a.b", "a.b"), ("", ""), ("thing1", "thing1"), ("character_string2", "character_string2"),
    ("phrase3", "phrase3"), ("_Leading", "__leading"), ("camelCaseKeyWithManyHumps", "camel_case_key_with_many_humps"),
]  # fmt: skip

# §5 reply keys, snake → camel: (in, out)
REPLY_KEYS = [
    ("image_width", "imageWidth"), ("character_string3", "characterString3"), ("_leading", "Leading"),
    ("a__b", "a_B"), ("key_1", "key_1"), ("a_1b", "a_1b"), ("x_", "x_"), ("UPPER_CASE", "UPPER_CASE"),
    ("a_B", "a_B"), ("_", "_"), ("__", "__"), ("a_b_c_d", "aBCD"), ("MIXED_case_Key", "MIXEDCase_Key"),
    ("中文_key", "中文Key"), ("already", "already"), ("ref_date", "refDate"),
]  # fmt: skip

CASES: list[Case] = []
CASES += [Case(f"request-key[{k}]", {k: 1}, sent={v: 1}, result=ok()) for k, v in REQUEST_KEYS]
CASES += [
    Case(f"reply-key[{k}]", {}, reply=json_reply({"errcode": 0, k: 1}), result=ok(**{v: 1})) for k, v in REPLY_KEYS
]
CASES += [
    # §1 call surface
    Case("no-argument", NOARG, result=ok()),
    Case("none-argument", None, result=ok()),
    Case("empty-dict", {}, result=ok()),
    Case(
        "official-sample",
        {
            "service": "wx79ac3de8be320b71",
            "api": "OcrAllInOne",
            "data": {"imgUrl": "http://mmbiz.qpic.cn/x/0", "dataType": 3, "ocrType": 1},
            "clientMsgId": "id123",
        },
        reply=json_reply({"errcode": 0, "errmsg": "ok", "data": '{"idcard_res":{"type":0},"image_width":480}'}),
        sent={
            "service": "wx79ac3de8be320b71",
            "api": "OcrAllInOne",
            "data": {"img_url": "http://mmbiz.qpic.cn/x/0", "data_type": 3, "ocr_type": 1},
            "client_msg_id": "id123",
        },
        result=ok(data='{"idcard_res":{"type":0},"image_width":480}'),
    ),
    Case("convert-case-false", {"imgUrl": 1, "data": {"dataType": 3}}, options=({"convertCase": False},),
         reply=json_reply({"errcode": 0, "image_width": 1}),
         sent={"imgUrl": 1, "data": {"dataType": 3}}, result={"image_width": 1, "errMsg": OK, "errCode": 0}),
    Case("convert-case-string-false-still-converts", {"imgUrl": 1}, options=({"convertCase": "false"},),
         sent={"img_url": 1}, result=ok()),
    Case("convert-case-zero-still-converts", {"imgUrl": 1}, options=({"convertCase": 0},),
         sent={"img_url": 1}, result=ok()),
    Case("convert-case-none-still-converts", {"imgUrl": 1}, options=({"convertCase": None},),
         sent={"img_url": 1}, result=ok()),
    Case("second-options-replace-the-first", {"imgUrl": 1}, options=({"convertCase": False}, {"version": "v1"}),
         sent={"img_url": 1}, result=ok()),
    Case("not-initialised", {}, node_init=False, sent=None,
         error=sdk_error(-1, "unknown error",
                         "Cloud API isn't enabled, please call init first\n请先调用 init 完成初始化后再调用其他云 API。"
                         "init 方法可传入一个对象用于设置默认配置，详见文档。")),
    Case("string-params", "ab", sent=None,
         error=plain_error(-501007, f"{FAIL} -501007 invalid parameters. params must be a dict (an object in Node), got str"),
         node={"sent": {"0": "a", "1": "b"}, "result": ok()},
         differ="params that are not a mapping are refused before any I/O (Node spreads a string into one param per character)"),
    Case("list-params", ["x", "y"], sent=None,
         error=plain_error(-501007, f"{FAIL} -501007 invalid parameters. params must be a dict (an object in Node), got list"),
         node={"sent": {"0": "x", "1": "y"}, "result": ok()},
         differ="params that are not a mapping are refused before any I/O (Node sends an array as params \"0\", \"1\"...)"),
    # §2 nesting, values, collisions, order
    Case("nested-objects-and-arrays", {"outerKey": {"innerKey": [{"deepKey": 1}, [[{"arrKey": 2}]], "strItem"]}},
         sent={"outer_key": {"inner_key": [{"deep_key": 1}, [[{"arr_key": 2}]], "strItem"]}}, result=ok()),
    Case("values-never-converted", {"someKey": "someValue", "listKey": ["camelCase"], "data": '{"imgUrl":1}'},
         sent={"data": '{"imgUrl":1}', "some_key": "someValue", "list_key": ["camelCase"]}, result=ok()),
    Case("collision-converted-first", {"aB": 1, "a_b": 2}, sent={"a_b": 1}, result=ok()),
    Case("collision-converted-last", {"a_b": 2, "aB": 1}, sent={"a_b": 1}, result=ok()),
    Case("collision-nested", {"x": {"cD": {"eF": 1}, "c_d": 0}}, sent={"x": {"c_d": {"e_f": 1}}}, result=ok()),
    Case("converted-keys-move-last", {"xY": 1, "z": 2, "wV": 3, "u": 4}, sent={"z": 2, "u": 4, "x_y": 1, "w_v": 3},
         result=ok()),
    # None is undefined in an object (left out) and null in a list; cloud.NULL is null; the Symbol
    # DYNAMIC_CURRENT_ENV is dropped as undefined is (the Node side gets undefined, null, the Symbol)
    Case("none-value-left-out", {"aKey": None, "b": 1, "cKey": None}, sent={"b": 1}, result=ok()),
    Case("none-nested-left-out", {"o": {"camelK": None, "k": 1}, "l": [{"x": None}]},
         sent={"o": {"k": 1}, "l": [{}]}, result=ok()),
    Case("none-in-a-list-is-null", {"l": [None, NULL, 1]}, sent={"l": [None, None, 1]}, result=ok()),
    Case("none-only-params", {"a": None}, sent={}, result=ok()),
    Case("none-collision-converted-wins", {"aB": None, "a_b": 2}, sent={}, result=ok()),
    Case("null-sentinel-nested", {"o": {"vK": NULL}}, sent={"o": {"v_k": None}}, result=ok()),
    Case("dynamic-current-env-left-out", {"env": DYNAMIC_CURRENT_ENV, "templateId": "t"},
         sent={"template_id": "t"}, result=ok()),
    Case("dynamic-current-env-nested-and-in-a-list", {"o": {"env": DYNAMIC_CURRENT_ENV, "k": 1}, "l": [DYNAMIC_CURRENT_ENV]},
         sent={"o": {"k": 1}, "l": [None]}, result=ok()),
    Case("null-and-scalars-sent", {"aKey": NULL, "bKey": True, "cKey": 1.5, "dKey": -7, "eKey": "中文"},
         sent={"a_key": None, "b_key": True, "c_key": 1.5, "d_key": -7, "e_key": "中文"}, result=ok()),
    Case("nan-param", {"score": float("nan")}, sent=None,
         error=plain_error(-501007, f"{FAIL} -501007 invalid parameters. params.score: nan cannot be sent as JSON"),
         node={"sent": {"score": None}, "result": ok()},
         differ="Values JSON cannot hold are refused before any I/O (Node sends NaN as null)"),
    Case("integer-like-keys", {"b": 1, "10": 2, "2": 3}, sent={"b": 1, "10": 2, "2": 3}, result=ok(),
         node={"sent": {"2": 3, "10": 2, "b": 1}, "result": ok()},
         differ="Integer-like keys keep their place (Node orders them first, ascending)"),
    Case("integral-float-sent-as-integer", {"dataType": 3.0}, sent={"data_type": 3}, result=ok()),
    # §4 replies
    Case("json-with-charset", {}, reply=json_reply({"errcode": 0, "some_key": "v"}, "application/json; charset=utf-8"),
         result=ok(someKey="v")),
    Case("json-wechat-content-type", {}, reply=json_reply({"errcode": 0, "a_b": 1}, "application/json; encoding=utf-8"),
         result=ok(aB=1)),
    Case("json-content-type-is-case-sensitive", {}, reply=Reply('{"errcode":0}', "Application/JSON"),
         result=ok(contentType="Application/JSON", buffer=b'{"errcode":0}')),
    Case("errcode-40001", {}, reply=json_reply({"errcode": 40001, "errmsg": "invalid credential rid: 6566-abc"}),
         error=sdk_error(40001, "", f"{FAIL} invalid credential rid: 6566-abc")),
    Case("errcode-negative-one", {}, reply=json_reply({"errcode": -1, "errmsg": "system error"}),
         error=sdk_error(-1, "unknown error", f"{FAIL} system error")),
    Case("errcode-string-zero-is-an-error", {}, reply=json_reply({"errcode": "0", "errmsg": "odd"}),
         error=sdk_error("0", "", f"{FAIL} odd")),
    Case("errcode-string", {}, reply=json_reply({"errcode": "45009", "errmsg": "reach max api daily quota limit"}),
         error=sdk_error("45009", "", f"{FAIL} reach max api daily quota limit")),
    Case("errcode-without-errmsg", {}, reply=json_reply({"errcode": 87014}),
         error=sdk_error(87014, "", f"{FAIL} undefined")),
    Case("errcode-with-null-errmsg", {}, reply=json_reply({"errcode": 87014, "errmsg": None}),
         error=sdk_error(87014, "", f"{FAIL} null")),
    Case("errcode-true", {}, reply=json_reply({"errcode": True, "errmsg": "x"}), error=sdk_error(True, "", f"{FAIL} x")),
    Case("errcode-null-is-success", {}, reply=json_reply({"errcode": None, "errmsg": "ok", "k_v": 1}), result=ok(kV=1)),
    Case("errcode-false-is-success", {}, reply=json_reply({"errcode": False, "k_v": 1}), result=ok(kV=1)),
    Case("errcode-empty-string-is-success", {}, reply=json_reply({"errcode": "", "k_v": 1}), result=ok(kV=1)),
    Case("no-errcode", {}, reply=json_reply({"k_v": [1, 2]}), result=ok(kV=[1, 2])),
    Case("nested-errcode-stays", {}, reply=json_reply({"errcode": 0, "errmsg": "ok", "inner_obj": {"errcode": 1, "errmsg": "x"}}),
         result=ok(innerObj={"errcode": 1, "errmsg": "x"})),
    Case("body-errmsg-keys-overwritten-in-place", {},
         reply=json_reply({"errCode": 5, "errcode": 0, "a": 1, "err_msg": "zzz"}),
         result={"errCode": 0, "a": 1, "errMsg": OK}),
    Case("text-plain-not-json", {}, reply=Reply("hello world", "text/plain"), result=ok(result="hello world")),
    Case("text-plain-empty", {}, reply=Reply("", "text/plain; charset=utf-8"), result=ok(result="")),
    Case("text-plain-json", {}, reply=Reply('{"errcode":0,"some_key":1}', "text/plain"), result=ok(someKey=1)),
    Case("text-plain-json-error", {}, reply=Reply('{"errcode":40013,"errmsg":"invalid appid"}', "text/plain"),
         error=sdk_error(40013, "", f"{FAIL} invalid appid")),
    Case("invalid-json", {}, reply=Reply("{x", "application/json"),
         error=sdk_error(-601001, "system error", f"{FAIL} wechat server internal error, response body is invalid json: {{x")),
    Case("empty-json", {}, reply=Reply("", "application/json"),
         error=sdk_error(-601001, "system error", f"{FAIL} wechat server internal error, response body is invalid json: ")),
    Case("json-trailing-garbage", {}, reply=Reply('{"a":1}x', "application/json"),
         error=sdk_error(-601001, "system error",
                         f'{FAIL} wechat server internal error, response body is invalid json: {{"a":1}}x')),
    Case("json-nan-literal", {}, reply=Reply('{"a":NaN}', "application/json"),
         error=sdk_error(-601001, "system error",
                         f'{FAIL} wechat server internal error, response body is invalid json: {{"a":NaN}}')),
    Case("binary-image", {}, reply=Reply(b"\x89PNG\r\n\x1a\n\x00\xff", "image/png"),
         result=ok(contentType="image/png", buffer=b"\x89PNG\r\n\x1a\n\x00\xff")),
    Case("binary-html-trimmed", {}, reply=Reply("<html>502</html>", "  text/html  "),
         result=ok(contentType="text/html", buffer=b"<html>502</html>")),
    Case("binary-no-content-type", {}, reply=Reply(b"\x00\x01", ""), result=ok(contentType="", buffer=b"\x00\x01")),
    Case("top-level-array", {}, reply=Reply("[1,2]", "application/json"),
         error=sdk_error(-601001, "system error", f"{FAIL} wechat server internal error, response body is not a JSON object: [1,2]"),
         node={"result": ok(**{"0": 1, "1": 2})},
         differ="a reply whose JSON is not an object is an error (Node returns its items as keys)"),
    Case("big-integer", {}, reply=Reply('{"errcode":0,"big_id":12345678901234567890}', "application/json"),
         result=ok(bigId=12345678901234567890),
         node={"result": ok(bigId={"s": 1, "e": 19, "c": [123456, 78901234567890]})},
         differ="integers come back exact (Node's json-bigint BigNumber is mangled by case conversion)"),
    Case("long-decimal", {}, reply=Reply('{"errcode":0,"v_x":0.12345678901234567}', "application/json"),
         result=ok(vX=0.12345678901234567),
         node={"result": ok(vX={"s": 1, "e": -1, "c": [12345678901234, 56700000000000]})},
         differ="integers come back exact (and long decimals as floats; Node's BigNumbers are mangled by case conversion)"),
    Case("proto-key", {}, reply=Reply('{"errcode":0,"__proto__":{"x":1}}', "application/json"),
         result=ok(_Proto__={"x": 1}),  # the rule applies: "_p" → "P"
         node={"error": sdk_error(-601001, "system error",
                                  f'{FAIL} wechat server internal error, response body is invalid json: '
                                  '{"errcode":0,"__proto__":{"x":1}}')},
         differ="keys named __proto__ or constructor are accepted (json-bigint rejects the whole body)"),
    # §5 reply conversion
    Case("reply-collision-converted-first", {}, reply=Reply('{"image_width":1,"imageWidth":2}', "application/json"),
         result=ok(imageWidth=1)),
    Case("reply-collision-converted-last", {}, reply=Reply('{"imageWidth":2,"image_width":1}', "application/json"),
         result=ok(imageWidth=1)),
    Case("reply-nested", {}, reply=json_reply({"errcode": 0, "item_list": [{"item_id": 1, "sub_items": [[{"x_y": 2}]]}]}),
         result=ok(itemList=[{"itemId": 1, "subItems": [[{"xY": 2}]]}])),
    Case("reply-values-untouched", {}, reply=json_reply({"errcode": 0, "data": '{"idcard_res":1}', "v_list": ["a_b"]}),
         result=ok(data='{"idcard_res":1}', vList=["a_b"])),
    Case("reply-convert-case-false", {}, options=({"convertCase": False},),
         reply=json_reply({"errcode": 0, "errmsg": "ok", "image_width": 1}), result={"image_width": 1, "errMsg": OK, "errCode": 0}),
    # §6 gateway errors: the gateway answers -604100 for a name it does not know; we answer it before any I/O
    Case("api-not-found", {}, path="noSuch.api", sent=None, reply=Reply("", "", error_code=-604100),
         error=sdk_error(-604100, "API not found", "system error: error code: -604100")),
]  # fmt: skip
