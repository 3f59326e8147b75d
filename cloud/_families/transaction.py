"""Database transactions in Node's shapes: ``db.startTransaction()`` (a :class:`Transaction`:
``collection(name).doc(id).get/set/update/remove``, ``collection(name).add``, ``commit``,
``rollback``) and ``db.runTransaction(callback, times=3)`` (the callback's result once committed;
retried up to ``times`` more on a conflict; rolled back on anything else, raising it, or, after
``transaction.rollback(reason)``, the reason), async and blocking.

WeChat's database HTTP API has no transactions: they run on the emulator (in-process, or over
loopback HTTP), whose own ``database.transaction`` call starts, commits and aborts them. Toward
WeChat (``api.weixin.qq.com``), both refuse before any I/O, saying where transactions run."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator, Mapping
from typing import Any

from .. import errors
from .._js.value import UNDEFINED, js_str
from . import database

TRANSACTION = "database.transaction"
CONFLICT = "DATABASE_TRANSACTION_CONFLICT"
NOT_HERE = (
    "transactions do not run over WeChat's database HTTP API, which has none; they run on the emulator "
    "(python -m cloud run, the testing kit, python -m cloud emulator). See docs/porting.md, Transactions."
)
Step = tuple[str, Any]


class Database(database.Database):
    """``cloud.database()``, with ``startTransaction`` and ``runTransaction``."""

    def startTransaction(self) -> Any:  # noqa: N802 - Node's name
        _refused_toward_wechat(self, "database.startTransaction")
        return self._send(TRANSACTION, {"action": "start"}, lambda reply: Transaction(self, reply))  # type: ignore[arg-type,return-value]

    def runTransaction(self, callback: Callable[[Transaction], Any], times: int = 3) -> Any:  # noqa: N802
        _refused_toward_wechat(self, "database.runTransaction")
        if not callable(callback):
            raise errors.invalid_params("database.runTransaction", "the callback must be a function")
        steps = _attempts(times)
        return _blocking(steps, self, callback) if self._blocking else _awaited(steps, self, callback)


def _refused_toward_wechat(db: database.Database, name: str) -> None:
    if database.toward_wechat(db._cloud.config):  # before init, the call fails as every call does
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, f"{name}:fail {NOT_HERE}")


class _InTransaction(database.Database):
    """The database as one transaction sees it: every statement carries the transaction's id."""

    def __init__(self, db: database.Database, transaction_id: str) -> None:
        super().__init__(db._cloud, db._blocking, db.config)
        self.transaction_id = transaction_id

    def _send(self, name: str, params: dict[str, Any], shape: Callable[[dict[str, Any]], Any]) -> Any:
        return super()._send(name, {**params, "transaction_id": self.transaction_id}, shape)


class Transaction:
    """One open transaction: its reads see its own writes, which others see once it commits."""

    def __init__(self, db: database.Database, reply: Mapping[str, Any]) -> None:
        self._outer, self._id = db, str(reply.get("transaction_id") or "")
        self._db = _InTransaction(db, self._id)
        self.aborted = self.committed = False
        self.abortReason: Any = UNDEFINED

    def __repr__(self) -> str:
        state = "committed" if self.committed else "rolled back" if self.aborted else "open"
        return f"<Transaction {self._id[:8]}… {state}>"

    def collection(self, name: Any = None) -> database.CollectionReference:
        return self._db.collection(name)

    def commit(self) -> Any:
        def done(reply: dict[str, Any]) -> dict[str, Any]:
            self.committed = True
            return {"errMsg": "transaction.commit:ok"}

        return self._outer._send(TRANSACTION, {"action": "commit", "transaction_id": self._id}, done)

    def rollback(self, reason: Any = UNDEFINED) -> Any:
        def done(reply: dict[str, Any]) -> dict[str, Any]:
            self.aborted, self.abortReason = True, reason
            return {"errMsg": "transaction.rollback:ok"}

        return self._outer._send(TRANSACTION, {"action": "abort", "transaction_id": self._id}, done)


def _rolled_back(transaction: Transaction) -> BaseException:
    """What ``runTransaction`` raises after ``rollback(reason)``: the reason if it is an exception,
    else a CloudSDKError carrying it as ``reason`` (Node rejects with the value itself)."""
    reason = transaction.abortReason
    if isinstance(reason, BaseException):
        return reason
    shown = "" if reason is UNDEFINED else f": {js_str(reason)}"
    return errors.CloudSDKError(errors.UNKNOWN_ERROR, f"database.runTransaction:fail rolled back{shown}", reason=reason)


def _conflict(error: BaseException) -> bool:
    return isinstance(error, errors.CloudSDKError) and CONFLICT in str(error.errMsg)


def _attempts(times: int) -> Generator[Step, Any, Any]:
    """Node's ``runTransaction``, as the steps it takes; the drivers below carry each out."""
    while True:
        transaction = yield ("start", None)
        try:
            result = yield ("callback", transaction)
            if transaction.aborted:
                raise _rolled_back(transaction)
            yield ("commit", transaction)
            return result
        except Exception as error:
            if _conflict(error) and times > 0:
                times -= 1
                continue
            if transaction.aborted:  # the callback rolled back: the reason, not what followed from it
                raise _rolled_back(transaction) from None
            if not transaction.committed:
                try:
                    yield ("rollback", transaction)
                except Exception:  # Node ignores a failed rollback too
                    pass
            raise error


def _perform(step: Step, db: Database, callback: Callable[[Transaction], Any]) -> Any:
    kind, transaction = step
    if kind == "start":
        return db.startTransaction()
    if kind == "callback":
        return callback(transaction)
    return transaction.commit() if kind == "commit" else transaction.rollback()


def _blocking(steps: Generator[Step, Any, Any], db: Database, callback: Callable[[Transaction], Any]) -> Any:
    outcome: tuple[bool, Any] = (True, None)
    while True:
        try:
            step = steps.send(outcome[1]) if outcome[0] else steps.throw(outcome[1])
        except StopIteration as done:
            return done.value
        try:
            outcome = (True, _perform(step, db, callback))
        except Exception as exc:
            outcome = (False, exc)


async def _awaited(steps: Generator[Step, Any, Any], db: Database, callback: Callable[[Transaction], Any]) -> Any:
    outcome: tuple[bool, Any] = (True, None)
    while True:
        try:
            step = steps.send(outcome[1]) if outcome[0] else steps.throw(outcome[1])
        except StopIteration as done:
            return done.value
        try:
            found = _perform(step, db, callback)
            outcome = (True, await found if inspect.isawaitable(found) else found)
        except Exception as exc:
            outcome = (False, exc)
