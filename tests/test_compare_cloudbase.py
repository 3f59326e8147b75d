"""``python -m cloud compare`` with the database, storage and callFunction: the Node side's real SDK
performs them on the emulator the Python side uses, and the two are compared by their effects."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from cloud import _compare
from cloud._compare import mongo
from cloud._compare.diff import NO_REQUEST_ID
from cloud._db.values import Command, RegExp, ServerDate
from cloud.emulator import Emulator, ScenarioError, load_scenario

from .test_compare import ROOT, cloud_compare

GUESTBOOK = ROOT / "samples" / "guestbook"
REPORT_APP = ROOT / "samples" / "report_app"


@pytest.fixture(autouse=True)
def _sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WX_CLOUD_SDK_DIR", str(ROOT / "tests" / "node"))
    for name in [n for n in os.environ if n.startswith("WX_") and n != "WX_CLOUD_SDK_DIR"]:
        monkeypatch.delenv(name)


def scenario(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "scenario.json").read_text())  # type: ignore[no-any-return]


def test_the_guestbook_agrees_and_both_sides_leave_the_same_documents() -> None:
    report = _compare.run(str(GUESTBOOK), str(GUESTBOOK), scenario=scenario(GUESTBOOK), context={"OPENID": "o1"})
    assert report.agree, report.text()
    assert report.differences == []
    returned = report.node.returned
    assert returned["added"] == 3 and returned["left"] == {"total": 2, "errMsg": "collection.count:ok"}
    assert [m["likes"] for m in returned["popular"]["data"]] == [2, 1]
    assert returned == report.python.returned
    kept = report.node.effects["database"]["messages"]
    assert [(d["text"], d["likes"]) for d in kept] == [("hello", 2), ("nice day", 1)]
    assert kept == report.python.effects["database"]["messages"]
    assert report.node.calls[:3] == ["POST /tcb/databaseadd"] * 3 and report.node.calls == report.python.calls
    assert [r["path"] for r in report.node.requests] == ["/wxa/msg_sec_check"] * 4  # still compared one by one


def test_the_guestbook_fails_alike_without_its_collection() -> None:
    no_collection = {k: v for k, v in scenario(GUESTBOOK).items() if k != "collections"}
    report = _compare.run(str(GUESTBOOK), str(GUESTBOOK), scenario=no_collection, context={"OPENID": "o1"})
    assert report.agree, report.text()
    assert report.node.thrown["errCode"] == report.python.thrown["errCode"] == -502005
    assert report.node.thrown["errMsg"].startswith("collection.add:fail -502005 database collection not exists.")
    assert report.node.calls == report.python.calls == ["POST /tcb/databaseadd"]


def test_a_port_that_increments_by_two_is_different(tmp_path: Path) -> None:
    port = tmp_path / "index.py"
    text = (GUESTBOOK / "index.py").read_text()
    wrong = 'await messages.doc(ids[0]).update({"data": {"likes": _.inc(2)}})'
    port.write_text(text.replace(wrong.replace("inc(2)", "inc(1)"), wrong))
    assert port.read_text() != text
    proc = cloud_compare(f"{GUESTBOOK}/index.js", str(port), "--scenario", f"{GUESTBOOK}/scenario.json",
                         "--context", '{"OPENID": "o1"}')  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DIFFERENT: database.messages[0].likes\n      Node:   2\n      Python: 3" in proc.stdout
    assert "DIFFERENT: result.returned.popular.data[0].likes" in proc.stdout


def test_a_port_that_writes_another_collection_is_different(tmp_path: Path) -> None:
    port = tmp_path / "index.py"
    port.write_text((GUESTBOOK / "index.py").read_text().replace('db.collection("messages")', 'db.collection("notes")'))
    seeded = {**scenario(GUESTBOOK), "collections": {"messages": [], "notes": []}}
    report = _compare.run(f"{GUESTBOOK}/index.js", str(port), scenario=seeded, context={"OPENID": "o1"})
    assert not report.agree
    found = {d.where: (d.node, d.python) for d in report.differences}
    assert found["database.messages"][1] == [] and len(found["database.messages"][0]) == 2
    assert found["database.notes"][0] == [] and len(found["database.notes"][1]) == 2
    assert "DIFFERENT: database.messages" in report.text()


def test_the_report_app_agrees_upload_call_function_delete() -> None:
    proc = cloud_compare(f"{REPORT_APP}/make_report", f"{REPORT_APP}/make_report", "--context", '{"OPENID": "o1"}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "database, storage and function calls (compared by effect): 6\n" in proc.stdout
    assert proc.stdout.rstrip().endswith("agree")
    report = _compare.run(f"{REPORT_APP}/make_report", f"{REPORT_APP}/make_report", context={"OPENID": "o1"})
    assert (
        report.node.returned["measured"]
        == {"size": 55, "lines": 11, "openid": "o1"}
        == report.python.returned["measured"]
    )
    assert report.node.returned["deleted"] is True and report.node.effects["files"] == {}


def test_the_file_size_function_agrees_on_a_file_the_scenario_stores() -> None:
    folder = REPORT_APP / "file_size"
    proc = cloud_compare(str(folder), str(folder), "--scenario", f"{folder}/scenario.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "files after the run: 1 file\n" in proc.stdout and proc.stdout.rstrip().endswith("agree")
    report = _compare.run(str(folder), str(folder), scenario=scenario(folder), context={"OPENID": "o2"})
    assert report.node.returned == report.python.returned == {"size": 21, "lines": 4, "openid": "o2"}


@pytest.mark.parametrize(
    ("folder", "event", "code"),
    [
        (ROOT / "samples" / "vote_app" / "temp_url", {}, "INVALID_PARAM"),
        (REPORT_APP / "file_size", {"fileID": "cloud://e.b/none"}, "STORAGE_FILE_NONEXIST"),
    ],
)
def test_storage_errors_agree_with_their_code_and_request_id(folder: Path, event: dict[str, Any], code: str) -> None:
    """@cloudbase/node-sdk's errors carry ``code`` and ``requestId``; the port's do too."""
    report = _compare.run(str(folder), str(folder), event=event, context={"OPENID": "o1"})
    assert report.node.thrown == report.python.thrown
    assert list(report.python.thrown) == ["code", "requestId", "errCode", "errMsg"]
    assert (report.python.thrown["code"], report.python.thrown["requestId"]) == (code, "")
    assert not [d for d in report.differences if not d.known]


PUSH_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
const _ = db.command
exports.main = async () =>
  db.collection('c').doc('a').update({ data: { l: _.push({ each: [3], sort: -1, slice: 2 }) } })
"""
PUSH_PY = """import cloud

cloud.init()
db = cloud.database()
_ = db.command


async def main(event, context):
    return await db.collection("c").doc("a").update({"data": {"l": _.push({"each": [3], "sort": -1, "slice": 2})}})
"""
NOT_COMPARABLE_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
const _ = db.command
exports.main = async () => db.collection('c').where({ $text: { $search: 'l' } }).get()
"""


def test_push_with_sort_and_slice_is_compared(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text(PUSH_JS)
    (tmp_path / "index.py").write_text(PUSH_PY)
    (tmp_path / "scenario.json").write_text(json.dumps({"collections": {"c": [{"_id": "a", "l": [1, 2]}]}}))
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--scenario", str(tmp_path / "scenario.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_what_the_emulator_cannot_run_is_not_comparable_never_agreed(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text(NOT_COMPARABLE_JS)
    (tmp_path / "index.py").write_text(PUSH_PY)
    (tmp_path / "scenario.json").write_text(json.dumps({"collections": {"c": [{"_id": "a", "l": [1, 2]}]}}))
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--scenario", str(tmp_path / "scenario.json"))
    assert proc.returncode == 2
    assert "not comparable: the Node side's database.getDocument: the query operator $text" in proc.stderr


TRANSACTION_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
const _ = db.command
exports.main = async (event) => {
  try {
    const result = await db.runTransaction(async transaction => {
      const from = await transaction.collection('acc').doc('a').get()
      if (from.data.n < event.amount) {
        await transaction.rollback('insufficient')
        return
      }
      await transaction.collection('acc').doc('a').update({ data: { n: _.inc(-event.amount) } })
      await transaction.collection('acc').doc('b').update({ data: { n: _.inc(event.amount) } })
      return { before: from.data.n }
    })
    return { ok: true, result }
  } catch (e) {
    return { ok: false, reason: e, message: e && (e.message || e.errMsg), code: e && e.code }
  }
}
"""
TRANSACTION_PY = """import cloud

cloud.init()
db = cloud.database()
_ = db.command


async def main(event, context):
    async def transfer(transaction):
        source = await transaction.collection("acc").doc("a").get()
        if source["data"]["n"] < event["amount"]:
            await transaction.rollback("insufficient")
            return None
        await transaction.collection("acc").doc("a").update({"data": {"n": _.inc(-event["amount"])}})
        await transaction.collection("acc").doc("b").update({"data": {"n": _.inc(event["amount"])}})
        return {"before": source["data"]["n"]}

    try:
        result = await db.runTransaction(transfer)
        return {"ok": True, "result": result}
    except cloud.CloudSDKError as e:
        return {"ok": False, "reason": e.reason}
"""


