"""The Python twin of wx-server-sdk's cloud call.

    import cloud
    cloud.init()
    result = await cloud.openapi.serviceMarket.invokeService({...})

``import cloud.sync as cloud`` gives the same surface with blocking calls; both share one config.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any

from ._context import DYNAMIC_CURRENT_ENV, getWXContext
from ._instance import Cloud
from ._jsvalue import NULL
from .errors import CloudSDKError

__version__ = "0.1.0"
version = __version__

__all__ = [
    "DYNAMIC_CURRENT_ENV",
    "NULL",
    "Cloud",
    "CloudSDKError",
    "aclose",
    "close",
    "createNewInstance",
    "getWXContext",
    "init",
    "openapi",
    "updateConfig",
]

_default = Cloud()
atexit.register(_default.close)  # the blocking client's pooled connections, at interpreter exit

init = _default.init
updateConfig = _default.updateConfig  # noqa: N816 - Node's name
if TYPE_CHECKING:
    from ._apis import AsyncOpenAPI

openapi: AsyncOpenAPI = _default.openapi  # typed by the catalogue
close = _default.close
aclose = _default.aclose


def createNewInstance(config: Any = None, **options: Any) -> Cloud:  # noqa: N802 - Node's name
    """A separate, initialised instance with its own config (``.openapi``, ``.sync.openapi``)."""
    instance = Cloud()
    instance.init(config, **options)
    return instance
