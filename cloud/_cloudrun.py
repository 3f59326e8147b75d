"""WeChat Cloud Run's open-interface service (开放接口服务): what marks a Cloud Run container, where
calls go, and what its refusals mean. Pure; a leaf module."""

from __future__ import annotations

from collections.abc import Mapping

API_BASE = "http://api.weixin.qq.com"
"""Plain http: HTTPS fails inside the container (the host resolves to an internal gateway)."""
ENV_VARS = ("CBR_ENV_ID",)
"""Set by WeChat Cloud Run in every container: their presence means "inside Cloud Run"."""


def detected(environ: Mapping[str, str]) -> bool:
    """Whether the environment is a WeChat Cloud Run container (one of :data:`ENV_VARS` set)."""
    return any(environ.get(name) for name in ENV_VARS)
