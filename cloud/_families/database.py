"""``cloud.database()``: Node's database surface over WeChat's database HTTP API.

Each operation is one statement (:mod:`cloud._db.values`) sent as ``{"env", "query"}`` to
``POST /tcb/database<op>``, through the one flow of :mod:`cloud._core.flow` as the :data:`DATABASE`
family: tokens, deadlines, retries (reads only: a write is never sent twice), secret scrubbing and
both shells come from there. Queries are immutable builders, as in Node; bad input raises a
CloudSDKError when the chain is built or the operation called, before any I/O. Results are
shaped as wx-server-sdk 4.0.2 shapes them (``{data, errMsg: "collection.get:ok"}``…).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .. import catalog, errors
from .._core import response
from .._core.config import Config
from .._core.flow import Caller, CallOptions, Family
from .._core.messages import Outcome
from .._db import values
from .._db.geo import Geo
from .._db.values import Command, Commands, RegExp, ServerDate
from .._js import json as jsjson

NODE_DEFAULT_LIMIT = 100
"""What ``get()`` returns at most in Node when the query sets no ``limit``."""

DB_CODE_TEXTS = {
    -502001: "database request fail",
    -502002: "database invalid command",
    -502003: "database permission denied",
    -502004: "database config invalid",
    -502005: "database collection not exists",
}


def _endpoint(name: str, config: Config, display_name: str) -> catalog.Endpoint:
    """The operation's endpoint (Node's name for it, as messages give it), from the catalogue."""
    return catalog.cloud_endpoint(name)


def _interpret(
    name: str, display_name: str, outcome: Outcome, convert_case: bool, body: response.Body | None, params: Any
) -> dict[str, Any]:
    """The reply's body as a dict, or the error Node shapes for a database call."""
    found = body.value if body is not None and isinstance(body.value, dict) else None
    errcode = found.get("errcode") if found is not None else None
    if errcode and isinstance(errcode, int):
        text = DB_CODE_TEXTS.get(errcode) or errors.code_text(errcode)
        msg = errors.fail_msg(display_name, f"{errcode} {text}. {found.get('errmsg', '')}")  # type: ignore[union-attr]
        raise errors.CloudSDKError(errcode, msg, message=msg)
    reply = response.interpret(display_name, outcome, convert_case=False, body=body)
    reply.pop("errCode", None)
    reply.pop("errMsg", None)
    return reply


DATABASE = Family("", endpoint=_endpoint, interpret=_interpret, retried=lambda endpoint: endpoint.idempotent)
_OPTIONS = CallOptions(convert_case=False)


def _ok(name: str, result: dict[str, Any]) -> dict[str, Any]:
    result["errMsg"] = f"{name}:ok"
    return result


def _documents(reply: Mapping[str, Any], key: str = "data") -> list[Any]:
    """The reply's documents: each a JSON string (extended JSON), parsed."""
    return [
        values.from_stored(jsjson.parse_json(item) if isinstance(item, str) else item) for item in reply.get(key) or []
    ]


