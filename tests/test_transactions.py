"""Database transactions end to end: ``db.runTransaction`` and ``db.startTransaction`` over loopback
HTTP to the emulator, async and blocking, with real isolation, rollback and conflicts; toward
WeChat, a clear CloudSDKError before any I/O."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cloud import Cloud, CloudSDKError
from cloud.emulator import Emulator


def run(mode: str, value: Any) -> Any:
    """``value``, awaited in async mode (a coroutine or an awaitable)."""
    if mode == "sync" or not inspect.isawaitable(value):
        return value

    async def wait() -> Any:
        return await value

    return asyncio.run(wait())


@pytest.fixture
def db(make_cloud: Callable[..., Cloud], mode: str, emulator: Emulator) -> Any:
    emulator.database.answer("/tcb/databasecollectionadd", b'{"collection_name":"acc"}')
    emulator.database.seed({"acc": [{"_id": "a", "n": 10}, {"_id": "b", "n": 0}]})
    made = make_cloud(env="test-env")
    return made.sync.database() if mode == "sync" else made.database()


def balances(emulator: Emulator) -> dict[str, Any]:
    return {d["_id"]: d["n"] for d in emulator.database.store.documents("acc")}


def body(mode: str, steps: Callable[[Any, Callable[[Any], Any]], Any]) -> Callable[[Any], Any]:
    """A runTransaction callback from ``steps(transaction, wait)``: async in async mode."""
    if mode == "sync":
        return lambda t: steps(t, lambda v: v)

    async def callback(t: Any) -> Any:
        found = []

        async def wait(v: Any) -> Any:
            found.append(await v)
            return found[-1]

        return await steps(t, wait)

    return callback


def test_run_transaction_commits_every_write_at_once(db: Any, mode: str, emulator: Emulator) -> None:
    _ = db.command
    if mode == "sync":

        def transfer(t: Any) -> Any:
            got = t.collection("acc").doc("a").get()
            t.collection("acc").doc("a").update({"data": {"n": _.inc(-3)}})
            t.collection("acc").doc("b").update({"data": {"n": _.inc(3)}})
            assert balances(emulator) == {"a": 10, "b": 0}  # nothing seen outside before commit
            return got["data"]["n"]

        assert db.runTransaction(transfer) == 10
    else:

        async def transfer_async(t: Any) -> Any:
            got = await t.collection("acc").doc("a").get()
            await t.collection("acc").doc("a").update({"data": {"n": _.inc(-3)}})
            assert (await t.collection("acc").doc("a").get())["data"]["n"] == 7  # its own writes
            await t.collection("acc").doc("b").update({"data": {"n": _.inc(3)}})
            assert balances(emulator) == {"a": 10, "b": 0}
            return got["data"]["n"]

        assert asyncio.run(db.runTransaction(transfer_async)) == 10
    assert balances(emulator) == {"a": 7, "b": 3}


def test_a_transaction_that_raises_leaves_nothing_behind(db: Any, mode: str, emulator: Emulator) -> None:
    def steps(t: Any, wait: Callable[[Any], Any]) -> Any:
        async def go() -> None:
            await wait(t.collection("acc").doc("a").update({"data": {"n": 0}}))
            await wait(t.collection("acc").add({"data": {"_id": "c", "n": 1}}))
            raise ValueError("out of stock")

        if mode == "async":
            return go()
        t.collection("acc").doc("a").update({"data": {"n": 0}})
        t.collection("acc").add({"data": {"_id": "c", "n": 1}})
        raise ValueError("out of stock")

    with pytest.raises(ValueError, match="out of stock"):
        run(mode, db.runTransaction(body(mode, steps)))
    assert balances(emulator) == {"a": 10, "b": 0}


def test_rollback_with_a_reason_raises_the_reason(db: Any, mode: str, emulator: Emulator) -> None:
    def steps(t: Any, wait: Callable[[Any], Any]) -> Any:
        async def go() -> str:
            await wait(t.collection("acc").doc("a").remove())
            await wait(t.rollback({"why": "insufficient"}))
            return "never"

        if mode == "async":
            return go()
        t.collection("acc").doc("a").remove()
        t.rollback({"why": "insufficient"})
        return "never"

    with pytest.raises(CloudSDKError) as err:
        run(mode, db.runTransaction(body(mode, steps)))
    assert err.value.reason == {"why": "insufficient"} and "rolled back" in err.value.errMsg
    assert balances(emulator) == {"a": 10, "b": 0}


def test_two_transactions_on_one_document_one_conflicts(db: Any, mode: str, emulator: Emulator) -> None:
    first, second = run(mode, db.startTransaction()), run(mode, db.startTransaction())
    run(mode, first.collection("acc").doc("a").update({"data": {"n": 1}}))
    with pytest.raises(CloudSDKError, match="DATABASE_TRANSACTION_CONFLICT"):
        run(mode, second.collection("acc").doc("a").update({"data": {"n": 2}}))
    assert run(mode, first.commit()) == {"errMsg": "transaction.commit:ok"}
    assert balances(emulator)["a"] == 1
    with pytest.raises(CloudSDKError, match="is not open"):  # the conflict aborted the second
        run(mode, second.commit())


OTHER_WRITE = b'{"query":"db.collection(\\"acc\\").doc(\\"a\\").update({data:{n:100}})"}'
"""Someone else's write to document a, outside any transaction."""


