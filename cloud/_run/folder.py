"""A ported cloud function as the local platform runs it (``python -m cloud run``, the testing
kit, compare): its ``index.py`` found, its ``config.json`` permissions read, its module loaded,
and its ``main(event, context)`` called, sync or async."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import importlib.util
import inspect
import json
import os
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from .._core import threads
from .._js.value import NULL
from . import imports

Main = Callable[[Any, Any], Any]

CONTEXT_VARIABLES = {"ENV": "TCB_ENV", "SOURCE": "TCB_SOURCE"}
"""Context keys the platform gives in variables of their own; every other key ``K`` is ``WX_K``,
listed in ``WX_CONTEXT_KEYS``."""


class RunError(Exception):
    """The function could not be run (not its own failure): a missing file, no ``main``..."""


def index_file(target: str | os.PathLike[str], suffix: str) -> Path:
    """The file a folder or file argument names: a folder's ``index{suffix}``, or the file."""
    path = Path(target)
    return path / f"index{suffix}" if path.is_dir() else path


def locate(target: str | os.PathLike[str]) -> Path:
    """The ``index.py`` a folder or file argument names."""
    path = index_file(target, ".py")
    if path.suffix == ".js":
        raise RunError(f"{path} is the Node original; give the folder or its index.py")
    if not path.is_file():
        raise RunError(f"no cloud function at {target}: expected a folder with index.py, or a .py file")
    return path.resolve()


def load(path: Path) -> ModuleType:
    """Import the function's module. Its helper modules are its own (:mod:`cloud._run.imports`):
    another folder's ``utils.py`` is not this one's, and a ``json.py`` or ``difflib.py`` there does
    not replace the standard library (or an installed package) for the function or for this library."""
    folder = imports.folder_of(path.parent)
    spec = importlib.util.spec_from_file_location(f"cloudfunction_{path.parent.name}", path)
    if spec is None or spec.loader is None:
        raise RunError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    module.__builtins__ = folder.builtins  # type: ignore[attr-defined]
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:  # the file and line are the exception's own (index.py or a helper)
        raise RunError(f"{exc.filename}:{exc.lineno}: {type(exc).__name__}: {exc.msg}") from None
    except ImportError as exc:
        raise RunError(f"{where(exc, path.parent)}: {type(exc).__name__}: {exc}") from None
    except SystemExit as exc:
        at = where(exc, path.parent)
        raise RunError(f"{at}: {path.name} called sys.exit({exc.code!r}) as it was loaded") from None
    main = getattr(module, "main", None)
    if not callable(main):
        raise RunError(f"{path} defines no main(event, context)")
    try:
        signature = inspect.signature(main)
        signature.bind(None, None)
    except TypeError:
        said = f"main{signature} cannot be called as main(event, context), as the platform calls it"
        raise RunError(f"{path}: {said}") from None
    except ValueError:  # no signature to read (a builtin): calling it will tell
        pass
    return module


def where(exc: BaseException, folder: Path) -> str:
    """``file:line`` of the innermost traceback frame in the function's ``folder`` (else the
    innermost frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if Path(f.filename).resolve().is_relative_to(folder)] or frames
    return f"{mine[-1].filename}:{mine[-1].lineno}" if mine else str(folder)


def read_permissions(folder: Path) -> list[str] | None:
    """``permissions.openapi`` of the function's ``config.json``, when it has one.

    Raises :class:`RunError` naming the file and what is wrong when it cannot be read or is not
    ``{"permissions": {"openapi": [API names]}}`` in shape (the runner, the testing kit and
    compare all read it here)."""
    config = folder / "config.json"
    if not config.is_file():
        return None
    try:
        data = json.loads(config.read_text("utf-8"))
    except (OSError, ValueError) as exc:  # ValueError: not JSON, or not UTF-8
        raise RunError(f"{config} could not be read as JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RunError(f"{config} must hold a JSON object, not {json_type(data)}")
    if "permissions" not in data:
        return None
    permissions = data["permissions"]
    if not isinstance(permissions, dict):
        raise RunError(f'{config}: "permissions" must be an object, not {json_type(permissions)}')
    openapi = permissions.get("openapi")
    if openapi is not None and (not isinstance(openapi, list) or not all(isinstance(n, str) for n in openapi)):
        raise RunError(f"{config}: permissions.openapi must be a list of API names (strings)")
    return openapi


def permitted(folder: Path) -> dict[str, Any]:
    """What the platform provides for the function in ``folder``: its ``config.json``
    permissions, if it lists any (calls to other APIs then fail with -604101, as in the cloud)."""
    permissions = read_permissions(folder)
    return {} if permissions is None else {"permissions": permissions}


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type ("an array", "a string"...)."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def check_event(event: Any, where: str = "the event") -> None:
    """Raise :class:`RunError` unless ``event`` is an object, as a Node cloud function's event is."""
    if not isinstance(event, Mapping):
        raise RunError(f"{where} must be a JSON object, as a cloud function's event is, not {json_type(event)}")


