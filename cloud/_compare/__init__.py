"""``python -m cloud compare``: run a Node cloud function (real wx-server-sdk) and its Python port
against one emulator, and show every difference in what they sent to WeChat and what they returned.

Only the SDK's transport is replaced on the Node side (``node_side.js``); its calls go through
:mod:`cloud._compare.gateway`, which routes them as WeChat's cloud gateway does, with the same code
our library uses. Exit status: 0 agree (deliberate differences are shown, not counted), 1 differ,
2 the comparison could not run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from .._client import platform
from .._mongo.values import LIMIT_TEXT
from .._run import folder as loader
from .._run.local import defaults as defaults_of
from ..emulator import Emulator, serve
from ..emulator._scenario import ScenarioError, load_scenario
from . import effects
from .diff import MISSING, Difference, compare
from .sides import (
    DEFAULT_SDK_VERSION,
    DEFAULT_SETTINGS,
    CompareApp,
    Outcome,
    Settings,
    SetupError,
    check_event,
    context_env,
    hidden,
    known_secrets,
    read_permissions,
    run_node,
    run_python,
    sdk_dir,
)

__all__ = ["DEFAULT_SDK_VERSION", "Report", "Settings", "SetupError", "run"]


@dataclass
class Report:
    node_file: Path
    python_file: Path
    version: str
    node: Outcome
    python: Outcome
    differences: list[Difference] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set, repr=False)
    """Shown as ``***`` wherever they occur in :meth:`text`."""

    @property
    def agree(self) -> bool:
        return all(d.known for d in self.differences)

    def text(self) -> str:
        """The report as printed, every secret (:attr:`secrets`, values of secret keys) as ``***``."""
        lines = [f"cloud compare: {self.node_file} (Node, wx-server-sdk {self.version}) vs {self.python_file} (Python)"]
        for index, request in enumerate(self.python.requests or self.node.requests, 1):
            lines.append(f"  request {index}: {request['method']} {request['path']}")
        if not (self.python.requests or self.node.requests):
            lines.append("  no requests")
        for side, outcome in (("Node", self.node), ("Python", self.python)):
            lines.append(f"  {side + ':':8}{_outcome(outcome, self.secrets)}")
        calls = self.python.calls or self.node.calls
        if calls:  # compared by what they did: results, then the database and files left behind
            lines.append(f"  database, storage and function calls (compared by effect): {len(calls)}")
        for part, what in (("database", "document"), ("files", "file")):
            found = self.python.effects.get(part) or self.node.effects.get(part)
            if found:
                count = sum(len(docs) for docs in found.values()) if part == "database" else len(found)
                lines.append(f"  {part} after the run: {count} {what}{'' if count == 1 else 's'}")
        for diff in self.differences:
            tag = f"known difference ({diff.known})" if diff.known else "DIFFERENT"
            lines.append(f"  {tag}: {diff.where}")
            key = diff.where.rsplit(".", 1)[-1]  # a value under a secret key shows as ***
            lines.append(f"      Node:   {_show(diff.node, key, self.secrets)}")
            lines.append(f"      Python: {_show(diff.python, key, self.secrets)}")
        unknown = [d for d in self.differences if not d.known]
        if unknown:
            lines.append(f"differ: {len(unknown)} difference{'s' if len(unknown) > 1 else ''}")
        else:
            known = len(self.differences)
            lines.append("agree" + (f" ({known} known difference{'s' if known > 1 else ''})" if known else ""))
        return errors.redact("\n".join(lines), self.secrets)


def _outcome(outcome: Outcome, secrets: Collection[str]) -> str:
    """One side's result or error, on one line, cut."""
    how, value = ("threw", outcome.thrown) if outcome.thrown is not None else ("returned", outcome.returned)
    text = json.dumps(hidden(value, secrets, ""), ensure_ascii=False, default=repr)
    return f"{how} {text if len(text) <= 100 else text[:100] + f'… ({len(text)} characters)'}"


def _show(value: Any, key: str, secrets: Collection[str]) -> str:
    if value is MISSING:
        return "(absent)"
    text = json.dumps(hidden(value, secrets, key), ensure_ascii=False, default=repr)
    return text if len(text) <= 400 else text[:400] + f"... ({len(text)} characters)"


def locate(target: str, suffix: str) -> Path:
    path = loader.index_file(target, suffix)
    if path.suffix != suffix or not path.is_file():
        raise SetupError(f"no {suffix} cloud function at {target}")
    return path


def run(node_target: str, python_target: str, event: Any = None, scenario: dict[str, Any] | None = None,
        version: str = DEFAULT_SDK_VERSION, *, context: dict[str, Any] | None = None,
        ignore: Sequence[str] = (), settings: Settings = DEFAULT_SETTINGS) -> Report:  # fmt: skip
    """Run both sides with ``event`` (and the scenario's scripted replies; ``context``: what
    ``getWXContext()`` gives on both; ``settings``: clock, timeout, retries) and compare them."""
    node_file, python_file = locate(node_target, ".js"), locate(python_target, ".py")
    variables = context_env(context)
    for folder in {node_file.parent, python_file.parent}:  # checked before anything starts
        read_permissions(folder)
    scenario = scenario or {}
    # tokens for any appid, as the cloud has; callFunction runs the folders next to the port's
    emulator = Emulator(any_token=True, functions=python_file.parent.parent)
    try:
        load_scenario(emulator, scenario)  # checked before anything starts
    except ScenarioError as exc:
        raise SetupError(f"scenario: {exc}") from None
    where = "the event" if event is not None else "the scenario's event"
    event = scenario.get("event", {}) if event is None else event
    check_event(event, where)
    event = loader.caller_event(event, context)  # both sides get the caller's userInfo, as the platform adds it
    sdk = sdk_dir(version)
    app = CompareApp(emulator)
    instant = settings.clock if settings.clock is not None else int(time.time() * 1000)

    def fresh() -> None:  # both sides start from the scenario, ids counted from 1, one clock
        emulator.reset()
        effects.prepare(emulator, instant)
        load_scenario(emulator, scenario)

    local = defaults_of(emulator)
    with platform.provided(local), serve(app) as base_url, loader.environ(variables):  # a function called runs here
        fresh()
        node = run_node(node_file, base_url, event, sdk, app, context=variables, settings=settings)
        secrets = known_secrets(emulator)  # before the reset forgets the tokens it issued
        fresh()
        python = run_python(python_file, base_url, event, emulator, variables, settings)
        secrets |= known_secrets(emulator)
    for side, outcome in (("Node", node), ("Python", python)):
        text = json.dumps([outcome.returned, outcome.thrown], ensure_ascii=False, default=repr)
        if LIMIT_TEXT in text:  # both may fail alike on it: that compares nothing
            said = text[text.index(LIMIT_TEXT) :].split('"', 1)[0][:160]
            raise SetupError(f"not comparable: the {side} side met a limit of the emulator: {said}")
    differences = compare(node, python, ignore, retries=settings.retries, strict=settings.strict)
    return Report(node_file, python_file, version, node, python, differences, secrets)
