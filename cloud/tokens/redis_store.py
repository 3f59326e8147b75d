"""Tokens shared through Redis, so that many processes and hosts use one token.

Keys (``prefix`` defaults to ``wxcloud:``): ``token:<key>`` holds the token as JSON until it
expires; ``lock:<key>`` is the fetch lock (SET NX with a random owner, 15 s TTL, deleted only by
its owner); ``gen:<key>`` counts lock grants, and a token is written only if no token from a
later grant is already there, so an older token never overwrites a newer one;
``force:<key>`` marks a recent force_refresh. Every Redis failure becomes a TokenFetchError.
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..errors import redact_url
from .model import Token, TokenFetchError

LOCK_TTL_MS = 15_000

_WRITE_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and stored['g'] and tonumber(stored['g']) > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""

_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class RedisStore:
    """A :class:`~cloud.tokens.cache.SharedStore` on a Redis server (``redis://host:port/db``)."""

    def __init__(self, url: str, prefix: str = "wxcloud:") -> None:
        try:
            import redis
        except ImportError:  # pragma: no cover - exercised only without the extra installed
            raise TokenFetchError(
                "local", -1, "tokenStore needs the redis package: pip install 'wx-server-sdk-python[redis]'"
            ) from None
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._prefix = prefix
        self._url = redact_url(url)
        self._write = self._client.register_script(_WRITE_IF_NEWER)
        self._unlock = self._client.register_script(_UNLOCK)

    def __repr__(self) -> str:
        return f"RedisStore({self._url!r})"

    def _do(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except self._errors as exc:
            raise TokenFetchError("coded", -501001, f"token store {self._url} failed: {type(exc).__name__}") from None

    def read(self, key: str) -> Token | None:
        raw = self._do(self._client.get, self._prefix + "token:" + key)
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            return Token(data["v"], data["p"], float(data["e"]), float(data["r"]))
        except (ValueError, KeyError, TypeError):
            return None  # unreadable: fetch anew

    def try_lock(self, key: str) -> tuple[str, int] | None:
        owner = os.urandom(16).hex()
        if not self._do(self._client.set, self._prefix + "lock:" + key, owner, nx=True, px=LOCK_TTL_MS):
            return None
        return owner, int(self._do(self._client.incr, self._prefix + "gen:" + key))

    def write(self, key: str, token: Token, generation: int) -> bool:
        import time

        ttl_ms = max(1, int((token.expires_at - time.time()) * 1000))
        data = json.dumps(
            {"v": token.value, "p": token.param, "e": token.expires_at, "r": token.refresh_at, "g": generation}
        )
        return bool(self._do(self._write, keys=[self._prefix + "token:" + key], args=[data, generation, ttl_ms]))

    def unlock(self, key: str, owner: str) -> None:
        self._do(self._unlock, keys=[self._prefix + "lock:" + key], args=[owner])

    def claim_force(self, key: str, interval: float) -> bool:
        return bool(self._do(self._client.set, self._prefix + "force:" + key, "1", nx=True, ex=int(interval)))
