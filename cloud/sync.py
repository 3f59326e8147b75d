"""The blocking twin: ``import cloud.sync as cloud`` makes a ported function read like Node's.

It shares everything with :mod:`cloud` (``init`` is the same function, so the config is shared);
only ``openapi`` blocks instead of returning an awaitable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import (
    DYNAMIC_CURRENT_ENV,
    CloudSDKError,
    _default,
    close,
    createNewInstance,
    getWXContext,
    init,
    updateConfig,
    version,
)

__all__ = [
    "DYNAMIC_CURRENT_ENV",
    "CloudSDKError",
    "close",
    "cloudPay",
    "createNewInstance",
    "getOpenData",
    "getVoIPSign",
    "getWXContext",
    "init",
    "openapi",
    "updateConfig",
    "version",
]

if TYPE_CHECKING:
    from ._apis import SyncOpenAPI

openapi: SyncOpenAPI = _default.sync.openapi  # typed by the catalogue
cloudPay = _default.sync.cloudPay  # noqa: N816 - Node's names
getOpenData = _default.sync.getOpenData  # noqa: N816
getVoIPSign = _default.sync.getVoIPSign  # noqa: N816