def context_environ(context: Mapping[str, Any], where: str = "--context") -> dict[str, str]:
    """The variables through which the platform gives ``getWXContext()`` the object ``context``
    (``{"OPENID": "o1", "APPID": "wx1", "ENV": "prod"}``), as the cloud sets them for Node."""
    check_event(context, where)
    out: dict[str, str] = {}
    listed: list[str] = []
    for key, value in context.items():
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise RunError(f"{where}: {key} must be a string or an integer, not {json_type(value)}")
        if not key or not key.replace("_", "").isalnum() or not key.isascii():
            raise RunError(f"{where}: {key!r} is not a context key (letters, digits and _)")
        name = CONTEXT_VARIABLES.get(key) or f"WX_{key}"
        out[name] = str(value)
        if key not in CONTEXT_VARIABLES:
            listed.append(name)
    out["WX_CONTEXT_KEYS"] = ",".join(listed)
    return out


def caller_event(event: Any, context: Mapping[str, Any] | None) -> Any:
    """The event as the platform hands it to a function a mini program calls: with ``userInfo``
    (``{"appId", "openId"}`` of the caller, which older code reads) when the caller is known."""
    if not isinstance(event, dict) or "userInfo" in event or not context or not context.get("OPENID"):
        return event
    info = {"appId": context.get("APPID"), "openId": context["OPENID"]}
    return {**event, "userInfo": {k: v for k, v in info.items() if v is not None}}


def context_names(environ: Mapping[str, str]) -> set[str]:
    """The context variables in ``environ``: ``WX_CONTEXT_KEYS`` and the names it lists."""
    listed = environ.get("WX_CONTEXT_KEYS", "")
    return {"WX_CONTEXT_KEYS", *(name for name in listed.split(",") if name)}


@contextmanager
def environ(variables: Mapping[str, str]) -> Iterator[None]:
    """``os.environ`` with ``variables`` set (a ``WX_CONTEXT_KEYS`` among them replaces the
    context given before), restored after the block."""
    replaced = context_names(os.environ) if "WX_CONTEXT_KEYS" in variables else set()
    saved = {name: os.environ.get(name) for name in {*variables, *replaced}}
    try:
        for name in replaced:
            os.environ.pop(name, None)
        os.environ.update(variables)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def kept() -> Iterator[None]:
    """The working directory and ``os.environ`` as the block found them, after it: a function that
    changes them (``os.chdir``, ``os.environ["TZ"] = ...``) changes them for its own run only, as
    each cloud function has a process of its own. A changed ``TZ`` is put back into effect too."""
    cwd, saved = os.getcwd(), dict(os.environ)
    try:
        yield
    finally:
        restore(cwd, saved)


def restore(cwd: str, environ: Mapping[str, str]) -> None:
    """Put the working directory and the environment back as ``cwd`` and ``environ`` have them."""
    if os.getcwd() != cwd:
        os.chdir(cwd)
    zone = os.environ.get("TZ")
    for key in [k for k in os.environ if k not in environ]:
        del os.environ[key]
    for key, value in environ.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    if os.environ.get("TZ") != zone and hasattr(time, "tzset"):
        time.tzset()


def call(main: Main, event: Any, context: Any) -> Any:
    """``main(event, context)``; when that is awaitable, awaited in a new event loop."""
    result = main(event, context)
    return asyncio.run(_await(result)) if inspect.isawaitable(result) else result


async def acall(main: Main, event: Any, context: Any) -> Any:
    """``main(event, context)``, awaited when it is awaitable."""
    result = main(event, context)
    return await result if inspect.isawaitable(result) else result


class TooLongError(Exception):
    """``main`` did not return within its time limit (it may still run, in a thread of its own)."""


def call_within(main: Main, event: Any, context: Any, limit: float | None) -> Any:
    """:func:`call` with coroutines' origins tracked (:func:`made_at`); with a ``limit``, in a
    thread of its own (:func:`cloud._core.threads.in_thread`) waited for at most ``limit`` seconds, then
    :class:`TooLongError`, as the cloud stops a function."""

    def called() -> Any:
        with origins():  # tracked per thread: in the one that makes the coroutines
            return call(main, event, context)

    if limit is None:
        return called()
    running = threads.in_thread(called, ())
    try:
        return running.result(limit)
    except concurrent.futures.TimeoutError:
        if running.done():  # main's own TimeoutError (the same class from Python 3.11)
            raise
        raise TooLongError from None


