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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import errors
from .._core import flow as call
from .._core.config import OPTIONS, Config, normalise_options, resolve
from .._core.context import current_request
from .._core.messages import ShellSettings
from .._core.retry import RetryBudget, RetryPolicy
from .._families.database import Database
from .._families.functions import CALL_FUNCTION
from .._families.pay import CLOUDPAY, OPEN_DATA, VOIP_SIGN
from .._families.storage import DELETE, DOWNLOAD, TEMP_URL, UPLOAD
from .._tokens import TokenFetchError
from .._tokens.cache import TokenCache
from .._tokens.redis_store import RedisStore
from .namespace import OpenAPI, Single

if TYPE_CHECKING:
    import asyncio

    from .._apis import AsyncCloudPay, AsyncOpenAPI
    from .._core.pools import AsyncPool, SyncPool

PLATFORM_DEFAULTS: dict[str, Any] = {}
"""Defaults set by the environment that runs the function (the emulator, a function's
permissions...); below init options and environment variables, above built-in defaults. Written
only by :func:`cloud._client.platform.provided`."""

_instances: weakref.WeakSet[Cloud] = weakref.WeakSet()

_CALLS: dict[str, call.Family] = {"uploadFile": UPLOAD, "downloadFile": DOWNLOAD, "getTempFileURL": TEMP_URL,
                                  "deleteFile": DELETE, "callFunction": CALL_FUNCTION}  # fmt: skip
"""The calls beside ``openapi`` that are one function each, by Node's name."""


def instances() -> list[Cloud]:
    """Every live instance."""
    return list(_instances)


def platform_changed() -> None:
    """Settle the config of every configured instance again, against the current
    ``PLATFORM_DEFAULTS`` (a function module that called ``cloud.init()`` at import follows)."""
    for cloud in list(_instances):
        cloud._resettle()


State = tuple[bool, "tuple[Mapping[str, Any], str] | None"]
"""Whether an instance is initialised, and the options its config came from."""


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
    """One SDK instance. ``init`` is idempotent as in Node; ``updateConfig`` replaces the config."""

    def __init__(self) -> None:
        self._inited = False
        self._config: Config | None = None
        self._shared = call.Shared(TokenCache(), RetryBudget(RetryPolicy()))
        self._settings = ShellSettings(0, ())
        self._lock = threading.Lock()
        self._sync_pool: SyncPool | None = None
        self._async_pools: dict[asyncio.AbstractEventLoop, AsyncPool] = {}
        self._given: tuple[Mapping[str, Any], str] | None = None  # the options the config came from
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
        self.database = functools.partial(Database, self, False)  # cloud.database(config)
        self.sync = types.SimpleNamespace(
            openapi=OpenAPI(self, blocking=True),
            cloudPay=OpenAPI(self, blocking=True, family=CLOUDPAY),
            getOpenData=Single(self, True, "getOpenData", OPEN_DATA),
            getVoIPSign=Single(self, True, "getVoIPSign", VOIP_SIGN),
            database=functools.partial(Database, self, True),
            init=self.init,
            updateConfig=self.updateConfig,
            **{name: Single(self, True, name, family) for name, family in _CALLS.items()},
        )

    def init(self, config: Mapping[str, Any] | None = None, **options: Any) -> None:
        """Configure the instance, once: a second call is ignored (``updateConfig`` changes it)."""
        with self._lock:
            if self._inited:
                return
            self._set_config(config, options, "init")
            self._inited = True

    def updateConfig(self, config: Mapping[str, Any] | None = None, **options: Any) -> None:  # noqa: N802 - Node's name
        """Replace the configuration. As in Node, this does not count as ``init``."""
        with self._lock:
            self._set_config(config, options, "updateConfig")

    init.__doc__ = f"{init.__doc__}\n\n{_options_doc()}"
    updateConfig.__doc__ = f"{updateConfig.__doc__}\n\n{_options_doc()}"

    def save_state(self) -> State:
        """Whether this instance is initialised, and with what options (see :meth:`restore_state`)."""
        with self._lock:
            return self._inited, self._given

    def restore_state(self, state: State) -> None:
        """Put this instance back as :meth:`save_state` found it (``init``/``updateConfig`` since
        undone), its config settled against the current ``PLATFORM_DEFAULTS``."""
        with self._lock:
            self._inited, self._given = state
            if self._given is None:
                self._config = None
                self._retire_pools()
        self._resettle()

    def _set_config(self, cfg: Mapping[str, Any] | None, options: Mapping[str, Any], where: str) -> None:
        merged = normalise_options(cfg, options, where)
        self._apply(resolve(merged, os.environ, PLATFORM_DEFAULTS, where), where)
        self._given = (merged, where)

    def _resettle(self) -> None:
        with self._lock:
            if self._given is not None:
                merged, where = self._given
                self._apply(resolve(merged, os.environ, PLATFORM_DEFAULTS, where), where)

    def _apply(self, new: Config, where: str) -> None:
        try:
            store = RedisStore(new.token_store) if new.token_store else None
        except TokenFetchError as exc:
            raise exc.for_api(where) from None
        old, self._config = self._config, new
        self._settings = _shell_settings(new)  # once per config, not per call
        self._shared = call.Shared(TokenCache(store), RetryBudget(new.retry), self._settings.secrets)
        if old is not None and _pool_key(old) != _pool_key(new):
            self._retire_pools()  # pools hold only connections; URL, token and timeout go per request

    @property
    def config(self) -> Config | None:
        return self._config

    def _ready(self) -> Config:
        if not self._inited or self._config is None:
            raise errors.not_initialised()
        return self._config

    def call_sync(
        self, path: tuple[str, ...], params: Any, options: call.CallOptions, family: call.Family = call.OPENAPI
    ) -> dict[str, Any]:
        cfg = self._ready()
        _warn_if_in_event_loop()
        flow = (family.run or call.flow)(
            ".".join(path), params, options, cfg, self._shared, request_token=_request_token(), family=family
        )
        pool = self._pool_sync(cfg)
        try:
            return _io().run_sync(flow, pool, self._settings)
        finally:
            if pool.lease.leave():
                pool.transport.close()

    def call_async(
        self, path: tuple[str, ...], params: Any, options: call.CallOptions, family: call.Family = call.OPENAPI
    ) -> Any:
        cfg = self._ready()  # raised at call time, before awaiting, as Node throws synchronously
        state = (self._shared, self._settings, _request_token())  # the caller's request's token
        return self._call_async(".".join(path), params, options, cfg, state, family)

    async def _call_async(
        self,
        name: str,
        params: Any,
        options: call.CallOptions,
        cfg: Config,
        state: tuple[call.Shared, ShellSettings, str | None],
        family: call.Family,
    ) -> dict[str, Any]:
        shared, settings, request_token = state
        flow = (family.run or call.flow)(name, params, options, cfg, shared, request_token=request_token, family=family)
        pool = self._pool_async(cfg)
        try:
            return await _io().run_async(flow, pool, settings)
        finally:
            if pool.lease.leave():
                await pool.release()

    def _pool_sync(self, cfg: Config) -> SyncPool:
        """The blocking pool, leased to the caller (who leaves it when done)."""
        with self._lock:
            pool = self._sync_pool
            if pool is None:
                pool = self._sync_pool = _pools().sync_pool(cfg, proxy_for(cfg.api_base))
            pool.lease.enter()
            return pool

    def _pool_async(self, cfg: Config) -> AsyncPool:
        """This event loop's pool (connections cannot cross loops), leased to the caller."""
        import asyncio  # here, not at the top: only async calls need it (and have it loaded)

        loop = asyncio.get_running_loop()
        with self._lock:
            pool = self._async_pools.get(loop)
            if pool is None:
                for closed in [other for other in self._async_pools if other.is_closed()]:
                    del self._async_pools[closed]  # closed without shutting down: nothing to await
                pool = self._async_pools[loop] = _pools().async_pool(cfg, proxy_for(cfg.api_base), loop)
                pool.watch(self._forget_async)
            pool.lease.enter()
            return pool

    def _forget_async(self, pool: AsyncPool) -> None:
        with self._lock:
            if self._async_pools.get(pool.loop) is pool:
                del self._async_pools[pool.loop]

    def _retire_pools(self) -> None:
        """Replace every pool (the lock is held): calls in flight finish on the old ones, which
        are then closed; the next calls build new ones."""
        _retire_sync(self._sync_pool)
        self._sync_pool = None
        pools, self._async_pools = self._async_pools, {}
        for loop_pool in pools.values():
            if loop_pool.lease.retire():
                loop_pool.release_soon()

    def _forget_parent(self) -> None:
        """In the child of a fork: new locks, no pools, no token fetch in flight. The parent's
        pools are dropped, not closed (closing could end the parent's TLS sessions)."""
        self._lock = threading.Lock()
        self._sync_pool = None
        self._async_pools = {}
        self._shared.tokens.forget_parent()
        self._shared.budget.forget_parent()

    def close(self) -> None:
        """Close the blocking calls' connections once the calls in flight are done (a later call
        opens new ones)."""
        with self._lock:
            pool, self._sync_pool = self._sync_pool, None
        _retire_sync(pool)

    async def aclose(self) -> None:
        """Close this event loop's connections once its calls in flight are done."""
        import asyncio

        with self._lock:
            pool = self._async_pools.pop(asyncio.get_running_loop(), None)
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
        return f"<cloud.Cloud inited={self._inited} config={self._config!r}>"


