"""Running each side of a comparison: the Node function with the real SDK, the Python port with
our library, both against one emulator; and what each sent and returned."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import errors
from .._core.config import ENV_VARS
from .._run import folder as loader
from ..emulator import Answer, Emulator, Recorded
from ..emulator._checks import SECRET_PARAMS
from ..emulator._functions import EXECUTE_FAIL, TIMED_OUT, time_limit
from ..emulator._tokens import TOKEN_PATHS
from . import effects
from .diff import Outcome
from .gateway import Gateway
from .mongo import NotComparableError

DEFAULT_SDK_VERSION = "4.0.2"
GATEWAY_PATH = "/__compare_gateway__"
HERE = Path(__file__).parent
NOT_COMPARED = frozenset({GATEWAY_PATH, *TOKEN_PATHS})
"""Requests left out of the comparison: the gateway's own, and token fetches (in the cloud the
platform holds every account's token; a port fetches another account's itself)."""


class SetupError(Exception):
    """The comparison could not run (no Node, npm failed, no such function...)."""


@dataclass(frozen=True)
class Settings:
    """What the platform gives both sides alike: ``clock`` (epoch ms) stops ``Date.now()`` and the
    port's ``time.time()`` there; ``timeout`` (seconds) is each call's when the function's ``init``
    sets none; ``retries`` lets the Python side retry as in production (else one attempt, as Node)."""

    clock: int | None = None
    timeout: float | None = None
    retries: bool = False
    strict: bool = False
    """Two errors of the functions' own code (a TypeError, a KeyError) differ by their text too."""
    tz: str | None = None
    """Both sides' local time zone (``TZ``: ``Asia/Shanghai``), for functions that read local dates."""

    def environ(self, env: dict[str, str]) -> dict[str, str]:
        """``env`` with the time zone both sides share."""
        return env if self.tz is None else {**env, "TZ": self.tz}

    def node_args(self) -> list[str]:
        clock = "-" if self.clock is None else str(self.clock)
        return [clock] if self.timeout is None else [clock, str(round(self.timeout * 1000))]

    def python_arg(self) -> str:
        return json.dumps({"clock": self.clock, "timeout": self.timeout, "retries": self.retries})


DEFAULT_SETTINGS = Settings()


class CompareApp:
    """The emulator, plus the gateway endpoint the Node side posts its calls to."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.gateway = Gateway(emulator)

    def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        if target == GATEWAY_PATH and method == "POST":
            host = {k.lower(): v for k, v in headers.items()}.get("host", "127.0.0.1")
            return self.gateway.answer(json.loads(body), host)
        return self.emulator.answer(method, target, headers, body)


def sdk_dir(version: str = DEFAULT_SDK_VERSION) -> Path:
    """A folder whose node_modules holds wx-server-sdk@version: ``WX_CLOUD_SDK_DIR``, else a cache
    folder outside the project, installed with npm on first use."""
    given = os.environ.get("WX_CLOUD_SDK_DIR")
    if given:
        folder = Path(given)
        if not (folder / "node_modules" / "wx-server-sdk").is_dir():
            raise SetupError(f"WX_CLOUD_SDK_DIR={given} has no node_modules/wx-server-sdk")
        return folder
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "wx-server-sdk-python" / f"wx-server-sdk@{version}"
    installed = folder / "node_modules" / "wx-server-sdk" / "package.json"
    if installed.is_file() and json.loads(installed.read_text()).get("version") == version:
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError("npm is needed to install wx-server-sdk (install Node 20)")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"cloud compare: installing wx-server-sdk@{version} into {folder}", file=sys.stderr)
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder), f"wx-server-sdk@{version}"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SetupError(f"npm install wx-server-sdk@{version} failed:\n{proc.stderr[-2000:]}")
    return folder


@contextmanager
def _loader_checks() -> Iterator[None]:
    """The loader's checks (config.json, the event) with their complaints as :class:`SetupError`."""
    try:
        yield
    except loader.RunError as exc:
        raise SetupError(str(exc)) from None


def read_permissions(folder: Path) -> list[str] | None:
    """:func:`cloud._run.folder.read_permissions`, its complaints raised as :class:`SetupError`."""
    with _loader_checks():
        return loader.read_permissions(folder)


def check_event(event: Any, where: str) -> None:
    """:func:`cloud._run.folder.check_event`, its complaint raised as :class:`SetupError`."""
    with _loader_checks():
        loader.check_event(event, where)


