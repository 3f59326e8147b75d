"""Every parity case, checked against the real Node SDK and against our library (async and sync)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cloud import CloudSDKError
from cloud._client.instance import Cloud
from cloud.emulator import Emulator, Scripted

from . import node_sdk
from .conftest import invoke
from .parity_cases import CASES, NOARG, Case

BY_ID = {case.id: case for case in CASES}
assert len(BY_ID) == len(CASES), "case ids must be unique"


@pytest.fixture(scope="module")
def node_outcomes() -> dict[str, dict[str, Any]]:
    cases = []
    for case in CASES:
        spec: dict[str, Any] = {
            "id": case.id,
            "init": case.node_init,
            "options": list(case.options),
            "path": "serviceMarket.invokeService",
            "reply": {
                "contentType": case.reply.content_type,
                "body": case.reply.body,
                "errorCode": case.reply.error_code,
            },
        }
        if case.params is not NOARG:
            spec["args"] = [node_sdk.js_params(case.params)]
        cases.append(spec)
    return {outcome["id"]: outcome for outcome in node_sdk.run(cases)}


def expected_node(case: Case) -> dict[str, Any]:
    """What Node must do: the case's expectations, with its ``node`` overrides where we differ."""
    want = {"sent": case.sent, "result": case.result, "error": case.error}
    if case.node:
        want.update({"result": None, "error": None}, **case.node)
    return want


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_node_sdk_does_what_the_case_says(case_id: str, node_outcomes: dict[str, dict[str, Any]]) -> None:
    case, outcome = BY_ID[case_id], node_outcomes[case_id]
    want = expected_node(case)
    if case.path == "serviceMarket.invokeService" and want["sent"] is not None:
        assert list(node_sdk.sent_body(outcome).items()) == list(want["sent"].items())
    if want["error"] is not None:
        assert "error" in outcome, f"Node succeeded: {outcome.get('result')}"
        got = {k: outcome["error"][k] for k in ("errCode", "errMsg", "message")}
        assert got == want["error"]
        assert json.loads(outcome["error"]["json"]) == {
            "errCode": want["error"]["errCode"],
            "errMsg": want["error"]["errMsg"],
        }
    else:
        assert "error" not in outcome, f"Node failed: {outcome.get('error')}"
        assert list(outcome["result"].items()) == list(node_sdk.plain(want["result"]).items())


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_python_does_what_the_case_says(case_id: str, mode: str, make_cloud: Any, emulator: Emulator) -> None:
    case = BY_ID[case_id]
    emulator.enqueue(Scripted(200, case.reply.body, case.reply.content_type or None))
    cloud = make_cloud(retry="off") if case.node_init else Cloud()  # Node's SDK makes one attempt
    try:
        result = invoke(cloud, mode, case.path, case.params, case.options)
    except CloudSDKError as err:
        assert case.error is not None, f"unexpected {err!r}"
        assert {"errCode": err.errCode, "errMsg": err.errMsg, "message": str(err)} == case.error
        assert err.message == case.error["message"]  # Node's err.message
        assert type(err.errCode) is type(case.error["errCode"])
        assert json.loads(json.dumps(err.to_dict())) == {
            "errCode": case.error["errCode"],
            "errMsg": case.error["errMsg"],
        }
    else:
        assert case.error is None, f"expected {case.error}, got {result}"
        assert type(result) is dict
        assert list(result.items()) == list(case.result.items())
    if case.sent is None:
        assert emulator.requests == [], "nothing may be sent"
    else:
        (request,) = emulator.requests
        assert (request.method, request.path) == ("POST", "/wxa/servicemarket")
        assert request.query == {"access_token": emulator.token}
        assert request.headers["content-type"] == "application/json"
        assert list(request.json().items()) == list(case.sent.items())


def test_every_deliberate_difference_is_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    for case in CASES:
        if case.differ:
            assert case.differ.split(" (")[0] in readme, f"README does not list: {case.differ}"


ODD = "\x7f\x85\x9f\u00ad\u200c\u2028\u2029\ufeff 中"
"""Characters json-bigint (the real SDK's JSON writer) escapes and ``JSON.stringify`` does not."""


def test_odd_characters_travel_raw_with_the_json_value_node_sends(make_cloud: Any, emulator: Emulator) -> None:
    """README, deliberate differences: the same JSON value as the SDK's escapes, written as
    ``JSON.stringify`` writes it (raw UTF-8), on both the async and the blocking paths."""
    reply = {"contentType": "application/json", "body": '{"errcode":0,"errmsg":"ok"}'}
    case = {"id": "odd", "path": "security.msgSecCheck", "args": [{"content": ODD}], "reply": reply}
    node_text = node_sdk.run([case])[0]["sent"]["pairs"][0]["value"]
    assert all(f"\\u{ord(c):04x}" in node_text for c in ODD[:-2]), node_text  # the SDK escapes each
    cloud = make_cloud()
    for mode in ("async", "sync"):
        invoke(cloud, mode, "security.msgSecCheck", {"content": ODD})
        body = emulator.requests[-1].body
        assert body == b'{"content":"' + ODD.encode() + b'"}'
        assert json.loads(body)["content"] == json.loads(node_text) == ODD
