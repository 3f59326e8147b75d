"""What WeChat's cloud gateway does with a Node cloud call, for the Node side of a comparison.

The SDK sends the API name and its params as pairs (key, JSON text, or file bytes with a
filename); the gateway checks the name (-604100) and the function's permissions (-604101), routes
the params to the HTTPS request with the same code our library uses (:mod:`cloud._request`), and
hands the request to the emulator. Keys arrive already converted by the SDK, so no conversion here.
A reply the scenario delays is given as late to the Node side (its SDK's timeout then applies).
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Collection
from typing import Any
from urllib.parse import quote

from .. import _request as request
from .. import catalog, errors
from .._jsvalue import NULL
from .._tokens.model import Token
from ..emulator import Answer, Emulator

INFINITY = float("inf")


class Gateway:
    """Turns ``{"api", "appid", "pairs"}`` from the Node side into an emulator request."""

    def __init__(self, emulator: Emulator, permissions: Collection[str] | None = None) -> None:
        self.emulator = emulator
        self.permissions = None if permissions is None else frozenset(permissions)

    def answer(self, call: dict[str, Any]) -> Answer:
        """The gateway's reply to the Node side, as JSON, late by any delay the emulator's reply has."""
        reply, delay = self.handle(call)
        return Answer(200, [("content-type", "application/json")], json.dumps(reply).encode(), delay)

    def handle(self, call: dict[str, Any]) -> tuple[dict[str, Any], float]:
        """What the gateway hands back for ``call``, and how late (seconds)."""
        name = call["api"]
        endpoint = catalog.lookup(name)
        if endpoint is None:
            return _platform_error(errors.API_NOT_FOUND), 0.0
        if self.permissions is not None and name not in self.permissions:
            return _platform_error(errors.NO_PERMISSION), 0.0
        params = {pair["key"]: _param(pair) for pair in call["pairs"]}
        try:
            payload = request.encode(endpoint, params, convert_case=False, display_name=f"openapi.{name}")
        except errors.CloudSDKError:
            return _platform_error(-604103), 0.0  # call open API system error
        token = Token(self.emulator.token, "access_token", INFINITY, INFINITY)
        req = request.build(endpoint, payload, api_base="", token=token)
        target = req.url + "?" + "&".join(f"{k}={_quote(v)}" for k, v in req.query)
        got = self.emulator.answer(req.method, target, dict(req.headers), req.content)
        content_type = next((v for k, v in got.headers if k.lower() == "content-type"), "")
        body = base64.b64encode(got.body).decode()
        return {"status": got.status, "contentType": content_type, "body": body, "errorCode": 0}, got.delay


def _param(pair: dict[str, Any]) -> Any:
    value = base64.b64decode(pair["value"])
    if pair.get("filename"):
        content_type = (
            pair.get("contentType") or mimetypes.guess_type(pair["filename"])[0] or "application/octet-stream"
        )
        return {"contentType": content_type, "value": value, "fileName": pair["filename"]}
    return _null(json.loads(value))


def _null(value: Any) -> Any:
    """Node's ``null`` as our params write it (``None`` is ``undefined`` there): ``NULL``."""
    if value is None:
        return NULL
    if isinstance(value, dict):
        return {k: _null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_null(v) for v in value]
    return value


def _quote(value: str) -> str:
    return quote(value, safe="")


def _platform_error(code: int) -> dict[str, Any]:
    return {"status": 200, "contentType": "", "body": "", "errorCode": code}
