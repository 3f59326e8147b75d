"""The emulator's cloud functions: ``/tcb/invokecloudfunction?env=&name=NAME`` runs the function
folder ``<folder>/<NAME>`` (its ``index.py``) with the body as the event, as the local platform
runs any function (``main(event, context)``, sync or async), and answers ``{resp_data: <its result
as JSON text>}``. The callee runs in a thread of its own with the caller's context (the request's
context variables, the process's ``WX_*`` variables), so its own cloud calls work as the caller's do.

A callee that raises gives errcode -504002 (CloudBase's FUNCTIONS_EXECUTE_FAIL) with its error; no
such function gives -501001 (``[ResourceNotFound.Function] …``). Calls nested deeper than
:data:`MAX_DEPTH` (a function calling itself without end) are refused with -504002 saying so.

A callee gets the platform's time limit: 3 s, or its ``config.json``'s ``timeout`` (1 to 60 s);
past it the caller gets -504003 ``Invoking task timed out after N seconds`` as in the cloud (the
callee's thread cannot be stopped: it is a daemon thread and its result is dropped). Callees share
the caller's process: the working directory and ``os.environ`` are put back after each run, and
each folder's modules are its own (:mod:`cloud._run.imports`), but other process-wide changes
(globals of installed modules) stay.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import json
import os
import re
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._core import threads
from .._js import json as jsjson
from .._run import folder as loader
from ..errors import CloudSDKError
from ._replies import Reply

MAX_DEPTH = 16
MAX_AT_ONCE = 1024
"""Function runs at once, however they nest: over HTTP a callee's calls back arrive as new requests,
so a function calling itself without end is also stopped by their number."""
EXECUTE_FAIL = -504002
TIMED_OUT = -504003
NOT_FOUND = -501001
DEFAULT_TIMEOUT, MAX_TIMEOUT = 3, 60
"""A cloud function's time limit in seconds unless its config.json sets ``timeout``, and the most it may set."""
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("wx_cloud_call_depth", default=0)
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


def _failed(code: int, message: str, request_id: str) -> Reply:
    return {"errcode": code, "errmsg": message, "request_id": request_id}


def time_limit(folder: Path) -> float:
    """The function's ``config.json`` ``timeout`` (seconds, kept within 1 to 60), else 3."""
    try:
        config = json.loads((folder / "config.json").read_text("utf-8"))
    except (OSError, ValueError):
        return DEFAULT_TIMEOUT
    limit = config.get("timeout") if isinstance(config, dict) else None
    if not isinstance(limit, (int, float)) or isinstance(limit, bool):
        return DEFAULT_TIMEOUT
    return min(max(limit, 1), MAX_TIMEOUT)


def over_limit(path: Path, limit: float) -> str:
    """What to say of a function at ``path`` that ran past its time limit."""
    return (
        f"{path}: main did not return within {limit:g} s, where the cloud stops it "
        f'(config.json "timeout", {DEFAULT_TIMEOUT} s when it gives none, at most {MAX_TIMEOUT})'
    )


class Functions:
    """The function folders next to each other under ``folder`` (None: no functions)."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = None if folder is None else Path(folder)
        self._lock = threading.Lock()
        self._in_flight = 0
        self.new_request_id: Callable[[], str] = lambda: str(uuid.uuid4())
        """Where each call's ``request_id`` comes from."""

    def index_of(self, name: str) -> Path | None:
        """The ``index.py`` of the function ``name`` in :attr:`folder` (None: there is none). A name is
        letters, digits, ``_`` and ``-``, as the cloud's are: none climbs out of the folder."""
        if self.folder is None or not isinstance(name, str) or not _NAME.match(name):
            return None
        index = self.folder / name / "index.py"
        return index if index.is_file() else None

    def invoke(self, name: str, body: bytes) -> Reply:
        """Run function ``name`` with the event ``body`` (JSON text); WeChat's reply."""
        request_id = self.new_request_id()
        index = self.index_of(name)
        if index is None:
            where = f" (looked in {self.folder})" if self.folder is not None else " (no functions folder given)"
            return _failed(NOT_FOUND, f"[ResourceNotFound.Function] function {name} not found{where}", request_id)
        try:
            event = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return {"errcode": 47001, "errmsg": "data format error: the event is not JSON"}
        depth = _depth.get() + 1
        with self._lock:
            self._in_flight += 1
            too_many = self._in_flight > MAX_AT_ONCE
        try:
            if depth > MAX_DEPTH:
                return _failed(
                    EXECUTE_FAIL,
                    f"callFunction nested deeper than {MAX_DEPTH} calls (does {name} call itself without end?)",
                    request_id,
                )
            if too_many:
                said = f"more than {MAX_AT_ONCE} function runs at once (does {name} call itself without end?)"
                return _failed(EXECUTE_FAIL, said, request_id)
            return self._run(index, event, depth, request_id)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _run(self, index: Path, event: Any, depth: int, request_id: str) -> Reply:
        """Run the callee in its own thread (it may run an event loop of its own), in a copy of
        this context one call deeper."""
        outcome: dict[str, Any] = {}

        def work() -> None:
            _depth.set(depth)
            try:
                main = loader.load(index).main
                result = loader.call(main, event, {"function_name": index.parent.name, "request_id": request_id})
                outcome["text"] = jsjson.node_dumps(result)
            except CloudSDKError as err:
                outcome["error"] = str(err)
            except Exception as exc:  # the callee's failure is the caller's error, as in the cloud
                outcome["error"] = f"{type(exc).__name__}: {exc}"

        limit = time_limit(index.parent)
        with loader.kept():  # the callee's chdir and environment changes are its own
            # a daemon thread in a copy of this context: a callee that never returns keeps no process from exiting
            done = threads.in_thread(work, (), f"wx-cloud-function-{index.parent.name}")
            concurrent.futures.wait([done], limit)
        if not done.done():
            return _failed(TIMED_OUT, f"Invoking task timed out after {limit:g} seconds", request_id)
        if "error" in outcome:
            return _failed(EXECUTE_FAIL, outcome["error"], request_id)
        return {"errcode": 0, "errmsg": "ok", "resp_data": outcome.get("text", "null"), "request_id": request_id}
