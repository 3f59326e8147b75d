"""The CloudBase side of the Node SDK, for the Node side of a comparison: the real SDK's database
actions (``@cloudbase/database``), its storage and function actions (``@cloudbase/node-sdk``) and
its uploads to and downloads from storage URLs, performed on the emulator the Python side uses.

Each action becomes the WeChat HTTP API request our library would send (a database statement
written by :mod:`cloud._compare.mongo`, a storage or function request), answered by the
emulator's own database, file store and functions, and the reply goes back in the shape the SDK
reads (``{data: {list}}``, ``{code, message}`` …). An action with no such request is refused with
:class:`~cloud._compare.mongo.NotComparableError`: the comparison then stops with a clear message.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .. import catalog
from .._db import values as dbvalues
from ..emulator._app import Emulator
from ..emulator._replies import Answer
from ..errors import CODE_NAMES
from . import mongo
from .mongo import NotComparableError

_COLLECTION_CALLS = ("createCollection", "deleteCollection")
COLLECTION_ACTIONS = {e.node_action: e.path for e in catalog.cloud_apis().values() if e.name in _COLLECTION_CALLS}
DOCUMENT_ACTIONS = {action: e.path for action, e in catalog.node_actions().items()
                    if e.family == "database" and action not in COLLECTION_ACTIONS}  # fmt: skip
"""wx-server-sdk's database actions → the WeChat HTTP API path the emulator answers them on (the catalogue's)."""
EFFECT_PATHS = catalog.cloud_paths()
"""The requests compared by their effects (results, the database's content, the files stored)
rather than one by one: the Node SDK's actions and our statements differ in form, not in effect."""


TRANSACTION_ACTIONS = {"database.startTransaction": "start", "database.commitTransaction": "commit",
                       "database.abortTransaction": "abort"}  # fmt: skip
"""@cloudbase/database's transaction actions → the emulator's ``database.transaction`` actions."""
CONFLICT = "DATABASE_TRANSACTION_CONFLICT"


def _failed(reply: dict[str, Any]) -> dict[str, Any]:
    code = reply.get("errcode")
    if str(reply.get("errmsg", "")).startswith(CONFLICT):  # the code Node's runTransaction retries on
        return {"code": CONFLICT, "message": "database transaction conflict", "requestId": ""}
    return {"code": CODE_NAMES.get(code, "SYS_ERR") if isinstance(code, int) else "SYS_ERR",
            "message": str(reply.get("errmsg", "")), "requestId": reply.get("request_id", "")}  # fmt: skip


class CloudBase:
    """Performs the Node side's CloudBase actions on ``emulator`` (requests sent with its token)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.refused: str | None = None
        """Why an action could not be performed (the comparison cannot go on), once one was refused."""
        self.node_callee: Callable[[str, str], dict[str, Any]] | None = None
        """Runs a callee's Node original (its name, its event as JSON), answering as the emulator's
        callFunction does: the Node side's callFunction reaches Node callees, not their ports."""

    def _post(self, path: str, body: Any, host: str, query: str = "") -> dict[str, Any]:
        target = f"{path}?access_token={quote(self.emulator.token, safe='')}{query}"
        headers = {"host": host, "content-type": "application/json"}
        got = self.emulator.answer("POST", target, headers, json.dumps(body, ensure_ascii=False).encode())
        reply = json.loads(got.body)
        return reply if isinstance(reply, dict) else {"errcode": -501001, "errmsg": "reply is not an object"}

    def handle(self, call: dict[str, Any], host: str) -> dict[str, Any]:
        """The reply the SDK reads for ``call``: ``{"database" | "action": name, "params", "env"}``."""
        name = call.get("database") or call.get("action") or ""
        try:
            if "database" in call:
                return self._database(name, call.get("params") or {}, str(call.get("env") or ""), host)
            return self._action(name, call.get("params") or {}, str(call.get("env") or ""), host)
        except NotComparableError as exc:
            self.refused = self.refused or f"{name}: {exc}"
        except (ValueError, TypeError, AttributeError, dbvalues.StatementError) as exc:
            self.refused = self.refused or f"{name}: {type(exc).__name__}: {exc}"
        return {"code": "SYS_ERR", "message": f"not comparable: {self.refused}"}

    def _database(self, action: str, params: dict[str, Any], env: str, host: str) -> dict[str, Any]:
        if action in COLLECTION_ACTIONS:
            reply = self._post(
                COLLECTION_ACTIONS[action], {"env": env, "collection_name": params.get("collectionName")}, host
            )
            return _failed(reply) if reply.get("errcode") else {"requestId": "", "data": {}}
        if action in TRANSACTION_ACTIONS:
            body = {"env": env, "action": TRANSACTION_ACTIONS[action], "transaction_id": params.get("transactionId")}
            reply = self._post(catalog.cloud_path("database.transaction"), body, host)
            if reply.get("errcode"):
                return _failed(reply)
            return {"requestId": "", "transactionId": reply.get("transaction_id")}
        if action not in DOCUMENT_ACTIONS:
            raise NotComparableError(f"the database action {action} has no WeChat HTTP API request the emulator runs")
        calls = _calls(action, params)
        body = {"env": env, "query": dbvalues.statement(calls)}
        if params.get("transactionId"):
            body["transaction_id"] = params["transactionId"]
        reply = self._post(DOCUMENT_ACTIONS[action], body, host)
        if reply.get("errcode"):
            return _failed(reply)
        return {"data": _database_data(action, calls, reply)}

    def _action(self, action: str, params: dict[str, Any], env: str, host: str) -> dict[str, Any]:
        if action == "storage.getUploadMetadata":
            reply = self._post(catalog.cloud_path("uploadFile"), {"env": env, "path": params.get("path")}, host)
            data = {"url": reply.get("url"), "token": reply.get("token"), "authorization": reply.get("authorization"),
                    "fileId": reply.get("file_id"), "cosFileId": reply.get("cos_file_id")}  # fmt: skip
        elif action == "storage.batchGetDownloadUrl":
            items = params.get("file_list")
            if isinstance(items, list):  # a bare fileID: Node sends no max_age, and CloudBase gives a day
                items = [{"max_age": catalog.TEMP_URL_MAX_AGE, **i} if isinstance(i, dict) else i for i in items]
            body = {"env": env, "file_list": items}
            reply = self._post(catalog.cloud_path("getTempFileURL"), body, host)
            given = params.get("file_list")
            asked: list[Any] = given if isinstance(given, list) else []
            listed = reply.get("file_list") or []
            data = {"download_list": [_download(item, asked[n] if n < len(asked) else {})
                                      for n, item in enumerate(listed)]}  # fmt: skip
        elif action == "storage.batchDeleteFile":
            body = {"env": env, "fileid_list": params.get("fileid_list")}
            reply = self._post(catalog.cloud_path("deleteFile"), body, host)
            data = {"delete_list": [_listed(i) for i in reply.get("delete_list") or []]}
        elif action == "functions.invokeFunction":
            event = params.get("request_data")
            query = f"&env={quote(env, safe='')}&name={quote(str(params.get('function_name', '')), safe='')}"
            text, name = event if isinstance(event, str) else "{}", str(params.get("function_name", ""))
            if self.node_callee is None:
                reply = self._invoke(text, host, query)
            else:  # the Node side's callee is its Node original; the call is recorded as the emulator would
                token = quote(self.emulator.token, safe="")
                target = f"{catalog.cloud_path('callFunction')}?access_token={token}{query}"
                self.emulator.note("POST", target, {"host": host}, text.encode())
                reply = self.node_callee(name, text)
            data = {"response_data": reply.get("resp_data")}
        else:
            raise NotComparableError(f"the CloudBase action {action} has no WeChat HTTP API request the emulator runs")
        if reply.get("errcode"):
            return _failed(reply)
        return {"requestId": reply.get("request_id", ""), "data": data}

    def _invoke(self, event: str, host: str, query: str) -> dict[str, Any]:
        target = f"{catalog.cloud_path('callFunction')}?access_token={quote(self.emulator.token, safe='')}{query}"
        got = self.emulator.answer("POST", target, {"host": host}, event.encode())
        reply = json.loads(got.body)
        return reply if isinstance(reply, dict) else {}

    def storage(self, call: dict[str, Any]) -> dict[str, Any]:
        """An upload (PUT with the signature headers) or download (GET) at a storage URL, done on
        the emulator's storage server (the upload as the form POST it takes)."""
        url = urlsplit(str(call.get("url", "")))
        method, headers = str(call.get("method", "get")).upper(), call.get("headers") or {}
        body = base64.b64decode(call.get("body") or "")
        if method == "PUT":
            fields = {"key": unquote(str(headers.get("key", ""))), "Signature": headers.get("Signature", ""),
                      "x-cos-security-token": headers.get("x-cos-security-token", ""),
                      "x-cos-meta-fileid": headers.get("x-cos-meta-fileid", "")}  # fmt: skip
            content_type, form = _form(fields, body)
            got: Answer = self.emulator.answer("POST", url.path, {"content-type": content_type}, form)
        else:
            got = self.emulator.answer(method, url.path + (f"?{url.query}" if url.query else ""), {}, b"")
        return {"status": got.status, "body": base64.b64encode(got.body).decode()}


def _calls(action: str, params: dict[str, Any]) -> list[mongo.Call]:
    """The statement's calls for one document action."""
    if action == "database.aggregateDocuments":
        return mongo.stages(params)
    if action == "database.insertDocument":
        docs = [mongo.value(mongo.parsed(d, "document")) for d in params.get("data") or []]
        return [("collection", (params.get("collectionName"),)), ("add", ({"data": docs},))]
    calls = mongo.head(params)
    if action == "database.getDocument":
        return [*calls, *mongo.paging(params), ("get", ())]
    if action == "database.calculateDocument":
        return [*calls, ("count", ())]
    if action == "database.removeDocument":
        return [*calls, ("remove", ())]
    data = mongo.value(mongo.parsed(params.get("data"), "data"))
    if params.get("merge") is False:  # doc(id).set({data}): the document replaced, or made
        if not params.get("upsert") or calls[-1][0] != "doc":
            raise NotComparableError("a replacement that is not doc(id).set()")
        return [*calls, ("set", ({"data": data},))]
    return [*calls, ("update", ({"data": mongo.update(data)},))]


def _database_data(action: str, calls: list[mongo.Call], reply: dict[str, Any]) -> dict[str, Any]:
    """The emulator's reply as @cloudbase/database reads its ``data``."""
    if action in ("database.getDocument", "database.aggregateDocuments"):
        return {"list": list(reply.get("data") or [])}
    if action == "database.calculateDocument":
        return {"total": reply.get("count", 0)}
    if action == "database.insertDocument":
        return {"insertedIds": list(reply.get("id_list") or [])}
    if action == "database.removeDocument":
        return {"deleted": reply.get("deleted", 0)}
    found: dict[str, Any] = {"updated": reply.get("modified", 0)}
    if calls[-1][0] == "set" and reply.get("id"):
        found["upsert_id"] = reply["id"]
    return found


def _listed(item: dict[str, Any]) -> dict[str, Any]:
    status = item.get("status", 0)
    listed = {"fileID": item.get("fileid"), "code": "SUCCESS" if status == 0 else CODE_NAMES.get(status, "SYS_ERR")}
    if status:  # a missing file's message as the CloudBase API gives it
        listed["message"] = "storage file not exist" if status == -503003 else str(item.get("errmsg", ""))
    return listed


def _download(item: dict[str, Any], asked: Any) -> dict[str, Any]:
    max_age = asked.get("max_age") if isinstance(asked, dict) else None
    return {**_listed(item), "tempFileURL": item.get("download_url", ""), "maxAge": max_age}


def _form(fields: dict[str, Any], file: bytes) -> tuple[str, bytes]:
    """A multipart form of text ``fields`` and the ``file``."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + file
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)
