"""``cloud.openapi``: the namespace of any depth that turns attribute access into an API name.

``openapi.a.b(params)`` calls API ``"a.b"``; ``openapi(options)`` returns the namespace reconfigured
(the new options replace the old, as in Node). The same type serves the async and the blocking API.
Names starting with ``_`` are not looked up as attributes (introspection tools probe them); use
``openapi["_name"]`` for one.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

from .. import catalog, errors
from .._core.config import _word as checked_word
from .._core.flow import OPENAPI, Caller, CallOptions, Family
from .._families.common import NOARG

DEFAULT_OPTIONS = CallOptions()
MAX_CHILDREN = 256
"""Names kept per namespace, so that ``cloud.openapi.a.b`` does not build its namespaces on every call."""


class OpenAPI:
    """A point in the API name tree; calling it calls the API (or, at the root, sets options)."""

    __slots__ = ("__dict__", "_blocking", "_cloud", "_family", "_options", "_path")

    def __init__(
        self,
        cloud: Caller,
        blocking: bool,
        options: CallOptions = DEFAULT_OPTIONS,
        path: tuple[str, ...] = (),
        family: Family = OPENAPI,
    ) -> None:
        self._cloud = cloud
        self._blocking = blocking
        self._options = options
        self._path = path
        self._family = family

    def __getattr__(self, name: str) -> OpenAPI:
        """A name not seen before (one seen is an attribute of the instance: found without this)."""
        if name.startswith("_"):  # no WeChat API starts with "_"; tools probe such names (_repr_html_)
            raise AttributeError(name)
        child = OpenAPI(self._cloud, self._blocking, self._options, (*self._path, name), self._family)
        if len(self.__dict__) < MAX_CHILDREN:  # names a program uses, not every name it could make
            self.__dict__[name] = child
        return child

    def __getitem__(self, name: str) -> OpenAPI:
        if not isinstance(name, str):
            raise TypeError(f"API names are strings, got {type(name).__name__}")
        return OpenAPI(self._cloud, self._blocking, self._options, (*self._path, name), self._family)

    def __call__(self, params: Any = None, /, **kwargs: Any) -> Any:
        if not self._path:
            return OpenAPI(self._cloud, self._blocking, parse_options(params, kwargs), (), self._family)
        if kwargs:
            if params is not None and not isinstance(params, Mapping):
                raise errors.invalid_params(self._display_name, "pass params as one dict or as keyword arguments")
            params = {**(params or {}), **kwargs}
        if self._blocking:
            return self._cloud.call_sync(self._path, params, self._options, self._family)
        return self._cloud.call_async(self._path, params, self._options, self._family)

    def __await__(self) -> Generator[Any, None, Any]:
        raise errors.invalid_params(
            self._display_name,
            f"{self._display_name} is a namespace, not a call: write await cloud.{self._display_name}(params)",
        )

    def __dir__(self) -> list[str]:
        prefix = ".".join(self._path)
        names = set()
        for api in catalog.pay_apis() if self._family.prefix == "cloudPay." else catalog.load():
            parts = api.split(".")
            if prefix == ".".join(parts[: len(self._path)]) and len(parts) > len(self._path):
                names.add(parts[len(self._path)])
        return sorted(names)

    def __repr__(self) -> str:
        kind = "sync " if self._blocking else ""
        return f"<cloud {kind}{self._display_name}>"

    @property
    def _display_name(self) -> str:
        return errors.shown(self._family.prefix + ".".join(self._path)).rstrip(".")


class Single:
    """A cloud call that is one function (``cloud.getOpenData(params)``), async or blocking."""

    __slots__ = ("_blocking", "_cloud", "_family", "_name")

    def __init__(self, cloud: Caller, blocking: bool, name: str, family: Family) -> None:
        self._cloud, self._blocking, self._name, self._family = cloud, blocking, name, family

    def __call__(self, params: Any = NOARG, /) -> Any:
        if self._blocking:
            return self._cloud.call_sync((self._name,), params, DEFAULT_OPTIONS, self._family)
        return self._cloud.call_async((self._name,), params, DEFAULT_OPTIONS, self._family)

    def __repr__(self) -> str:
        return f"<cloud {'sync ' if self._blocking else ''}{self._name}>"


def parse_options(options: Any, kwargs: Mapping[str, Any]) -> CallOptions:
    """Node's ``openapi(options)``: an object is required; only ``convertCase is False`` turns
    conversion off (``"false"`` and ``0`` do not)."""
    if kwargs:
        if options is not None and not isinstance(options, Mapping):
            raise errors.invalid_params("openapi", "an options object is expected")
        options = {**(options or {}), **kwargs}
    if not isinstance(options, Mapping):
        raise errors.invalid_params("openapi", f"an options object is expected, got {type(options).__name__}")
    convert = options.get("convertCase", options.get("convert_case"))
    appid, version = options.get("appid"), options.get("version")
    if appid is not None and not isinstance(appid, str):
        raise errors.invalid_params("openapi", f"appid must be a string, got {type(appid).__name__}")
    if appid is not None:  # as init's: it goes into a query, a token key, the provider's argument
        appid = checked_word(appid, "appid", "openapi")
    return CallOptions(
        convert_case=convert is not False, appid=appid, version=None if version is None else str(version)
    )
