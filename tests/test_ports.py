"""Real public Node cloud functions of other people, ported: each agrees with its original on the emulator.

Each ``tests/ports/<name>/`` holds ``index.js``, the original rewritten in our words (its source
named at the top), the port ``index.py``, ``config.json``, ``event.json``, ``failing.json`` (a
scenario in which WeChat answers with an error) and, for functions that read ``cloud.getWXContext()``, ``context.json``.
"""

from __future__ import annotations

import json

import pytest

from tests.test_compare import ROOT, cloud_compare

PORTS = sorted(p.name for p in (ROOT / "tests" / "ports").iterdir() if (p / "index.js").is_file())


def compare_args(name: str, *extra: str) -> list[str]:
    folder = f"tests/ports/{name}"
    args = [f"{folder}/index.js", f"{folder}/index.py", "--event", f"@{folder}/event.json"]
    if (ROOT / folder / "context.json").is_file():
        args += ["--context", f"@{folder}/context.json"]
    return [*args, *extra]


def test_every_port_is_complete() -> None:
    assert len(PORTS) >= 3
    for name in PORTS:
        folder = ROOT / "tests" / "ports" / name
        assert (folder / "index.js").read_text().startswith("// After github.com/"), name
        assert "cloud.init(" in (folder / "index.py").read_text(), name
        apis = json.loads((folder / "config.json").read_text())["permissions"]["openapi"]
        failing = json.loads((folder / "failing.json").read_text())
        scripted = {reply["api"] for reply in failing["replies"]}
        assert {api for api in scripted if not api.startswith("cloudPay.")} <= set(apis), name  # no permission for pay
        assert isinstance(json.loads((folder / "event.json").read_text()), dict), name


@pytest.mark.parametrize("name", PORTS)
def test_port_agrees_with_its_node_original(name: str) -> None:
    proc = cloud_compare(*compare_args(name))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")
    assert "request 1: " in proc.stdout


@pytest.mark.parametrize("name", PORTS)
def test_port_agrees_when_wechat_answers_an_error(name: str) -> None:
    proc = cloud_compare(*compare_args(name, "--scenario", f"tests/ports/{name}/failing.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")
    assert "request 1: " in proc.stdout
