"""MongoDB's semantics, as the emulator's store answers them: every probe of tests/mongo_probes.py
(answers from MongoDB's manual) on the engine (cloud/_mongo), then the cases users hit, written as
statements and answered by the emulator's database as CloudBase would."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import Any

import pytest

from cloud._db.values import GeoPoint, RegExp, ServerDate, statement
from cloud._families.database import Commands
from cloud._mongo import aggregate, project, query, update
from cloud._mongo.values import MongoError, Regex
from cloud.emulator._database import LocalDatabase
from tests.mongo_probes import ERROR, PROBES, Probe

_ = Commands()
NOW = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


def _regexes(value: Any) -> Any:
    if isinstance(value, re.Pattern):
        return Regex(value.pattern)
    if isinstance(value, dict):
        return {k: _regexes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_regexes(v) for v in value]
    return value


def answer(probe: Probe) -> Any:
    docs, other = copy.deepcopy(probe.docs), copy.deepcopy(probe.other)
    try:
        if probe.kind == "find":
            where, order, shown = (_regexes(x) for x in probe.op)
            found = query.sort([d for d in docs if query.matches(d, where)], list((order or {}).items()))
            found = [project.apply(d, shown) for d in found] if shown else found
            return [d["_id"] for d in found] if probe.ids else found
        if probe.kind == "update":
            where, change = (_regexes(x) for x in probe.op)
            return [update.apply(d, change, where) if query.matches(d, where) else d for d in docs]
        return aggregate.run(docs, _regexes(probe.op), lambda name: other if name == "items" else [])
    except MongoError:
        return ERROR


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_the_engine_answers_as_mongodb_does(probe: Probe) -> None:
    assert answer(probe) == probe.want


def test_an_update_leaves_the_document_it_was_given_as_it_was() -> None:
    doc = {"_id": "a", "arr": [1, 2], "sub": {"b": 1}}
    before = copy.deepcopy(doc)
    update.apply(doc, {"$push": {"arr": 3}, "$set": {"sub.c": 2}})
    assert doc == before


def test_equality_follows_bson_not_python() -> None:
    """``{a: 1, b: 2}`` and ``{b: 2, a: 1}`` are different documents in MongoDB; ``1`` and ``1.0`` equal."""
    docs = [{"_id": 1, "o": {"a": 1, "b": 2}}, {"_id": 2, "o": {"b": 2, "a": 1}}, {"_id": 3, "o": {"a": 1.0, "b": 2}}]
    assert [d["_id"] for d in docs if query.matches(d, {"o": {"a": 1, "b": 2}})] == [1, 3]


# Through the emulator: statements as the library writes them, answered as CloudBase would.


@pytest.fixture
def db() -> LocalDatabase:
    made = LocalDatabase(clock=lambda: NOW)
    for name in ("c", "items"):
        made.answer("/tcb/databasecollectionadd", json.dumps({"env": "e", "collection_name": name}).encode())
    made.seed({"c": copy.deepcopy(PROBES[0].docs), "items": [{"_id": "i1", "name": "a", "cat": "fruit"}]})
    return made


def ask(db: LocalDatabase, op: str, *calls: tuple[str, tuple[Any, ...]]) -> dict[str, Any]:
    body = {"env": "e", "query": statement([("collection", ("c",)), *calls])}
    return db.answer(f"/tcb/database{op}", json.dumps(body).encode())


def ids(db: LocalDatabase, *calls: tuple[str, tuple[Any, ...]]) -> list[str]:
    reply = ask(db, "query", *calls, ("get", ()))
    assert reply["errcode"] == 0, reply
    return [json.loads(d)["_id"] for d in reply["data"]]


def doc(db: LocalDatabase, doc_id: str) -> dict[str, Any]:
    return db.store.get("c", doc_id) or {}


def changed(db: LocalDatabase, data: dict[str, Any], where: Any = None) -> dict[str, Any]:
    head = ("where", (where,)) if where is not None else ("doc", ("a",))
    reply = ask(db, "update", head, ("update", ({"data": data},)))
    assert reply["errcode"] == 0, reply
    return reply


def test_an_array_index_in_an_update_sets_that_element(db: LocalDatabase) -> None:
    changed(db, {"arr.1": 50})
    assert doc(db, "a")["arr"] == [1, 50, 3]


def test_the_positional_operator_sets_the_element_the_query_matched(db: LocalDatabase) -> None:
    changed(db, {"arr.$": 25}, where={"arr": 2})
    changed(db, {"objs.$.y": 7}, where={"objs.x": 2})
    assert doc(db, "a")["arr"] == [1, 25, 3] and doc(db, "a")["objs"] == [{"x": 1, "y": 1}, {"x": 2, "y": 7}]


def test_push_takes_each_position_sort_and_slice(db: LocalDatabase) -> None:
    changed(db, {"arr": _.push({"each": [8, 9], "position": 0})})
    assert doc(db, "a")["arr"] == [8, 9, 1, 2, 3]
    changed(db, {"arr": _.push({"each": [0], "sort": 1, "slice": 3})})
    assert doc(db, "a")["arr"] == [0, 1, 2]
    changed(db, {"arr": _.unshift([7]), "n": _.inc(1)})
    assert doc(db, "a")["arr"] == [7, 0, 1, 2] and doc(db, "a")["n"] == 2


def test_where_reaches_into_arrays_of_objects(db: LocalDatabase) -> None:
    assert ids(db, ("where", ({"objs.x": 3},))) == ["b"]
    assert ids(db, ("where", ({"objs.1.x": 2},))) == ["a"]
    assert ids(db, ("where", ({"objs": _.elemMatch({"x": 1, "y": 1})},))) == ["a"]


def test_order_by_an_array_uses_its_least_element_and_an_empty_array_comes_first(db: LocalDatabase) -> None:
    assert ids(db, ("orderBy", ("arr", "asc"))) == ["c", "a", "b", "d"]
    assert ids(db, ("orderBy", ("arr", "desc"))) == ["d", "b", "a", "c"]


def test_field_keeps_a_path_into_an_array_of_objects(db: LocalDatabase) -> None:
    reply = ask(db, "query", ("doc", ("a",)), ("field", ({"objs.y": True},)), ("get", ()))
    assert json.loads(reply["data"][0]) == {"_id": "a", "objs": [{"y": 1}, {}]}


def test_query_commands_chain(db: LocalDatabase) -> None:
    """Node's ``_.gt(1).lt(5)``: each command after the first narrows the condition."""
    assert ids(db, ("where", ({"n": _.gt(1).lt(5)},))) == ["d"]
    assert ids(db, ("where", ({"n": _.gte(1).neq(2.5).lte(5)},))) == ["a", "b"]
    assert ids(db, ("where", ({"s": _.eq("apple").or_(_.in_(["date"]))},))) == ["a", "d"]
    assert statement([("where", ({"n": _.gt(1).lt(5)},))]) == "db.where({n:_.gt(1).and(_.lt(5))})"