@pytest.mark.parametrize("amount", [3, 30])
def test_a_run_transaction_function_ports_and_agrees(tmp_path: Path, amount: int) -> None:
    """Node's runTransaction (its start, reads, writes, commit or rollback with a reason) runs on
    the emulator's transactions, as the port's does: committed, or rolled back with the reason."""
    (tmp_path / "index.js").write_text(TRANSACTION_JS)
    (tmp_path / "index.py").write_text(TRANSACTION_PY)
    scenario = {"collections": {"acc": [{"_id": "a", "n": 10}, {"_id": "b", "n": 0}]}}
    (tmp_path / "scenario.json").write_text(json.dumps(scenario))
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--scenario", str(tmp_path / "scenario.json"),
                         "--event", json.dumps({"amount": amount}))  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "agree" in proc.stdout


TEMP_URL_JS = """const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async () => {
  const up = await cloud.uploadFile({ cloudPath: 'a.txt', fileContent: Buffer.from('hi') })
  const res = await cloud.getTempFileURL({ fileList: [up.fileID] })
  return { n: res.fileList.length, status: res.fileList[0].status, hasUrl: !!res.fileList[0].tempFileURL }
}
"""
TEMP_URL_PY = """import cloud

cloud.init()


async def main(event, context):
    up = await cloud.uploadFile({"cloudPath": "a.txt", "fileContent": b"hi"})
    res = await cloud.getTempFileURL({"fileList": [up["fileID"]]})
    first = res["fileList"][0]
    return {"n": len(res["fileList"]), "status": first["status"], "hasUrl": bool(first["tempFileURL"])}
"""


