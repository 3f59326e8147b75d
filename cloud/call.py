"""One cloud call as a sans-I/O flow, shared by the async and the sync API.

:func:`flow` is a generator: it yields each :class:`~cloud.request.Request` to send, is sent back
the :class:`~cloud.response.Reply` or :class:`~cloud.response.Failure` that came of it, and returns
the call's result (or raises its CloudSDKError). Every decision lives here or in the pure modules
it calls; :mod:`cloud.transport` only drives it, with ``await`` or without.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from . import catalog, errors, request, response
from .config import Config
from .tokens import TokenFetchError, select
from .tokens.cache import TokenCache

log = logging.getLogger("cloud")

Flow = Generator[Any, Any, dict[str, Any]]
"""Yields requests and other effects (:mod:`cloud.effects`), is sent their results."""


@dataclass(frozen=True, slots=True)
class CallOptions:
    """The options of ``cloud.openapi(options)``; Node's semantics (§1)."""

    convert_case: bool = True
    appid: str | None = None
    version: str | None = None


def flow(name: str, params: Any, options: CallOptions, config: Config, tokens: TokenCache) -> Flow:
    """The whole of ``cloud.openapi.<name>(params)`` between the user and the wire.

    Bad input fails before any I/O: an unknown name (-604100, with close matches logged and in
    ``err.suggestions``), a name outside ``permissions`` (-604101), params that cannot be sent.
    A token WeChat rejects (40001, 40014, 42001) is refreshed at most once and the call retried
    at most once, only with a different token.
    """
    display_name = f"openapi.{name}"
    endpoint = catalog.lookup(name)
    if endpoint is None:
        suggestions = catalog.close_matches(name)
        log.warning(
            "%s is not in the catalogue%s",
            display_name,
            f"; did you mean {', '.join(suggestions)}?" if suggestions else "",
        )
        raise errors.api_not_found(api=name, suggestions=suggestions)
    if config.permissions is not None and name not in config.permissions:
        raise errors.no_permission(api=name)
    payload = request.encode(endpoint, params, convert_case=options.convert_case, display_name=display_name)
    try:
        source = select(config, options.appid)
        token = yield from tokens.get(source, config.api_base, wait=config.timeout)
        outcome = yield request.build(endpoint, payload, api_base=config.api_base, token=token)
        if source.refreshable and response.is_token_error(outcome):
            fresh = yield from tokens.get(source, config.api_base, wait=config.timeout, rejected=token.value)
            if fresh.value != token.value:
                outcome = yield request.build(endpoint, payload, api_base=config.api_base, token=fresh)
    except TokenFetchError as exc:
        raise exc.for_api(display_name) from exc.__cause__
    return response.interpret(display_name, outcome, convert_case=options.convert_case)
