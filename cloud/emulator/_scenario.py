"""Scenario files: the replies the emulator gives, in order or per API, as JSON data.

One format serves ``python -m cloud compare --scenario``, ``python -m cloud emulator --scenario``,
the emulator's control endpoint (``POST /__emulator/scenario``) and ``cloud.testing``'s ``stub``::

    {"event": {...},
     "replies": [
       {"api": "security.msgSecCheck", "error": 87014, "errmsg": "risky content"},
       {"api": "serviceMarket.invokeService", "json": {"errcode": 0, "errmsg": "ok", "data": "{}"},
        "times": 1, "delay": 0.5},
       {"status": 502}
     ]}

``"collections": {"todos": [{"_id": "t1", "done": false}]}`` makes those collections in the
emulator's database (replacing any of that name), with those documents: a function that expects its
collections to exist (as CloudBase does) runs offline. ``"files": {"cloud://<env>.<bucket>/a.txt":
"text"}`` puts those files in its storage (text as UTF-8; ``{"base64": "..."}`` for bytes).

A reply with ``api`` answers calls to that API (every call, or the next ``times``); one without
answers the next request, whatever it asks. The body is ``json`` (any JSON value), ``body`` (text),
``bodyBase64``, or ``error`` (an errcode, with ``errmsg``); with none, a status of 300 or more gets
a small HTML page and any other ``{"errcode":0,"errmsg":"ok"}``. ``contentType`` defaults to
JSON (HTML for that page); ``delay`` is in seconds. JSON has no NaN or Infinity: a scenario with
them is refused, as is a header value with a control character (CR, LF, ...).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Protocol

from . import _checks as checks
from ._stubs import Scripted, Stubs

SCENARIO_KEYS = frozenset({"event", "replies", "collections", "files"})
KEYS = frozenset({"api", "status", "contentType", "json", "body", "bodyBase64", "error", "errmsg", "delay", "times"})
BODIES = ("json", "body", "bodyBase64", "error")


class ScenarioError(ValueError):
    """A scenario or reply that does not follow the format (the message says where)."""


class Scriptable(Protocol):
    """What a scenario is loaded into: the emulator."""

    def clear_stubs(self) -> None: ...
    def stub(self, api: str, reply: Scripted, *, times: int | None = None) -> None: ...
    def enqueue(self, *replies: Scripted) -> None: ...


def parse(text: str | bytes) -> Any:
    """A scenario file's or request's JSON text as data (ScenarioError if it is not strict JSON)."""
    try:
        return checks.loads(text)
    except ValueError as exc:
        raise ScenarioError(f"the scenario is not JSON: {exc}") from None


def reply_of(item: Any, where: str = "reply") -> Scripted:
    """The emulator reply one scenario item describes."""
    if not isinstance(item, Mapping):
        raise ScenarioError(f"{where} must be an object, got {type(item).__name__}")
    unknown = sorted(set(item) - KEYS)
    if unknown:
        raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    if "errmsg" in item and "error" not in item:
        raise ScenarioError(f"{where}: errmsg goes with error (an errcode)")
    given = [key for key in BODIES if key in item]
    if len(given) > 1:
        raise ScenarioError(f"{where}: give one of {', '.join(BODIES)}, not {' and '.join(given)}")
    status = item.get("status", 200)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ScenarioError(f"{where}: status must be an HTTP status (100-599), got {status!r}")
    content_type = item.get("contentType", "application/json")
    body: Any
    if "error" in item:
        code = item["error"]
        if not isinstance(code, int) or isinstance(code, bool):
            raise ScenarioError(f"{where}: error must be a WeChat errcode (a whole number), got {code!r}")
        body = {"errcode": code, "errmsg": _text(item.get("errmsg", "stubbed error"), f"{where}: errmsg")}
    elif "json" in item:
        body = item["json"]
    elif "bodyBase64" in item:
        try:
            body = base64.b64decode(_text(item["bodyBase64"], f"{where}: bodyBase64"), validate=True)
        except binascii.Error as exc:
            raise ScenarioError(f"{where}: bodyBase64 is not base64 ({exc})") from None
    elif "body" in item:
        body = _text(item["body"], f"{where}: body")
    elif status >= 300:
        body = f"<html><body><h1>{status} {_phrase(status)}</h1></body></html>"
        content_type = item.get("contentType", "text/html")
    else:
        body = {"errcode": 0, "errmsg": "ok"}
    delay = item.get("delay", 0)
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or not 0 <= delay < 3600:
        raise ScenarioError(f"{where}: delay must be seconds (0 or more, under an hour), got {delay!r}")
    try:
        return Scripted(status, body, _text(content_type, f"{where}: contentType"), delay=float(delay))
    except ValueError as exc:
        raise ScenarioError(f"{where}: {exc}") from None


def load_scenario(emulator: Scriptable, scenario: Any) -> None:
    """Replace the emulator's stubs and queued replies with the scenario's (checked first, so a
    bad scenario changes nothing)."""
    if not isinstance(scenario, Mapping):
        raise ScenarioError(f"a scenario must be an object, got {type(scenario).__name__}")
    unknown = sorted(set(scenario) - SCENARIO_KEYS, key=str)
    if unknown:  # a misspelt "replies" would otherwise script nothing, silently
        raise ScenarioError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(SCENARIO_KEYS))})")
    items = scenario.get("replies", [])
    if not isinstance(items, list):
        raise ScenarioError("replies must be a list")
    plan = []
    for index, item in enumerate(items):
        where = f"replies[{index}]"
        reply = reply_of(item, where)
        api, times = item.get("api"), item.get("times")
        if api is not None and not isinstance(api, str):
            raise ScenarioError(f"{where}: api must be an API name such as security.msgSecCheck")
        if times is not None and api is None:
            raise ScenarioError(f"{where}: times needs an api (a reply without one answers one request)")
        plan.append((api, reply, times))
    probe = Stubs()  # names and counts checked on scratch stubs before any change
    for index, (api, reply, times) in enumerate(plan):
        if api is not None:
            try:
                probe.add(api, reply, times)
            except ValueError as exc:
                raise ScenarioError(f"replies[{index}]: {exc}") from None
    collections = _collections(scenario.get("collections", {}))
    files = _files(scenario.get("files", {}))
    store = getattr(emulator, "files", None)
    wrong = next((f for f in files if store is not None and store.file(f) is None), None)
    if wrong is not None:
        raise ScenarioError(f"files: not a fileID (cloud://<env>.<bucket>/<path>): {wrong!r}")
    emulator.clear_stubs()
    database = getattr(emulator, "database", None)
    if collections and database is not None:
        database.seed(collections)
    if store is not None:
        for file_id, content in files.items():
            store.put(file_id, content)
    for api, reply, times in plan:
        if api is None:
            emulator.enqueue(reply)
        else:
            emulator.stub(api, reply, times=times)


def _collections(value: Any) -> dict[str, list[dict[str, Any]]]:
    """The scenario's ``collections``: name → its documents (objects), checked."""
    if not isinstance(value, Mapping) or not all(
        isinstance(docs, list) and all(isinstance(doc, Mapping) for doc in docs) for docs in value.values()
    ):
        raise ScenarioError('collections must be an object of lists of documents: {"todos": [{"done": false}]}')
    return {str(name): [dict(doc) for doc in docs] for name, docs in value.items()}


def _files(value: Any) -> dict[str, bytes]:
    """The scenario's ``files``: fileID → its content (text, or ``{"base64": ...}``), checked."""
    if not isinstance(value, Mapping):
        raise ScenarioError('files must be an object: {"cloud://env.bucket/a.txt": "text"}')
    found = {}
    for file_id, content in value.items():
        if isinstance(content, str):
            found[str(file_id)] = content.encode()
        elif isinstance(content, Mapping) and set(content) == {"base64"} and isinstance(content["base64"], str):
            try:
                found[str(file_id)] = base64.b64decode(content["base64"], validate=True)
            except binascii.Error:
                raise ScenarioError(f"files[{file_id!r}]: base64 is not Base64") from None
        else:
            raise ScenarioError(f'files[{file_id!r}] must be text or {{"base64": "..."}}')
    return found


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ScenarioError(f"{where} must be text, got {type(value).__name__}")
    return value


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
