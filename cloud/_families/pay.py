"""The cloud calls beside ``openapi``: ``cloudPay.<api>``, ``getOpenData`` and ``getVoIPSign``.

Each is a :class:`~cloud._core.flow.Family` of the one flow in :mod:`cloud._core.flow`: only what differs is
here, all pure. Their HTTP forms are those of WeChat Cloud Run's open-interface service:
``POST /_/pay/<api>`` (reply ``{errcode, errmsg, respdata}``), ``POST /wxa/getopendata?openid=``
and ``POST /wxa/getvoipsign``. Checks and messages follow wx-server-sdk 4.0.2.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from .. import catalog, errors
from .._core import response
from .._core.config import Config
from .._core.context import getWXContext
from .._core.flow import Family
from .._core.messages import Failure, Outcome
from .._js import json as jsjson
from .._js.case import convert_keys, to_camel, to_snake
from .._js.value import js_truthy, js_type
from .common import NOARG, need_object

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def can_pay(config: Config) -> bool:
    """Whether the configured platform takes payments: Cloud Run's open-interface service
    (``tokenMode`` cloudrun), or a stand-in on this machine (the emulator, a transport of yours)."""
    if config.token_mode == "cloudrun" or config.transport is not None:
        return True
    return urllib.parse.urlsplit(config.api_base).hostname in _LOCAL_HOSTS


def _pay_endpoint(name: str, config: Config, display_name: str) -> catalog.Endpoint:
    if not name or not all(part.isidentifier() for part in name.split(".")):
        raise errors.invalid_params(display_name, "a cloudPay API name is dot-separated identifiers")
    if not can_pay(config):
        msg = errors.fail_msg(
            display_name,
            "cloudPay works only through WeChat Cloud Run's open-interface service (tokenMode "
            '"cloudrun", apiBase http://api.weixin.qq.com), which signs payments for the account, or '
            f"against the emulator; this configuration calls {errors.redact_url(config.api_base)} with an "
            "access token, and WeChat Pay takes no access token (it needs the merchant's key)",
        )
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, msg)
    return catalog.pay_endpoint(name)


def _pay_params(params: Any, display_name: str) -> Any:
    if params is None or params is NOARG:  # Node: a TypeError from Buffer.from(undefined), errCode -1
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, errors.fail_msg(display_name, "params must be an object"))
    return params


def _pay_result(
    name: str, display_name: str, outcome: Outcome, convert_case: bool, body: response.Body | None, params: Any
) -> dict[str, Any]:
    """The service's ``respdata``, camelCased, with ``errCode: 0`` and ``errMsg`` (Node's order);
    ``downloadBill``'s bill (not JSON) as ``{data: text}``, or bytes when ``tarType`` is GZIP."""
    if not isinstance(outcome, Failure) and 200 <= outcome.status < 300:
        if body is None or body.value is response.NOT_JSON:
            if name != "downloadBill":
                text = outcome.body.decode("utf-8", "replace")
                raise errors.CloudSDKError(
                    errors.WX_SYSTEM_ERROR, errors.fail_msg(display_name, f"unknown wx response received: {text}")
                )
            gzip = isinstance(params, Mapping) and any(
                isinstance(k, str) and to_snake(k) == "tar_type" and v == "GZIP" for k, v in params.items()
            )
            return _ok({"data": outcome.body if gzip else outcome.body.decode("utf-8", "replace")}, display_name)
    wrapper = response.interpret(display_name, outcome, convert_case=False, body=body)  # errcode decides
    data = wrapper.get("respdata")
    if isinstance(data, str) and name == "downloadBill":
        return _ok({"data": data}, display_name)
    if not isinstance(data, dict):
        data = {}
    return _ok(convert_keys(data, to_camel), display_name)


def _ok(result: dict[str, Any], display_name: str) -> dict[str, Any]:
    """Node's ``{...result, errCode: 0, errMsg}`` (cloudPay puts errCode first)."""
    result["errCode"] = 0
    result["errMsg"] = f"{display_name}:ok"
    return result


