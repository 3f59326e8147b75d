"""One cloud call as a sans-I/O flow, shared by the async and the sync API.

:func:`flow` is a generator: it yields each :class:`~cloud._core.request.Request` to send, is sent back
the :class:`~cloud._core.response.Reply` or :class:`~cloud._core.response.Failure` that came of it, and returns
the call's result (or raises its CloudSDKError). Every decision lives here or in the pure modules
it calls; :mod:`cloud._core.transport` only drives it, with ``await`` or without.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import catalog, errors
from .._tokens import Source, Token, TokenFetchError, select
from .._tokens.cache import TokenCache
from .._tokens.sources import CloudRun
from . import clock as clock_
from . import cloudrun, request, response, retry
from .config import Config
from .messages import Effect, Failure, Outcome, Reply, Sleep
from .retry import RetryBudget

log = logging.getLogger("cloud.call")

Flow = Generator[Effect, Any, dict[str, Any]]
"""Yields requests and other effects (:mod:`cloud._core.messages`), is sent their results."""


@dataclass(frozen=True, slots=True)
class CallOptions:
    """The options of ``cloud.openapi(options)``; Node's semantics (§1)."""

    convert_case: bool = True
    appid: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class Shared:
    """What the calls of one instance share: the token cache, the retry budget, and the secrets
    its configuration holds (taken out of every error text)."""

    tokens: TokenCache
    budget: RetryBudget
    secrets: tuple[str | None, ...] = field(default=(), repr=False)


def _catalogued(name: str, config: Config, display_name: str) -> catalog.Endpoint:
    """``openapi``'s endpoint: the catalogue's entry for ``name``, if ``permissions`` allow it."""
    endpoint = catalog.lookup(name)
    if endpoint is None:
        text, suggestions = catalog.not_found(name, display_name)
        log.warning("%s", text)
        raise errors.api_not_found(api=name, suggestions=suggestions)
    if config.permissions is not None and name not in config.permissions:
        raise errors.no_permission(api=name)
    return endpoint


def _as_given(params: Any, display_name: str) -> Any:
    return params


@dataclass(frozen=True, slots=True)
class Family:
    """A kind of cloud call (``openapi``, ``cloudPay``, ``getOpenData``…): the flow is the same,
    these pure parts differ. ``prefix`` + name is the name in messages; ``prepare`` checks and
    reshapes params (before any I/O); ``endpoint`` routes the name (or refuses it); ``interpret``
    turns the outcome into the result or error, ``(name, display_name, outcome, convert_case,
    body, params)``; ``retried`` says whether a failed attempt may be tried again at all."""

    prefix: str
    endpoint: Callable[[str, Config, str], catalog.Endpoint] = _catalogued
    prepare: Callable[[Any, str], Any] = _as_given
    interpret: Callable[..., dict[str, Any]] | None = None
    retried: Callable[[catalog.Endpoint], bool] = lambda endpoint: True
    run: Callable[..., Flow] | None = None
    """A flow of its own, called as :func:`flow` is (storage: WeChat's request, then the storage
    server's), used instead of :func:`flow`."""


OPENAPI = Family("openapi.")


class Caller(Protocol):
    """What sends a family's calls (:class:`cloud.Cloud`), blocking or awaitable, with the config
    in force where the call is made. Namespaces and the database type against it."""

    @property
    def config(self) -> Config | None: ...

    def call_sync(self, path: tuple[str, ...], params: Any, options: CallOptions, family: Family = ...) -> Any: ...

    def call_async(self, path: tuple[str, ...], params: Any, options: CallOptions, family: Family = ...) -> Any: ...


def _checked(
    name: str, params: Any, options: CallOptions, config: Config, display_name: str, family: Family = OPENAPI
) -> tuple[catalog.Endpoint, request.Payload, Any]:
    """The endpoint, the encoded params and the params as prepared, or the call's error, before any I/O."""
    params = family.prepare(params, display_name)
    endpoint = family.endpoint(name, config, display_name)
    payload = request.encode(
        endpoint,
        params,
        convert_case=options.convert_case,
        display_name=display_name,
        max_bytes=config.max_request_bytes,
    )
    return endpoint, payload, params


def _interpret(
    display_name: str, outcome: Outcome, convert_case: bool, body: response.Body | None, source: Source
) -> dict[str, Any]:
    """The call's result, or its error (with what it probably means, through Cloud Run's service)."""
    try:
        return response.interpret(display_name, outcome, convert_case=convert_case, body=body)
    except errors.CloudSDKError as err:
        if not isinstance(source, CloudRun) or not isinstance(outcome, Reply):
            raise
        found = body.value if body is not None and isinstance(body.value, dict) else {}
        raise cloudrun.explained(err, outcome.status, found.get("errcode"), found.get("errmsg")) from None