def test_a_bare_file_id_gets_a_temporary_url_on_both_sides(tmp_path: Path) -> None:
    """Node's getTempFileURL of a bare fileID sends no max_age; CloudBase gives it a day, as ours asks."""
    (tmp_path / "index.js").write_text(TEMP_URL_JS)
    (tmp_path / "index.py").write_text(TEMP_URL_PY)
    proc = cloud_compare(str(tmp_path), str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr


AGGREGATE_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
const _ = db.command
const $ = _.aggregate
exports.main = async () => {
  const a = await db.collection('c').aggregate().match({ n: _.gt(1) }).group({ _id: null, s: $.sum('$n') }).end()
  const b = await db.collection('c').aggregate().match({ tags: 'x', n: _.in([1, 3]) }).project({ n: 1 }).end()
  const c = await db.collection('c').aggregate()
    .lookup({ from: 'd', localField: 'n', foreignField: 'k', as: 'j' }).sort({ n: -1 }).end()
  await db.collection('c').doc('2').update({ data: { readAt: null, n: _.inc(1) } })
  return { a: a.list, b: b.list, c: c.list }
}
"""
AGGREGATE_PY = """import cloud

cloud.init()
db = cloud.database()
_ = db.command
S = _.aggregate


async def main(event, context):
    a = await db.collection("c").aggregate().match({"n": _.gt(1)}).group({"_id": cloud.NULL, "s": S.sum("$n")}).end()
    b = await db.collection("c").aggregate().match({"tags": "x", "n": _.in_([1, 3])}).project({"n": 1}).end()
    c = await (
        db.collection("c").aggregate().lookup({"from": "d", "localField": "n", "foreignField": "k", "as": "j"})
        .sort({"n": -1}).end()
    )
    await db.collection("c").doc("2").update({"data": {"readAt": cloud.NULL, "n": _.inc(1)}})
    return {"a": a["list"], "b": b["list"], "c": c["list"]}
"""
AGGREGATE_SCENARIO = json.dumps(
    {
        "collections": {
            "c": [{"_id": "1", "n": 1, "tags": ["x"]}, {"_id": "2", "n": 2}, {"_id": "3", "n": 3, "tags": ["x", "y"]}],
            "d": [{"_id": "d1", "k": 3}],
        }
    }
)


def test_aggregations_with_commands_and_explicit_nulls_agree(tmp_path: Path) -> None:
    """Node's match with commands, a group on null, a lookup, and a write of an explicit null: the
    Node side's requests read back as what they mean (its nulls stay null)."""
    (tmp_path / "index.js").write_text(AGGREGATE_JS)
    (tmp_path / "index.py").write_text(AGGREGATE_PY)
    (tmp_path / "scenario.json").write_text(AGGREGATE_SCENARIO)
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--scenario", str(tmp_path / "scenario.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


FACET_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
exports.main = async () => (await db.collection('c').aggregate().facet({ a: [{ $count: 'n' }] }).end()).list
"""
FACET_PY = """import cloud

cloud.init()
db = cloud.database()


async def main(event, context):
    return (await db.collection("c").aggregate().facet({"a": [{"$count": "n"}]}).end())["list"]
"""


def test_both_sides_failing_on_a_limit_of_the_emulator_is_not_comparable(tmp_path: Path) -> None:
    """Both sides fail alike on a stage the emulator does not run: that compared nothing."""
    (tmp_path / "index.js").write_text(FACET_JS)
    (tmp_path / "index.py").write_text(FACET_PY)
    (tmp_path / "scenario.json").write_text(json.dumps({"collections": {"c": [{"_id": "1"}]}}))
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--scenario", str(tmp_path / "scenario.json"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "not comparable" in proc.stderr and "the emulator does not run the aggregation stage $facet" in proc.stderr


def test_the_report_shows_each_sides_outcome(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text(TEMP_URL_JS)
    (tmp_path / "index.py").write_text(TEMP_URL_PY)
    proc = cloud_compare(str(tmp_path), str(tmp_path))
    shown = '{"n": 1, "status": 0, "hasUrl": true}'
    assert f"  Node:   returned {shown}" in proc.stdout and f"  Python: returned {shown}" in proc.stdout


def _pair(folder: Path, js: str, py: str, config: dict[str, Any] | None = None) -> None:
    (folder / "index.js").write_text("const cloud = require('wx-server-sdk')\ncloud.init()\n" + js)
    (folder / "index.py").write_text("import cloud\n\ncloud.init()\n\n\n" + py)
    if config is not None:
        (folder / "config.json").write_text(json.dumps(config))


def test_a_big_event_travels_by_file(tmp_path: Path) -> None:
    _pair(tmp_path, "exports.main = async (event) => event.blob.length\n",
          "async def main(event, context):\n    return len(event['blob'])\n")  # fmt: skip
    (tmp_path / "event.json").write_text(json.dumps({"blob": "x" * 200_000}))
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--event", f"@{tmp_path / 'event.json'}")
    assert proc.returncode == 0 and "returned 200000" in proc.stdout, proc.stdout + proc.stderr


def test_a_line_the_function_prints_cannot_pass_for_its_result(tmp_path: Path) -> None:
    forged = "import atexit\natexit.register(lambda: print('{\"result\": 1}'))\nprint('{\"result\": 1}')\n"
    _pair(tmp_path, "exports.main = async () => 1\n", forged + "\n\nasync def main(event, context):\n    return 2\n")
    proc = cloud_compare(str(tmp_path), str(tmp_path))
    assert proc.returncode == 1 and "Python: returned 2" in proc.stdout, proc.stdout + proc.stderr


def test_the_functions_time_limit_holds_on_both_sides(tmp_path: Path) -> None:
    """config.json's timeout (1 s): Node's main that never settles and the port's that sleeps are
    both stopped there, as the cloud stops them, not waited for."""
    import time

    _pair(tmp_path, "exports.main = () => new Promise(() => {})\n",
          "import asyncio\n\n\nasync def main(event, context):\n    await asyncio.sleep(30)\n",
          {"timeout": 1})  # fmt: skip
    started = time.monotonic()
    proc = cloud_compare(str(tmp_path), str(tmp_path))
    assert time.monotonic() - started < 25, "waited past the time limit"
    assert proc.stdout.count("TimeLimitError: main did not return within 1 s") == 2, proc.stdout + proc.stderr
    assert proc.returncode == 0


def test_both_sides_crashing_in_their_own_code_agree_labelled_unless_strict(tmp_path: Path) -> None:
    _pair(tmp_path, "exports.main = async (event) => event.user.name\n",
          "async def main(event, context):\n    return event['user']['name']\n")  # fmt: skip
    proc = cloud_compare(str(tmp_path), str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "known difference (Both sides' own errors agree by kind): result.thrown.exception" in proc.stdout
    assert "TypeError: Cannot read properties of undefined" in proc.stdout and "KeyError: 'user'" in proc.stdout
    strict = cloud_compare(str(tmp_path), str(tmp_path), "--strict")
    assert strict.returncode == 1 and "DIFFERENT: result.thrown.exception" in strict.stdout


def test_tz_gives_both_sides_one_local_time_zone(tmp_path: Path) -> None:
    hour = "import datetime\n\n\nasync def main(event, context):\n    return datetime.datetime.fromtimestamp(0).hour\n"
    _pair(tmp_path, "exports.main = async () => new Date(0).getHours()\n", hour)
    proc = cloud_compare(str(tmp_path), str(tmp_path), "--tz", "Asia/Shanghai")
    assert proc.returncode == 0 and "Node:   returned 8" in proc.stdout and "Python: returned 8" in proc.stdout
    bad = cloud_compare(str(tmp_path), str(tmp_path), "--tz", "Nowhere/Zone")
    assert bad.returncode == 2 and "--tz takes a time zone name" in bad.stderr


GATHERED_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
exports.main = async () => {
  const out = await Promise.all([1, 2, 3, 4].map(n => db.collection('c').add({ data: { _id: 'x' + n, n } })))
  const checks = await Promise.all(['a', 'b'].map(c => cloud.openapi.security.msgSecCheck({ content: c })))
  return { ids: out.map(r => r._id), checks: checks.length }
}
"""
GATHERED_PY = """import asyncio

import cloud

cloud.init()
db = cloud.database()


async def main(event, context):
    out = await asyncio.gather(*(db.collection("c").add({"data": {"_id": f"x{n}", "n": n}}) for n in (1, 2, 3, 4)))
    checks = await asyncio.gather(*(cloud.openapi.security.msgSecCheck({"content": c}) for c in ("a", "b")))
    return {"ids": [r["_id"] for r in out], "checks": len(checks)}
"""


def test_calls_made_together_give_one_verdict_whatever_order_they_arrive_in(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text(GATHERED_JS)
    (tmp_path / "index.py").write_text(GATHERED_PY)
    (tmp_path / "scenario.json").write_text(json.dumps({"collections": {"c": []}}))
    verdicts = set()
    for _ in range(4):
        proc = cloud_compare(str(tmp_path), str(tmp_path), "--scenario", str(tmp_path / "scenario.json"))
        verdicts.add((proc.returncode, proc.stdout.splitlines()[-1]))
    assert verdicts == {(0, "agree")} or verdicts == {(0, "agree (1 known difference)")}, verdicts


def test_the_same_calls_in_another_order_are_matched_and_labelled() -> None:
    from cloud._compare.diff import REORDERED, Outcome, compare

    a = {"method": "POST", "path": "/wxa/msg_sec_check", "query": {}, "body": {"content": "a"}}
    b = {**a, "body": {"content": "b"}}
    node, python = (
        Outcome(requests=[a, b], calls=["POST /x", "POST /y"]),
        Outcome(requests=[b, a], calls=["POST /y", "POST /x"]),
    )
    found = compare(node, python)
    assert [(d.where, d.known) for d in found] == [("order of calls", REORDERED)]
    other = Outcome(requests=[b, b], calls=["POST /y", "POST /x"])
    assert any(not d.known for d in compare(node, other))


CALLER_JS = "exports.main = async () => (await cloud.callFunction({ name: 'callee', data: { x: 2 } })).result\n"
CALLER_PY = """async def main(event, context):
    return (await cloud.callFunction({"name": "callee", "data": {"x": 2}}))["result"]
"""
CALLEE_PY = "async def main(event, context):\n    return {'doubled': event['x'] * %d}\n"


def test_the_node_side_calls_node_callees_and_the_python_side_their_ports(tmp_path: Path) -> None:
    """A multi-function app: the Node original's callFunction runs the callee's index.js, the port's
    its index.py, so a port of a callee that differs is found; a callee with no Node original is said so."""
    for name in ("caller", "callee"):
        (tmp_path / name).mkdir()
    _pair(tmp_path / "caller", CALLER_JS, CALLER_PY)
    (tmp_path / "callee" / "index.js").write_text("exports.main = async (event) => ({ doubled: event.x * 2 })\n")
    (tmp_path / "callee" / "index.py").write_text(CALLEE_PY % 2)
    caller = str(tmp_path / "caller")
    agreed = cloud_compare(caller, caller)
    assert agreed.returncode == 0 and 'returned {"doubled": 4}' in agreed.stdout, agreed.stdout + agreed.stderr
    (tmp_path / "callee" / "index.py").write_text(CALLEE_PY % 3)
    differs = cloud_compare(caller, caller)
    assert differs.returncode == 1 and "DIFFERENT: result.returned.doubled" in differs.stdout
    (tmp_path / "callee" / "index.js").unlink()
    alone = cloud_compare(caller, caller)
    assert alone.returncode == 2 and "the callee 'callee' has no index.js beside the Node original" in alone.stderr


def test_queries_read_back_as_commands() -> None:
    query = {"a": {"$gt": {"$numberInt": "1"}, "$lt": {"$numberInt": "5"}}, "b": {"$in": ["x", "y"]},
             "d": {"$date": {"$numberLong": "5"}}, "r": {"$regularExpression": {"pattern": "^a", "options": "i"}},
             "n": {"m": {"$ne": None}}}  # fmt: skip
    assert mongo.condition(query) == {
        "a": Command("and", (Command("lt", (5,)),), Command("gt", (1,))),
        "b": Command("in", (["x", "y"],)),
        "d": dt.datetime(1970, 1, 1, 0, 0, 0, 5000, tzinfo=dt.timezone.utc),
        "r": RegExp("^a", "i"),
        "n": {"m": Command("neq", (None,))},
    }
    either = mongo.condition({"$or": [{"a": 1}, {"b": {"$exists": True}}]})
    assert either == Command("or", ({"a": 1}, {"b": Command("exists", (True,))}))
    with pytest.raises(mongo.NotComparableError, match=r"\$where"):
        mongo.condition({"a": {"$where": "x"}})


def test_updates_read_back_as_commands() -> None:
    data = {"$inc": {"a": {"$numberInt": "1"}}, "$set": {"b.c": {"$numberInt": "2"}, "t": {"$tcb_server_date": {}}},
            "$push": {"l": {"$each": [1]}, "f": {"$each": [0], "$position": 0}}, "$pop": {"p": -1, "q": 1},
            "$unset": {"u": ""}, "$addToSet": {"s": {"$each": ["x"]}}}  # fmt: skip
    assert mongo.update(data) == {
        "a": Command("inc", (1,)), "b.c": Command("set", (2,)), "t": Command("set", (ServerDate(0),)),
        "l": Command("push", ({"each": [1]},)), "f": Command("push", ({"each": [0], "position": 0},)),
        "p": Command("shift"),
        "q": Command("pop"), "u": Command("remove"), "s": Command("addToSet", ({"each": ["x"]},)),
    }  # fmt: skip
    with pytest.raises(mongo.NotComparableError, match=r"\$currentDate"):
        mongo.update({"$currentDate": {"a": True}})


def test_a_scenarios_files_are_stored_and_checked() -> None:
    emulator = Emulator()
    file_id = "cloud://e.7465-e-1300000000/a/b.txt"
    load_scenario(emulator, {"files": {file_id: "hi", file_id + "2": {"base64": "AAE="}}})
    assert emulator.files.read(file_id) == b"hi" and emulator.files.read(file_id + "2") == b"\x00\x01"
    with pytest.raises(ScenarioError, match="not a fileID"):
        load_scenario(emulator, {"files": {"cloud://e.b/../x": "no"}})
    with pytest.raises(ScenarioError, match="must be text"):
        load_scenario(emulator, {"files": {file_id: 3}})


OPERATIONS_JS = """const cloud = require('wx-server-sdk')
cloud.init()
const db = cloud.database()
const _ = db.command
exports.main = async () => {
  const made = await db.createCollection('todos')
  await db.collection('todos').add({ data: [{ n: 1, tags: ['a'] }, { n: 2, at: new Date(5000) }] })
  await db.collection('todos').where({ n: _.gte(1).and(_.lte(1)) }).update({ data: { tags: _.push(['b']), 'x.y': 1 } })
  const set = await db.collection('todos').doc('fixed').set({ data: { n: 9 } })
  const again = await db.collection('todos').doc('fixed').set({ data: { n: 10 } })
  const got = await db.collection('todos').where(_.or([{ n: 1 }, { n: 10 }])).orderBy('n', 'desc').get()
  const one = await db.collection('todos').doc('fixed').get()
  let missing
  try { await db.collection('todos').doc('nope').get() } catch (e) { missing = e.errCode }
  return { made, set, again, got, one, missing }
}
"""
OPERATIONS_PY = """import datetime as dt

import cloud

cloud.init()
db = cloud.database()
_ = db.command


async def main(event, context):
    made = await db.createCollection("todos")
    at = dt.datetime.fromtimestamp(5, dt.timezone.utc)
    await db.collection("todos").add({"data": [{"n": 1, "tags": ["a"]}, {"n": 2, "at": at}]})
    one_n = db.collection("todos").where({"n": _.gte(1).and_(_.lte(1))})
    await one_n.update({"data": {"tags": _.push(["b"]), "x.y": 1}})
    set_ = await db.collection("todos").doc("fixed").set({"data": {"n": 9}})
    again = await db.collection("todos").doc("fixed").set({"data": {"n": 10}})
    got = await db.collection("todos").where(_.or_([{"n": 1}, {"n": 10}])).orderBy("n", "desc").get()
    one = await db.collection("todos").doc("fixed").get()
    try:
        await db.collection("todos").doc("nope").get()
    except cloud.CloudSDKError as err:
        missing = err.errCode
    return {"made": made, "set": set_, "again": again, "got": got, "one": one, "missing": missing}
"""


def test_collections_dates_operators_set_and_errors_agree_as_documented(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_text(OPERATIONS_JS)
    (tmp_path / "index.py").write_text(OPERATIONS_PY)
    report = _compare.run(str(tmp_path), str(tmp_path))
    assert report.agree, report.text()
    assert [(d.where, d.known) for d in report.differences] == [("result.returned.made.requestId", NO_REQUEST_ID)]
    returned = report.node.returned
    assert returned["set"]["stats"] == {"updated": 0, "created": 1} and returned["again"]["stats"]["updated"] == 1
    assert [d["n"] for d in returned["got"]["data"]] == [10, 1] and returned["missing"] == -1
    docs = report.node.effects["database"]["todos"]
    assert docs == report.python.effects["database"]["todos"]
    assert docs[0]["tags"] == ["a", "b"] and docs[0]["x"] == {"y": 1} and docs[1]["at"] == {"$date": 5000}
