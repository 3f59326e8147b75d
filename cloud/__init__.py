"""The Python twin of wx-server-sdk's cloud call.

    import cloud
    cloud.init()
    result = await cloud.openapi.serviceMarket.invokeService({...})

``import cloud.sync as cloud`` gives the same surface with blocking calls; both share one config.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any

from ._client.instance import Cloud
from ._client.missing import NOT_BUILT
from ._core.context import DYNAMIC_CURRENT_ENV, asgi, getWXContext, wsgi
from ._js.value import NULL
from .errors import CloudSDKError

__version__ = "0.1.0"
version = __version__

__all__ = [
    "DYNAMIC_CURRENT_ENV",
    "NULL",
    "Cloud",
    "CloudSDKError",
    "aclose",
    "ai",
    "asgi",
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
    "wsgi",
]

_default = Cloud()
atexit.register(_default.close)  # the blocking client's pooled connections, at interpreter exit

init = _default.init
updateConfig = _default.updateConfig  # noqa: N816 - Node's name
if TYPE_CHECKING:
    from ._apis import AsyncCloudPay, AsyncOpenAPI

openapi: AsyncOpenAPI = _default.openapi  # typed by the catalogue
cloudPay: AsyncCloudPay = _default.cloudPay  # noqa: N816 - Node's names
getOpenData = _default.getOpenData  # noqa: N816
getVoIPSign = _default.getVoIPSign  # noqa: N816
uploadFile = _default.uploadFile  # noqa: N816 - storage and callFunction, Node's names
downloadFile = _default.downloadFile  # noqa: N816
getTempFileURL = _default.getTempFileURL  # noqa: N816
deleteFile = _default.deleteFile  # noqa: N816
callFunction = _default.callFunction  # noqa: N816
database = _default.database  # cloud.database(config): collections, queries, commands
close = _default.close
aclose = _default.aclose


callOpenAPI = NOT_BUILT["callOpenAPI"]  # noqa: N816
getCloudCallSign = NOT_BUILT["getCloudCallSign"]  # noqa: N816
signature = NOT_BUILT["signature"]
registerService = NOT_BUILT["registerService"]  # noqa: N816
ai = NOT_BUILT["ai"]
logger = NOT_BUILT["logger"]


def createNewInstance(config: Any = None, **options: Any) -> Cloud:  # noqa: N802 - Node's name
    """A separate, initialised instance with its own config (``.openapi``, ``.sync.openapi``)."""
    instance = Cloud()
    instance.init(config, **options)
    return instance
