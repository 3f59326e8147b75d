"""The cloud-call catalogue: which HTTPS endpoint each API name maps to, read from ``data/``.

What an API is lives in ``data/catalog.json`` (botocore style); this module loads and checks it
once, merges what users add (the file named by ``WX_CATALOG``, and :func:`register`), and answers
lookups. An entry::

    "security.msgSecCheck": {"method": "POST", "path": "/wxa/msg_sec_check",
                             "params_in": "body", "response": "json"}

``params_in`` is ``body`` (JSON body), ``query`` (a GET: every param in the query string) or
``multipart`` (``media`` params as file parts, the rest as form fields); ``query_params`` are params
of a POST that travel in the URL; ``query`` holds fixed query values; ``response`` is ``json``,
``binary`` or ``binary_or_json`` (documentation only: the reply's Content-Type decides, as in Node);
``idempotent`` and ``idempotency_key`` tell the retry policy which calls may be sent twice.

Beside the ``openapi`` APIs it holds ``cloudPay``'s (:func:`pay_apis`) and the cloud calls that go
to WeChat's cloud HTTP API: storage, ``callFunction`` and the database (:func:`cloud_apis`), each with
its ``family`` and the CloudBase action Node sends instead (``node_action``). The library's
families, the emulator's routes and stubs, and compare's translation of Node's requests all read
their paths here: adding a cloud call is one entry in ``data/catalog.json`` plus its behaviour.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import shown, shown_value

METHODS = ("GET", "POST")
PARAMS_IN = ("body", "query", "multipart")
RESPONSES = ("json", "binary", "binary_or_json")
STATUSES = ("current", "alias", "legacy", "deprecated", "user")
ENV_FILE = "WX_CATALOG"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """How one cloud-call API travels over HTTPS."""

    name: str
    method: str
    path: str
    params_in: str = "body"
    response: str = "json"
    query: tuple[tuple[str, str], ...] = ()
    query_params: frozenset[str] = frozenset()
    media: frozenset[str] = frozenset()
    status: str = "current"
    same_endpoint: tuple[str, ...] = ()
    method_guessed: bool = False
    idempotent: bool = False
    """Retrying it cannot do anything twice: a call that may have reached WeChat is retried."""
    idempotency_key: str = ""
    """A param whose value makes a retry safe (servicemarket's ``client_msg_id``)."""
    platform: str = ""
    doc: str = field(default="", repr=False)
    family: str = ""
    """A cloud call's family of the flow (``storage``, ``functions``, ``database``); "" for openapi."""
    node_action: str = ""
    """The CloudBase server API action wx-server-sdk sends for this cloud call ("" if none of its own)."""
    sdk: bool = True
    """False for a cloud path no call of this SDK sends (one the emulator answers for Node)."""


TEMP_URL_MAX_AGE = 86400
"""Seconds a temporary URL asked for without a ``max_age`` lasts (a bare fileID in ``getTempFileURL``):
CloudBase's one day. Our ``getTempFileURL`` sends it; compare fills it in for Node's requests."""


class CatalogError(ValueError):
    """A catalogue entry that cannot be used, with what is wrong in it."""


_lock = threading.Lock()


def _new_lock_in_child() -> None:
    """After ``os.fork()``: a lock of the child's own (another thread may have held the parent's)."""
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_in_child)

_user: dict[str, Endpoint] = {}
_merged: dict[str, Endpoint] | None = None


def load() -> Mapping[str, Endpoint]:
    """Every API by cloud-call name: the package's, then ``WX_CATALOG``'s, then registered ones."""
    global _merged
    merged = _merged
    if merged is None:
        with _lock:
            if _merged is None:
                combined = dict(_builtin())
                path = os.environ.get(ENV_FILE)
                if path:
                    combined.update(_read_user_file(path))
                combined.update(_user)
                _merged = combined
            merged = _merged
    return merged


def lookup(name: str) -> Endpoint | None:
    return load().get(name)


MATCHABLE = 200
"""Names longer than this get no close matches (difflib's time grows with the name's length)."""


