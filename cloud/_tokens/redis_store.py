"""Tokens shared through Redis, so that many processes and hosts use one token.

Keys (``prefix`` defaults to ``wxcloud:``): ``token:<key>`` holds the token as JSON until it
expires; ``lock:<key>`` is the fetch lock (SET NX with a random owner, 15 s TTL, deleted only by
its owner); ``gen:<key>`` counts lock grants, and a token is written only if no token from a
later grant is already there, so an older token never overwrites a newer one;
``force:<key>`` marks a recent force_refresh. Every Redis failure becomes a TokenFetchError.
A stored value that is not a token as :meth:`RedisStore.write` writes it (another program's
value, a hand edit, a half-upgraded peer) counts as no token: a fresh one is fetched and replaces it.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

from .. import errors
from ..errors import redact_url
from .model import TOKEN_PARAMS, Token, TokenFetchError, is_token_text

LOCK_TTL_MS = 15_000

_WRITE_IF_NEWER = """
local current = redis.pcall('GET', KEYS[1])
if type(current) == 'string' then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' then
    local g = tonumber(stored['g'])
    if g and g > tonumber(ARGV[2]) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""

_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


REDIS_MISSING = (
    "tokenStore needs the redis package: pip install redis (in a checkout of this project:"
    " pip install -e '.[redis]'; once the package is published: pip install 'wx-server-sdk-python[redis]')"
)


class RedisStore:
    """A :class:`~cloud._tokens.cache.SharedStore` on a Redis server (``redis://host:port/db``)."""

    def __init__(self, url: str, prefix: str = "wxcloud:") -> None:
        try:
            import redis
        except ImportError:  # tests/test_docs.py hides the package to check this text
            raise TokenFetchError("local", -1, REDIS_MISSING) from None
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self._response_error = redis.ResponseError
        self._prefix = prefix
        self._url = redact_url(url)
        try:
            self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        except ValueError as exc:  # redis-py's own checks of the URL's query (its texts name no value)
            raise TokenFetchError(
                "coded", errors.INVALID_PARAMETERS, f"tokenStore {errors.shown_value(self._url, 200)}: {exc}"
            ) from None
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
        """The stored token, or None when there is none or what is there is not a token."""
        raw = self._do(self._get, self._prefix + "token:" + key)
        return None if raw is None else parse_token(raw)

    def _get(self, name: str) -> bytes | None:
        """GET, a value of another Redis type at the key (a list, a hash) read as no value."""
        try:
            raw: Any = self._client.get(name)
            return raw if raw is None or isinstance(raw, bytes) else str(raw).encode()
        except self._response_error as exc:
            if str(exc).startswith("WRONGTYPE"):
                return None
            raise

    def try_lock(self, key: str) -> tuple[str, int] | None:
        owner = os.urandom(16).hex()
        if not self._do(self._client.set, self._prefix + "lock:" + key, owner, nx=True, px=LOCK_TTL_MS):
            return None
        return owner, int(self._do(self._client.incr, self._prefix + "gen:" + key))

    def write(self, key: str, token: Token, generation: int) -> bool:
        from .._core.clock import wall

        ttl_ms = max(1, int((token.expires_at - wall()) * 1000))
        data = json.dumps(
            {"v": token.value, "p": token.param, "e": token.expires_at, "r": token.refresh_at, "g": generation}
        )
        return bool(self._do(self._write, keys=[self._prefix + "token:" + key], args=[data, generation, ttl_ms]))

    def unlock(self, key: str, owner: str) -> None:
        self._do(self._unlock, keys=[self._prefix + "lock:" + key], args=[owner])

    def claim_force(self, key: str, interval: float) -> bool:
        return bool(self._do(self._client.set, self._prefix + "force:" + key, "1", nx=True, ex=int(interval)))


def parse_token(raw: bytes) -> Token | None:
    """A stored value as :meth:`RedisStore.write` writes it, or None for anything else: not JSON,
    nested too deeply, a value of the wrong type (a null, a number as a string, an infinity), a
    token that could not travel in a URL."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    value, param, expires_at, refresh_at = (data.get(k) for k in ("v", "p", "e", "r"))
    times = (expires_at, refresh_at)
    if param not in TOKEN_PARAMS or not is_token_text(value):
        return None
    if not all(type(t) in (int, float) and math.isfinite(t) for t in times):  # type: ignore[arg-type]
        return None
    return Token(value, param, float(expires_at), float(refresh_at))  # type: ignore[arg-type]
