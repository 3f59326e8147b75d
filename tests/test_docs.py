"""What a newcomer meets first: the prerequisites and set-up commands, the install hints the
package prints, links that stay inside the repository, the licence and the package metadata."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import cloud
from cloud._client.instance import Cloud

from .conftest import REDIS_SERVER_MISSING

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    """The README's first ```sh block: the two set-up commands."""
    block = re.search(r"^```sh\n(.*?)^```", README, re.MULTILINE | re.DOTALL)
    assert block, "the README starts with its set-up commands"
    return block[1].splitlines()


def test_prerequisites_come_before_the_commands_for_debian_and_macos() -> None:
    before = README[: README.index("```sh")]
    for needed in ("Python ≥ 3.10", "Node 20", "redis-server", "brew install redis node", "sudo apt-get",
                   "apt-get update && apt-get install"):  # fmt: skip
        assert needed in before, f"the README names {needed!r} before its commands"
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()
    assert len(setup_commands()) == 2, "two commands: the sample, then the tests"


def redis_step(tmp_path: Path, *tools: tuple[str, str]) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run the test command's redis-server step in a shell whose PATH holds only ``tools`` (name,
    script body); ``apt-get`` there records how it was called."""
    step = setup_commands()[1].split(" && python3 -m pip")[0]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in tools:
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    proc = subprocess.run(["/bin/sh", "-c", step], env={"PATH": str(bin_dir)}, capture_output=True, text=True)
    log = tmp_path / "apt.log"
    return proc, log.read_text() if log.exists() else ""


def test_the_test_command_updates_the_package_lists_before_installing_redis(tmp_path: Path) -> None:
    apt = ("apt-get", f'echo "$*" >> {tmp_path}/apt.log')
    proc, calls = redis_step(tmp_path, apt)
    assert proc.returncode == 0 and calls == "update -q\ninstall -y -q redis-server\n", calls


def test_the_test_command_installs_nothing_when_redis_server_is_there(tmp_path: Path) -> None:
    apt = ("apt-get", f'echo "$*" >> {tmp_path}/apt.log')
    proc, calls = redis_step(tmp_path, apt, ("redis-server", "exit 0"))
    assert proc.returncode == 0 and calls == ""


def test_the_test_command_stops_when_the_update_fails(tmp_path: Path) -> None:
    apt = ("apt-get", f'echo "$*" >> {tmp_path}/apt.log; [ "$1" != update ]')
    proc, calls = redis_step(tmp_path, apt)
    assert proc.returncode != 0 and calls == "update -q\n"


def test_without_redis_server_only_the_redis_tests_fail_and_they_say_how_to_get_it(tmp_path: Path) -> None:
    tests = ["tests/test_tokens.py::test_an_older_token_never_overwrites_a_newer_one",
             "tests/test_package.py::test_no_import_circles"]  # fmt: skip
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=ROOT,
                          env={"PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert re.search(r"^1 passed, 1 error in ", proc.stdout, re.MULTILINE), proc.stdout
    assert "ERROR tests/test_tokens.py::test_an_older_token_never_overwrites_a_newer_one" in proc.stdout
    assert "brew install redis" in proc.stdout and "apt-get install -y redis-server" in proc.stdout
    assert "brew install redis" in REDIS_SERVER_MISSING


def test_without_the_redis_package_init_says_what_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # as if it were not installed
    with pytest.raises(cloud.CloudSDKError) as caught:
        Cloud().init(appid="wxe0e0e0e0e0e0e0e0", secret="s" * 32, tokenStore="redis://127.0.0.1:1/0")
    message = caught.value.errMsg
    assert "pip install redis " in message and "checkout of this project: pip install -e '.[redis]'" in message
    assert "once the package is published: pip install 'wx-server-sdk-python[redis]'" in message
    assert "pip install -e '.[redis]'" in README and "`pip install redis`" in README


def test_links_and_paths_stay_inside_the_repository() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        assert "shared/" not in text, f"{doc.name} names a path outside the repository"
        prose = re.sub(r"`[^`\n]*`", "", text)  # code spans are not links
        for target in re.findall(r"\]\(([^)#\s]+)", prose):
            if re.match(r"[a-z]+:", target):
                continue
            path = (doc.parent / target).resolve()
            assert path.is_relative_to(ROOT) and path.exists(), f"{doc.name} links {target}, not in the repository"


def test_the_licence_and_metadata() -> None:
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "wx-server-sdk for Python authors" in licence
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = { text = "MIT" }' in pyproject
    for version in ("3.10", "3.11", "3.12", "3.13"):
        assert f'"Programming Language :: Python :: {version}"' in pyproject
    assert '"Typing :: Typed"' in pyproject
    urls = re.search(r"^\[project\.urls\]\n((?:.+\n)+)", pyproject, re.MULTILINE)
    assert urls and all(re.fullmatch(r'"[^"]+" = "https://[^"]+"', line) for line in urls[1].splitlines())
    assert "github.com" not in urls[1] and "example" not in urls[1]


def test_slow_tests_are_marked_skippable_locally_and_run_in_ci() -> None:
    assert 'markers = ["slow: ' in (ROOT / "pyproject.toml").read_text()
    assert "@pytest.mark.slow" in (ROOT / "tests" / "test_soak.py").read_text()
    assert 'python3 -m pytest -m "not slow"' in README
    ci = (ROOT / ".ci" / "run").read_text()
    (pytest_line,) = [line for line in ci.splitlines() if "-m pytest" in line]
    assert pytest_line.strip() == "python3 -m pytest", "CI runs every test, the slow ones included"


def test_the_porting_guide_s_base64_twin_decodes_as_node_s_buffer_from() -> None:
    """``from_base64`` in docs/porting.md against the real ``Buffer.from(s, "base64")``, on the
    shapes mini programs send (no padding, line breaks, URL-safe) and on random text."""
    import json
    import random
    import shutil

    guide = (ROOT / "docs" / "porting.md").read_text(encoding="utf-8")
    block = re.search(r"^```python\n(import base64\n.*?def from_base64.*?)^```", guide, re.MULTILINE | re.DOTALL)
    assert block, "docs/porting.md shows from_base64"
    scope: dict[str, object] = {}
    exec(block[1], scope)  # the guide's own code, as a reader copies it
    rng = random.Random(7)
    alphabet = "ABCXYZabcxyz0189+/-_= \n\r:;,.%é"
    cases = [
        "",
        "Y",
        "YQ",
        "YQ=",
        "YQ===",
        "YQ==YQ==",
        "a=b",
        "YWJjZ",
        "YWJj\nZGVm",
        "-_-_",
        "data:image/png;base64,iVBO",
    ]
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(300)]
    node = shutil.which("node")
    assert node, "Node 20 must be on PATH (see the README's prerequisites)"
    script = "const c = JSON.parse(require('fs').readFileSync(0));"
    script += "console.log(JSON.stringify(c.map(s => [...Buffer.from(s, 'base64')])))"
    proc = subprocess.run([node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True)
    expected = json.loads(proc.stdout)
    decode = scope["from_base64"]
    assert callable(decode)
    for text, want in zip(cases, expected, strict=True):
        assert list(decode(text)) == want, text
