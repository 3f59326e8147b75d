"""The exports of wx-server-sdk 4.0.2 not built here yet: each is a function that raises a
CloudSDKError saying what is missing and what to use instead (not an AttributeError)."""

from __future__ import annotations

from typing import Any, NoReturn

from .. import errors

INSTEAD: dict[str, str] = {
    "callOpenAPI": "use cloud.openapi.<ns>.<api>(params), which replaced it in Node too",
    "getCloudCallSign": "cloud calls need no signature here: use cloud.openapi",
    "signature": "cloud calls need no signature here: use cloud.openapi",
    "registerService": "services are built in: cloud.openapi, cloud.cloudPay, cloud.getOpenData",
    "ai": "call the model's HTTP API directly for now",
    "logger": "use Python's logging module (logging.getLogger(__name__))",
}


def _not_built(name: str) -> Any:
    def missing(*args: Any, **kwargs: Any) -> NoReturn:
        text = f"{name}:fail cloud.{name} is not built in wx-server-sdk for Python yet; {INSTEAD[name]}"
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, text)

    missing.__name__ = missing.__qualname__ = name
    missing.__doc__ = f"Not built yet: raises CloudSDKError ({INSTEAD[name]})."
    return missing


NOT_BUILT: dict[str, Any] = {name: _not_built(name) for name in INSTEAD}
