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

from cloud._db.values import QUERY_COMMANDS, UPDATE_COMMANDS, Command, GeoPoint, RegExp, ServerDate, dumps, statement
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


# The store under attack: every statement is answered or refused (-502002), never a raw exception.


def test_id_is_never_renamed_onto_or_over(db: LocalDatabase) -> None:
    for data in ({"n": _.rename("_id")}, {"_id": _.rename("m")}, {"n": _.set(1), "sub": _.rename("_id")}):
        reply = ask(db, "update", ("doc", ("a",)), ("update", ({"data": data},)))
        assert reply["errcode"] == -502002 and "_id" in reply["errmsg"], reply
    assert doc(db, "a") == PROBES[0].docs[0] and doc(db, "b") == PROBES[0].docs[1]


def test_numbers_json_cannot_hold_are_refused_not_stored(db: LocalDatabase) -> None:
    changed(db, {"n": 1e308})
    reply = ask(db, "update", ("doc", ("a",)), ("update", ({"data": {"n": _.mul(10)}},)))
    assert reply["errcode"] == -502002 and "not a number JSON can hold" in reply["errmsg"], reply
    assert doc(db, "a")["n"] == 1e308 and ask(db, "query", ("get", ()))["errcode"] == 0
    reply = ask(db, "aggregate", ("aggregate", ()), ("project", ({"x": {"$multiply": [1e308, 10]}},)), ("end", ()))
    assert reply["errcode"] == -502002, reply


def test_a_number_no_double_holds_is_an_invalid_command(db: LocalDatabase) -> None:
    for literal in ("1" + "0" * 5000, "1e400", "-1e400"):
        body = json.dumps({"query": f'db.collection("c").add({{data:{{_id:"big",n:{literal}}}}})'}).encode()
        reply = db.answer("/tcb/databaseadd", body)
        assert reply["errcode"] == -502002, reply
    assert db.store.get("c", "big") is None


def test_a_field_name_starting_with_a_dollar_is_refused_as_it_would_read_back_as_another_type(
    db: LocalDatabase,
) -> None:
    for value in ({"$date": 5}, {"$numberInt": "1"}, {"$regularExpression": {"pattern": "a", "options": ""}}):
        reply = ask(db, "add", ("add", ({"data": {"_id": "z", "v": value}},)))
        assert reply["errcode"] == -502002 and "starts with '$'" in reply["errmsg"], reply
    assert db.store.get("c", "z") is None


def test_one_catastrophic_regular_expression_fails_its_own_statement_only(db: LocalDatabase) -> None:
    import threading
    import time

    db.seed({"c": [{"_id": str(i), "s": "a" * 40 + "!"} for i in range(50)]})
    bad: dict[str, Any] = {}
    slow = threading.Thread(
        target=lambda: bad.update(ask(db, "query", ("where", ({"s": RegExp("^(a|aa)+$")},)), ("get", ())))
    )
    slow.start()
    time.sleep(0.05)
    waited = []
    while slow.is_alive() and len(waited) < 20:
        started = time.perf_counter()
        assert ask(db, "count", ("where", ({"_id": "1"},)), ("count", ()))["count"] == 1
        waited.append(time.perf_counter() - started)
    slow.join(10)
    assert bad["errcode"] == -502002 and "took over" in bad["errmsg"], bad
    assert waited and max(waited) < 0.1, waited


def test_a_data_folder_serves_one_emulator_at_a_time(tmp_path: Any) -> None:
    from cloud.emulator import Emulator
    from cloud.emulator._dbstore import StoreInUseError

    first = Emulator(data=tmp_path)
    with pytest.raises(StoreInUseError, match=f"pid {__import__('os').getpid()}"):
        Emulator(data=tmp_path)
    first.close()
    Emulator(data=tmp_path).close()  # the first one closed, the folder is free


