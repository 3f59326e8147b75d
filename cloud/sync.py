"""The blocking twin: ``import cloud.sync as cloud`` makes a ported function read like Node's.

It shares everything with :mod:`cloud` (``init`` is the same function, so the config is shared);
only ``openapi`` blocks instead of returning an awaitable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import (
    DYNAMIC_CURRENT_ENV,
    NULL,
    Cloud,
    CloudSDKError,
    _default,
    ai,
    callOpenAPI,
    close,
    createNewInstance,
    getCloudCallSign,
    getWXContext,
    init,
    logger,
    registerService,
    signature,
    updateConfig,
    version,
    wsgi,
)

__all__ = [
    "DYNAMIC_CURRENT_ENV",
    "NULL",
    "Cloud",
    "CloudSDKError",
    "ai",
    "callFunction",
    "callOpenAPI",
    "close",
    "cloudPay",
    "createNewInstance",
    "database",
    "deleteFile",
    "downloadFile",
    "getCloudCallSign",
    "getOpenData",
    "getTempFileURL",
    "getVoIPSign",
    "getWXContext",
    "init",
    "logger",
    "openapi",
    "registerService",
    "signature",
    "updateConfig",
    "uploadFile",
    "version",
    "wsgi",
]

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._apis import SyncCloudPay, SyncOpenAPI
    from ._db.shapes import SyncDatabase

openapi: SyncOpenAPI = _default.sync.openapi  # typed by the catalogue
cloudPay: SyncCloudPay = _default.sync.cloudPay  # noqa: N816 - Node's names
getOpenData = _default.sync.getOpenData  # noqa: N816
getVoIPSign = _default.sync.getVoIPSign  # noqa: N816
uploadFile = _default.sync.uploadFile  # noqa: N816 - storage and callFunction, Node's names
downloadFile = _default.sync.downloadFile  # noqa: N816
getTempFileURL = _default.sync.getTempFileURL  # noqa: N816
deleteFile = _default.sync.deleteFile  # noqa: N816
callFunction = _default.sync.callFunction  # noqa: N816
database: Callable[..., SyncDatabase] = _default.sync.database  # typed: cloud/_db/shapes.py
