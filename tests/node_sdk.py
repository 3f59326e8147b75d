"""Running cases through the real wx-server-sdk (``tests/node/sdk_harness.js``)."""

from __future__ import annotations

import base64
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

HARNESS_DIR = Path(__file__).parent / "node"
SETUP = "npm ci --prefix tests/node"


def plain(value: Any) -> Any:
    """Our values in the harness's JSON form: bytes as ``{"$bytes": base64}``, NaN and infinities
    as ``{"$number": "NaN"}``."""
    if isinstance(value, float) and not math.isfinite(value):
        return {"$number": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def js_params(value: Any) -> Any:
    """A Python port's params as the Node original writes them: ``None`` is ``undefined``
    (``event.get("color")`` ports ``event.color``), ``cloud.NULL`` is ``null`` and
    ``cloud.DYNAMIC_CURRENT_ENV`` the SDK's Symbol. Top-level ``None`` stays ``null``."""
    import cloud

    def js(item: Any) -> Any:
        if item is None:
            return {"$undefined": True}
        if item is cloud.NULL:
            return None
        if item is cloud.DYNAMIC_CURRENT_ENV:
            return {"$symbol": "DYNAMIC_CURRENT_ENV"}
        if isinstance(item, dict):
            return {k: js(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [js(v) for v in item]
        return item

    return js(value) if isinstance(value, dict) else value


def run(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each case's outcome in Node. Fails (never skips) when Node or the package is missing."""
    node = shutil.which("node")
    assert node, "Node 20 is needed for the parity checks: install nodejs"
    assert (HARNESS_DIR / "node_modules" / "wx-server-sdk").is_dir(), f"wx-server-sdk is not installed: run {SETUP}"
    proc = subprocess.run(
        [node, str(HARNESS_DIR / "sdk_harness.js")],
        input=json.dumps({"cases": plain(cases)}).encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def sent_body(outcome: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON body the gateway would build from Node's params: each pair's value parsed."""
    if outcome["sent"] is None:
        return None
    return {pair["key"]: json.loads(pair["value"]) for pair in outcome["sent"]["pairs"]}


class LineHarness:
    """One long-lived harness process answering a batch of cases per call (for property tests)."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node, "Node 20 is needed for the parity checks: install nodejs"
        assert (HARNESS_DIR / "node_modules" / "wx-server-sdk").is_dir(), f"wx-server-sdk is not installed: run {SETUP}"
        self._proc = subprocess.Popen(
            [node, str(HARNESS_DIR / "sdk_harness.js"), "--lines"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps({"cases": plain(cases)}, ensure_ascii=True) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        assert line, "the Node harness stopped"
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait(timeout=10)
