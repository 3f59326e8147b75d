"""A configured SDK instance: what ``cloud.init`` sets up, and the connection pools its calls share.

The module-level API (``cloud.init``, ``cloud.openapi``, ``cloud.sync.openapi``) is one default
instance; ``cloud.createNewInstance()`` makes independent ones (handy in tests).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
import types
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import errors
from .._core import flow as call
from .._core.config import OPTIONS, Config
from .._core.context import current_request
from .._families.functions import CALL_FUNCTION
from .._families.pay import CLOUDPAY, OPEN_DATA, VOIP_SIGN
from .._families.storage import DELETE, DOWNLOAD, TEMP_URL, UPLOAD
from .._families.transaction import Database
from . import platform
from .namespace import OpenAPI, Single
from .plumbing import Settled, normalise_options, retire_sync, settle, shells

if TYPE_CHECKING:
    import asyncio

    from .._apis import AsyncCloudPay, AsyncOpenAPI
    from .._core.pools import AsyncPool, SyncPool
    from .._db.shapes import AsyncDatabase

_instances: weakref.WeakSet[Cloud] = weakref.WeakSet()

_CALLS: dict[str, call.Family] = {"uploadFile": UPLOAD, "downloadFile": DOWNLOAD, "getTempFileURL": TEMP_URL,
                                  "deleteFile": DELETE, "callFunction": CALL_FUNCTION}  # fmt: skip
"""The calls beside ``openapi`` that are one function each, by Node's name."""


State = platform.State


def _after_fork_in_child() -> None:
    """The child of ``os.fork()`` starts every instance afresh (see :meth:`Cloud._forget_parent`)."""
    for cloud in list(_instances):
        cloud._forget_parent()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


_warned_in_loop = False


def _warn_if_in_event_loop() -> None:
    """A blocking call made by a coroutine stops its event loop until it returns: say so, once."""
    global _warned_in_loop
    if _warned_in_loop or "asyncio" not in sys.modules:
        return
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    _warned_in_loop = True
    logging.getLogger("cloud").warning(
        "cloud.sync called inside a running event loop: the loop waits for the call; use the async API "
        "(await cloud.openapi...) there, or run the blocking call in a thread (asyncio.to_thread)"
    )


def _options_doc() -> str:
    """The options part of ``init``'s docstring, from the one option table (``_config.OPTIONS``)."""
    rows = []
    for option in OPTIONS:
        if option.shown_default:
            default = option.shown_default.replace("`", "")
        elif option.default is None:
            default = "none"
        elif isinstance(option.default, int) and option.default >= 2**20:
            default = f"{option.default // 2**20} MiB"
        else:
            default = str(option.default)
        names = option.name if option.field == option.name else f"{option.name} ({option.field})"
        rows.append(f"    {names}: {option.env + ', ' if option.env else ''}default {default}")
    return (
        "Options, by Node's camelCase name (snake_case too), its environment variable (used when the\n"
        "option is not given) and its default; the README's Configuration table says what each does:\n\n"
        + "\n".join(rows)
    )


