"""The README's ``compare`` examples, run as printed, print what the README shows; what a known
difference or ``--ignore`` may never hide; how Node's exceptions are shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from cloud._compare.diff import compare
from cloud._compare.sides import Outcome
from tests.test_compare import ROOT, cloud_compare, write


def compare_section() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return readme.split("## Comparing your port with the Node original", 1)[1].split("\n## ", 1)[0]


def blocks(section: str) -> list[str]:
    return re.findall(r"```(?:sh)?\n(.*?)```", section, re.S)


def test_the_readme_compare_command_prints_what_the_readme_shows() -> None:
    command, shown, *_ = blocks(compare_section())
    args = shlex.split(command)
    assert args[:3] == ["python3", "-m", "cloud"] and args[3] == "compare"
    proc = cloud_compare(*args[4:])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == shown


def test_the_readme_differing_port_prints_what_the_readme_shows(tmp_path: Path) -> None:
    section = compare_section()
    shown = blocks(section)[2]
    assert '`"dataType": 2` where the original sends `data_type: 3` (`my_port/index.py`)' in section
    port = tmp_path / "my_port"
    port.mkdir()
    original = (ROOT / "samples/invoke_service/index.py").read_text()
    assert original.count('"dataType": 3') == 1
    (port / "index.py").write_text(original.replace('"dataType": 3', '"dataType": 2'))
    proc = cloud_compare("samples/invoke_service/index.js", str(port / "index.py"))
    assert proc.returncode == 1
    printed = proc.stdout.replace(str(port / "index.py"), "my_port/index.py").splitlines()
    lines = shown.splitlines()
    assert printed[0] == lines[0] and printed[-1] == lines[-1]
    at = 0
    for line in lines:  # in order, "  ..." standing for lines left out
        if line.strip() == "...":
            continue
        at = printed.index(line, at) + 1


REQUEST = {"method": "POST", "path": "/wxa/msg_sec_check", "query": {}, "body": {"content": "a"}}


def test_ignore_never_hides_which_calls_were_made() -> None:
    other = {**REQUEST, "path": "/wxa/media_check_async"}
    node = Outcome(returned={}, requests=[REQUEST])
    everything = ["number of requests", "request 1", "request 1.path", "request 1.body", "result"]
    found = compare(node, Outcome(returned={}, requests=[]), ignore=everything)
    assert [(d.where, d.known) for d in found] == [("number of requests", None)]
    found = compare(node, Outcome(returned={}, requests=[other]), ignore=everything)
    assert [(d.where, d.known) for d in found] == [("request 1.path", None)]
    found = compare(node, Outcome(returned={}, requests=[{**REQUEST, "body": {"content": "b"}}]), ignore=everything)
    assert [(d.where, d.known) for d in found] == [("request 1.body.content", "ignored with --ignore")]


def test_a_thrown_value_that_is_not_an_error_is_shown_by_its_type_and_json(tmp_path: Path) -> None:
    js = "exports.main = async () => { throw 'boom' }\n"
    py = "async def main(event, context):\n    raise Exception('boom')\n"
    folder = write(tmp_path / "fn", js, py)
    proc = cloud_compare(str(folder), str(folder))
    assert proc.returncode == 1
    assert 'DIFFERENT: result.thrown.exception\n      Node:   "a thrown string: \\"boom\\""\n' in proc.stdout
    assert 'Python: "Exception: boom"' in proc.stdout
