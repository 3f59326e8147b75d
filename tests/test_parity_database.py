"""Our database's results and errors against the real wx-server-sdk 4.0.2's (its database request
function replaced by canned replies; ours answered by the same data over the HTTP API's shape)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import cloud
from tests.node_sdk import HARNESS_DIR, SETUP

DOC = '{"_id":"x","a":2}'
PAGE = {"Offset": 0, "Limit": 100, "Total": 1}
UPDATED = {"matched": 3, "modified": 3, "id": ""}
NOT_EXISTS = "[ResourceNotFound] Db or Table not exist."

# (id, Node expression, Node's reply (@cloudbase/database's protocol), our expression, the HTTP API's reply)
CASES: list[tuple[str, str, Any, Callable[[Any, Any], Any], dict[str, Any]]] = [
    ("get", "db.collection('c').where({a: _.gt(1)}).get()", {"data": {"list": [DOC]}},
     lambda db, _: db.collection("c").where({"a": _.gt(1)}).get(), {"data": [DOC], "pager": PAGE}),
    ("doc.get", "db.collection('c').doc('x').get()", {"data": {"list": [DOC]}},
     lambda db, _: db.collection("c").doc("x").get(), {"data": [DOC]}),
    ("doc.get missing", "db.collection('c').doc('x').get()", {"data": {"list": []}},
     lambda db, _: db.collection("c").doc("x").get(), {"data": []}),
    ("add", "db.collection('c').add({data: {a: 1}})", {"data": {"insertedIds": ["n1"]}},
     lambda db, _: db.collection("c").add({"data": {"a": 1}}), {"id_list": ["n1"]}),
    ("add many", "db.collection('c').add({data: [{a: 1}, {a: 2}]})", {"data": {"insertedIds": ["n1", "n2"]}},
     lambda db, _: db.collection("c").add({"data": [{"a": 1}, {"a": 2}]}), {"id_list": ["n1", "n2"]}),
    ("update", "db.collection('c').where({a: 1}).update({data: {a: _.inc(1)}})", {"data": {"updated": 3}},
     lambda db, _: db.collection("c").where({"a": 1}).update({"data": {"a": _.inc(1)}}), UPDATED),
    ("doc.update", "db.collection('c').doc('x').update({data: {a: 1}})", {"data": {"updated": 1}},
     lambda db, _: db.collection("c").doc("x").update({"data": {"a": 1}}), {"matched": 1, "modified": 1, "id": ""}),
    ("doc.set", "db.collection('c').doc('x').set({data: {a: 1}})", {"data": {"updated": 1}},
     lambda db, _: db.collection("c").doc("x").set({"data": {"a": 1}}), {"matched": 1, "modified": 1, "id": ""}),
    ("remove", "db.collection('c').where({a: 1}).remove()", {"data": {"deleted": 2}},
     lambda db, _: db.collection("c").where({"a": 1}).remove(), {"deleted": 2}),
    ("doc.remove", "db.collection('c').doc('x').remove()", {"data": {"deleted": 1}},
     lambda db, _: db.collection("c").doc("x").remove(), {"deleted": 1}),
    ("count", "db.collection('c').where({a: 1}).count()", {"data": {"total": 5}},
     lambda db, _: db.collection("c").where({"a": 1}).count(), {"count": 5}),
    ("aggregate", "db.collection('c').aggregate().match({a: 1}).end()", {"data": {"list": ['{"n":1}']}},
     lambda db, _: db.collection("c").aggregate().match({"a": 1}).end(), {"data": ['{"n":1}']}),
    ("not exists", "db.collection('c').get()", {"code": "DATABASE_COLLECTION_NOT_EXIST", "message": NOT_EXISTS},
     lambda db, _: db.collection("c").get(), {"errcode": -502005, "errmsg": NOT_EXISTS}),
]  # fmt: skip


def node_outcomes(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "Node 20 is needed for the parity checks: install nodejs"
    assert (HARNESS_DIR / "node_modules" / "wx-server-sdk").is_dir(), f"wx-server-sdk is not installed: run {SETUP}"
    proc = subprocess.run([node, str(HARNESS_DIR / "db_harness.js")], input=json.dumps({"cases": cases}).encode(),
                          capture_output=True, timeout=120, check=True)  # fmt: skip
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def ours(
    expression: Callable[[Any, Any], Any], reply: dict[str, Any], config: dict[str, Any] | None = None
) -> dict[str, Any]:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok", **reply})

    instance = cloud.createNewInstance(
        {"env": "test-env", "accessToken": "t", "transport": httpx.MockTransport(answer)}
    )
    db = instance.sync.database(config)
    try:
        return {"result": expression(db, db.command)}
    except cloud.CloudSDKError as err:
        return {"error": {"errCode": err.errCode, "errMsg": err.errMsg, "message": err.message}}


@pytest.fixture(scope="module")
def node() -> dict[str, dict[str, Any]]:
    cases = [{"id": case_id, "op": op, "reply": reply} for case_id, op, reply, _, _ in CASES]
    cases.append(
        {
            "id": "quiet",
            "op": "db.collection('c').doc('x').get()",
            "reply": {"data": {"list": []}},
            "config": {"throwOnNotFound": False},
        }
    )
    return {outcome["id"]: outcome for outcome in node_outcomes(cases)}


@pytest.mark.parametrize(("case_id", "expression", "reply"), [(c[0], c[3], c[4]) for c in CASES])
def test_results_and_errors_are_nodes(
    node: dict[str, dict[str, Any]], case_id: str, expression: Any, reply: Any
) -> None:
    theirs = {k: v for k, v in node[case_id].items() if k in ("result", "error")}
    assert node[case_id]["sent"], "Node sent nothing"
    assert ours(expression, reply) == theirs


def test_a_missing_document_with_throw_on_not_found_off(node: dict[str, dict[str, Any]]) -> None:
    quiet = ours(lambda db, _: db.collection("c").doc("x").get(), {"data": []}, {"throwOnNotFound": False})
    assert quiet == {"result": node["quiet"]["result"]} == {"result": {"data": None, "errMsg": "document.get:ok"}}


# Node throws (or rejects) before sending anything; we raise CloudSDKError -501007, before any I/O too
BEFORE_IO: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("db.collection()", lambda db, _: db.collection()),
    ("db.collection('c').where({a: _.foo(1)}).get()", lambda db, _: _.foo(1)),
    ("db.collection('c').where(3).get()", lambda db, _: db.collection("c").where(3)),
    ("db.collection('c').add()", lambda db, _: db.collection("c").add()),
    ("db.collection('c').where({a: undefined}).remove()", lambda db, _: db.collection("c").where({"a": None})),
    ("db.collection('c').limit('a').get()", lambda db, _: db.collection("c").limit("a")),
    ("db.collection('c').orderBy('a', 'up').get()", lambda db, _: db.collection("c").orderBy("a", "up")),
    ("db.collection('c').doc({}).get()", lambda db, _: db.collection("c").doc({})),
    ("db.collection('c').where({}).update({data: {}})",
     lambda db, _: db.collection("c").where({}).update({"data": {}})),
    ("db.collection('c').where({}).update({})", lambda db, _: db.collection("c").where({}).update({})),
    ("db.collection('c').where({}).update({data: {_id: 1}})",
     lambda db, _: db.collection("c").where({}).update({"data": {"_id": 1}})),
]  # fmt: skip


def test_what_node_refuses_before_any_io_we_refuse_before_any_io() -> None:
    outcomes = node_outcomes([{"id": op, "op": op, "reply": {}} for op, _ in BEFORE_IO])
    for (op, expression), outcome in zip(BEFORE_IO, outcomes, strict=True):
        assert outcome["sent"] == [] and "error" in outcome, op
        sent: list[httpx.Request] = []
        transport = httpx.MockTransport(lambda request, sent=sent: sent.append(request) or httpx.Response(500))
        instance = cloud.createNewInstance({"env": "e", "accessToken": "t", "transport": transport})
        db = instance.sync.database()
        with pytest.raises(cloud.CloudSDKError) as caught:
            expression(db, db.command)
        assert caught.value.errCode == -501007 and sent == [], op