CLOUDPAY = Family(
    "cloudPay.",
    endpoint=_pay_endpoint,
    prepare=_pay_params,
    interpret=_pay_result,
    retried=lambda endpoint: endpoint.idempotent,  # a payment is never sent twice; queries are
)


def _openid(display_name: str) -> str:
    openid = getWXContext().get("OPENID")
    if not openid:
        raise errors.CloudSDKError(
            errors.UNKNOWN_ERROR,
            errors.fail_msg(
                display_name,
                "no OPENID in the caller's context (getWXContext()): it comes with a request from a "
                "mini program (WX_OPENID in a cloud function, the X-WX-OPENID header on Cloud Run)",
            ),
        )
    return str(openid)


def _open_data_params(params: Any, display_name: str) -> dict[str, Any]:
    need_object(params, display_name)
    cloud_ids = params.get("list") if isinstance(params, Mapping) else None
    if not js_truthy(cloud_ids):
        msg = errors.fail_msg(display_name, "list must be provided")
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, msg, message=msg)
    if not isinstance(cloud_ids, (list, tuple)) or not all(isinstance(c, str) for c in cloud_ids):
        raise errors.invalid_params(display_name, "list must be a list of cloudID strings")
    return {"openid": _openid(display_name), "cloudid_list": list(cloud_ids)}


def _open_data_result(
    name: str, display_name: str, outcome: Outcome, convert_case: bool, body: response.Body | None, params: Any
) -> dict[str, Any]:
    """``{list: [each item's json, parsed], errMsg, errCode: 0}``, as Node shapes it."""
    reply = response.interpret(display_name, outcome, convert_case=False, body=body)
    items = reply.get("data_list") or []
    found = []
    for item in items if isinstance(items, list) else []:
        text = item.get("json") if isinstance(item, dict) else None
        if not text or not isinstance(text, str):
            cloud_id = item.get("cloud_id") if isinstance(item, dict) else None
            detail = f"internal svrkit error, empty openData json field for {cloud_id}"
            raise errors.coded(display_name, errors.WX_SYSTEM_ERROR, detail)
        try:
            found.append(jsjson.parse_json(text))
        except ValueError:
            raise errors.CloudSDKError(
                errors.UNKNOWN_ERROR, errors.fail_msg(display_name, f"open data is not JSON: {text}")
            ) from None
    return {"list": found, "errMsg": f"{display_name}:ok", "errCode": 0}


def _fixed(name: str) -> Any:
    def endpoint(_: str, config: Config, display_name: str) -> catalog.Endpoint:
        found = catalog.lookup(name)
        if found is None:
            raise errors.api_not_found(api=name)
        return found

    return endpoint


OPEN_DATA = Family("", endpoint=_fixed("cloudbase.getOpenData"), prepare=_open_data_params, interpret=_open_data_result)

_VOIP_TYPES = (("groupId", "string"), ("timestamp", "number"), ("nonce", "string"))


def _voip_params(params: Any, display_name: str) -> dict[str, Any]:
    need_object(params, display_name)
    if not isinstance(params, Mapping):
        reason = f"parameter should be object instead of {js_type(params)}; "
    else:
        reason = "".join(
            f"parameter.{key} should be {kind} instead of {js_type(params.get(key, NOARG))};"
            for key, kind in _VOIP_TYPES
            if js_type(params.get(key, NOARG)) != kind
        )
    if reason:  # Node's assertType: errCode -1, the reason alone as errMsg
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, reason)
    assert isinstance(params, Mapping)
    return {
        "openid": _openid(display_name),
        "group_id": params["groupId"],
        "timestamp": params["timestamp"],
        "nonce": params["nonce"],
    }


def _voip_result(
    name: str, display_name: str, outcome: Outcome, convert_case: bool, body: response.Body | None, params: Any
) -> dict[str, Any]:
    reply = response.interpret(display_name, outcome, convert_case=False, body=body)
    return {"signature": reply.get("signature", ""), "errMsg": f"{display_name}:ok", "errCode": 0}


VOIP_SIGN = Family("", endpoint=_fixed("cloudbase.getVoIPSign"), prepare=_voip_params, interpret=_voip_result)
