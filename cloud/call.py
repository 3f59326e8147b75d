"""One cloud call as a sans-I/O flow, shared by the async and the sync API.

:func:`flow` is a generator: it yields each :class:`~cloud.request.Request` to send, is sent back
the :class:`~cloud.response.Reply` or :class:`~cloud.response.Failure` that came of it, and returns
the call's result (or raises its CloudSDKError). Every decision lives here or in the pure modules
it calls; :mod:`cloud.transport` only drives it, with ``await`` or without.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from . import catalog, errors, request, response
from .config import Config

Flow = Generator[request.Request, "response.Reply | response.Failure", dict[str, Any]]


@dataclass(frozen=True, slots=True)
class CallOptions:
    """The options of ``cloud.openapi(options)``; Node's semantics (§1)."""

    convert_case: bool = True
    appid: str | None = None
    version: str | None = None


def flow(name: str, params: Any, options: CallOptions, config: Config) -> Flow:
    """The whole of ``cloud.openapi.<name>(params)`` between the user and the wire."""
    display_name = f"openapi.{name}"
    endpoint = catalog.lookup(name)
    if endpoint is None:
        raise errors.api_not_found(api=name)
    if not config.access_token:
        raise errors.no_token(display_name)
    req = request.build(
        endpoint,
        params,
        convert_case=options.convert_case,
        api_base=config.api_base,
        access_token=config.access_token,
        display_name=display_name,
    )
    outcome = yield req
    return response.interpret(display_name, outcome, convert_case=options.convert_case)
