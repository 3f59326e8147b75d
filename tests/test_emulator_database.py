"""The emulator's local database: CloudBase's query and update semantics, its refusals, and a
store that lives in SQLite (in memory, or in a folder across restarts)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloud import NULL
from cloud._db.values import statement
from cloud.emulator import Emulator
from cloud.emulator._database import LocalDatabase

NOW = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone.utc)


def ask(db: LocalDatabase, op: str, calls: list[tuple[str, tuple[Any, ...]]]) -> dict[str, Any]:
    return db.answer(f"/tcb/database{op}", json.dumps({"env": "e", "query": statement(calls)}).encode())


def rows(db: LocalDatabase, *calls: tuple[str, tuple[Any, ...]], coll: str = "c") -> list[dict[str, Any]]:
    reply = ask(db, "query", [("collection", (coll,)), *calls, ("limit", (1000,)), ("get", ())])
    assert reply["errcode"] == 0, reply
    return [json.loads(d) for d in reply["data"]]


@pytest.fixture
def db() -> LocalDatabase:
    made = LocalDatabase(clock=lambda: NOW)
    assert made.answer("/tcb/databasecollectionadd", b'{"env":"e","collection_name":"c"}') == {
        "errcode": 0,
        "errmsg": "ok",
    }
    docs = [
        {"_id": "1", "name": "Ann", "age": 30, "tags": ["a", "b"], "addr": {"city": "SZ"}},
        {"_id": "2", "name": "bob", "age": 20, "tags": ["b"], "addr": {"city": "GZ"}},
        {"_id": "3", "name": "Cid", "age": 40, "score": NULL},
        {"_id": "4", "name": "dan", "age": "forty"},
    ]
    assert ask(made, "add", [("collection", ("c",)), ("add", ({"data": docs},))])["id_list"] == ["1", "2", "3", "4"]
    return made


def ids(found: list[dict[str, Any]]) -> list[str]:
    return [d["_id"] for d in found]


def test_where_follows_cloudbase_semantics(db: LocalDatabase) -> None:
    from cloud._families.database import Commands, Database

    _ = Commands()
    assert ids(rows(db, ("where", ({"addr": {"city": "SZ"}},)))) == ["1"]  # a nested object matches field by field
    assert ids(rows(db, ("where", ({"tags": "b"},)))) == ["1", "2"]  # a value matches an array holding it
    assert ids(rows(db, ("where", ({"age": _.gt(25)},)))) == ["1", "3"]  # "forty" is not a number: no match
    assert ids(rows(db, ("where", ({"age": _.gt(25).and_(_.lt(35))},)))) == ["1"]
    assert ids(rows(db, ("where", (_.or_([{"age": 20}, {"name": "dan"}]),)))) == ["2", "4"]
    assert ids(rows(db, ("where", ({"name": Database.RegExp({"regexp": "^[a-c]", "options": "i"})},)))) == [
        "1",
        "2",
        "3",
    ]
    assert ids(rows(db, ("where", ({"score": _.exists(True)},)))) == ["3"]
    assert ids(rows(db, ("where", ({"age": _.in_([20, 40])},)))) == ["2", "3"]
    assert ids(rows(db, ("where", ({"age": _.nin([20, 40])},)))) == ["1", "4"]
    assert ids(rows(db, ("where", ({"tags": _.size(2)},)))) == ["1"]
    assert ids(rows(db, ("where", ({"age": _.neq(30)},)))) == ["2", "3", "4"]


def test_order_paging_projection_and_count(db: LocalDatabase) -> None:
    reply = ask(
        db,
        "query",
        [
            ("collection", ("c",)),
            ("orderBy", ("age", "desc")),
            ("skip", (1,)),
            ("limit", (2,)),
            ("field", ({"name": True},)),
            ("get", ()),
        ],
    )
    assert reply["pager"] == {"Offset": 1, "Limit": 2, "Total": 4}
    assert [json.loads(d) for d in reply["data"]] == [
        {"_id": "3", "name": "Cid"},
        {"_id": "1", "name": "Ann"},
    ]  # strings sort after numbers
    assert ask(db, "query", [("collection", ("c",)), ("get", ())])["pager"]["Limit"] == 10  # the HTTP API's default
    assert rows(db, ("doc", ("2",)), ("field", ({"tags": False, "addr": False},))) == [
        {"_id": "2", "name": "bob", "age": 20}
    ]
    assert ask(db, "count", [("collection", ("c",)), ("where", ({"age": 30},)), ("count", ())])["count"] == 1


def test_updates_commands_and_set(db: LocalDatabase) -> None:
    from cloud._families.database import Commands, Database

    _ = Commands()
    data = {"age": _.inc(1), "addr": {"zip": "518000"}, "tags": _.push(["c"]), "seen": Database.serverDate()}
    reply = ask(db, "update", [("collection", ("c",)), ("doc", ("1",)), ("update", ({"data": data},))])
    assert reply == {"errcode": 0, "errmsg": "ok", "matched": 1, "modified": 1, "id": ""}
    (one,) = rows(db, ("doc", ("1",)))
    assert one["age"] == 31 and one["addr"] == {"city": "SZ", "zip": "518000"} and one["tags"] == ["a", "b", "c"]
    assert one["seen"] == {"$date": int(NOW.timestamp() * 1000)}
    more = {"tags": _.pull("b"), "name": _.remove(), "n": _.mul(3), "top": _.max(5)}
    assert (
        ask(db, "update", [("collection", ("c",)), ("where", ({"age": _.lt(35)},)), ("update", ({"data": more},))])[
            "matched"
        ]
        == 2
    )
    assert {d["_id"]: d.get("tags") for d in rows(db, ("where", ({"top": 5},)))} == {"1": ["a", "c"], "2": []}
    assert (
        ask(db, "update", [("collection", ("c",)), ("doc", ("1",)), ("update", ({"data": {"_id": "x"}},))])["errcode"]
        == -502002
    )
    created = ask(db, "update", [("collection", ("c",)), ("doc", ("9",)), ("set", ({"data": {"only": 1}},))])
    assert created["id"] == "9" and rows(db, ("doc", ("9",))) == [{"_id": "9", "only": 1}]
    ask(db, "update", [("collection", ("c",)), ("doc", ("9",)), ("set", ({"data": {"other": 2}},))])
    assert rows(db, ("doc", ("9",))) == [{"_id": "9", "other": 2}]  # set replaces the document


def test_aggregation_basics(db: LocalDatabase) -> None:
    calls = [("collection", ("c",)), ("aggregate", ()), ("match", ({"tags": "b"},)), ("unwind", ("$tags",)),
             ("group", ({"_id": "$tags", "n": {"$sum": 1}, "ages": {"$push": "$age"}},)), ("sort", ({"_id": 1},)),
             ("project", ({"n": 1, "ages": 1},)), ("end", ())]  # fmt: skip
    reply = ask(db, "aggregate", calls)
    assert [json.loads(d) for d in reply["data"]] == [
        {"_id": "a", "n": 1, "ages": [30]},
        {"_id": "b", "n": 2, "ages": [30, 20]},
    ]
    counted = ask(
        db,
        "aggregate",
        [("collection", ("c",)), ("aggregate", ()), ("skip", (1,)), ("limit", (2,)), ("count", ("k",)), ("end", ())],
    )
    assert [json.loads(d) for d in counted["data"]] == [{"k": 2}]


def test_refusals(db: LocalDatabase) -> None:
    missing = ask(db, "query", [("collection", ("nope",)), ("get", ())])
    assert missing["errcode"] == -502005 and "[ResourceNotFound]" in missing["errmsg"]
    assert ask(db, "add", [("collection", ("nope",)), ("add", ({"data": {"a": 1}},))])["errcode"] == -502005
    assert ask(db, "add", [("collection", ("c",)), ("add", ({"data": {"_id": "1"}},))])["errcode"] == -502001
    assert ask(db, "query", [("collection", ("c",)), ("count", ())])["errcode"] == -502002  # the wrong endpoint
    assert db.answer("/tcb/databasequery", b'{"env":"e","query":"db.collection(\\"c\\").get("}')["errcode"] == -502002
    assert db.answer("/tcb/databasequery", b"[]")["errcode"] == 47001
    assert ask(db, "add", [("collection", ("c",)), ("add", ({"data": [1]},))])["errcode"] == -502002
    sort_by_text = [("collection", ("c",)), ("aggregate", ()), ("sort", ("n",)), ("end", ())]
    assert ask(db, "aggregate", sort_by_text)["errcode"] == -502002
    assert ask(db, "query", [("collection", ("c",)), ("where", (3,)), ("get", ())])["errcode"] == -502002
    assert db.answer("/tcb/databasecollectionadd", b'{"collection_name":"c"}')["errcode"] == -502001


def test_new_ids_are_32_hex_characters(db: LocalDatabase) -> None:
    (new,) = ask(db, "add", [("collection", ("c",)), ("add", ({"data": {"x": 1}},))])["id_list"]
    assert len(new) == 32 and int(new, 16) >= 0


def test_a_data_folder_survives_a_restart_and_reset_clears_it(tmp_path: Path) -> None:
    first = Emulator(data=str(tmp_path))
    first.database.answer("/tcb/databasecollectionadd", b'{"collection_name":"kept"}')
    ask(first.database, "add", [("collection", ("kept",)), ("add", ({"data": {"_id": "k", "v": 1}},))])
    first.close()  # one emulator at a time keeps a data folder
    again = Emulator(data=str(tmp_path))
    assert rows(again.database, coll="kept") == [{"_id": "k", "v": 1}]
    again.reset()
    again.close()
    assert Emulator(data=str(tmp_path)).database.store.names() == []


def test_the_http_emulator_answers_the_database_and_its_reset_clears_it(emulator: Emulator, api_base: str) -> None:
    url = f"{api_base}/tcb/databasecollectionadd?access_token={emulator.token}"
    assert httpx.post(url, json={"env": "e", "collection_name": "h"}).json() == {"errcode": 0, "errmsg": "ok"}
    assert (
        httpx.post(f"{api_base}/tcb/databasecount", json={"query": 'db.collection("h").count()'}).json()["errcode"]
        == 41001
    )
    counted = httpx.post(
        f"{api_base}/tcb/databasecount?access_token={emulator.token}", json={"query": 'db.collection("h").count()'}
    )
    assert counted.json() == {"errcode": 0, "errmsg": "ok", "count": 0}
    assert httpx.post(f"{api_base}/__emulator/reset").json() == {"ok": True}
    assert emulator.database.store.names() == []


def test_the_emulator_command_keeps_documents_in_its_data_folder_across_restarts(tmp_path: Path) -> None:
    from cloud.emulator import EMULATOR_ACCESS_TOKEN
    from cloud.emulator.server import spawn

    def post(base: str, op: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = httpx.post(f"{base}/tcb/database{op}?access_token={EMULATOR_ACCESS_TOKEN}", json=body, timeout=10)
        return reply.json()  # type: ignore[no-any-return]

    with spawn("--data", str(tmp_path)) as base:
        assert post(base, "collectionadd", {"env": "e", "collection_name": "kept"})["errcode"] == 0
        added = post(base, "add", {"env": "e", "query": 'db.collection("kept").add({data:{v:1}})'})
        assert added["errcode"] == 0
    with spawn("--data", str(tmp_path)) as base:
        found = post(base, "query", {"env": "e", "query": 'db.collection("kept").get()'})
    assert [json.loads(d) for d in found["data"]] == [{"_id": added["id_list"][0], "v": 1}]
    with spawn() as base:  # without --data: in memory, nothing kept
        assert post(base, "count", {"env": "e", "query": 'db.collection("kept").count()'})["errcode"] == -502005


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-5, 5), max_size=12),
    st.integers(-6, 6),
    st.integers(-6, 6),
    st.sampled_from(["asc", "desc"]),
    st.integers(0, 4),
    st.integers(1, 5),
)
def test_where_order_skip_limit_and_count_agree_with_plain_python(
    numbers: list[int], low: int, high: int, order: str, skip: int, limit: int
) -> None:
    from cloud._families.database import Commands

    _ = Commands()
    db = LocalDatabase()
    db.answer("/tcb/databasecollectionadd", b'{"collection_name":"n"}')
    docs = [{"_id": f"{i:02d}", "n": n} for i, n in enumerate(numbers)]
    if docs:
        ask(db, "add", [("collection", ("n",)), ("add", ({"data": docs},))])
    where = ("where", ({"n": _.gt(low).and_(_.lte(high))},))
    chosen = sorted((d for d in docs if low < d["n"] <= high), key=lambda d: d["n"], reverse=order == "desc")
    page = ask(
        db,
        "query",
        [("collection", ("n",)), where, ("orderBy", ("n", order)), ("skip", (skip,)), ("limit", (limit,)), ("get", ())],
    )
    assert [json.loads(d)["n"] for d in page["data"]] == [d["n"] for d in chosen[skip : skip + limit]]
    assert page["pager"]["Total"] == len(chosen)
    assert ask(db, "count", [("collection", ("n",)), where, ("count", ())])["count"] == len(chosen)
    removed = ask(db, "delete", [("collection", ("n",)), where, ("remove", ())])["deleted"]
    assert removed == len(chosen) and len(db.store.documents("n")) == len(docs) - len(chosen)


def test_pull_with_an_object_removes_the_objects_that_match_it_as_a_condition(db: LocalDatabase) -> None:
    from cloud._families.database import Commands

    _ = Commands()
    places = [{"area": 150, "age": 1, "name": "a"}, {"area": 150, "age": 3}, {"area": 50, "age": 1}, "loose"]
    ask(db, "update", [("collection", ("c",)), ("doc", ("1",)), ("update", ({"data": {"places": places}},))])
    pull = {"places": _.pull({"area": _.gt(100), "age": _.lt(2)})}  # CloudBase's documented example
    ask(db, "update", [("collection", ("c",)), ("doc", ("1",)), ("update", ({"data": pull},))])
    assert rows(db, ("doc", ("1",)))[0]["places"] == places[1:]
    by_field = {"places": _.pull({"area": 50})}  # a plain field: objects holding it, whatever else they hold
    ask(db, "update", [("collection", ("c",)), ("doc", ("1",)), ("update", ({"data": by_field},))])
    assert rows(db, ("doc", ("1",)))[0]["places"] == [places[1], "loose"]
