"""Transactions in the emulator's database, as CloudBase runs them (MongoDB's rules): reads see the
transaction's own writes; writes stay private until ``commit``, which applies them all at once;
``abort`` (or a conflict) leaves nothing behind. Two transactions writing one document: the second
conflicts (``DATABASE_TRANSACTION_CONFLICT``, and the transaction is aborted), as does a
transaction whose document someone else changed after it first read it. Inside a transaction a
statement is one document's ``doc(id).get/update/set/remove`` or ``add``.

The wire (the emulator's own: WeChat's database HTTP API has no transactions): ``POST`` to the
catalogue's ``database.transaction`` path with ``{"env", "action": "start" | "commit" | "abort",
"transaction_id"}``; statements carry ``"transaction_id"`` beside ``"query"``."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .._mongo.values import MongoError

CONFLICT = (-502001, "DATABASE_TRANSACTION_CONFLICT database transaction conflict")
LIFETIME = 60.0
"""Seconds a transaction may stay open (MongoDB's ``transactionLifetimeLimitSeconds``): one left
open longer (a function that never committed nor rolled back) is aborted, freeing its documents."""
Key = tuple[str, str]
GONE: Any = None
"""A write that removes the document."""


class TransactionError(Exception):
    """What the database answers instead, with its errcode."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errmsg)
        self.errcode, self.errmsg = errcode, errmsg


@dataclass
class Transaction:
    id: str
    writes: dict[Key, Any] = field(default_factory=dict)
    """Each document written: its new body, or ``GONE``."""
    seen: dict[Key, int] = field(default_factory=dict)
    """Each document touched, with its version when first touched."""
    claimed: set[Key] = field(default_factory=set)
    """Each document it took for writing (held until it ends)."""
    started: float = field(default_factory=time.monotonic)


class Transactions:
    """The open transactions and every document's version (bumped by each committed write)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, Transaction] = {}
        self._owners: dict[Key, str] = {}
        self._versions: dict[Key, int] = {}

    def start(self) -> str:
        found = Transaction(secrets.token_hex(16))
        with self._lock:
            self._open[found.id] = found
        return found.id

    def get(self, transaction_id: Any) -> Transaction:
        with self._lock:
            found = self._open.get(str(transaction_id))
        if found is None:
            shown = str(transaction_id)[:64]
            raise TransactionError(-502001, f"transaction {shown!r} is not open (committed, aborted or never started)")
        return found

    def touch(self, txn: Transaction, key: Key) -> None:
        """Note the version a transaction first saw of a document."""
        with self._lock:
            txn.seen.setdefault(key, self._versions.get(key, 0))

    def claim(self, txn: Transaction, key: Key) -> None:
        """Take a document for writing: a conflict (and the transaction aborted) if another open
        transaction holds it, or it changed since this one first saw it."""
        with self._lock:
            owner = self._owners.get(key)
            held_by = self._open.get(owner) if owner is not None else None
            if held_by is not None and time.monotonic() - held_by.started > LIFETIME:
                self._drop(held_by)  # left open too long: aborted, as MongoDB aborts it
                owner = None
            seen = txn.seen.setdefault(key, self._versions.get(key, 0))
            if (owner is not None and owner != txn.id) or self._versions.get(key, 0) != seen:
                self._drop(txn)
                raise TransactionError(*CONFLICT)
            self._owners[key] = txn.id
            txn.claimed.add(key)

    def changed(self, keys: list[Key]) -> None:
        """Committed writes (in a transaction or not) to these documents."""
        with self._lock:
            for key in keys:
                self._versions[key] = self._versions.get(key, 0) + 1

    def finish(self, txn: Transaction, apply: Any) -> None:
        """Commit: ``apply(writes)`` runs under the lock, once every write is still this transaction's."""
        with self._lock:
            if self._open.get(txn.id) is not txn:
                raise TransactionError(-502001, "the transaction is no longer open")
            if any(self._versions.get(k, 0) != txn.seen.get(k, 0) for k in txn.writes):
                self._drop(txn)
                raise TransactionError(*CONFLICT)
            try:
                apply(txn.writes)
            except MongoError:
                self._drop(txn)
                raise
            for key in txn.writes:
                self._versions[key] = self._versions.get(key, 0) + 1
            self._drop(txn)

    def abort(self, txn: Transaction) -> None:
        with self._lock:
            self._drop(txn)

    def clear(self) -> None:
        with self._lock:
            self._open.clear()
            self._owners.clear()
            self._versions.clear()

    def _drop(self, txn: Transaction) -> None:
        self._open.pop(txn.id, None)
        for key in txn.claimed:
            if self._owners.get(key) == txn.id:
                del self._owners[key]
