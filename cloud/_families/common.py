"""What the cloud calls beside ``openapi`` share: Node's checks of their arguments before any I/O
(``undefined``, an object, a key's type), the error a plain ``Error`` becomes, the environment they
name, and their fixed endpoints from the catalogue."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .. import catalog, errors
from .._core import flow as call
from .._js.value import NULL, UNDEFINED, js_truthy, js_type

NOARG: Any = UNDEFINED
"""A call with no argument: Node's ``undefined``, told apart from ``None`` (Node's ``null``)."""

RAW = call.CallOptions(convert_case=False)
BAD_PARAM = "INVALID_PARAM"
"""The code @cloudbase/node-sdk's own checks of a storage call's params carry."""


def fixed(name: str, query: tuple[tuple[str, str], ...] = ()) -> Any:
    """A family's ``endpoint``: always the catalogue's cloud call ``name`` (with ``query``)."""
    if query:
        return lambda _name, _config, _display: dataclasses.replace(catalog.cloud_endpoint(name), query=query)
    return lambda _name, _config, _display: catalog.cloud_endpoint(name)


def fail(display_name: str, text: str, code: str | None = None) -> errors.CloudSDKError:
    """Node's error built from a plain Error: errCode -1, its message ``<api>:fail <text>``; with
    ``code``, one @cloudbase/node-sdk raised, which also carries that code and ``requestId: ""``."""
    msg = errors.fail_msg(display_name, text)
    return errors.CloudSDKError(
        errors.UNKNOWN_ERROR, msg, message=msg, code=code, requestId=None if code is None else ""
    )


def need(params: Any, display_name: str, key: str, kind: str) -> Any:
    """Node's ``assertType(options, {key: kind})``: errCode -1, the reason alone as errMsg."""
    need_object(params, display_name)
    value = params.get(key, NOARG) if isinstance(params, Mapping) else NOARG
    found = "undefined" if value is None else "null" if value is NULL else js_type(value)
    if found != kind:
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, f"parameter.{key} should be {kind} instead of {found};")
    return value


def need_object(params: Any, display_name: str) -> None:
    """Node's first check: a falsy argument is refused (its errMsg prints ``undefined .``)."""
    if params is NOARG or not js_truthy(params):
        kind = "undefined" if params is NOARG else ("object" if params is None else js_type(params))
        msg = errors.fail_msg(
            display_name, f"undefined . Params for {display_name} must be an object instead of {kind}"
        )
        raise errors.CloudSDKError(errors.UNKNOWN_ERROR, msg, message=msg)
