"""The blocking twin: ``import cloud.sync as cloud`` makes a ported function read like Node's.

It shares everything with :mod:`cloud` (``init`` is the same function, so the config is shared);
only ``openapi`` blocks instead of returning an awaitable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import (
    DYNAMIC_CURRENT_ENV,
    NULL,
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
    "NULL",
    "CloudSDKError",
    "close",
    "createNewInstance",
    "getWXContext",
    "init",
    "openapi",
    "updateConfig",
    "version",
]

if TYPE_CHECKING:
    from ._apis import SyncOpenAPI

openapi: SyncOpenAPI = _default.sync.openapi  # typed by the catalogue
