"""What a cloud function knows about its caller and environment: ``getWXContext`` and
``DYNAMIC_CURRENT_ENV``, read from the environment the way wx-server-sdk does (node-behaviour.md §7)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

_HIDDEN = frozenset({"API_TOKEN", "TRIGGER_API_TOKEN_V0", "WX_API_TOKEN", "WX_TRIGGER_API_TOKEN_V0"})
_INTEGER = re.compile(r"-?\d+")


class _CurrentEnv:
    """Stands for "the environment this function runs in" in ``cloud.init(env=...)``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "cloud.DYNAMIC_CURRENT_ENV"


DYNAMIC_CURRENT_ENV: Any = _CurrentEnv()


def getWXContext(environ: Mapping[str, str] | None = None) -> dict[str, Any]:  # noqa: N802 - Node's name
    """``{"OPENID", "APPID", "UNIONID", "ENV", "SOURCE", ...}`` from the names listed in
    ``WX_CONTEXT_KEYS``: ``WX_`` prefix removed, integer strings parsed, API tokens never shown."""
    env = os.environ if environ is None else environ
    keys = env.get("WX_CONTEXT_KEYS")
    context: dict[str, Any] = {}
    if not keys:
        return context
    for key in keys.split(","):
        if not key or key in _HIDDEN or key not in env:
            continue
        value: Any = env[key]
        if _INTEGER.fullmatch(value):
            value = int(value)
        context[key[3:] if key.startswith("WX_") and len(key) > 3 else key] = value
    current = env.get("TCB_ENV") or env.get("SCF_NAMESPACE")
    if current:
        context["ENV"] = current
    if env.get("TCB_SOURCE"):
        context["SOURCE"] = env["TCB_SOURCE"]
    return context