def _log_attempt(display_name: str, endpoint: catalog.Endpoint, outcome: Outcome, took: float, number: int) -> None:
    status = outcome.status if isinstance(outcome, Reply) else f"failed ({outcome.kind})"
    seqid = outcome.seqid if isinstance(outcome, Reply) else None
    seqid = f", x-openapi-seqid {errors.shown_value(seqid, 80)}" if seqid else ""
    log.debug("%s %s %s -> %s in %.1f ms, attempt %d%s", display_name, endpoint.method, endpoint.path, status,
              took * 1000, number, seqid)  # fmt: skip


def flow(
    name: str,
    params: Any,
    options: CallOptions,
    config: Config,
    shared: Shared,
    *,
    clock: Callable[[], float] = time.monotonic,
    request_token: str | None = None,
    family: Family = OPENAPI,
) -> Flow:
    """The whole of ``cloud.openapi.<name>(params)`` (or another ``family``'s call) between the
    user and the wire.

    Bad input fails before any I/O: an unknown name (-604100, with close matches logged and in
    ``err.suggestions``), a name outside ``permissions`` (-604101), params that cannot be sent.
    The call has one deadline, ``timeout`` seconds from now, for token, attempts and waits.
    A token WeChat rejects (40001, 40014, 42001) is refreshed at most once and the call resent
    at most once, only with a different token. Other failures are retried by :mod:`cloud._core.retry`.
    ``request_token``: the Cloud Run request's ``X-WX-CLOUDBASE-ACCESS-TOKEN`` (``cloudbase`` mode).
    """
    deadline = clock() + config.timeout
    display_name = errors.shown(family.prefix + name)  # in messages and log lines: quoted and cut if odd
    endpoint, payload, params = _checked(name, params, options, config, display_name, family)
    policy = config.retry
    keyed = functools.partial(retry.has_idempotency_key, endpoint, params)  # asked only when it matters

    def attempt(token: Token, number: int) -> Generator[Effect, Any, Outcome]:
        """Send once, within what is left of the deadline, and log how it went."""
        remaining = deadline - clock()
        if remaining <= 0:
            return Failure("timeout", "request timeout")
        sent_at = clock()
        outcome: Reply | Failure = yield request.build(
            endpoint, payload, api_base=config.api_base, token=token, timeout=remaining
        )
        if log.isEnabledFor(logging.DEBUG):
            _log_attempt(display_name, endpoint, outcome, clock() - sent_at, number)
        return outcome

    token: Token | None = None
    try:
        source = select(config, options.appid, request_token)
        token = yield from shared.tokens.get(source, config.api_base, wait=max(0.0, deadline - clock()))
        number, refreshed, taken = 1, False, 0
        outcome = yield from attempt(token, number)
        while True:
            body = response.body_of(outcome)  # parsed once, for every decision and the result
            errcode = response.errcode_of(body)
            if source.refreshable and not refreshed and response.is_token_error(errcode):
                refreshed = True
                wait = max(0.0, deadline - clock())
                fresh = yield from shared.tokens.get(source, config.api_base, wait=wait, rejected=token.value)
                if fresh.value != token.value:
                    token = fresh
                    outcome = yield from attempt(token, number)
                    continue
            reason = (
                retry.classify(outcome, errcode, endpoint, keyed, cloudrun=isinstance(source, CloudRun))
                if family.retried(endpoint)
                else None
            )
            if reason is None or number >= policy.max_attempts:
                break
            pause = retry.delay(policy, reason, number, clock_.wall())
            if clock() + pause >= deadline:
                break
            taken = shared.budget.take(timeout=reason == "timeout")
            if not taken:
                break
            yield Sleep(pause)
            number += 1
            outcome = yield from attempt(token, number)
        if family.interpret is None:
            result = _interpret(display_name, outcome, options.convert_case, body, source)
        else:
            result = family.interpret(name, display_name, outcome, options.convert_case, body, params)
    except TokenFetchError as exc:
        raise errors.scrub(exc.for_api(display_name), shared.secrets) from None
    except errors.CloudSDKError as err:
        raise errors.scrub(err, (*shared.secrets, token.value if token else None)) from None
    shared.budget.refund(taken)
    return result