class Cloud:
    """One SDK instance. ``init`` is idempotent as in Node; ``updateConfig`` replaces the config.

    Its config is settled against the platform in force where each call is made
    (:mod:`cloud._client.platform`), once per platform and set of options: a :class:`Settled`."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        if options:  # Node's new Cloud({resourceAppid, resourceEnv}): another account's resources
            raise errors.CloudSDKError(
                errors.UNKNOWN_ERROR,
                "new Cloud:fail resource sharing (resourceAppid, resourceEnv) reaches another account's environment "
                "through CloudBase, which WeChat's HTTP API cannot; use Cloud() and init() with that account's "
                "appid and secret (or access token) and its env",
            )
        self._own: State = (False, None)  # init/updateConfig made outside every platform block
        self._settled: dict[platform.Platform, Settled] = {}
        self._lock = threading.Lock()
        _instances.add(self)
        self.openapi: AsyncOpenAPI = OpenAPI(self, blocking=False)  # typed by the catalogue
        self.cloudPay: AsyncCloudPay = OpenAPI(self, blocking=False, family=CLOUDPAY)
        self.getOpenData = Single(self, False, "getOpenData", OPEN_DATA)
        self.getVoIPSign = Single(self, False, "getVoIPSign", VOIP_SIGN)
        self.uploadFile = Single(self, False, "uploadFile", UPLOAD)  # storage and callFunction
        self.downloadFile = Single(self, False, "downloadFile", DOWNLOAD)
        self.getTempFileURL = Single(self, False, "getTempFileURL", TEMP_URL)
        self.deleteFile = Single(self, False, "deleteFile", DELETE)
        self.callFunction = Single(self, False, "callFunction", CALL_FUNCTION)
        self.database: Callable[..., AsyncDatabase] = functools.partial(Database, self, False)  # typed: _db/shapes
        self.sync = types.SimpleNamespace(
            openapi=OpenAPI(self, blocking=True),
            cloudPay=OpenAPI(self, blocking=True, family=CLOUDPAY),
            getOpenData=Single(self, True, "getOpenData", OPEN_DATA),
            getVoIPSign=Single(self, True, "getVoIPSign", VOIP_SIGN),
            database=functools.partial(Database, self, True),  # cloud.sync.database: SyncDatabase
            init=self.init,
            updateConfig=self.updateConfig,
            **{name: Single(self, True, name, family) for name, family in _CALLS.items()},
        )

    def init(self, config: Mapping[str, Any] | None = None, **options: Any) -> None:
        """Configure the instance, once: a second call is ignored (``updateConfig`` changes it)."""
        with self._lock:
            block = platform.active()
            if self._state(block)[0]:
                return
            self._set_config(block, config, options, "init", inited=True)

    def updateConfig(self, config: Mapping[str, Any] | None = None, **options: Any) -> None:  # noqa: N802 - Node's name
        """Replace the configuration. As in Node, this does not count as ``init``."""
        with self._lock:
            block = platform.active()
            self._set_config(block, config, options, "updateConfig", inited=self._state(block)[0])

    init.__doc__ = f"{init.__doc__}\n\n{_options_doc()}"
    updateConfig.__doc__ = f"{updateConfig.__doc__}\n\n{_options_doc()}"

    def save_state(self) -> State:
        """Whether this instance is initialised here, and with what options."""
        with self._lock:
            return self._state(platform.active())

    def _state(self, block: platform.Platform) -> State:
        kept = block.state_of(self)
        return self._own if kept is None else kept

    def _set_config(
        self, block: platform.Platform, cfg: Mapping[str, Any] | None, options: Mapping[str, Any], where: str,
        inited: bool,
    ) -> None:  # fmt: skip
        given = (normalise_options(cfg, options, where), where)
        settled = settle(given, block.defaults)  # a bad option raises here, changing nothing
        keeper = block.keeper()
        if keeper is None:
            self._own = (inited, given)
        else:
            keeper[self] = (inited, given)
        self._install(block, settled)

    def _install(self, block: platform.Platform, settled: Settled) -> None:
        """``settled`` is this instance's plumbing under ``block`` now; the pools of the one it
        replaces move over when they would be built the same (pools hold only connections: URL,
        token and timeout go per request), else retire."""
        old = self._settled.get(block)
        self._settled[block] = settled
        if block is not platform.OUTSIDE:
            block.users.add(self)
        if old is not None:
            settled.take_pools(old)

    def forget_platform(self, block: platform.Platform) -> None:
        """``block`` has ended: its plumbing retires (its pools close once their calls are done)."""
        with self._lock:
            settled = self._settled.pop(block, None)
        if settled is not None:
            settled.retire()

    def _current(self, inited: bool = False) -> Settled | None:
        """The plumbing for the platform in force here (settled on first use); None before any
        config (or, with ``inited``, before ``init``)."""
        block = platform.active()
        with self._lock:
            is_inited, given = self._state(block)
            if given is None or (inited and not is_inited):
                return None
            settled = self._settled.get(block)
            if settled is None or settled.given is not given:
                settled = settle(given, block.defaults)
                self._install(block, settled)
            return settled

    @property
    def config(self) -> Config | None:
        settled = self._current()
        return settled.config if settled is not None else None

    @property
    def _shared(self) -> call.Shared:
        """The token cache and retry budget of the calls made here."""
        return self._ready().shared

    @property
    def _sync_pool(self) -> SyncPool | None:
        settled = self._current()
        return settled.sync_pool if settled is not None else None

    @property
    def _async_pools(self) -> dict[asyncio.AbstractEventLoop, AsyncPool]:
        settled = self._current()
        return settled.async_pools if settled is not None else {}

    def _ready(self) -> Settled:
        settled = self._current(inited=True)
        if settled is None:
            raise errors.not_initialised()
        return settled

    def call_sync(
        self, path: tuple[str, ...], params: Any, options: call.CallOptions, family: call.Family = call.OPENAPI
    ) -> dict[str, Any]:
        settled = self._ready()
        _warn_if_in_event_loop()
        flow = (family.run or call.flow)(
            ".".join(path), params, options, settled.config, settled.shared, request_token=_request_token(),
            family=family,
        )  # fmt: skip
        pool = self._pool_sync(settled)
        try:
            return shells().run_sync(flow, pool, settled.settings)
        finally:
            if pool.lease.leave():
                pool.transport.close()

    def call_async(
        self, path: tuple[str, ...], params: Any, options: call.CallOptions, family: call.Family = call.OPENAPI
    ) -> Any:
        settled = self._ready()  # raised at call time, before awaiting, as Node throws synchronously
        return self._call_async(".".join(path), params, options, settled, _request_token(), family)

    async def _call_async(
        self, name: str, params: Any, options: call.CallOptions, settled: Settled, request_token: str | None,
        family: call.Family,
    ) -> dict[str, Any]:  # fmt: skip
        flow = (family.run or call.flow)(
            name, params, options, settled.config, settled.shared, request_token=request_token, family=family
        )
        pool = self._pool_async(settled)
        try:
            return await shells().run_async(flow, pool, settled.settings)
        finally:
            if pool.lease.leave():
                await pool.release()

    def _pool_sync(self, settled: Settled) -> SyncPool:
        """The blocking pool, leased to the caller (who leaves it when done)."""
        with self._lock:
            pool = settled.sync()
            pool.lease.enter()
            return pool

    def _pool_async(self, settled: Settled) -> AsyncPool:
        """This event loop's pool (connections cannot cross loops), leased to the caller."""
        import asyncio  # here, not at the top: only async calls need it (and have it loaded)

        loop = asyncio.get_running_loop()
        with self._lock:
            fresh = loop not in settled.async_pools
            pool = settled.for_loop(loop)
            if fresh:
                pool.watch(lambda gone: self._forget_async(settled, gone))
            pool.lease.enter()
            return pool

    def _forget_async(self, settled: Settled, pool: AsyncPool) -> None:
        with self._lock:
            if settled.async_pools.get(pool.loop) is pool:
                del settled.async_pools[pool.loop]

    def _forget_parent(self) -> None:
        """In the child of a fork: new locks, no pools, no token fetch in flight. The parent's
        pools are dropped, not closed (closing could end the parent's TLS sessions)."""
        self._lock = threading.Lock()
        for settled in self._settled.values():
            settled.sync_pool = None
            settled.async_pools = {}
            settled.shared.tokens.forget_parent()
            settled.shared.budget.forget_parent()

    def close(self) -> None:
        """Close the blocking calls' connections once the calls in flight are done (a later call
        opens new ones)."""
        with self._lock:
            pools = [settled.sync_pool for settled in self._settled.values()]
            for settled in self._settled.values():
                settled.sync_pool = None
        for pool in pools:
            retire_sync(pool)

    async def aclose(self) -> None:
        """Close this event loop's connections once its calls in flight are done."""
        import asyncio

        loop = asyncio.get_running_loop()
        with self._lock:
            pools = [settled.async_pools.pop(loop, None) for settled in self._settled.values()]
        for pool in pools:
            if pool is not None and pool.lease.retire():
                await pool.release()

    def __enter__(self) -> Cloud:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Cloud:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
        self.close()

    def __repr__(self) -> str:
        return f"<cloud.Cloud inited={self.save_state()[0]} config={self.config!r}>"


def _request_token() -> str | None:
    """The cloudbase token of the Cloud Run request this call is made in, if any."""
    request = current_request()
    return request.cloudbase_token if request is not None else None
