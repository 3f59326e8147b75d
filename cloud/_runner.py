"""Running a ported cloud function the way the cloud runs it: ``python -m cloud run DIR``.

Loads ``index.py`` from the function's folder, calls ``main(event, context)`` (async or not) and
returns what a Node caller would receive, as JSON text. When the folder's ``config.json`` lists
``permissions.openapi``, calls to other APIs fail with -604101 before any I/O, as in the cloud.
With no credentials in the environment the calls go to the in-process emulator (said on stderr);
with a token source (``WX_ACCESS_TOKEN``, ``WX_APPID`` + ``WX_SECRET``, ``WX_TOKEN_MODE``) or an
API base they go where the configuration says.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import os
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from . import _instance as instance
from . import _jsjson as jsjson
from . import _response as response
from .emulator import Emulator


class RunError(Exception):
    """The function could not be run (not its own failure): a missing file, no ``main``..."""


def locate(target: str | os.PathLike[str]) -> Path:
    """The ``index.py`` a folder or file argument names."""
    path = Path(target)
    if path.is_dir():
        path = path / "index.py"
    if path.suffix == ".js":
        raise RunError(f"{path} is the Node original; give the folder or its index.py")
    if not path.is_file():
        raise RunError(f"no cloud function at {target}: expected a folder with index.py, or a .py file")
    return path.resolve()


def load(path: Path) -> ModuleType:
    """Import the function's module, its folder added at the end of ``sys.path``: its helper
    modules import, but a ``json.py`` or ``difflib.py`` there does not replace the standard library
    (or an installed package) for the function or for this library."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.append(folder)
    spec = importlib.util.spec_from_file_location(f"cloudfunction_{path.parent.name}", path)
    if spec is None or spec.loader is None:
        raise RunError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "main", None)):
        raise RunError(f"{path} defines no main(event, context)")
    return module


def read_permissions(folder: Path) -> list[str] | None:
    """``permissions.openapi`` of the function's ``config.json``, when it has one.

    Raises :class:`RunError` naming the file and what is wrong when it cannot be read or is not
    ``{"permissions": {"openapi": [API names]}}`` in shape (both the runner and compare read it here)."""
    config = folder / "config.json"
    if not config.is_file():
        return None
    try:
        data = json.loads(config.read_text("utf-8"))
    except (OSError, ValueError) as exc:  # ValueError: not JSON, or not UTF-8
        raise RunError(f"{config} could not be read as JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RunError(f"{config} must hold a JSON object, not {_json_type(data)}")
    if "permissions" not in data:
        return None
    permissions = data["permissions"]
    if not isinstance(permissions, dict):
        raise RunError(f'{config}: "permissions" must be an object, not {_json_type(permissions)}')
    openapi = permissions.get("openapi")
    if openapi is not None and (not isinstance(openapi, list) or not all(isinstance(n, str) for n in openapi)):
        raise RunError(f"{config}: permissions.openapi must be a list of API names (strings)")
    return openapi


def _json_type(value: Any) -> str:
    """The JSON name of a parsed value's type ("an array", "a string"...)."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def parse_event(text: str, where: str = "--event") -> dict[str, Any]:
    """An event given as text: strict JSON (no NaN or Infinity) holding an object."""
    try:
        event = response.parse_json(text)
    except ValueError as exc:
        raise RunError(f"{where} is not JSON: {exc}") from None
    check_event(event, where)
    return event


def check_event(event: Any, where: str = "the event") -> None:
    """Raise :class:`RunError` unless ``event`` is an object, as a Node cloud function's event is."""
    if not isinstance(event, Mapping):
        raise RunError(f"{where} must be a JSON object, as a cloud function's event is, not {_json_type(event)}")


def use_emulator(emulator: Emulator) -> None:
    """Point every call of this process at ``emulator``, in-process."""
    instance.PLATFORM_DEFAULTS.update(accessToken=emulator.token, transport=emulator.transport())


CONFIGURING = ("WX_ACCESS_TOKEN", "WX_APPID", "WX_SECRET", "WX_TOKEN_MODE", "WX_API_BASE")


def needs_emulator(environ: Mapping[str, str], api_base: str | None) -> bool:
    """True when nothing points calls anywhere: no token source, no API base."""
    return not api_base and not any(environ.get(name) for name in CONFIGURING)


def run(target: str | os.PathLike[str], event: Any = None, *, api_base: str | None = None) -> str:
    """Run the function at ``target`` with ``event``; the JSON text its caller would receive."""
    path = locate(target)
    event = {} if event is None else event
    check_event(event)
    permissions = read_permissions(path.parent)
    if permissions is not None:
        instance.PLATFORM_DEFAULTS["permissions"] = permissions
    if api_base:
        instance.PLATFORM_DEFAULTS["apiBase"] = api_base
    if needs_emulator(os.environ, api_base):
        use_emulator(Emulator())
        print("cloud: no token source or API base configured; calls go to the in-process emulator", file=sys.stderr)
    module = load(path)
    context = {"function_name": path.parent.name, "request_id": str(uuid.uuid4())}
    result = module.main(event, context)
    if inspect.isawaitable(result):
        result = asyncio.run(_await(result))
    return jsjson.node_dumps(result)


async def _await(awaitable: Any) -> Any:
    return await awaitable