def close_matches(name: str, limit: int = 3) -> list[str]:
    """Catalogued names that look like ``name`` (for the hint on an unknown name)."""
    names = load()
    if len(name) > MATCHABLE:
        return []
    import difflib  # only for a name not in the catalogue

    found = difflib.get_close_matches(name, names, n=limit, cutoff=0.6)
    lowered = {n.lower(): n for n in names}
    if name.lower() in lowered and lowered[name.lower()] not in found:
        found.insert(0, lowered[name.lower()])
    return found[:limit]


def not_found(name: str, display: str | None = None) -> tuple[str, list[str]]:
    """What to say of ``name``, not in the catalogue (``display``: how to print it), with the close
    matches: ``("x.y is not in the catalogue; did you mean x.z?", ["x.z"])``."""
    hints = close_matches(name)
    hint = f"; did you mean {', '.join(hints)}?" if hints else ""
    return f"{display or shown(name)} is not in the catalogue{hint}", hints


def register(entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Add or override APIs for this process: ``{"name": {"method": ..., "path": ...}}``."""
    parsed = {name: endpoint(name, entry, default_status="user") for name, entry in entries.items()}
    global _merged
    with _lock:
        _user.update(parsed)
        _merged = None


def unregister(*names: str) -> None:
    """Forget APIs added by :func:`register` (the package's own entries come back)."""
    global _merged
    with _lock:
        for name in names:
            _user.pop(name, None)
        _merged = None


def reload() -> None:
    """Read ``WX_CATALOG`` again on the next lookup."""
    global _merged
    with _lock:
        _merged = None


PAY_PREFIX = "/_/pay/"
"""Where Cloud Run's open-interface service takes ``cloud.cloudPay.<name>`` calls."""


def pay_apis() -> Mapping[str, Endpoint]:
    """The documented cloudPay APIs (the catalogue's ``cloudpay`` section), by name."""
    global _pay_cache
    if _pay_cache is None:
        _pay_cache = {name: endpoint(name, entry) for name, entry in _data()["cloudpay"].items()}
    return _pay_cache


def pay_endpoint(name: str) -> Endpoint:
    """``cloud.cloudPay.<name>``'s endpoint: the catalogued one, else ``POST /_/pay/<name>``
    (never retried: only the catalogued queries are ``idempotent``)."""
    known = pay_apis().get(name)
    return known if known is not None else Endpoint(name=name, method="POST", path=PAY_PREFIX + name)


FAMILIES = ("storage", "functions", "database")


def cloud_apis() -> Mapping[str, Endpoint]:
    """The cloud calls beside ``openapi`` and ``cloudPay`` (the catalogue's ``cloud`` section), by
    the name the SDK gives them: ``uploadFile``, ``callFunction``, ``collection.get`` …"""
    global _cloud_cache
    if _cloud_cache is None:
        _cloud_cache = {name: _cloud_endpoint(name, entry) for name, entry in _data()["cloud"].items()}
    return _cloud_cache


def cloud_endpoint(name: str) -> Endpoint:
    """The endpoint of the cloud call ``name`` (KeyError for a name the section does not hold)."""
    return cloud_apis()[name]


def cloud_path(name: str) -> str:
    """The path of the cloud call ``name``: ``cloud_path("uploadFile") == "/tcb/uploadfile"``."""
    return cloud_apis()[name].path


def cloud_paths(family: str | None = None) -> frozenset[str]:
    """Every cloud call's path (of one ``family``), those only the emulator answers included."""
    return frozenset(e.path for e in cloud_apis().values() if family is None or e.family == family)


def node_actions() -> Mapping[str, Endpoint]:
    """The cloud calls by the CloudBase action wx-server-sdk sends for them (``database.getDocument``)."""
    return {e.node_action: e for e in cloud_apis().values() if e.node_action}


def _cloud_endpoint(name: str, entry: Mapping[str, Any]) -> Endpoint:
    found = endpoint(name, {"method": "POST", **entry})
    family, action, sdk = entry.get("family"), entry.get("node_action", ""), entry.get("sdk", True)
    if family not in FAMILIES or not isinstance(action, str) or not isinstance(sdk, bool):
        raise CatalogError(f"cloud entry {shown_value(name)}: family must be one of {FAMILIES}, node_action a name")
    return replace(found, family=family, node_action=action, sdk=sdk)


def file_extension(content_type: str) -> str | None:
    """The file extension Node's SDK gives an upload of this MIME type (None: unknown)."""
    return _data()["file_extensions"].get(content_type)  # type: ignore[no-any-return]


def _data() -> dict[str, Any]:
    global _raw
    if _raw is None:
        text = (Path(__file__).parent / "data" / "catalog.json").read_text("utf-8")
        raw = json.loads(text)
        if raw.get("format") != 2:
            raise CatalogError(f"unsupported catalogue format {raw.get('format')!r}")
        _raw = raw
    return _raw


_raw: dict[str, Any] | None = None
_builtin_cache: dict[str, Endpoint] | None = None
_pay_cache: dict[str, Endpoint] | None = None
_cloud_cache: dict[str, Endpoint] | None = None


def _builtin() -> dict[str, Endpoint]:
    global _builtin_cache
    if _builtin_cache is None:
        _builtin_cache = {name: endpoint(name, entry) for name, entry in _data()["apis"].items()}
    return _builtin_cache


def _read_user_file(path: str) -> dict[str, Endpoint]:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"{ENV_FILE}={path}: cannot read it as JSON ({type(exc).__name__})") from None
    entries = raw.get("apis", raw) if isinstance(raw, dict) else None
    if not isinstance(entries, dict):
        raise CatalogError(f'{ENV_FILE}={path}: expected {{"apis": {{name: entry}}}}')
    return {name: endpoint(name, entry, default_status="user") for name, entry in entries.items()}


def endpoint(name: str, entry: Mapping[str, Any], default_status: str = "current") -> Endpoint:
    """Check one entry and make it an :class:`Endpoint` (CatalogError says what is wrong)."""

    def bad(why: str) -> CatalogError:
        return CatalogError(f"catalogue entry {shown_value(name)}: {why}")

    if not isinstance(name, str) or not name or any(not part.isidentifier() for part in name.split(".")):
        raise bad("the name must be dot-separated identifiers, like security.msgSecCheck")
    if not isinstance(entry, Mapping):
        raise bad("the entry must be an object")
    method = entry.get("method", "POST")
    path = entry.get("path")
    params_in = entry.get("params_in", "query" if method == "GET" else "body")
    response = entry.get("response", "json")
    status = entry.get("status", default_status)
    if method not in METHODS:
        raise bad(f"method must be one of {METHODS}")
    if not isinstance(path, str) or not path.startswith("/") or any(c in path for c in "?#\\ ") or ".." in path:
        raise bad("path must be an absolute URL path like /wxa/msg_sec_check, without query or '..'")
    if params_in not in PARAMS_IN or (method == "GET") != (params_in == "query"):
        raise bad("params_in must be query for GET, body or multipart for POST")
    if response not in RESPONSES or status not in STATUSES:
        raise bad(f"response must be one of {RESPONSES}, status one of {STATUSES}")
    query = entry.get("query", {})
    if not isinstance(query, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in query.items()):
        raise bad("query must map names to fixed string values")
    lists = {key: entry.get(key, []) for key in ("query_params", "media", "same_endpoint")}
    for key, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad(f"{key} must be a list of names")
    if lists["media"] and params_in != "multipart":
        raise bad("media params need params_in multipart")
    return Endpoint(
        name=name,
        method=method,
        path=path,
        params_in=params_in,
        response=response,
        query=tuple(query.items()),
        query_params=frozenset(lists["query_params"]),
        media=frozenset(lists["media"]),
        status=status,
        same_endpoint=tuple(lists["same_endpoint"]),
        method_guessed=bool(entry.get("method_guessed", False)),
        idempotent=bool(entry.get("idempotent", method == "GET")),
        idempotency_key=str(entry.get("idempotency_key", "")),
        platform=str(entry.get("platform", "")),
        doc=str(entry.get("doc", "")),
    )