def test_run_transaction_retries_a_conflict(db: Any, mode: str, emulator: Emulator) -> None:
    attempts = []

    def read_then_meddle(n: int) -> int:
        attempts.append(n)
        if len(attempts) == 1:  # someone else writes the document after this attempt read it
            assert emulator.database.answer("/tcb/databaseupdate", OTHER_WRITE)["errcode"] == 0
        return n

    if mode == "sync":

        def add_one(t: Any) -> int:
            n = read_then_meddle(t.collection("acc").doc("a").get()["data"]["n"])
            t.collection("acc").doc("a").update({"data": {"n": n + 1}})
            return n

        assert db.runTransaction(add_one) == 100
    else:

        async def add_one_async(t: Any) -> int:
            n = read_then_meddle((await t.collection("acc").doc("a").get())["data"]["n"])
            await t.collection("acc").doc("a").update({"data": {"n": n + 1}})
            return n

        assert asyncio.run(db.runTransaction(add_one_async)) == 100
    assert attempts == [10, 100] and balances(emulator)["a"] == 101


def test_in_a_transaction_a_statement_is_one_document_or_an_add(db: Any, mode: str) -> None:
    t = run(mode, db.startTransaction())
    with pytest.raises(CloudSDKError) as err:
        run(mode, t.collection("acc").where({"n": 10}).get())
    assert err.value.errCode == -502002


@pytest.mark.parametrize("api_base", ["https://api.weixin.qq.com", "http://api.weixin.qq.com"])
def test_toward_wechat_transactions_fail_before_any_io(api_base: str) -> None:
    sent: list[httpx.Request] = []
    made = Cloud()
    made.init({"accessToken": "t", "apiBase": api_base, "env": "e",
               "transport": httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500))})  # fmt: skip
    for database in (made.sync.database(), made.database()):
        for call in (database.startTransaction, lambda d=database: d.runTransaction(lambda t: None)):
            with pytest.raises(CloudSDKError) as err:
                call()
            assert "they run on the emulator" in err.value.errMsg and err.value.errCode == -1
    assert sent == []
    made.close()


def test_a_transaction_left_open_too_long_frees_its_documents(db: Any, mode: str, emulator: Emulator) -> None:
    from cloud.emulator import _dbtransactions

    forgotten = run(mode, db.startTransaction())
    run(mode, forgotten.collection("acc").doc("a").update({"data": {"n": 0}}))
    second = run(mode, db.startTransaction())
    with pytest.raises(CloudSDKError, match="DATABASE_TRANSACTION_CONFLICT"):
        run(mode, second.collection("acc").doc("a").update({"data": {"n": 1}}))
    for txn in list(emulator.database.transactions._open.values()):  # as if a minute went by
        txn.started -= _dbtransactions.LIFETIME + 1
    third = run(mode, db.startTransaction())
    run(mode, third.collection("acc").doc("a").update({"data": {"n": 2}}))
    run(mode, third.commit())
    assert balances(emulator)["a"] == 2
    with pytest.raises(CloudSDKError, match="is not open"):
        run(mode, forgotten.commit())