class Database:
    """``cloud.database(config)``: ``collection(name)``, ``command``, ``serverDate``, ``RegExp``, ``Geo``."""

    command = Commands()
    Geo = Geo

    def __init__(self, cloud: Caller, blocking: bool, config: Mapping[str, Any] | None = None) -> None:
        if config is not None and not isinstance(config, Mapping):
            raise errors.invalid_params("database", 'config must be an object, such as {"env": "..."}')
        self._cloud, self._blocking, self.config = cloud, blocking, dict(config or {})

    def collection(self, name: Any = None) -> CollectionReference:
        if not isinstance(name, str) or not name:
            raise errors.invalid_params("collection", "Collection name is required (a non-empty string)")
        return CollectionReference(self, name, ())

    @staticmethod
    def serverDate(options: Mapping[str, Any] | None = None, *, offset: float = 0) -> ServerDate:  # noqa: N802
        return ServerDate((options or {}).get("offset", offset))

    @staticmethod
    def RegExp(options: Mapping[str, Any] | None = None, **kwargs: Any) -> RegExp:  # noqa: N802
        given = {**(options or {}), **kwargs}
        if not isinstance(given.get("regexp"), str):
            raise errors.invalid_params("RegExp", "regexp must be a string")
        return RegExp(given["regexp"], str(given.get("options", "")))

    def createCollection(self, name: str) -> Any:  # noqa: N802 - Node's name
        if not isinstance(name, str) or not name:
            raise errors.invalid_params("createCollection", "the collection name must be a non-empty string")
        return self._send("createCollection", {"collection_name": name}, lambda reply: _ok("createCollection", {}))

    def _env(self) -> str:
        env = self.config.get("env")
        if isinstance(env, str) and env:
            return env
        cfg = self._cloud.config
        return cfg.env_for("database") if cfg is not None else ""

    def _send(self, name: str, params: dict[str, Any], shape: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
        params = {"env": self._env(), **params}
        if not params["env"]:
            _warn_no_env(self._cloud.config)
        if self._blocking:
            return shape(self._cloud.call_sync((name,), params, _OPTIONS, DATABASE))
        return _then(self._cloud.call_async((name,), params, _OPTIONS, DATABASE), shape)

    def _run(self, name: str, calls: tuple[tuple[str, tuple[Any, ...]], ...], shape: Callable[..., Any]) -> Any:
        try:
            query = values.statement(list(calls))
        except values.StatementError as exc:
            raise errors.invalid_params(name, str(exc)) from None
        return self._send(name, {"query": query}, shape)


def toward_wechat(config: Config | None) -> bool:
    """Whether calls go to WeChat itself (``api.weixin.qq.com``), not to an emulator: neither the
    emulator's in-process transport nor another ``apiBase``."""
    if config is None or getattr(config.transport, "database_transactions", False):
        return False
    host = (urlsplit(config.api_base).hostname or "").lower()
    return host == "weixin.qq.com" or host.endswith(".weixin.qq.com")


_warned_no_env = False


def _warn_no_env(config: Config | None) -> None:
    """A database call toward WeChat with no environment: say once which option names it."""
    global _warned_no_env
    if _warned_no_env or not toward_wechat(config):
        return
    _warned_no_env = True
    logging.getLogger("cloud").warning(
        "cloud.database(): no environment is configured, so WeChat's database API will refuse the call; "
        'name it with cloud.init({"env": "<env id>"}) (or {"env": {"database": ...}}), '
        'cloud.database({"env": ...}), or TCB_ENV / CBR_ENV_ID'
    )


async def _then(call: Any, shape: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    return shape(await call)


def _need_data(options: Any, name: str, *, allow_list: bool = False) -> Any:
    if not isinstance(options, Mapping) or "data" not in options:
        raise errors.invalid_params(name, 'pass {"data": {...}}')
    data = options["data"]
    kinds = (Mapping, list, tuple) if allow_list else (Mapping,)
    if not isinstance(data, kinds) or not data:
        raise errors.invalid_params(name, "options.data must be a non-empty object")
    values.checked(data, name, "options.data")
    return data


class Query:
    """``where``, ``orderBy``, ``limit``, ``skip``, ``field``, then ``get``, ``count``, ``update``, ``remove``."""

    def __init__(self, db: Database, name: str, calls: tuple[tuple[str, tuple[Any, ...]], ...]) -> None:
        self._db, self._name, self._calls = db, name, calls

    def _then(self, method: str, *args: Any) -> Any:
        return type(self)(self._db, self._name, (*self._calls, (method, args)))

    def _head(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        return (("collection", (self._name,)), *self._calls)

    def where(self, condition: Any) -> Any:
        whole = isinstance(condition, Command) and condition.op in ("and", "or", "nor") and condition.base is None
        if not isinstance(condition, Mapping) and not whole:
            raise errors.invalid_params(
                "collection.where", "the condition must be an object (or _.or/_.and of objects)"
            )
        if not whole and condition and all(v is None for v in condition.values()):
            # Node refuses it too: a remove() would otherwise match every document
            raise errors.invalid_params("collection.where", "every value of the condition is None (undefined)")
        values.checked(condition, "collection.where", "condition")
        return self._then("where", condition if whole else dict(condition))

    def orderBy(self, field: str, order: str = "asc") -> Any:  # noqa: N802 - Node's name
        if not isinstance(field, str) or not field or order not in ("asc", "desc"):
            raise errors.invalid_params("collection.orderBy", "orderBy(field, 'asc' | 'desc')")
        return self._then("orderBy", field, order)

    def limit(self, count: int) -> Any:
        return self._then("limit", _integer(count, "limit"))

    def skip(self, count: int) -> Any:
        return self._then("skip", _integer(count, "skip"))

    def field(self, projection: Mapping[str, Any]) -> Any:
        if not isinstance(projection, Mapping):
            raise errors.invalid_params("collection.field", "the projection must be an object")
        return self._then("field", dict(projection))

    def get(self) -> Any:
        """The documents (Node's default: at most 100 when no ``limit``; the HTTP API's alone is 10)."""
        paged = () if any(name == "limit" for name, _ in self._calls) else (("limit", (NODE_DEFAULT_LIMIT,)),)
        return self._db._run("collection.get", (*self._head(), *paged, ("get", ())), _shape_get)

    def count(self) -> Any:
        return self._db._run("collection.count", (*self._head(), ("count", ())), _shape_count)

    def update(self, options: Any = None) -> Any:
        data = _need_data(options, "collection.update")
        if "_id" in data:
            raise errors.invalid_params("collection.update", "_id cannot be updated")
        calls = (*self._head(), ("update", ({"data": data},)))
        return self._db._run("collection.update", calls, _stats("collection.update", "updated", "modified"))

    def remove(self, options: Any = None) -> Any:
        calls = (*self._head(), ("remove", ()))
        return self._db._run("collection.remove", calls, _stats("collection.remove", "removed", "deleted"))


class CollectionReference(Query):
    """``db.collection(name)``: a query over all of it, plus ``doc``, ``add`` and ``aggregate``."""

    def __init__(self, db: Database, name: str, calls: tuple[tuple[str, tuple[Any, ...]], ...] = ()) -> None:
        super().__init__(db, name, calls)
        self.collectionName = name

    def _then(self, method: str, *args: Any) -> Any:
        return Query(self._db, self._name, (*self._calls, (method, args)))

    def doc(self, doc_id: Any) -> DocumentReference:
        if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
            raise errors.invalid_params("collection.doc", "the document id must be a string or a number")
        return DocumentReference(self._db, self._name, doc_id)

    def add(self, options: Any = None) -> Any:
        data = _need_data(options, "collection.add", allow_list=True)
        calls = (*self._head(), ("add", ({"data": data},)))
        return self._db._run("collection.add", calls, _shape_add if isinstance(data, Mapping) else _shape_add_many)

    def aggregate(self) -> Aggregate:
        return Aggregate(self._db, self._name, ())


class DocumentReference:
    """``collection.doc(id)``: ``get``, ``update``, ``set``, ``remove``, ``field``."""

    def __init__(
        self, db: Database, name: str, doc_id: Any, calls: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    ) -> None:
        self._db, self._name, self._id, self._calls = db, name, doc_id, calls

    def _head(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        return (("collection", (self._name,)), ("doc", (self._id,)), *self._calls)

    def field(self, projection: Mapping[str, Any]) -> DocumentReference:
        if not isinstance(projection, Mapping):
            raise errors.invalid_params("document.field", "the projection must be an object")
        return DocumentReference(self._db, self._name, self._id, (*self._calls, ("field", (dict(projection),))))

    def get(self) -> Any:
        throw = self._db.config.get("throwOnNotFound", True)
        doc_id = self._id

        def shape(reply: dict[str, Any]) -> dict[str, Any]:
            found = _documents(reply)
            if not found and throw:
                msg = f"document.get:fail document with _id {doc_id} does not exist"
                raise errors.CloudSDKError(errors.UNKNOWN_ERROR, msg, message=msg)
            return _ok("document.get", {"data": found[0] if found else None})

        return self._db._run("document.get", (*self._head(), ("get", ())), shape)

    def update(self, options: Any = None) -> Any:
        data = _need_data(options, "document.update")
        calls = (*self._head(), ("update", ({"data": data},)))
        return self._db._run("document.update", calls, _stats("document.update", "updated", "modified"))

    def set(self, options: Any = None) -> Any:
        data = _need_data(options, "document.set")
        doc_id = self._id

        def shape(reply: dict[str, Any]) -> dict[str, Any]:
            stats = {"updated": reply.get("modified", 0), "created": 1 if reply.get("id") else 0}
            return {"_id": doc_id, "errMsg": "document.set:ok", "stats": stats}

        return self._db._run("document.set", (*self._head(), ("set", ({"data": data},))), shape)

    def remove(self, options: Any = None) -> Any:
        calls = (*self._head(), ("remove", ()))
        return self._db._run("document.remove", calls, _stats("document.remove", "removed", "deleted"))


STAGES = ("addFields", "bucket", "bucketAuto", "count", "facet", "geoNear", "graphLookup", "group", "limit",
          "lookup", "match", "project", "replaceRoot", "sample", "skip", "sort", "sortByCount", "unwind")  # fmt: skip
"""wx-server-sdk 4.0.2's stages (the emulator runs the basic ones; see docs/database.md)."""


class Aggregate:
    """``collection.aggregate()``: stages in order (``match``, ``group``, ``sort``…), then ``end()``."""

    def __init__(self, db: Database, name: str, stages: tuple[tuple[str, tuple[Any, ...]], ...]) -> None:
        self._db, self._name, self._stages = db, name, stages

    def __getattr__(self, stage: str) -> Callable[[Any], Aggregate]:
        if stage not in STAGES:
            raise AttributeError(stage)

        def add(spec: Any) -> Aggregate:
            values.checked(spec, f"aggregate.{stage}", stage)
            return Aggregate(self._db, self._name, (*self._stages, (stage, (spec,))))

        return add

    def end(self) -> Any:
        calls = (("collection", (self._name,)), ("aggregate", ()), *self._stages, ("end", ()))
        return self._db._run("collection.aggregate", calls, _shape_aggregate)


def _integer(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise errors.invalid_params(f"collection.{what}", f"{what} must be a non-negative integer")
    return value


def _shape_get(reply: dict[str, Any]) -> dict[str, Any]:
    return _ok("collection.get", {"data": _documents(reply)})


def _shape_count(reply: dict[str, Any]) -> dict[str, Any]:
    return _ok("collection.count", {"total": reply.get("count", 0)})


def _shape_aggregate(reply: dict[str, Any]) -> dict[str, Any]:
    return _ok("collection.aggregate", {"list": _documents(reply)})


def _shape_add(reply: dict[str, Any]) -> dict[str, Any]:
    return _ok("collection.add", {"_id": (reply.get("id_list") or [""])[0]})


def _shape_add_many(reply: dict[str, Any]) -> dict[str, Any]:
    return _ok("collection.add", {"_ids": list(reply.get("id_list") or [])})


def _stats(name: str, key: str, field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda reply: _ok(name, {"stats": {key: reply.get(field, 0)}})