def _request_token() -> str | None:
    """The cloudbase token of the Cloud Run request this call is made in, if any."""
    request = current_request()
    return request.cloudbase_token if request is not None else None


def _retire_sync(pool: SyncPool | None) -> None:
    """No new call will use ``pool``: close it now if no call is using it (else the last one does)."""
    if pool is not None and pool.lease.retire():
        pool.transport.close()


def _pool_key(cfg: Config) -> tuple[Any, ...]:
    """What a pool is built from: another value of any of these needs new pools."""
    return (cfg.transport, cfg.max_connections, proxy_for(cfg.api_base))


def _shell_settings(cfg: Config) -> ShellSettings:
    """What the shells need to know: the reply size limit, and every secret to scrub from details."""
    return ShellSettings(cfg.max_reply_bytes, cfg.secrets)


def proxy_for(api_base: str) -> str | None:
    """The proxy the environment names for ``api_base`` (``HTTPS_PROXY``, ``ALL_PROXY``; ``NO_PROXY``
    honoured), as an httpx client would use it."""
    import urllib.parse
    import urllib.request  # here: it costs a cold start about 20 ms

    url = urllib.parse.urlsplit(api_base)
    if urllib.request.proxy_bypass(url.hostname or ""):
        return None
    proxies = urllib.request.getproxies()
    return proxies.get(url.scheme) or proxies.get("all")


_shells: types.ModuleType | None = None


def _io() -> types.ModuleType:
    """The I/O shells (:mod:`cloud._core.transport`), loaded with httpx on the first call: an import of
    the package (a cloud function's cold start) does not pay for httpx."""
    global _shells
    if _shells is None:
        from .._core import transport as _transport

        _shells = _transport
    return _shells


def _pools() -> types.ModuleType:
    """The connection pools (:mod:`cloud._core.pools`), loaded with httpx on the first call."""
    from .._core import pools

    return pools
