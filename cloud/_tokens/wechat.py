"""WeChat's two token endpoints, without I/O: the request to send and what its reply means.

- classic ``GET /cgi-bin/token?grant_type=client_credential&appid=&secret=``: every fetch issues a
  new token and ends the previous one (WeChat keeps it 5 more minutes); 2,000 fetches a day.
- stable ``POST /cgi-bin/stable_token`` ``{"grant_type", "appid", "secret", "force_refresh"}``:
  normal mode hands every caller the same token until it nears expiry; ``force_refresh`` issues a
  new one (20 a day, 30 s apart).
"""

from __future__ import annotations

import json
from typing import Any

from .. import errors
from .._core.messages import Failure, Reply, Request
from .._js.json import parse_json
from .._js.value import js_truthy
from .model import TokenFetchError, is_token_text, lifetime_of


def classic_request(api_base: str, appid: str, secret: str, timeout: float = 15.0) -> Request:
    query = (("grant_type", "client_credential"), ("appid", appid), ("secret", secret))
    return Request("GET", api_base + "/cgi-bin/token", query, (), b"", timeout)


def stable_request(api_base: str, appid: str, secret: str, *, force: bool, timeout: float = 15.0) -> Request:
    body = {"grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force}
    content = json.dumps(body, separators=(",", ":")).encode()
    headers = (("content-type", "application/json"),)
    return Request("POST", api_base + "/cgi-bin/stable_token", (), headers, content, timeout)


def parse_reply(outcome: Reply | Failure) -> tuple[str, float]:
    """``(access_token, expires_in)`` from a token endpoint's reply, or raise TokenFetchError."""
    if isinstance(outcome, Failure):
        code = outcome.code
        raise TokenFetchError("coded", code, f"access token fetch failed: {outcome.detail}")
    if not 200 <= outcome.status < 300:
        raise TokenFetchError(
            "coded", errors.RESOURCE_SYSTEM_ERROR, f"access token fetch failed: HTTP {outcome.status}"
        )
    text = outcome.body.decode("utf-8", "replace")
    try:
        reply: Any = parse_json(text)
    except ValueError:
        raise TokenFetchError("server", None, "access token reply is invalid json") from None
    if not isinstance(reply, dict):
        raise TokenFetchError("server", None, "access token reply is not a JSON object")
    if js_truthy(reply.get("errcode")):
        raise TokenFetchError("reply", reply["errcode"], str(reply.get("errmsg", "undefined")))
    token, lifetime = reply.get("access_token"), lifetime_of(reply.get("expires_in"))
    if not is_token_text(token) or lifetime is None:  # a token that could not travel in a URL, or be stored
        raise TokenFetchError("server", None, "access token reply has no access_token and expires_in")
    return token, lifetime  # type: ignore[return-value]
