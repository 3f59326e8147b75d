"""The emulator's database: WeChat's database HTTP API (``POST /tcb/databasequery`` and its
siblings) answered from a real local store (:mod:`._dbstore`, SQLite).

Each request is ``{"env", "query"}``, the query one statement (read by :mod:`cloud._db.parse`).
As in CloudBase, a collection must exist before anything is written to it or read from it
(-502005, "database collection not exists"): ``databasecollectionadd`` (``db.createCollection``)
makes one; new ``_id`` s are 32 hex characters; ``get`` returns 10 documents unless limited, at
most 1000.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import catalog
from .._db.parse import ParseError, parse_statement
from .._db.values import Command, from_stored
from .._mongo import aggregate, project, query, update
from .._mongo.values import MongoError
from . import _dbmongo
from ._dbstore import Store, to_stored
from ._dbtransactions import GONE, Transaction, TransactionError, Transactions

PATHS = catalog.cloud_paths("database")
NOT_EXISTS = (
    -502005,
    "[ResourceNotFound] Db or Table not exist. Please check your request, but if the problem cannot be solved, "
    "contact us.",
)
TERMINALS = {
    catalog.cloud_path("collection.get"): ("get",),
    catalog.cloud_path("collection.count"): ("count",),
    catalog.cloud_path("collection.add"): ("add",),
    catalog.cloud_path("collection.update"): ("update", "set"),
    catalog.cloud_path("collection.remove"): ("remove",),
    catalog.cloud_path("collection.aggregate"): ("end",),
}
"""The last call a statement may end with, by path (an aggregate's pipeline ends with ``end()``)."""
CREATE, DROP, LIST = (catalog.cloud_path(n) for n in ("createCollection", "deleteCollection", "listCollections"))
TRANSACTION = catalog.cloud_path("database.transaction")
IN_TRANSACTION = ("get", "update", "set", "remove")
"""What a statement in a transaction may do to its one document (``doc(id).<op>``), beside ``add``."""
DEFAULT_LIMIT, MAX_LIMIT = 10, 1000


class RefusedError(Exception):
    """What the database answers instead: an errcode and errmsg."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(errmsg)
        self.errcode, self.errmsg = errcode, errmsg


def new_id() -> str:
    """A document id as CloudBase makes them: 32 hex characters."""
    return secrets.token_hex(16)


def _dumped(doc: Any) -> str:
    return json.dumps(to_stored(doc), ensure_ascii=False, separators=(",", ":"))


class LocalDatabase:
    """The documents of every environment (one namespace: ``env`` is not checked)."""

    def __init__(self, data_dir: str | Path | None = None, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = Store(data_dir)
        self.clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.transactions = Transactions()
        self.new_id: Callable[[], str] = new_id
        """Where new documents' ``_id`` s come from (32 hex characters)."""

    def close(self) -> None:
        self.store.close()

    def clear(self) -> None:
        self.store.clear()
        self.transactions.clear()

    def seed(self, collections: dict[str, list[dict[str, Any]]]) -> None:
        """Make each collection afresh with these documents (an ``_id`` is made where none is given;
        extended JSON, ``{"$date": ms}``, as a scenario file writes a date, is read as its value)."""
        for name, docs in collections.items():
            given = [from_stored(doc) for doc in docs]
            self.store.drop(name)
            self.store.create(name)
            self.store.insert(name, [{"_id": self.new_id(), **doc} if "_id" not in doc else doc for doc in given])

    def answer(self, path: str, body: bytes) -> dict[str, Any]:
        """The reply to one request: ``{"errcode": 0, "errmsg": "ok", …}`` or the refusal."""
        try:
            params = json.loads(body or b"null")
            if not isinstance(params, dict):
                raise RefusedError(47001, "data format error")
            if path == TRANSACTION:
                found = self._transaction(params)
            elif path in (CREATE, DROP, LIST):
                found = self._collections(path, params)
            else:
                found = self._statement(path, params)
        except (RefusedError, TransactionError) as exc:
            return {"errcode": exc.errcode, "errmsg": exc.errmsg}
        except ValueError as exc:  # a body that is not JSON
            return {"errcode": 47001, "errmsg": f"data format error: {exc}"}
        return {"errcode": 0, "errmsg": "ok", **found}

    def _collections(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        if path == LIST:
            names = self.store.names()
            return {"collections": [{"name": n, "count": len(self.store.documents(n))} for n in names],
                    "pager": {"Offset": 0, "Limit": len(names), "Total": len(names)}}  # fmt: skip
        name = params.get("collection_name")
        if not isinstance(name, str) or not name:
            raise RefusedError(40101, "missing collection_name")
        if path == CREATE:
            if not self.store.create(name):
                raise RefusedError(-502001, f"[ResourceInUse] Table exist: {name}")
            return {}
        if not self.store.drop(name):
            raise RefusedError(*NOT_EXISTS)
        return {}

    def _statement(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        query = params.get("query")
        if not isinstance(query, str) or not query:
            raise RefusedError(40101, "missing query")
        try:
            calls = parse_statement(query)
        except (ParseError, ValueError, OverflowError, RecursionError) as exc:  # a 5,000-digit number …
            said = str(exc) if len(str(exc)) <= 300 else f"{str(exc)[:140]}…{str(exc)[-140:]}"
            raise RefusedError(-502002, f"database invalid command: {said}") from None
        if calls[0][0] != "collection" or len(calls[0][1]) != 1 or not isinstance(calls[0][1][0], str):
            raise RefusedError(-502002, 'a statement starts with db.collection("name")')
        name, steps = calls[0][1][0], calls[1:]
        if not steps or steps[-1][0] not in TERMINALS[path]:
            raise RefusedError(
                -502002, f"{path.rsplit('/', 1)[1]} takes a statement ending in {' or '.join(TERMINALS[path])}()"
            )
        if not self.store.exists(name):
            raise RefusedError(*NOT_EXISTS)
        try:
            if params.get("transaction_id") is not None:
                return self._in_transaction(self.transactions.get(params["transaction_id"]), name, steps)
            return self._run(name, steps)
        except MongoError as exc:  # what the statement asked, refused as the database refuses it
            raise RefusedError(-502002, f"database invalid command: {exc}") from None

    def _run(self, name: str, steps: list[tuple[str, tuple[Any, ...]]]) -> dict[str, Any]:
        terminal, args = steps[-1]
        now = self.clock()
        if terminal == "add":
            return self._add(name, args, now)
        if terminal == "end":
            if steps[0][0] != "aggregate":
                raise MongoError("an aggregation starts with aggregate()")
            stages = _dbmongo.pipeline(steps[1:-1], now)
            docs = aggregate.run(self.store.documents(name), stages, self._lookup)
            return {"data": [_dumped(d) for d in docs]}
        chosen, shape = self._select(name, steps[:-1], now)
        if terminal == "get":
            offset, limit = shape["skip"], min(shape["limit"] or DEFAULT_LIMIT, MAX_LIMIT)
            page = chosen[offset : offset + limit]
            if shape["field"] is not None:
                page = [project.apply(d, shape["field"]) for d in page]
            return {
                "pager": {"Offset": offset, "Limit": limit, "Total": len(chosen)},
                "data": [_dumped(d) for d in page],
            }
        if terminal == "count":
            return {"count": len(chosen)}
        if terminal == "remove":
            gone = [str(d["_id"]) for d in chosen]
            self.transactions.changed([(name, i) for i in gone])
            return {"deleted": self.store.delete(name, gone)}
        data = _data(args)
        if terminal == "set":
            return self._set(name, shape["doc"], chosen, _dbmongo.value(data, now))
        change = _dbmongo.update(data, now)
        if not change:
            return {"matched": len(chosen), "modified": 0, "id": ""}
        changed = [update.apply(d, change, shape["where"]) for d in chosen]
        modified = [new for new, old in zip(changed, chosen, strict=True) if to_stored(new) != to_stored(old)]
        self.store.replace(name, modified)
        self.transactions.changed([(name, str(d["_id"])) for d in modified])
        return {"matched": len(chosen), "modified": len(modified), "id": ""}

    def _lookup(self, name: str) -> list[dict[str, Any]]:
        if not self.store.exists(name):
            raise RefusedError(*NOT_EXISTS)
        return self.store.documents(name)

    def _select(
        self, name: str, steps: list[tuple[str, tuple[Any, ...]]], now: dt.datetime
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The documents the chain picks, in order, and its paging, projection and query."""
        shape: dict[str, Any] = {"skip": 0, "limit": 0, "field": None, "doc": None, "where": {}}
        wheres: list[dict[str, Any]] = []
        order: list[tuple[str, int]] = []
        for method, args in steps:
            arg = args[0] if args else None
            if method == "where":
                if not isinstance(arg, (dict, Command)):
                    raise MongoError("where takes an object")
                wheres.append(_dbmongo.where(arg, now))
            elif method == "doc":
                if shape["doc"] is not None or isinstance(arg, (dict, list)) or arg is None:
                    raise MongoError("doc takes one document id")
                shape["doc"] = str(arg)
            elif method == "orderBy":
                direction = str(args[1]) if len(args) > 1 else "asc"
                if not isinstance(arg, str) or direction not in ("asc", "desc"):
                    raise MongoError('orderBy takes a field path and "asc" or "desc"')
                order.append((arg, 1 if direction == "asc" else -1))
            elif method in ("skip", "limit"):
                if isinstance(arg, bool) or not isinstance(arg, int) or arg < 0:
                    raise MongoError(f"{method} takes a non-negative integer")
                shape[method] = arg
            elif method == "field":
                shape["field"] = _dbmongo.projection(arg, now)
                project.check(shape["field"])
            else:
                raise MongoError(f"unknown method {method}()")
        shape["where"] = wheres[0] if len(wheres) == 1 else {"$and": wheres} if wheres else {}
        if shape["doc"] is not None:
            found = self.store.get(name, shape["doc"])
            docs = [found] if found is not None else []
        else:
            docs = self.store.documents(name)
        docs = [d for d in docs if query.matches(d, shape["where"])]
        return query.sort(docs, order), shape

    def _add(self, name: str, args: tuple[Any, ...], now: dt.datetime) -> dict[str, Any]:
        data = _data(args)
        given = data if isinstance(data, list) else [data]
        if not given or not all(isinstance(d, dict) for d in given):
            raise MongoError("add takes an object or a list of objects")
        docs = [_dbmongo.value(d, now) for d in given]
        for doc in docs:
            doc.setdefault("_id", self.new_id())
        try:
            self.store.insert(name, docs)
        except sqlite3.IntegrityError:
            raise RefusedError(-502001, "[FailedOperation] duplicate key: _id already exists") from None
        self.transactions.changed([(name, str(d["_id"])) for d in docs])
        return {"id_list": [str(d["_id"]) for d in docs]}

    def _set(self, name: str, doc_id: str | None, chosen: list[dict[str, Any]], data: Any) -> dict[str, Any]:
        if doc_id is None or not isinstance(data, dict):
            raise MongoError("set() is for doc(id) and takes {data: {...}}")
        if "_id" in data:
            raise MongoError("_id cannot be set")
        doc = {"_id": doc_id, **data}
        self.transactions.changed([(name, doc_id)])
        if chosen:
            self.store.replace(name, [doc])
            return {"matched": 1, "modified": int(to_stored(doc) != to_stored(chosen[0])), "id": ""}
        self.store.insert(name, [doc])
        return {"matched": 0, "modified": 0, "id": doc_id}

    def _transaction(self, params: dict[str, Any]) -> dict[str, Any]:
        action = params.get("action")
        if action == "start":
            return {"transaction_id": self.transactions.start()}
        if action not in ("commit", "abort"):
            raise RefusedError(-501007, 'a transaction\'s action is "start", "commit" or "abort"')
        txn = self.transactions.get(params.get("transaction_id"))
        if action == "abort":
            self.transactions.abort(txn)
        else:
            self.transactions.finish(txn, self.store.apply)
        return {}

    def _in_transaction(self, txn: Transaction, name: str, steps: list[tuple[str, tuple[Any, ...]]]) -> dict[str, Any]:
        """One statement inside a transaction: ``add``, or ``doc(id).get/update/set/remove``."""
        now = self.clock()
        (terminal, args), head = steps[-1], steps[:-1]
        if terminal == "add":
            data = _data(args)
            if not isinstance(data, dict) or head:
                raise MongoError("add in a transaction takes one object")
            doc = _dbmongo.value(data, now)
            doc.setdefault("_id", self.new_id())
            key = (name, str(doc["_id"]))
            self.transactions.claim(txn, key)
            if self._seen(txn, key) is not None:
                raise RefusedError(-502001, "[FailedOperation] duplicate key: _id already exists")
            txn.writes[key] = doc
            return {"id_list": [key[1]]}
        if len(head) != 1 or head[0][0] != "doc" or terminal not in IN_TRANSACTION:
            raise MongoError("in a transaction, a statement is doc(id).get/update/set/remove() or add()")
        key = (name, str(head[0][1][0]))
        current = self._seen(txn, key)
        if terminal == "get":
            return {"pager": {"Offset": 0, "Limit": 1, "Total": int(current is not None)},
                    "data": [] if current is None else [_dumped(current)]}  # fmt: skip
        self.transactions.claim(txn, key)
        if terminal == "remove":
            txn.writes[key] = GONE
            return {"deleted": int(current is not None)}
        if terminal == "set":
            data = _dbmongo.value(_data(args), now)
            if not isinstance(data, dict) or "_id" in data:
                raise MongoError("set() takes {data: {...}} without _id")
            txn.writes[key] = {"_id": key[1], **data}
            return {"matched": int(current is not None), "modified": int(current is not None),
                    "id": "" if current is not None else key[1]}  # fmt: skip
        if current is None:
            return {"matched": 0, "modified": 0, "id": ""}
        txn.writes[key] = update.apply(current, _dbmongo.update(_data(args), now), {"_id": key[1]})
        return {"matched": 1, "modified": int(to_stored(txn.writes[key]) != to_stored(current)), "id": ""}

    def _seen(self, txn: Transaction, key: tuple[str, str]) -> Any:
        """The document as the transaction sees it: its own write, else the store's (None: absent)."""
        self.transactions.touch(txn, key)
        if key in txn.writes:
            return txn.writes[key]
        return self.store.get(*key)


def _data(args: tuple[Any, ...]) -> Any:
    options = args[0] if args else None
    if not isinstance(options, dict) or "data" not in options:
        raise MongoError("the operation takes {data: ...}")
    return options["data"]