def test_what_a_statement_cannot_hold_fails_before_any_io() -> None:
    from cloud import CloudSDKError
    from cloud._db.values import checked, dumps

    assert dumps(dt.datetime(999, 1, 2, tzinfo=dt.timezone.utc)) == 'new Date("0999-01-02T00:00:00.000Z")'
    for value in (10**400, dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        with pytest.raises(CloudSDKError) as err:
            checked({"v": value}, "collection.add")
        assert err.value.errCode == -501007


FUZZ_PATHS = ["n", "arr", "objs", "objs.x", "arr.0", "arr.$", "sub.b", "s", "t", "_id", "arr.$[]", "objs.1.x", "sub"]
FUZZ_KEYS = [*FUZZ_PATHS, "$gt", "$sum", "$add", "$concat", "$map", "$size", "$cond", "$ifNull", "$arrayElemAt",
             "each", "position", "slice", "sort", "input", "in", "from", "localField", "foreignField", "as", "size",
             "path", "boundaries", "groupBy", "newRoot", "buckets", "preserveNullAndEmptyArrays"]  # fmt: skip


def _fuzz_values() -> tuple[Any, Any, Any]:
    """Strategies for where values, update values and stage specs: mostly well formed, sometimes not."""
    from hypothesis import strategies as st

    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-10, 10), st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.sampled_from(["a", "apple", "$n", "$arr", "$objs.x", "$$ROOT", "", "$"]), st.just(NOW),
        st.just(ServerDate(5)),
        st.builds(RegExp, st.sampled_from(["^a", "(a|aa)+", "["]), st.sampled_from(["", "i", "q"])),
    )  # fmt: skip
    plain = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FUZZ_KEYS), inner, max_size=3),
        max_leaves=6,
    )
    args = st.lists(plain, min_size=1, max_size=2).map(tuple)

    def commands(ops: Any) -> Any:
        return st.builds(Command, st.sampled_from(sorted(ops)), args)

    query = st.recursive(
        commands(QUERY_COMMANDS | {"expr", "geoNear"}) | plain,
        lambda inner: st.builds(
            lambda a, op, b: Command(op, (b,), a),
            commands(QUERY_COMMANDS),
            st.sampled_from(["and", "or", "gt", "lt", "in"]),
            inner,
        ),
        max_leaves=4,
    )
    return query, commands(UPDATE_COMMANDS) | plain, plain


def test_no_statement_gets_a_raw_exception() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    query, update_values, specs = _fuzz_values()
    stages = ["match", "project", "group", "sort", "limit", "skip", "count", "unwind", "addFields", "lookup",
              "bucket", "bucketAuto", "sortByCount", "replaceRoot", "sample", "geoNear"]  # fmt: skip

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(
        kind=st.sampled_from(["query", "update", "delete", "count", "aggregate", "set"]),
        where=st.dictionaries(st.sampled_from(FUZZ_PATHS), query, max_size=3),
        data=st.dictionaries(st.sampled_from(FUZZ_PATHS), update_values, max_size=3),
        steps=st.lists(st.tuples(st.sampled_from(stages), specs), max_size=3),
        shown=st.dictionaries(st.sampled_from(FUZZ_PATHS), specs, max_size=2),
    )
    def attack(kind: str, where: Any, data: Any, steps: Any, shown: Any) -> None:
        made = LocalDatabase(clock=lambda: NOW)
        made.answer("/tcb/databasecollectionadd", b'{"collection_name":"c"}')
        made.seed({"c": copy.deepcopy(PROBES[0].docs)})
        tail = {"query": [("field", (shown,)), ("get", ())], "update": [("update", ({"data": data},))],
                "delete": [("remove", ())], "count": [("count", ())]}  # fmt: skip
        if kind == "aggregate":
            calls = [("aggregate", ()), *[(s, (v,)) for s, v in steps], ("end", ())]
        elif kind == "set":
            calls, kind = [("doc", ("a",)), ("set", ({"data": data},))], "update"
        else:
            calls = [("where", (where,)), ("orderBy", ("arr", "asc")), *tail[kind]]
        try:
            text = statement([("collection", ("c",)), *calls])
        except ValueError:  # what the library refuses before any I/O
            return
        reply = made.answer(f"/tcb/database{kind}", json.dumps({"query": text}).encode())
        assert reply["errcode"] in (0, -502002), reply
        for item in reply.get("data", []):
            json.loads(item)

    attack()


