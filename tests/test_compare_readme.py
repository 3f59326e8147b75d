"""What a known difference or ``--ignore`` may never hide, and how Node's exceptions are shown
(the README's ``compare`` examples are run as printed by tests/test_readme.py)."""

from __future__ import annotations

from pathlib import Path

from cloud._compare.diff import compare
from cloud._compare.sides import Outcome
from tests.test_compare import cloud_compare, write

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
    proc = cloud_compare(str(folder), str(folder), "--strict")
    assert proc.returncode == 1
    assert 'DIFFERENT: result.thrown.exception\n      Node:   "a thrown string: \\"boom\\""\n' in proc.stdout
    assert 'Python: "Exception: boom"' in proc.stdout
