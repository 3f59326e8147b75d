"""The I/O shells: drive a :mod:`cloud.call` flow over httpx, blocking or awaiting.

The two drivers differ only in ``await``; what an httpx outcome means is decided once, in
:func:`outcome_of` and :func:`failure_of`.
"""

from __future__ import annotations

from typing import Any

import httpx

from . import errors
from .call import Flow
from .request import Request
from .response import Failure, Reply


def to_httpx(client: httpx.Client | httpx.AsyncClient, req: Request, timeout: float) -> httpx.Request:
    return client.build_request(
        req.method,
        req.url,
        params=req.query,
        headers=req.headers,
        content=req.content,
        timeout=httpx.Timeout(timeout),
    )


def outcome_of(resp: httpx.Response) -> Reply:
    return Reply(resp.status_code, resp.headers.get("content-type", ""), resp.content)


def failure_of(exc: httpx.RequestError, secrets: tuple[str | None, ...]) -> Failure:
    """What a transport error means to the caller, with every secret taken out of its text."""
    if isinstance(exc, httpx.TimeoutException):
        kind, detail = "timeout", "connect timeout" if isinstance(exc, httpx.ConnectTimeout) else "request timeout"
    else:
        kind, detail = "connect", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Failure(kind, errors.redact(detail, secrets))  # type: ignore[arg-type]


def run_sync(flow: Flow, client: httpx.Client, timeout: float, secrets: tuple[str | None, ...]) -> dict[str, Any]:
    try:
        req = next(flow)
        while True:
            outcome: Reply | Failure
            try:
                outcome = outcome_of(client.send(to_httpx(client, req, timeout)))
            except httpx.RequestError as exc:
                outcome = failure_of(exc, secrets)
            req = flow.send(outcome)  # outside the except: no httpx error chained to ours
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def run_async(
    flow: Flow, client: httpx.AsyncClient, timeout: float, secrets: tuple[str | None, ...]
) -> dict[str, Any]:
    try:
        req = next(flow)
        while True:
            outcome: Reply | Failure
            try:
                outcome = outcome_of(await client.send(to_httpx(client, req, timeout)))
            except httpx.RequestError as exc:
                outcome = failure_of(exc, secrets)
            req = flow.send(outcome)  # outside the except: no httpx error chained to ours
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
