"""The emulator's documents, in SQLite (standard library): in memory by default, or in a file
under ``--data DIR`` that survives restarts. Each document is stored as extended JSON
(``{"$date": ms}`` for dates), in insertion order, per collection."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from .._db.geo import GeoPoint
from .._db.values import RegExp, from_stored
from .._mongo.values import MongoError, Regex

FILE_NAME = "database.sqlite3"
LOCK_NAME = "database.lock"


class StoreInUseError(OSError):
    """Another emulator keeps its documents in this folder: two writers would lose each other's writes."""


def _locked(folder: Path) -> Any:
    """The folder's lock file, held (exclusively, for as long as it stays open)."""
    handle = open(folder / LOCK_NAME, "a+")  # held open for the store's life: closing it unlocks
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; one emulator per folder is the user's care
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        owner = handle.read().strip() or "another process"
        handle.close()
        raise StoreInUseError(
            f"{folder} holds the documents of a running emulator (pid {owner}); stop it, or give another --data"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def to_stored(value: Any) -> Any:
    """A Python value as stored: datetimes (UTC) as ``{"$date": ms}``, dates as midnight UTC.
    MongoError for what a document cannot hold: a number JSON cannot write (``Infinity``, ``NaN``,
    an integer past a double's range) or a field name starting with ``$`` (which would read back as
    another type: ``{"$date": 5}``), as MongoDB refuses such names."""
    if isinstance(value, dict):
        for key in value:
            if str(key).startswith("$"):
                raise MongoError(f"the field name {key!r} starts with '$', which a document cannot hold")
        return {k: to_stored(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        raise MongoError(f"{value} is not a number JSON can hold (a result out of range?)")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**1024:
        raise MongoError("an integer past the range of a double")
    if isinstance(value, (list, tuple)):
        return [to_stored(v) for v in value]
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)
        return {"$date": round(aware.timestamp() * 1000)}
    if isinstance(value, dt.date):
        return {
            "$date": round(dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc).timestamp() * 1000)
        }
    if isinstance(value, RegExp):
        return {"$regularExpression": {"pattern": value.regexp, "options": value.options}}
    if isinstance(value, Regex):
        return {"$regularExpression": {"pattern": value.pattern, "options": value.options}}
    if isinstance(value, GeoPoint):
        return {"type": "Point", "coordinates": [value.longitude, value.latitude]}
    return value


def _read(body: str) -> Any:
    """A stored document as the engine reads it (a regular expression as a :class:`Regex`)."""
    doc = from_stored(json.loads(body))
    return _regexes(doc) if "$regularExpression" in body else doc


def _regexes(value: Any) -> Any:
    if isinstance(value, RegExp):
        return Regex(value.regexp, value.options)
    if isinstance(value, dict):
        return {k: _regexes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_regexes(v) for v in value]
    return value


class Store:
    """Collections of documents; every method is atomic (one SQLite transaction, one lock)."""

    def __init__(self, data_dir: str | Path | None = None) -> None:
        target = ":memory:"
        self._lock_file: Any = None
        if data_dir is not None:
            Path(data_dir).mkdir(parents=True, exist_ok=True)
            self._lock_file = _locked(Path(data_dir))
            target = str(Path(data_dir) / FILE_NAME)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY);"
            "CREATE TABLE IF NOT EXISTS documents (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " collection TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (collection, id));"
        )

    def _write(self, sql: str, *rows: tuple[Any, ...]) -> int:
        if "?" in sql and not rows:
            return 0
        with self._lock:
            self._db.execute("BEGIN")
            try:
                changed = sum(self._db.execute(sql, row).rowcount for row in rows or [()])
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return changed

    def close(self) -> None:
        """The database file closed and the folder's lock released."""
        with self._lock:
            self._db.close()
            if self._lock_file is not None:
                self._lock_file.close()
                self._lock_file = None

    def exists(self, name: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM collections WHERE name = ?", (name,)).fetchone() is not None

    def create(self, name: str) -> bool:
        """Make collection ``name``; False if it was there already."""
        return self._write("INSERT OR IGNORE INTO collections (name) VALUES (?)", (name,)) == 1

    def names(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT name FROM collections ORDER BY name")]

    def drop(self, name: str) -> bool:
        self._write("DELETE FROM documents WHERE collection = ?", (name,))
        return self._write("DELETE FROM collections WHERE name = ?", (name,)) == 1

    def documents(self, name: str) -> list[dict[str, Any]]:
        """Every document of ``name``, in insertion order, as Python values."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM documents WHERE collection = ? ORDER BY seq", (name,)).fetchall()
        return [_read(body) for (body,) in rows]

    def get(self, name: str, doc_id: str) -> dict[str, Any] | None:
        """The document ``doc_id`` of ``name`` (an indexed lookup), or None."""
        with self._lock:
            sql = "SELECT body FROM documents WHERE collection = ? AND id = ?"
            row = self._db.execute(sql, (name, doc_id)).fetchone()
        return None if row is None else _read(row[0])

    def insert(self, name: str, docs: list[dict[str, Any]]) -> None:
        """Add ``docs`` (each with its ``_id``); sqlite3.IntegrityError if an ``_id`` is taken."""
        rows = [(name, str(doc["_id"]), json.dumps(to_stored(doc), ensure_ascii=False)) for doc in docs]
        self._write("INSERT INTO documents (collection, id, body) VALUES (?, ?, ?)", *rows)

    def replace(self, name: str, docs: list[dict[str, Any]]) -> None:
        rows = [(json.dumps(to_stored(doc), ensure_ascii=False), name, str(doc["_id"])) for doc in docs]
        self._write("UPDATE documents SET body = ? WHERE collection = ? AND id = ?", *rows)

    def apply(self, writes: dict[tuple[str, str], Any]) -> None:
        """A transaction's writes, all at once: ``(collection, id)`` → the new body, or None to remove."""
        rows = [(c, i, None if doc is None else json.dumps(to_stored(doc), ensure_ascii=False))
                for (c, i), doc in writes.items()]  # fmt: skip
        upsert = ("INSERT INTO documents (collection, id, body) VALUES (?, ?, ?)"
                  " ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body")  # fmt: skip
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for collection, doc_id, body in rows:
                    if body is None:
                        self._db.execute("DELETE FROM documents WHERE collection = ? AND id = ?", (collection, doc_id))
                    else:
                        self._db.execute(upsert, (collection, doc_id, body))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def delete(self, name: str, ids: list[str]) -> int:
        return self._write("DELETE FROM documents WHERE collection = ? AND id = ?", *[(name, i) for i in ids])

    def clear(self) -> None:
        """No collections, no documents."""
        self._write("DELETE FROM documents")
        self._write("DELETE FROM collections")