async def _await(awaitable: Any) -> Any:
    return await awaitable


AWAIT_HINT = "did you forget await?"
ORIGIN_DEPTH = 32
"""How many frames a coroutine made while a function runs remembers (``cr_origin``): enough to
reach the function's own line through the library's."""


@contextmanager
def origins() -> Iterator[None]:
    """Coroutines made in the block remember where, so that a call the function returned without
    ``await`` can be named by its line (:func:`made_at`)."""
    before = sys.get_coroutine_origin_tracking_depth()
    sys.set_coroutine_origin_tracking_depth(max(before, ORIGIN_DEPTH))
    try:
        yield
    finally:
        sys.set_coroutine_origin_tracking_depth(before)


def made_at(value: Any, folder: Path) -> str | None:
    """``<file>:<line>`` in ``folder`` where the coroutine ``value`` was made (None: not known)."""
    inside = str(folder)
    for filename, lineno, _ in getattr(value, "cr_origin", None) or ():
        if filename.startswith(inside):
            return f"{filename}:{lineno}"
    return None


@contextmanager
def unawaited(folder: Path, report: Callable[[list[str]], None]) -> Iterator[None]:
    """Find the calls the function in ``folder`` dropped without awaiting them (in Node the request
    would still have gone; in Python the coroutine never runs, and Python's own warning names only
    the library's internals): after the block, when it ends without an exception, ``report`` gets
    one line per place (``<file>:<line>: a call was not awaited, ...``). Other warnings show as usual."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            yield
        finally:
            gc.collect()
    dropped = ["never awaited" in str(w.message) for w in caught]
    inside = str(folder)
    pairs = list(zip(caught, dropped, strict=True))
    places = [f"{w.filename}:{w.lineno}" for w, d in pairs if d and w.filename.startswith(inside)]
    for w, d in pairs:
        if not d:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    with warnings.catch_warnings():  # the records hold the dropped coroutines: let them go quietly
        warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
        caught.clear()
        gc.collect()
    if places:  # a dropped call holds inner coroutines too, whose warnings point into the library
        report([f"{place}: a call was not awaited, so it never ran ({AWAIT_HINT})" for place in dict.fromkeys(places)])


def fail_dropped(lines: list[str]) -> None:
    """The testing kit's report of dropped calls: the test fails."""
    raise AssertionError("\n".join(lines))


MAX_RESULT_DEPTH = 256
"""How deep a returned value may nest (as deep as params may)."""
CYCLE: Any = type("Cycle", (), {"__repr__": lambda self: "CYCLE"})()
DEEP: Any = type("Deep", (), {"__repr__": lambda self: "DEEP"})()


def not_json(value: Any, at: str, inside: set[int] | None = None, depth: int = 0) -> tuple[str, Any] | None:
    """Where in ``value`` (named from ``at``) JSON text cannot be written, and what is there
    (:data:`CYCLE` for a container inside itself, :data:`DEEP` past :data:`MAX_RESULT_DEPTH`, an
    integer JavaScript has no number for); None: it all can. ``inside``: the containers around ``value``."""
    plain = (str, bool, float, bytes, bytearray, memoryview, BaseException, datetime)  # datetime: toJSON's text
    if value is None or value is NULL or isinstance(value, plain):  # cloud.NULL: JSON's null
        return None
    if isinstance(value, int):  # JavaScript's largest number is under 2**1024: no JSON for one past it
        return None if -(2**1024) < value < 2**1024 else (at, value)
    if isinstance(value, dict):
        items: Any = ((f"{at}[{k!r}]", v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{at}[{i}]", v) for i, v in enumerate(value))
    else:
        return at, value
    inside = set() if inside is None else inside
    if id(value) in inside:
        return at, CYCLE
    if depth >= MAX_RESULT_DEPTH:
        return at, DEEP
    inside.add(id(value))
    for where, item in items:
        found = not_json(item, where, inside, depth + 1)
        if found is not None:
            return found
    inside.discard(id(value))
    return None


def returned(result: Any, folder: Path) -> Any:
    """``result``, checked for a call the function in ``folder`` returned without ``await`` (the
    testing kit: AssertionError naming its line; Node's async ``main`` would have awaited it)."""
    found = not_json(result, "the result")
    if found is not None and inspect.iscoroutine(found[1]):
        place = made_at(found[1], folder) or str(folder)
        found[1].close()
        message = f"main returned a call in {found[0]} that was not awaited, so it never ran ({AWAIT_HINT})"
        raise AssertionError(f"{place}: {message}")
    return result
