"""What WeChat's cloud gateway does with a Node cloud call, for the Node side of a comparison.

The SDK sends the API name and its params as pairs (key, JSON text, or file bytes with a
filename); the gateway checks the name (-604100) and the function's permissions (-604101), routes
the params to the HTTPS request with the same code our library uses (:mod:`cloud._core.request`), and
hands the request to the emulator. Keys arrive already converted by the SDK, so no conversion here.
A ``cloudPay`` call (``pay``: its JSON body) goes to ``POST /_/pay/<api>`` and the reply's
``respdata`` (or the bill's bytes) goes back; ``getOpenData`` and ``getVoIPSign`` (``svrkit``: the
request as an object) go to ``/wxa/getopendata`` and ``/wxa/getvoipsign`` with the caller's
OPENID, their replies back as the svrkit response. A reply the scenario delays is given as late
to the Node side (its SDK's timeout then applies).
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Collection
from typing import Any
from urllib.parse import quote

from .. import catalog, errors
from .._core import request
from .._js.value import NULL
from .._tokens.model import Token
from ..emulator import Answer, Emulator
from .cloudbase import CloudBase

INFINITY = float("inf")


class Gateway:
    """Turns ``{"api", "appid", "pairs"}`` from the Node side into an emulator request."""

    def __init__(self, emulator: Emulator, permissions: Collection[str] | None = None) -> None:
        self.emulator = emulator
        self.permissions = None if permissions is None else frozenset(permissions)
        self.openid: str | None = None
        """The caller's OPENID (the compare's context), which the platform adds to svrkit calls."""
        self.cloudbase = CloudBase(emulator)
        """The database, storage and function actions (:mod:`cloud._compare.cloudbase`)."""

    def answer(self, call: dict[str, Any], host: str = "127.0.0.1") -> Answer:
        """The gateway's reply to the Node side, as JSON, late by any delay the emulator's reply has
        (``host``: the emulator's, as the URLs it gives name it)."""
        if "storage" in call:
            reply, delay = self.cloudbase.storage(call["storage"]), 0.0
        elif "database" in call or "action" in call:
            reply, delay = self.cloudbase.handle(call, host), 0.0
        else:
            reply, delay = self.handle(call)
        return Answer(200, [("content-type", "application/json")], json.dumps(reply).encode(), delay)

    def handle(self, call: dict[str, Any]) -> tuple[dict[str, Any], float]:
        """What the gateway hands back for ``call``, and how late (seconds)."""
        if "pay" in call:
            return self._pay(call["api"], json.loads(call["pay"]))
        if "svrkit" in call:
            return self._svrkit(call["api"], call["svrkit"])
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
        got = self._send(endpoint, payload)
        body = base64.b64encode(got.body).decode()
        return {"status": got.status, "contentType": _content_type(got), "body": body, "errorCode": 0}, got.delay

    def _send(self, endpoint: catalog.Endpoint, payload: request.Payload) -> Answer:
        token = Token(self.emulator.token, "access_token", INFINITY, INFINITY)
        req = request.build(endpoint, payload, api_base="", token=token)
        target = req.url + "?" + "&".join(f"{k}={_quote(v)}" for k, v in req.query)
        return self.emulator.answer(req.method, target, dict(req.headers), req.content)

    def _pay(self, name: str, params: Any) -> tuple[dict[str, Any], float]:
        """WeChat Pay's answer as Node's pay channel hands it over: ``respdata``'s JSON, or the bill."""
        endpoint = catalog.pay_endpoint(name)
        payload = request.encode(endpoint, _null(params), convert_case=False, display_name=f"cloudPay.{name}")
        got = self._send(endpoint, payload)
        body, reply = got.body, _json(got.body)
        if isinstance(reply, dict) and reply.get("errcode", 0) != 0:
            return {"error": {"code": reply["errcode"], "message": str(reply.get("errmsg", ""))}}, got.delay
        if isinstance(reply, dict) and "respdata" in reply:
            body = json.dumps(reply["respdata"], ensure_ascii=False).encode()
        return {"body": base64.b64encode(body).decode()}, got.delay

    def _svrkit(self, name: str, asked: dict[str, Any]) -> tuple[dict[str, Any], float]:
        """An open-data or VoIP call through its HTTP form, the reply as the svrkit response."""
        if name == "ApiGetOpenDataByCloudId":
            api, params = "cloudbase.getOpenData", {"openid": self.openid, "cloudid_list": asked.get("cloudidList", [])}
        else:
            api = "cloudbase.getVoIPSign"
            params = {"openid": self.openid, "group_id": asked.get("groupId"), "timestamp": asked.get("timestamp"),
                      "nonce": asked.get("nonce")}  # fmt: skip
        endpoint = catalog.lookup(api)
        assert endpoint is not None
        payload = request.encode(endpoint, params, convert_case=False, display_name=api)
        got = self._send(endpoint, payload)
        reply = _json(got.body)
        if not isinstance(reply, dict) or reply.get("errcode", 0) != 0:
            code = reply.get("errcode", -1) if isinstance(reply, dict) else -1
            return {"svrkit": None, "svrkitErrorCode": code}, got.delay
        if name == "ApiGetOpenDataByCloudId":
            items = [{"cloudId": i.get("cloud_id", ""), "json": i.get("json", "")} for i in reply.get("data_list", [])]
            return {"svrkit": {"dataList": items}}, got.delay
        return {"svrkit": {"signature": reply.get("signature", "")}}, got.delay


def _content_type(got: Answer) -> str:
    return next((v for k, v in got.headers if k.lower() == "content-type"), "")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


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