def test_aggregation_runs_lookup_and_expressions(db: LocalDatabase) -> None:
    stages = [
        ("match", ({"_id": _.in_(["a", "b"])},)),
        ("lookup", ({"from": "items", "localField": "s", "foreignField": "name", "as": "info"},)),
        ("addFields", ({"first": {"$arrayElemAt": ["$arr", 0]}, "label": {"$concat": ["$s", "!"]}},)),
        ("project", ({"first": 1, "label": 1, "info": 1},)),
    ]
    reply = ask(db, "aggregate", ("aggregate", ()), *stages, ("end", ()))
    assert [json.loads(d) for d in reply["data"]] == [
        {"_id": "a", "first": 1, "label": "apple!", "info": []},
        {"_id": "b", "first": 4, "label": "Banana!", "info": []},
    ]


def test_aggregate_match_takes_commands(db: LocalDatabase) -> None:
    reply = ask(db, "aggregate", ("aggregate", ()), ("match", ({"n": _.gt(1)},)), ("count", ("k",)), ("end", ()))
    assert [json.loads(d) for d in reply["data"]] == [{"k": 2}]


@pytest.mark.parametrize(
    "stages",
    [
        [("limit", (-1,))],
        [("skip", (-2,))],
        [("limit", (0,))],
        [("frobnicate", ({},))],
        [("project", ({"a": {"$nope": 1}},))],
    ],
)
def test_a_stage_mongodb_refuses_is_refused(db: LocalDatabase, stages: list[Any]) -> None:
    reply = ask(db, "aggregate", ("aggregate", ()), *stages, ("end", ()))
    assert reply["errcode"] == -502002, reply


def test_values_arrive_as_stored_values(db: LocalDatabase) -> None:
    reply = ask(db, "add", ("add", ({"data": {"_id": "v", "when": ServerDate(1000), "re": RegExp("^a", "i"),
                                             "at": GeoPoint(113, 23), "day": dt.date(2020, 1, 2)}},)))  # fmt: skip
    assert reply["errcode"] == 0, reply
    stored = doc(db, "v")
    assert stored["when"] == NOW + dt.timedelta(seconds=1) and stored["re"] == Regex("^a", "i")
    assert stored["at"] == {"type": "Point", "coordinates": [113, 23]}
    assert stored["day"] == dt.datetime(2020, 1, 2, tzinfo=dt.timezone.utc)
    assert ids(db, ("where", ({"s": RegExp("^APP", "i")},))) == ["a"]
