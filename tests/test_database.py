"""cloud.database() end to end: the library over loopback HTTP to the emulator's local database,
async and sync, with Node's result shapes and errors."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

import cloud
from cloud import Cloud, CloudSDKError
from cloud.emulator import Emulator


def run(mode: str, make: Callable[[], Any]) -> Any:
    """Call ``make()`` (a database operation) and wait for it in the given mode."""
    if mode == "sync":
        return make()

    async def go() -> Any:
        return await make()

    return asyncio.run(go())


@pytest.fixture
def db_of(make_cloud: Callable[..., Cloud], mode: str) -> Any:
    cloud = make_cloud(env="test-env")
    return cloud.sync.database() if mode == "sync" else cloud.database()


def test_a_whole_life_of_documents(db_of: Any, mode: str, emulator: Emulator) -> None:
    db, _ = db_of, db_of.command
    assert run(mode, lambda: db.createCollection("todos")) == {"errMsg": "createCollection:ok"}
    todos = db.collection("todos")
    added = run(
        mode,
        lambda: todos.add(
            {"data": {"title": "a", "n": 1, "tags": ["x"], "due": dt.datetime(2019, 9, 9, tzinfo=dt.timezone.utc)}}
        ),
    )
    assert set(added) == {"_id", "errMsg"} and added["errMsg"] == "collection.add:ok"
    assert len(added["_id"]) == 32 and int(added["_id"], 16) >= 0
    many = run(mode, lambda: todos.add({"data": [{"title": t, "n": n} for t, n in (("b", 2), ("c", 3), ("d", 4))]}))
    assert len(many["_ids"]) == 3 and many["errMsg"] == "collection.add:ok"

    either = run(mode, lambda: todos.where(_.or_([{"n": 1}, {"title": "d"}])).orderBy("n", "asc").get())
    assert [d["title"] for d in either["data"]] == ["a", "d"]
    got = run(mode, lambda: todos.where({"n": _.gt(1).and_(_.lt(4))}).orderBy("n", "desc").get())
    assert [d["title"] for d in got["data"]] == ["c", "b"] and got["errMsg"] == "collection.get:ok"
    assert set(got) == {"data", "errMsg"}
    one = run(mode, lambda: todos.doc(added["_id"]).get())
    assert one["data"]["due"] == dt.datetime(2019, 9, 9, tzinfo=dt.timezone.utc)
    assert one == {"data": one["data"], "errMsg": "document.get:ok"}

    updated = run(mode, lambda: todos.where({"n": _.in_([1, 2])}).update({"data": {"n": _.inc(10)}}))
    assert updated == {"stats": {"updated": 2}, "errMsg": "collection.update:ok"}
    assert run(mode, lambda: todos.where({"n": _.gte(10)}).count()) == {"total": 2, "errMsg": "collection.count:ok"}
    page = run(mode, lambda: todos.orderBy("n", "asc").skip(1).limit(2).field({"title": True}).get())
    assert [set(d) for d in page["data"]] == [{"_id", "title"}] * 2
    assert [d["title"] for d in page["data"]] == ["d", "a"]

    agg = run(
        mode,
        lambda: (
            todos.aggregate().match({"n": _.gt(2)}).group({"_id": cloud.NULL, "total": _.aggregate.sum("$n")}).end()
        ),
    )
    assert agg == {"list": [{"_id": None, "total": 3 + 4 + 11 + 12}], "errMsg": "collection.aggregate:ok"}

    removed = run(mode, lambda: todos.where({"n": _.lt(5)}).remove())
    assert removed == {"stats": {"removed": 2}, "errMsg": "collection.remove:ok"}
    assert run(mode, lambda: todos.doc(added["_id"]).remove()) == {
        "stats": {"removed": 1},
        "errMsg": "document.remove:ok",
    }
    sent = [r.path for r in emulator.requests]
    assert "/tcb/databaseadd" in sent and "/tcb/databasequery" in sent and "/tcb/databaseaggregate" in sent


def test_the_statement_sent_is_the_documented_syntax(db_of: Any, mode: str, emulator: Emulator) -> None:
    run(mode, lambda: db_of.createCollection("geo"))
    run(mode, lambda: db_of.collection("geo").where({"done": True}).limit(10).skip(1).get())
    body = json.loads(emulator.requests[-1].body)
    assert body == {"env": "test-env", "query": 'db.collection("geo").where({done:true}).limit(10).skip(1).get()'}
    assert emulator.requests[-1].query["access_token"] == emulator.token


def test_a_missing_collection_is_refused_as_cloudbase_does(db_of: Any, mode: str) -> None:
    with pytest.raises(CloudSDKError) as caught:
        run(mode, lambda: db_of.collection("nowhere").add({"data": {"a": 1}}))
    assert caught.value.errCode == -502005
    assert caught.value.errMsg.startswith(
        "collection.add:fail -502005 database collection not exists. [ResourceNotFound]"
    )


def test_a_missing_document_throws_unless_told_not_to(make_cloud: Callable[..., Cloud]) -> None:
    cloud = make_cloud()
    cloud.sync.database().createCollection("c")
    with pytest.raises(CloudSDKError) as caught:
        cloud.sync.database().collection("c").doc("nope").get()
    assert (caught.value.errCode, caught.value.errMsg) == (
        -1,
        "document.get:fail document with _id nope does not exist",
    )
    quiet = cloud.sync.database({"throwOnNotFound": False}).collection("c").doc("nope").get()
    assert quiet == {"data": None, "errMsg": "document.get:ok"}


@pytest.mark.parametrize(
    ("build", "errmsg"),
    [
        (lambda db: db.collection(""), "collection:fail -501007 invalid parameters. Collection name is required"),
        (lambda db: db.command.foo(1), "db.command:fail -501007 invalid parameters. unknown command 'foo'"),
        (lambda db: db.collection("c").add({}), "collection.add:fail -501007 invalid parameters. pass"),
        (
            lambda db: db.collection("c").add({"data": {"a": float("nan")}}),
            "collection.add:fail -501007 invalid parameters. options.data.a is nan",
        ),
        (
            lambda db: db.collection("c").add({"data": {"a": object()}}),
            "collection.add:fail -501007 invalid parameters. options.data.a is a object",
        ),
        (
            lambda db: db.collection("c").where({}).update({"data": {}}),
            "collection.update:fail -501007 invalid parameters. options.data must",
        ),
        (
            lambda db: db.collection("c").where({}).update({"data": {"_id": 1}}),
            "collection.update:fail -501007 invalid parameters. _id cannot",
        ),
        (lambda db: db.collection("c").where(3), "collection.where:fail -501007 invalid parameters."),
        (
            lambda db: db.collection("c").where({"openid": None}),
            "collection.where:fail -501007 invalid parameters. every",
        ),
        (lambda db: db.collection("c").limit("a"), "collection.limit:fail -501007 invalid parameters."),
        (lambda db: db.collection("c").orderBy("a", "up"), "collection.orderBy:fail -501007 invalid parameters."),
    ],
)
def test_bad_input_fails_before_any_io(
    make_cloud: Callable[..., Cloud], emulator: Emulator, build: Any, errmsg: str
) -> None:
    cloud = make_cloud()
    for db in (cloud.database(), cloud.sync.database()):
        with pytest.raises(CloudSDKError) as caught:
            build(db)
        assert caught.value.errMsg.startswith(errmsg), caught.value.errMsg
    assert emulator.requests == []


def test_writes_are_never_resent(make_cloud: Callable[..., Cloud], emulator: Emulator) -> None:
    from cloud.emulator import Scripted  # a 500 reply: a read is retried, a write is not

    cloud = make_cloud(retry={"maxAttempts": 3})
    cloud.sync.database().createCollection("c")
    emulator.enqueue(Scripted(status=500, body=b"oops"), Scripted(status=500, body=b"oops"))
    with pytest.raises(CloudSDKError):
        cloud.sync.database().collection("c").add({"data": {"a": 1}})
    assert [r.path for r in emulator.requests].count("/tcb/databaseadd") == 1
    assert cloud.sync.database().collection("c").count()["total"] == 0


def test_on_cloud_run_the_statement_goes_over_plain_http_with_no_token(mode: str) -> None:
    from cloud.emulator import serve

    service = Emulator(cloudrun=True)
    with serve(service) as base:
        instance = Cloud()
        instance.init(tokenMode="cloudrun", apiBase=base, env="prod-1a2b")
        db = instance.sync.database() if mode == "sync" else instance.database()
        assert run(mode, lambda: db.createCollection("c")) == {"errMsg": "createCollection:ok"}
        assert run(mode, lambda: db.collection("c").count()) == {"total": 0, "errMsg": "collection.count:ok"}
        instance.close()
    assert [(r.path, r.query) for r in service.requests] == [
        ("/tcb/databasecollectionadd", {}),
        ("/tcb/databasecount", {}),
    ]
    assert base.startswith("http://") and json.loads(service.requests[1].body)["env"] == "prod-1a2b"


def test_a_document_read_and_written_back_keeps_its_nulls(db_of: Any, mode: str, emulator: Emulator) -> None:
    """A None the database returned was a stored null and stays one when written back; a None in a
    dict built anew is Node's undefined and is left out, as in params."""
    emulator.database.answer("/tcb/databasecollectionadd", b'{"collection_name":"n"}')
    emulator.database.seed({"n": [{"_id": "a", "t": None, "in": {"u": None}, "k": 1}]})
    got = run(mode, lambda: db_of.collection("n").doc("a").get())["data"]
    assert got == {"_id": "a", "t": None, "in": {"u": None}, "k": 1}
    del got["_id"]
    got["k"] = 2
    run(mode, lambda: db_of.collection("n").doc("a").set({"data": got}))
    assert emulator.database.store.get("n", "a") == {"_id": "a", "t": None, "in": {"u": None}, "k": 2}
    event: dict[str, Any] = {}
    run(mode, lambda: db_of.collection("n").add({"data": {"_id": "b", "x": event.get("x"), "y": 1}}))
    assert emulator.database.store.get("n", "b") == {"_id": "b", "y": 1}
