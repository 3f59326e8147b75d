"""The emulator's logic, without I/O: a request in, a reply out, like WeChat would answer.

API routes come from the catalogue. It checks the token (41001 missing, 40001 wrong or revoked,
42001 expired), the method (43001/43002), the JSON body (47001), and answers every catalogued API:
``/wxa/servicemarket`` with a realistic OcrAllInOne reply, the wxacode APIs with a real PNG image,
the others with their documented example reply (``data/examples.json``) or
``{"errcode":0,"errmsg":"ok"}``. Its token endpoints behave like WeChat's (see ``tokens``).

``token`` (a fixed token, always valid) serves static-token callers; ``cloudrun=True`` models Cloud
Run's open-interface service (no token, a ``whitelist``, ``from_appid``, ``x-openapi-seqid``: see
``_cloudrun``); ``cloudbase_tokens`` are accepted as
``cloudbase_access_token``. Tests can queue scripted replies, revoke tokens, reject every token,
move the clock, and read back every request it received.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx

from .. import catalog
from .._core import threads
from .._core.clock import wall
from . import _checks as checks
from . import _cloudrun as cloudrun_model
from . import _database as database
from . import _storage as storage
from ._control import CONTROL_PREFIX, control
from ._functions import Functions
from ._notify import Delivery, Runner, Targets, deliver, run_function
from ._pay import PayDesk
from ._records import Recorded
from ._replies import WECHAT_JSON, Answer, Reply, emulated, error, json_answer
from ._state import InState, State
from ._stubs import LOCAL_NAMES, Scripted
from ._tokens import EMULATOR_ACCESS_TOKEN, EMULATOR_APPID, EMULATOR_SECRET, TOKEN_PATHS, Tokens

NOT_FOUND = ("text/html", b"<html><body><h1>404 Not Found</h1></body></html>")
FUNCTIONS = catalog.cloud_path("callFunction")


class Emulator:
    """WeChat's API as far as the catalogue goes; thread-safe."""

    apps = InState[dict[str, str]]("tokens")
    """appid → secret of the accounts whose tokens it issues."""
    cloudrun = InState[bool]("tokens")
    cloudbase_tokens = InState[set[str]]("tokens")
    clock = InState[Callable[[], float]]("tokens")
    reject_tokens = InState[bool]("tokens")
    """When True, every API call answers 40001 (a backend that rejects every token)."""
    issued_tokens = InState[list[str]]("tokens")
    """Every token it has issued, in order."""
    requests = InState[list[Recorded]]()
    """Every request received (when ``record``), in order."""
    request_count = InState[int]()
    unexpected = InState[list[Recorded]]()
    """The calls refused in strict mode."""

    def __init__(
        self,
        token: str = EMULATOR_ACCESS_TOKEN,
        apps: dict[str, str] | None = None,
        *,
        cloudrun: bool = False,
        cloudbase_tokens: tuple[str, ...] = (),
        clock: Callable[[], float] = wall,
        record: bool = True,
        any_token: bool = False,
        strict: bool = False,
        whitelist: Any = None,
        data: str | os.PathLike[str] | None = None,
        functions: str | os.PathLike[str] | None = None,
    ) -> None:
        self.token = token
        self.database = database.LocalDatabase(None if data is None else os.fspath(data))
        """The documents of ``/tcb/database*`` (SQLite: in memory, or in ``data`` across restarts)."""
        self.files = storage.FileStore(None if data is None else os.path.join(data, "storage"), clock)
        """Cloud storage: files on disk (``<data>/storage``, else a temporary folder)."""
        self.functions = Functions(functions)
        """The folder of function folders ``callFunction`` runs (``functions.folder``; None: none)."""
        self.whitelist = cloudrun_model.whitelist_of(whitelist)
        """With ``cloudrun``: the APIs the open-interface service passes on (None: all); list,
        comma list, or config.json (``permissions.openapi``). Others get HTTP 502."""
        accounts = {EMULATOR_APPID: EMULATOR_SECRET} if apps is None else dict(apps)
        self._given = Tokens(accounts, cloudrun, set(cloudbase_tokens), clock)
        """The settings ``reset`` goes back to."""
        self._epoch = int(clock())
        self._state = self._fresh_state()
        self.record = record
        """Keep every request in ``requests`` (False for long runs: only ``request_count`` grows)."""
        self.any_token = any_token
        """Accept every token, or none, and issue tokens to any appid and secret (for tests of code
        whose configuration is not the emulator's)."""
        self.strict = strict
        """Refuse calls to APIs with no stub (48001), and keep them in ``unexpected``."""
        self._targets = Targets(functions=self.functions)
        self.payment_targets = self._targets.names
        """Where payment notifications go: a callback function's or Cloud Run service's name → a
        function folder, a WSGI/ASGI app, or a base URL; a function name not here runs from
        ``functions.folder``."""
        self.function_runner: Runner = run_function
        """How a callback function is run (``cloud.testing`` runs it as ``wx.run`` does)."""
        self._lock = threading.Lock()
        self._routes: dict[str, dict[str, catalog.Endpoint]] = {}
        for endpoint in catalog.load().values():  # first name per path and method answers for all
            self._routes.setdefault(endpoint.path, {}).setdefault(endpoint.method, endpoint)
        for name, endpoint in catalog.pay_apis().items():  # Cloud Run's /_/pay/<api>
            paying = dataclasses.replace(endpoint, name=f"cloudPay.{name}")
            self._routes.setdefault(endpoint.path, {}).setdefault(endpoint.method, paying)

    def _fresh_state(self) -> State:
        return State(self._given.fresh(), pay=PayDesk(EMULATOR_APPID, epoch=self._epoch))

    def register_cloud_id(self, cloud_id: str, data: object, openid: str | None = None) -> None:
        """Make ``getOpenData`` decode ``cloud_id`` to ``data`` (for ``openid`` only, if given)."""
        with self._lock:
            self._state.pay.open_data[cloud_id] = (data, openid)

    def issue_cloud_id(self, data: object, openid: str | None = None) -> str:
        """A new cloudID standing for ``data``, as the mini program would receive it."""
        cloud_id = secrets.token_hex(4) + "_" + secrets.token_urlsafe(24)
        self.register_cloud_id(cloud_id, data, openid)
        return cloud_id

    def pay_order(self, out_trade_no: str) -> dict[str, object]:
        """Mark an order made by ``unifiedOrder`` paid; returns its payment notification (camelCase)."""
        with self._lock:
            return self._state.pay.paid(out_trade_no)

    def notify_payment(self, out_trade_no: str) -> Delivery:
        """Pay the order (if not yet) and deliver its notification to the callback the order named,
        as WeChat does; the :class:`Delivery` says whether the answer was ``{"errcode": 0}`` or
        WeChat would retry. KeyError: no such order; NotifyError: nowhere to send it, or a closed order."""
        with self._lock:
            params = self._state.pay.order_params(out_trade_no)
            notification = self._state.pay.paid(out_trade_no)
        return deliver(params, notification, self._targets, self.function_runner)  # unlocked: it may call us

    def token_requests(self) -> list[Recorded]:
        """The requests made to the token endpoints."""
        with self._lock:
            return [r for r in self._state.requests if r.path in TOKEN_PATHS]

    def revoke(self, token: str) -> None:
        """Make ``token`` invalid from now on (as if another party refreshed it)."""
        with self._lock:
            self._state.tokens.revoke(token)

    def reset(self) -> None:
        """Back to how it was made: no requests recorded, no replies queued, no tokens issued,
        settings (apps, cloudrun, cloudbase tokens, clock) as given to the constructor, no documents
        and no stored files (those in ``data`` too: it keeps them across restarts, not resets)."""
        with self._lock:
            self._state = self._fresh_state()
            self.database.clear()
            self.files.clear()

    def note(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        """Record a request that something else answered for this emulator (compare runs a Node
        callee in Node, where the emulator would run its port): seen among the requests as made."""
        path, _, qs = target.partition("?")
        recorded = Recorded(method.upper(), path, dict(parse_qsl(qs, keep_blank_values=True)),
                            {k.lower(): v for k, v in headers.items()}, body, LOCAL_NAMES.get(path))  # fmt: skip
        with self._lock:
            if self.record:
                self._state.requests.append(recorded)

    def close(self) -> None:
        """Let go of the ``data`` folder (its database file and lock), so that another emulator may
        keep it; an emulator that is garbage collected, or whose process ends, lets go too."""
        self.database.close()

    def stub(self, api: str, reply: Scripted, *, times: int | None = None) -> None:
        """Answer calls to ``api`` (any name of its endpoint) with ``reply``: the next ``times``
        calls, before any standing stub; with no ``times``, every call (replacing the standing one)."""
        with self._lock:
            self._state.stubs.add(api, reply, times)

    def clear_stubs(self) -> None:
        """Forget every stub and queued reply (the request log stays)."""
        with self._lock:
            self._state.stubs.clear()

    def pending(self) -> list[tuple[str, int]]:
        """The ``times`` stubs and queued replies not used up yet: (API, calls left), and
        ("queued", replies left) for the queue."""
        with self._lock:
            return self._state.stubs.pending()

    def enqueue(self, *replies: Scripted) -> None:
        """Answer the next requests with these replies, in order, whatever they ask."""
        with self._lock:
            self._state.stubs.enqueue(replies)

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one request at once (any stubbed delay is the caller's to honour: see ``answer``)."""
        answer = self.answer(method, target, headers, body)
        return answer.status, answer.headers, answer.body

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        """Answer one request: ``target`` is the path with its query string."""
        path, _, qs = target.partition("?")
        method = method.upper()
        if path.startswith(CONTROL_PREFIX):
            return control(self, method, path[len(CONTROL_PREFIX) :], body)
        query = dict(parse_qsl(qs, keep_blank_values=True))
        routes = self._routes.get(path)
        endpoint = routes.get(method) if routes else None
        recorded = Recorded(method, path, query, {k.lower(): v for k, v in headers.items()}, body,
                            endpoint.name if endpoint else LOCAL_NAMES.get(path))  # fmt: skip
        with self._lock:
            state = self._state
            state.request_count += 1
            if self.record:
                state.requests.append(recorded)
            scripted = state.stubs.next_queued()
        if scripted is not None:
            answer = scripted.answer()
        elif path in storage.PATHS or path == FUNCTIONS or path.startswith(storage.COS_PREFIX):
            answer = self._cloudbase(recorded, headers)
        else:
            with self._lock:
                status, reply = self._answer(recorded, headers)
            if isinstance(reply, Scripted):
                answer = reply.answer()
            elif isinstance(reply, tuple):
                answer = Answer(status, [("content-type", reply[0])], reply[1])
            else:
                answer = json_answer(status, reply, WECHAT_JSON)
        if self.cloudrun and (routes or recorded.api) and answer.status != 502:
            answer.headers.append(cloudrun_model.seqid())
        return answer

    def _cloudbase(self, call: Recorded, headers: dict[str, str]) -> Answer:
        """Storage and functions: WeChat's API (token checked), and the storage server (signed
        URLs, no token). Answered outside the lock: a function run may call the emulator."""
        if call.path.startswith(storage.COS_PREFIX):
            return self.files.serve(call.method, call.path, call.query, headers, call.body)
        with self._lock:
            gated = self._gate(call)
        if gated is not None:
            status, reply = gated
            return reply.answer() if isinstance(reply, Scripted) else json_answer(status, reply, WECHAT_JSON)
        if call.path == FUNCTIONS:
            return json_answer(200, self.functions.invoke(call.query.get("name", ""), call.body), WECHAT_JSON)
        try:
            params = checks.loads(call.body) if call.body else None
        except ValueError:
            params = None
        if not isinstance(params, dict):
            return json_answer(200, error(47001, "data format error"), WECHAT_JSON)
        host = {k.lower(): v for k, v in headers.items()}.get("host", "127.0.0.1")
        return json_answer(200, self.files.answer(call.path, params, f"http://{host}"), WECHAT_JSON)

    def _gate(self, call: Recorded) -> tuple[int, Reply | Scripted] | None:
        """For a storage, function or database call (the lock held): Cloud Run's whitelist, the
        token, the method, a stub, then strict mode; None lets the local store answer. The
        database and the file store count as stubbed (they answer with what the test put there);
        ``callFunction`` runs other code, so strict mode refuses it unstubbed."""
        state = self._state
        if state.tokens.cloudrun:
            allowed = None if self.whitelist is None else cloudrun_model.whitelisted_paths(self.whitelist)
            blocked = cloudrun_model.refusal(call.method, call.path, call.query, allowed, state.tokens.apps)
            if blocked is not None:
                return blocked
        refused = state.tokens.check(call.query, self.token, self.any_token)
        if refused is not None:
            return 200, refused
        if call.method != "POST":
            return 200, error(43002, "require POST method")
        stubbed = state.stubs.take(call.method, call.path)
        if stubbed is not None:
            return stubbed.status, stubbed
        if self.strict and call.path == FUNCTIONS:
            state.unexpected.append(call)
            return 200, error(48001, "api unauthorized: no stub for callFunction (strict mode)")
        return None

    def _answer(self, call: Recorded, headers: dict[str, str]) -> tuple[int, Reply | Scripted]:
        """The reply to ``call``: a token endpoint's, else a catalogued API's (the lock held)."""
        state, method, path, query = self._state, call.method, call.path, call.query
        if path == "/cgi-bin/token":
            return 200, state.tokens.classic(method, query, self.any_token)
        if path == "/cgi-bin/stable_token":
            return 200, state.tokens.stable(method, call.body, self.any_token)
        if path in database.PATHS:  # the database HTTP API, answered from the local store
            return self._gate(call) or (200, self.database.answer(path, call.body))
        routes = self._routes.get(path)
        if not routes:
            return 404, NOT_FOUND
        if state.tokens.cloudrun:
            allowed = None if self.whitelist is None else cloudrun_model.whitelisted_paths(self.whitelist)
            blocked = cloudrun_model.refusal(method, path, query, allowed, state.tokens.apps)
            if blocked is not None:
                return blocked
        refused = state.tokens.check(query, self.token, self.any_token)
        if refused is not None:
            return 200, refused
        endpoint = routes.get(method)
        if endpoint is None:
            return 200, error(43002 if "POST" in routes else 43001, f"require {' or '.join(sorted(routes))} method")
        stubbed = state.stubs.take(method, path)
        if stubbed is not None:
            return stubbed.status, stubbed
        if self.strict:
            state.unexpected.append(call)
            return 200, error(48001, f"api unauthorized: no stub for {endpoint.name} (strict mode)")
        if endpoint.params_in == "body":
            try:
                params = checks.loads(call.body) if call.body else {}
            except ValueError:
                params = None
            if not isinstance(params, dict):
                return 200, error(47001, "data format error")
        elif endpoint.params_in == "multipart":
            if not headers.get("content-type", "").startswith("multipart/form-data") and "img_url" not in query:
                return 200, error(41005, "media data missing")
            params = {}
        else:
            params = dict(query)
        if endpoint.platform == "cloudpay" or endpoint.name in ("cloudbase.getOpenData", "cloudbase.getVoIPSign"):
            answered = state.pay.answer(endpoint.name, params, query)
            if answered is not None:
                return 200, answered
        return 200, emulated(endpoint.name, params)

    def transport(self) -> InProcessTransport:
        """An httpx transport (sync and async) that hands requests to this emulator in-process."""
        return InProcessTransport(self)


class InProcessTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Requests answered by an :class:`Emulator` in this process. A stubbed delay is waited out
    (asleep, or awaited) up to the request's read timeout, then it times out as a server would."""

    database_transactions = True
    """The database behind it runs transactions (the library sends them to an emulator only)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def _answer(self, request: httpx.Request) -> tuple[Answer, float, bool]:
        answer = self.emulator.answer(
            request.method, request.url.raw_path.decode("ascii"), dict(request.headers), request.read()
        )
        limit = request.extensions.get("timeout", {}).get("read")
        late = limit is not None and answer.delay > limit
        return answer, min(answer.delay, limit) if late else answer.delay, late

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer, wait, late = self._answer(request)
        if wait > 0:
            time.sleep(wait)
        if late:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == FUNCTIONS:  # a function run: off this event loop, which it must not hold up
            running = threads.in_thread(self._answer, (request,), "wx-cloud-emulator-answer")
            answer, wait, late = await asyncio.wrap_future(running)  # cancelled: the caller goes on at once
        else:
            answer, wait, late = self._answer(request)
        if wait > 0:
            await asyncio.sleep(wait)
        if late:
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)