def context_env(context: dict[str, Any] | None) -> dict[str, str]:
    """The variables through which both sides get ``context`` (see :func:`cloud._run.folder.context_environ`)."""
    with _loader_checks():
        return {} if context is None else loader.context_environ(context)


def run_node(
    index_js: Path,
    base_url: str,
    event: Any,
    sdk: Path,
    app: CompareApp,
    *,
    context: dict[str, str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Outcome:
    node = shutil.which("node")
    if node is None:
        raise SetupError("Node 20 is needed for the Node side: node is not on PATH")
    permissions = read_permissions(index_js.parent)
    app.gateway.permissions = None if permissions is None else frozenset(permissions)
    app.gateway.openid = (context or {}).get("WX_OPENID")
    limit = time_limit(index_js.parent)
    app.gateway.cloudbase.refused = None
    env = settings.environ(_with_context(dict(os.environ), context or {}))

    def command(target: Path, event_file: str, outcome_file: str) -> list[str]:
        return [node, str(HERE / "node_side.js"), str(sdk), str(target), base_url + GATEWAY_PATH, event_file,
                outcome_file, str(round(time_limit(target.parent) * 1000)), *settings.node_args()]  # fmt: skip

    def callee(name: str, event_json: str) -> dict[str, Any]:
        return _node_callee(index_js.parent.parent, name, event_json, command, env)

    app.gateway.cloudbase.node_callee = callee
    with _channel(event) as (event_file, outcome_file):
        outcome = _run(command(index_js, event_file, outcome_file), app.emulator, env, "the Node side", limit)
    if app.gateway.cloudbase.refused:
        raise SetupError(f"not comparable: the Node side's {app.gateway.cloudbase.refused}")
    return outcome


def run_python(
    index_py: Path,
    base_url: str,
    event: Any,
    emulator: Emulator,
    context: dict[str, str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Outcome:
    """The port, with the context variables the Node side has and none of the other ``WX_``
    settings (the platform provides the emulator's token and tokens for any appid)."""
    keep = loader.context_names(os.environ)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WX_") or k in keep}
    env = settings.environ(_with_context(env, context or {}))
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent.parent), env.get("PYTHONPATH", "")])
    with _channel(event) as (event_file, outcome_file):
        args = [sys.executable, "-m", "cloud._compare.python_side", str(index_py), event_file, outcome_file, base_url,
                emulator.token, settings.python_arg()]  # fmt: skip
        return _run(args, emulator, env, "the Python side", time_limit(index_py.parent))


def _node_callee(
    functions: Path, name: str, event_json: str, command: Callable[[Path, str, str], list[str]], env: dict[str, str]
) -> dict[str, Any]:
    """A callee's Node original run as the cloud runs it for callFunction, answered as the
    emulator's callFunction answers (``resp_data``, or -504002 with its error)."""
    target = functions / name / "index.js"
    if not name or "/" in name or name.startswith(".") or not target.is_file():
        raise NotComparableError(f"the callee {name!r} has no index.js beside the Node original ({functions})")
    with _channel(json.loads(event_json)) as (event_file, outcome_file):
        limit = time_limit(target.parent)
        try:
            subprocess.run(command(target, event_file, outcome_file), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=limit + 60, env=env, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"errcode": TIMED_OUT, "errmsg": f"Invoking task timed out after {limit:g} seconds"}
        found = _read_outcome([outcome_file])
    if found is None:
        return {"errcode": EXECUTE_FAIL, "errmsg": f"the callee {name} could not be run"}
    if "thrown" in found:
        thrown = found["thrown"] or {}
        said = str(thrown.get("exception") or thrown.get("errMsg") or json.dumps(thrown))
        if said.startswith("TimeLimitError"):
            return {"errcode": TIMED_OUT, "errmsg": f"Invoking task timed out after {limit:g} seconds"}
        return {"errcode": EXECUTE_FAIL, "errmsg": said}
    return {"errcode": 0, "errmsg": "ok", "resp_data": json.dumps(found.get("result"), ensure_ascii=False)}


@contextmanager
def _channel(event: Any) -> Iterator[tuple[str, str]]:
    """A file holding the event (argv would cap its size) and one for the side's outcome (stdout is
    the function's too: a line it prints cannot pass for the outcome)."""
    with tempfile.TemporaryDirectory(prefix="cloud-compare-") as folder:
        event_file, outcome_file = Path(folder) / "event.json", Path(folder) / "outcome.json"
        event_file.write_text(json.dumps(event, ensure_ascii=False), "utf-8")
        yield str(event_file), str(outcome_file)


def _with_context(env: dict[str, str], context: dict[str, str]) -> dict[str, str]:
    """``env`` with the context ``context`` gives replacing any context it had."""
    if "WX_CONTEXT_KEYS" in context:
        for name in loader.context_names(env):
            env.pop(name, None)
    return {**env, **context}


OUTPUT_KEPT = 64 * 1024
"""How much of a side's own output (the end of it) is kept: a function printing 200 MB costs no memory."""


def _run(args: list[str], emulator: Emulator, env: dict[str, str], side: str, limit: float) -> Outcome:
    before = len(emulator.requests)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:  # past its time limit the side reports it; this bound is for a side that cannot even do that
            code = subprocess.run(args, stdout=out, stderr=err, timeout=limit + 60, env=env, check=False).returncode
        except subprocess.TimeoutExpired:
            raise SetupError(f"{side} did not finish within {limit + 60:g} s") from None
        stderr = _tail(err)
    last = _read_outcome(args)
    if code != 0 or last is None:
        stderr = errors.redact(stderr, known_secrets(emulator))[-3000:]
        raise SetupError(f"{side} failed (exit {code}):\n{stderr}")
    made = [r for r in emulator.requests[before:] if r.path not in NOT_COMPARED]
    recorded = [request_view(r) for r in made if not effects.by_effect(r)]
    calls = [effects.call_view(r) for r in made if effects.by_effect(r)]
    return Outcome(last.get("result"), last.get("thrown"), recorded, stderr, calls, effects.snapshot(emulator))


def _tail(stream: Any) -> str:
    """The last :data:`OUTPUT_KEPT` bytes of a side's output, with a count of what was dropped."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(max(0, size - OUTPUT_KEPT))
    kept = stream.read().decode("utf-8", "replace")
    return kept if size <= OUTPUT_KEPT else f"[{size - OUTPUT_KEPT} bytes of output before this left out]\n{kept}"


def _read_outcome(args: list[str]) -> dict[str, Any] | None:
    """The outcome the side wrote to its file: ``{"result": ...}`` or ``{"thrown": ...}``."""
    path = next((Path(a) for a in args if a.endswith("outcome.json")), None)
    try:
        found = json.loads(path.read_text("utf-8")) if path is not None else None
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and ("result" in found or "thrown" in found) else None


def known_secrets(emulator: Emulator) -> set[str]:
    """What a comparison never prints: the emulator's token, app secrets and issued tokens, and the
    tokens and secrets configured in the environment (the Node side sees it)."""
    found = {emulator.token, *emulator.apps.values(), *emulator.issued_tokens}
    found.update(os.environ.get(ENV_VARS[name], "") for name in ("accessToken", "secret", "cloudbaseAccessToken"))
    try:
        credentials = json.loads(os.environ.get(ENV_VARS["credentials"], ""))  # {appid: secret}
    except ValueError:
        credentials = None
    if isinstance(credentials, dict):
        found.update(v for v in credentials.values() if isinstance(v, str))
    return {s for s in found if s}


def hidden(value: Any, secrets: Collection[str], key: str | None = None) -> Any:
    """``value`` (found under ``key``) as it may be shown: the value of a secret key
    (:data:`SECRET_PARAMS`), also inside JSON text, and every known secret in a string as ``***``."""
    if key in SECRET_PARAMS:
        return "***"
    if isinstance(value, dict):
        return {k: hidden(v, secrets, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hidden(v, secrets) for v in value]
    if not isinstance(value, str):
        return value
    if value.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        shown = hidden(data, secrets)
        if shown != data:
            value = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
    return errors.redact(value, secrets)


def request_view(recorded: Recorded) -> dict[str, Any]:
    """A request as compared: method, path, query without tokens, and the body as data."""
    query = {k: v for k, v in sorted(recorded.query.items()) if k not in SECRET_PARAMS}
    content_type = recorded.headers.get("content-type", "")
    body: Any = None
    if recorded.body:
        if content_type.startswith("multipart/form-data"):
            body = {"parts": _parts(recorded)}
        else:
            try:
                body = json.loads(recorded.body)
            except ValueError:
                body = {"text": recorded.body.decode("utf-8", "replace")}
    return {"method": recorded.method, "path": recorded.path, "query": query, "body": body}


def _parts(recorded: Recorded) -> list[dict[str, Any]]:
    out = []
    for part in recorded.parts():
        item: dict[str, Any] = {"name": part.name}
        if part.filename is not None:
            item["filename"] = part.filename
            item["bytes"] = base64.b64encode(part.content).decode()
        else:
            item["value"] = part.content.decode("utf-8", "replace")
        out.append(item)
    return out