def test_the_command_surface_reaches_the_store(db: LocalDatabase) -> None:
    """``_.expr``, ``_.project.slice``/``elemMatch``, ``_.aggregate.pipeline()`` in ``lookup``, geo
    queries, and MongoDB's own operators written raw: each written as a statement and answered."""
    agg = _.aggregate
    assert ids(db, ("where", (_.expr(agg.gt(["$n", 2])),))) == ["b", "c", "d"]  # across types: "5" > 2
    assert ids(db, ("where", ({"n": {"$gt": 1, "$lt": 5}},))) == ["d"]
    reply = ask(db, "query", ("doc", ("a",)), ("field", ({"arr": _.project.slice(1)},)), ("get", ()))
    assert json.loads(reply["data"][0])["arr"] == [1]
    reply = ask(db, "query", ("doc", ("a",)), ("field", ({"objs": _.project.elemMatch({"x": _.gte(2)})},)), ("get", ()))
    assert json.loads(reply["data"][0]) == {"_id": "a", "objs": [{"x": 2}]}
    inner = agg.pipeline().match(_.expr(agg.eq(["$name", "$$s"]))).project({"_id": 0, "cat": 1}).done()
    assert inner == [{"$match": _.expr(agg.eq(["$name", "$$s"]))}, {"$project": {"_id": 0, "cat": 1}}]
    stages = [("match", ({"_id": "a"},)), ("lookup", ({"from": "items", "let": {"s": "a"}, "pipeline": inner,
                                                        "as": "info"},)), ("project", ({"info": 1},))]  # fmt: skip
    reply = ask(db, "aggregate", ("aggregate", ()), *stages, ("end", ()))
    assert [json.loads(d) for d in reply["data"]] == [{"_id": "a", "info": [{"cat": "fruit"}]}]
    for i, (lng, lat) in enumerate([(113.0, 23.0), (113.01, 23.0), (120.0, 30.0)]):
        changed(db, {"at": GeoPoint(lng, lat)}, where={"_id": "abc"[i]})
    near = {"at": _.geoNear({"geometry": GeoPoint(113, 23), "maxDistance": 2000})}
    assert ids(db, ("where", (near,))) == ["a", "b"]
    assert ids(db, ("where", (_.jsonSchema({"required": ["t"], "properties": {"n": {"bsonType": "string"}}}),))) == [
        "c"
    ]
    changed(db, {"n": _.bit({"xor": 3})})
    assert doc(db, "a")["n"] == 2


def test_geo_shapes_travel_and_answer_geo_queries(db: LocalDatabase) -> None:
    from cloud import CloudSDKError
    from cloud._db.geo import Geo
    from cloud._db.parse import parse_value

    def box(x0: float, y0: float, x1: float, y1: float) -> Any:
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        return Geo.Polygon([Geo.LineString([Geo.Point(x, y) for x, y in corners])])

    area = box(112, 22, 114, 24)
    text = dumps(area)
    assert text.startswith("new db.Geo.Polygon([new db.Geo.LineString([new db.Geo.Point(112,22),")
    assert parse_value(text) == area
    for i, (lng, lat) in enumerate([(113.0, 23.0), (113.5, 23.5), (120.0, 30.0)]):
        changed(db, {"at": GeoPoint(lng, lat)}, where={"_id": "abc"[i]})
    assert ids(db, ("where", ({"at": _.geoWithin({"geometry": area})},))) == ["a", "b"]
    two = Geo.MultiPolygon([box(119, 29, 121, 31), box(0, 0, 1, 1)])
    assert ids(db, ("where", ({"at": _.geoIntersects({"geometry": two})},))) == ["c"]
    reply = ask(db, "add", ("add", ({"data": {"_id": "shape", "zone": area}},)))
    assert reply["errcode"] == 0 and doc(db, "shape")["zone"] == area.geojson()
    with pytest.raises(CloudSDKError) as err:
        Geo.Polygon([Geo.LineString([Geo.Point(0, 0), Geo.Point(1, 1)])])  # not closed
    assert err.value.errCode == -501007
