"""A call's plumbing as one object: for one platform and one set of ``init`` options (kept as
:class:`Options`, which hide their secrets), the config they settle to, the token cache and retry
budget the calls share, what the I/O shells need, and the connection pools. httpx and the shells
load with the first call, not at import."""

from __future__ import annotations

import os
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import errors
from .._core import flow as call
from .._core.config import KNOWN_OPTIONS, Config, hidden, log, resolve
from .._core.messages import ShellSettings
from .._core.retry import RetryBudget
from .._js.case import to_camel
from .._tokens import TokenFetchError
from .._tokens.cache import TokenCache
from .._tokens.redis_store import RedisStore

if TYPE_CHECKING:
    import asyncio

    from .._core.pools import AsyncPool, SyncPool


class Options(dict[str, Any]):
    """The options ``init``/``updateConfig`` were given (camelCase), as kept: shown with their secrets
    as ``***`` and a token store's password hidden, so that no ``repr`` or ``vars()`` of an
    instance shows them."""

    def __repr__(self) -> str:
        shown = []
        for name, value in self.items():
            text = hidden(name, value)
            shown.append(f"{name!r}: {errors.shown_value(value) if text is None else text}")
        return "{" + ", ".join(shown) + "}"


def normalise_options(config: Mapping[str, Any] | None, options: Mapping[str, Any], where: str) -> Options:
    """Merge the positional dict and keyword options of ``init`` into camelCase keys."""
    if config is not None and not isinstance(config, Mapping):
        raise errors.invalid_params(where, f"config must be a dict, got {type(config).__name__}")
    merged = Options()
    for source in (config or {}), options:
        for key, value in source.items():
            if not isinstance(key, str):
                raise errors.invalid_params(where, f"option names must be strings, got {errors.shown_value(key)}")
            name = to_camel(key)
            if name not in KNOWN_OPTIONS:
                known = ", ".join(sorted(KNOWN_OPTIONS))
                log.warning("%s: unknown option %s ignored (known: %s)", where, errors.shown_value(key), known)
            merged[name] = value
    return merged


Given = tuple[Mapping[str, Any], str]
"""The options ``init``/``updateConfig`` were given, and which of the two gave them."""


@dataclass(eq=False)
class Settled:
    """What a call needs from its instance: the config, the shared token cache and retry budget,
    the shells' settings, and the pools (blocking, and one per event loop: connections cannot
    cross loops), for the options ``given`` under one platform."""

    given: Given = field(repr=False)  # the options as given: secrets in the clear
    config: Config
    shared: call.Shared
    settings: ShellSettings
    sync_pool: SyncPool | None = None
    async_pools: dict[asyncio.AbstractEventLoop, AsyncPool] = field(default_factory=dict)

    def retire(self) -> None:
        """No new call will use these pools: each closes once its calls in flight are done."""
        retire_sync(self.sync_pool)
        self.sync_pool = None
        pools, self.async_pools = self.async_pools, {}
        for loop_pool in pools.values():
            if loop_pool.lease.retire():
                loop_pool.release_soon()

    def take_pools(self, old: Settled) -> None:
        """Keep ``old``'s pools when they would be built the same (pools hold only connections:
        URL, token and timeout go per request); else they retire."""
        if _pool_key(old.config) == _pool_key(self.config):
            self.sync_pool, self.async_pools = old.sync_pool, old.async_pools
        else:
            old.retire()

    def sync(self) -> SyncPool:
        """The blocking pool, built on first use (the caller holds the instance's lock)."""
        if self.sync_pool is None:
            self.sync_pool = _pools().sync_pool(self.config, proxy_for(self.config.api_base))
        return self.sync_pool

    def for_loop(self, loop: asyncio.AbstractEventLoop) -> AsyncPool:
        """``loop``'s pool, built on first use (the caller holds the instance's lock); it leaves
        :attr:`async_pools` when its loop closes."""
        pools = self.async_pools
        pool = pools.get(loop)
        if pool is None:
            for closed in [other for other in pools if other.is_closed()]:
                del pools[closed]  # closed without shutting down: nothing to await
            pool = pools[loop] = _pools().async_pool(self.config, proxy_for(self.config.api_base), loop)
        return pool


def settle(given: Given, platform: Mapping[str, Any]) -> Settled:
    """The plumbing for ``given`` under what ``platform`` provides (environment variables read now);
    a bad option raises here, as ``init`` would."""
    merged, where = given
    config = resolve(merged, os.environ, platform, where)
    try:
        store = RedisStore(config.token_store) if config.token_store else None
    except TokenFetchError as exc:
        raise exc.for_api(where) from None
    settings = ShellSettings(config.max_reply_bytes, config.secrets)  # once per config, not per call
    return Settled(given, config, call.Shared(TokenCache(store), RetryBudget(config.retry), settings.secrets), settings)


def retire_sync(pool: SyncPool | None) -> None:
    """No new call will use ``pool``: close it now if no call is using it (else the last one does)."""
    if pool is not None and pool.lease.retire():
        pool.transport.close()


def _pool_key(cfg: Config) -> tuple[Any, ...]:
    """What a pool is built from: another value of any of these needs new pools."""
    return (cfg.transport, cfg.max_connections, proxy_for(cfg.api_base))


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


def shells() -> types.ModuleType:
    """The I/O shells (:mod:`cloud._core.transport`), loaded with httpx on the first call: an import of
    the package (a cloud function's cold start) does not pay for httpx."""
    global _shells
    if _shells is None:
        from .._core import transport

        _shells = transport
    return _shells


def _pools() -> types.ModuleType:
    """The connection pools (:mod:`cloud._core.pools`), loaded with httpx on the first call."""
    from .._core import pools

    return pools
