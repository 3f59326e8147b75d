"""WeChat Cloud Run's open-interface service (开放接口服务): what marks a Cloud Run container, where
calls go, and what its refusals mean. Pure; a leaf module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors

API_BASE = "http://api.weixin.qq.com"
"""Plain http: HTTPS fails inside the container (the host resolves to an internal gateway)."""
ENV_VARS = ("CBR_ENV_ID",)
"""Set by WeChat Cloud Run in every container: their presence means "inside Cloud Run"."""


def detected(environ: Mapping[str, str]) -> bool:
    """Whether the environment is a WeChat Cloud Run container (one of :data:`ENV_VARS` set)."""
    return any(environ.get(name) for name in ENV_VARS)


CONSOLE = "微信云托管控制台 → 云调用 → 开放接口服务"
"""Where the open-interface service and its API whitelist are set (WeChat Cloud Run console)."""
WHITELIST_STATUS = 502
"""The service's answer to an API that is not on its whitelist (and not worth resending)."""


def hint(status: int, errcode: Any, errmsg: Any) -> str:
    """What a Cloud Run refusal probably means, to append to the error's errMsg ("" if nothing)."""
    text = errmsg if isinstance(errmsg, str) else ""
    if status == WHITELIST_STATUS and not errcode:
        return f" (Cloud Run: this API is probably not on the open-interface service's whitelist: add it in {CONSOLE})"
    if errcode == 41001 or "access_token missing" in text:
        return f" (Cloud Run: the open-interface service seems to be off: turn it on, whitelist the API in {CONSOLE})"
    if "api unauthorized" in text:
        return (
            " (Cloud Run: a call on behalf of another account (resource reuse) needs its appid: "
            f'cloud.openapi({{"appid": ...}}) sends from_appid; else whitelist the API in {CONSOLE})'
        )
    if errcode == 85107:
        return f" (Cloud Run: check that the API is on the open-interface service's whitelist in {CONSOLE})"
    return ""


def explained(err: errors.CloudSDKError, status: int, errcode: Any, errmsg: Any) -> errors.CloudSDKError:
    """``err`` (from a call through the open-interface service) with :func:`hint`'s text appended."""
    extra = hint(status, errcode, errmsg)
    if extra:
        err.errMsg += extra
        if err._message is not None:
            err._message += extra
        err.args = (str(err),)
    return err
