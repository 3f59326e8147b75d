"""Access tokens: where they come from, how long they are kept, and who fetches them.

Which source serves a call (``select``), for the default appid:

1. ``tokenMode`` / ``WX_TOKEN_MODE`` when set: ``static`` (``accessToken``), ``stable`` or
   ``classic`` (``appid`` + ``secret``), ``cloudrun`` (no token: Cloud Run's open-interface
   service adds it), ``cloudbase`` (``cloudbase_access_token``: the Cloud Run request's
   ``X-WX-CLOUDBASE-ACCESS-TOKEN``, else ``WX_CLOUDBASE_ACCESSTOKEN``, else its file; cached per
   environment), ``provider`` (``tokenProvider``).
2. Otherwise the first configured of: ``tokenProvider``, ``accessToken``, ``appid`` + ``secret``
   (stable_token).
3. Nothing configured: CloudSDKError -1 before any I/O.

In ``cloudrun`` mode ``cloud.openapi({"appid": "wxB"})`` needs no credentials: the call goes with
``?from_appid=wxB`` (resource reuse). Otherwise it uses wxB's own source: its secret from ``credentials`` (same
token mode as the default when that is stable or classic, else stable), else ``tokenProvider``
called with ``"wxB"``; an appid with neither is refused before any I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Token, TokenFetchError
from .sources import CloudBase, CloudRun, Provider, Source, WeChat, static

if TYPE_CHECKING:
    from .._core.config import Config

__all__ = ["Source", "Token", "TokenFetchError", "select"]

_NO_TOKEN = (
    "no access token configured: pass accessToken, or appid and secret, to cloud.init() "
    "(or set WX_ACCESS_TOKEN, or WX_APPID and WX_SECRET)"
)


def select(config: Config, appid: str | None, request_token: str | None = None) -> Source:
    """The token source for a call on behalf of ``appid`` (None: the configured default);
    ``request_token``: the cloudbase token the current Cloud Run request brought, if any."""
    mode = config.token_mode or _implied_mode(config)
    if appid is not None and appid != config.appid:
        return CloudRun(from_appid=appid) if mode == "cloudrun" else _other_app(config, appid)
    if mode == "static":
        if not config.access_token:
            raise TokenFetchError("local", -1, "tokenMode static needs accessToken (WX_ACCESS_TOKEN)")
        return static(config.access_token)
    if mode in ("stable", "classic"):
        if not (config.appid and config.secret):
            raise TokenFetchError("local", -1, f"tokenMode {mode} needs appid and secret (WX_APPID, WX_SECRET)")
        return WeChat(config.appid, config.secret, mode)
    if mode == "cloudrun":
        return CloudRun()
    if mode == "cloudbase":
        if request_token:
            return CloudBase(request_token, env_id=config.env_id, per_request=True)
        if config.cloudbase_token_file:
            return CloudBase(config.cloudbase_access_token, config.cloudbase_token_file, config.env_id)
        return CloudBase(config.cloudbase_access_token, env_id=config.env_id)
    if mode == "provider":
        if config.token_provider is None:
            raise TokenFetchError("local", -1, "tokenMode provider needs tokenProvider")
        return Provider(config.token_provider, config.appid, config.secrets)
    raise TokenFetchError("local", -1, _NO_TOKEN)


def _implied_mode(config: Config) -> str | None:
    if config.token_provider is not None:
        return "provider"
    if config.access_token:
        return "static"
    if config.appid and config.secret:
        return "stable"
    return None


def _other_app(config: Config, appid: str) -> Source:
    secret = config.credentials.get(appid)
    if secret:
        mode = config.token_mode if config.token_mode in ("stable", "classic") else "stable"
        return WeChat(appid, secret, mode)
    if config.token_provider is not None:
        return Provider(config.token_provider, appid, config.secrets)
    raise TokenFetchError("local", -1, f"no credentials for appid {appid}: add it to credentials (WX_CREDENTIALS)")
