"""``python -m cloud compare``: Node originals and Python ports side by side on the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cloud._compare import sides
from cloud._compare.diff import Difference, compare
from cloud._compare.sides import Outcome

ROOT = Path(__file__).parent.parent
SAMPLES = sorted(p.name for p in (ROOT / "samples").iterdir() if (p / "index.js").is_file())


def cloud_compare(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WX_")}
    clean["WX_CLOUD_SDK_DIR"] = str(ROOT / "tests" / "node")
    return subprocess.run([sys.executable, "-m", "cloud", "compare", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**clean, **(env or {})}, timeout=180, check=False)  # fmt: skip


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_agrees_with_its_node_original(sample: str) -> None:
    assert len(SAMPLES) >= 4
    proc = cloud_compare(f"samples/{sample}/index.js", f"samples/{sample}/index.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")
    assert "request 1: " in proc.stdout


def test_a_changed_param_is_shown_and_fails(tmp_path: Path) -> None:
    port = tmp_path / "index.py"
    port.write_text((ROOT / "samples/invoke_service/index.py").read_text().replace('"dataType": 3', '"dataType": 2'))
    proc = cloud_compare("samples/invoke_service/index.js", str(port))
    assert proc.returncode == 1
    assert "DIFFERENT: request 1.body.data.data_type\n      Node:   3\n      Python: 2" in proc.stdout
    assert "differ: " in proc.stdout


def write(folder: Path, js: str, py: str, config: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.js").write_text(js)
    (folder / "index.py").write_text(py)
    if config is not None:
        (folder / "config.json").write_text(json.dumps(config))
    return folder


CATCHING_JS = """const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event) => {
  try { return await cloud.openapi.security.msgSecCheck({ openid: event.openid, scene: 2, version: 2, content: 'hi' }) }
  catch (err) { return err }
}
"""
CATCHING_PY = """import cloud
cloud.init()
async def main(event, context):
    try:
        params = {"openid": event["openid"], "scene": 2, "version": 2, "content": "hi"}
        return await cloud.openapi.security.msgSecCheck(params)
    except cloud.CloudSDKError as err:
        return err
"""


def test_scenario_replies_reach_both_sides(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY)
    scenario = tmp_path / "risky.json"
    risky = {"json": {"errcode": 87014, "errmsg": "risky content rid: x"}}
    scenario.write_text(json.dumps({"event": {"openid": "o1"}, "replies": [risky]}))
    proc = cloud_compare(str(folder), str(folder), "--scenario", str(scenario))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "request 1: POST /wxa/msg_sec_check" in proc.stdout


def test_known_differences_are_shown_and_do_not_fail(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY)
    scenario = tmp_path / "big.json"
    scenario.write_text(json.dumps({"event": {"openid": "o1"}, "replies": [
        {"body": '{"errcode":0,"trace_id":12345678901234567890,"result":{"b":3,"10":2,"2":1}}'}]}))  # fmt: skip
    proc = cloud_compare(str(folder), str(folder), "--scenario", str(scenario))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "known difference (integers come back exact): result.returned.traceId" in proc.stdout
    assert "known difference (Integer-like keys keep their place): result.returned.result (key order)" in proc.stdout
    assert proc.stdout.rstrip().endswith("agree (2 known differences)")


ECHO_JS = """const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event) => {
  await cloud.openapi.security.msgSecCheck({ content: 'hi', scene: event.scene })
  return { event, scene: event.scene }
}
"""
ECHO_PY = """import cloud
cloud.init()
async def main(event, context):
    await cloud.openapi.security.msgSecCheck({"content": "hi", "scene": event.get("scene")})
    return {"event": event, "scene": event.get("scene")}
"""


def test_a_null_from_the_event_left_out_by_the_port_is_the_known_difference(tmp_path: Path) -> None:
    """``event.x`` is ``null`` in Node and ``event.get("x")`` is ``None`` in the port, which is
    ``undefined``: sent and returned without the key. The README lists it; compare labels it."""
    folder = write(tmp_path / "fn", ECHO_JS, ECHO_PY)
    proc = cloud_compare(str(folder), str(folder), "--event", '{"scene": null}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    label = "known difference (`None` in params is `undefined`, not `null`)"
    for where in ("request 1.body.scene", "result.returned.event.scene", "result.returned.scene"):
        assert f"{label}: {where}\n      Node:   null\n      Python: (absent)" in proc.stdout
    assert proc.stdout.rstrip().endswith("agree (3 known differences)")
    proc = cloud_compare(str(folder), str(folder), "--event", '{"scene": 2}')
    assert proc.stdout.rstrip().endswith("agree"), proc.stdout  # a value, where the two agree: nothing to label


def test_permissions_apply_on_both_sides(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY, {"permissions": {"openapi": ["wxacode.get"]}})
    proc = cloud_compare(str(folder), str(folder), "--event", '{"openid": "o1"}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no requests" in proc.stdout


def test_unknown_api_on_both_sides(tmp_path: Path) -> None:
    js = CATCHING_JS.replace("msgSecCheck", "msgSecChek")
    py = CATCHING_PY.replace("msgSecCheck", "msgSecChek")
    folder = write(tmp_path / "fn", js, py)
    proc = cloud_compare(str(folder), str(folder), "--event", '{"openid": "o1"}')
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["samples/nowhere", "samples/invoke_service"], "no .js cloud function at samples/nowhere"),
        (["samples/invoke_service", "samples/invoke_service", "--event", "{bad"], "Expecting property name"),
    ],
)
def test_setup_errors_exit_2(args: list[str], message: str) -> None:
    proc = cloud_compare(*args)
    assert proc.returncode == 2 and message in proc.stderr


def test_a_bad_sdk_dir_is_a_setup_error() -> None:
    proc = cloud_compare("samples/invoke_service", "samples/invoke_service", env={"WX_CLOUD_SDK_DIR": "/nonexistent"})
    assert proc.returncode == 2 and "has no node_modules/wx-server-sdk" in proc.stderr


def test_the_sdk_cache_is_used_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WX_CLOUD_SDK_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    package = tmp_path / "wx-server-sdk-python" / "wx-server-sdk@4.0.2" / "node_modules" / "wx-server-sdk"
    package.mkdir(parents=True)
    (package / "package.json").write_text('{"version": "4.0.2"}')
    assert sides.sdk_dir("4.0.2") == package.parent.parent


def test_diff_classifies_only_the_documented_differences() -> None:
    node = Outcome(returned={"n": {"s": 1, "e": 19, "c": [1, 2]}, "errCode": -501001,
                             "errMsg": "openapi.a.b:fail -501001 resource system error. request timeout"})  # fmt: skip
    python = Outcome(
        returned={
            "n": 12,
            "errCode": -501002,
            "errMsg": "openapi.a.b:fail -501002 resource server timeout. request timeout",
        }
    )
    found = compare(node, python)
    assert [(d.where, d.known is not None) for d in found] == [
        ("result.returned.n", True),
        ("result.returned.errCode", True),
        ("result.returned.errMsg", True),
    ]
    other = compare(Outcome(returned={"a": 1}), Outcome(returned={"a": "1"}))
    assert other == [Difference("result.returned.a", 1, "1")]


def test_a_deliberate_refusal_explains_the_result_but_not_the_call_node_made(tmp_path: Path) -> None:
    js = CATCHING_JS.replace(
        "msgSecCheck({ openid: event.openid, scene: 2, version: 2, content: 'hi' })", "msgSecCheck('hi')"
    )
    py = CATCHING_PY.replace("msgSecCheck(params)", 'msgSecCheck("hi")')
    folder = write(tmp_path / "fn", js, py)
    proc = cloud_compare(str(folder), str(folder), "--event", '{"openid": "o1"}')
    assert proc.returncode == 1, proc.stdout + proc.stderr  # Node made a call the port does not make
    assert "DIFFERENT: number of requests\n      Node:   1\n      Python: 0" in proc.stdout
    assert "known difference (params that are not a mapping are refused before any I/O): result" in proc.stdout


def test_every_known_difference_label_is_in_the_readme() -> None:
    from cloud._compare import diff

    readme = (ROOT / "README.md").read_text("utf-8")
    labels = set(diff.REFUSALS.values()) | set(diff.CLASSIFIED)
    assert len(labels) >= 6
    for label in labels:
        assert label in readme, label


@pytest.mark.parametrize("config", [{"permissions": ["security.msgSecCheck"]}, [1], {"permissions": {"openapi": 7}}])
def test_a_bad_config_json_is_a_setup_error_naming_it(tmp_path: Path, config: Any) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY, config)
    proc = cloud_compare(str(folder), str(folder), "--event", '{"openid": "o1"}')
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"cloud compare: {folder / 'config.json'}" in proc.stderr and "Traceback" not in proc.stderr


def test_a_bad_config_json_beside_the_port_is_a_setup_error(tmp_path: Path) -> None:
    write(tmp_path / "fn", CATCHING_JS, CATCHING_PY)
    port = write(tmp_path / "port", CATCHING_JS, CATCHING_PY, {"permissions": ["security.msgSecCheck"]})
    proc = cloud_compare(str(tmp_path / "fn"), str(port), "--event", '{"openid": "o1"}')
    assert proc.returncode == 2 and f'{port / "config.json"}: "permissions" must be an object' in proc.stderr


def test_a_stdlib_named_module_beside_the_port_does_not_break_its_side(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS.replace("msgSecCheck", "msgSecChek"),
                   CATCHING_PY.replace("msgSecCheck", "msgSecChek"))  # fmt: skip
    (folder / "difflib.py").write_text("raise ImportError('shadowed difflib')\n")
    proc = cloud_compare(str(folder), str(folder), "--event", '{"openid": "o1"}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "shadowed" not in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--event", "[1]"], "cloud compare: --event must be a JSON object"),
        (["--event", "NaN"], "cloud compare: --event is not JSON: NaN is not JSON"),
        (["--scenario", "SCENARIO"], "cloud compare: the scenario's event must be a JSON object"),
    ],
)
def test_an_event_that_is_not_a_json_object_is_a_setup_error(tmp_path: Path, args: list[str], message: str) -> None:
    scenario = tmp_path / "scenario.json"
    scenario.write_text('{"event": [1, 2], "replies": []}')
    args = [str(scenario) if a == "SCENARIO" else a for a in args]
    proc = cloud_compare("samples/invoke_service", "samples/invoke_service", *args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


LEAKY_JS = """const cloud = require('wx-server-sdk')
cloud.init()
exports.main = async (event) => {
  const params = { openid: 'o1', scene: 2, version: 2, content: '%(content)s', appsecret: 'node-appsecret-123',
    access_token: 'node-token-in-params', cloudbase_access_token: 'node-cloudbase-456',
    note: '{"secret":"node-in-json-1"}' }
  try { return await cloud.openapi.security.msgSecCheck(params) }
  catch (err) { return err }
}
"""
LEAKY_PY = """import cloud

cloud.init(%(init)s)


async def main(event, context):
    params = {"openid": "o1", "scene": 2, "version": 2, "content": "%(content)s", "appsecret": "py-appsecret-4567",
              "access_token": "py-token-in-params", "cloudbase_access_token": "py-cloudbase-789",
              "note": '{"secret":"py-in-json-42"}'}
    try:
        return await cloud.openapi.security.msgSecCheck(params)
    except cloud.CloudSDKError as err:
        return err
"""
LEAKED = ("node-appsecret-123", "node-token-in-params", "node-cloudbase-456", "node-in-json-1",
          "py-appsecret-4567", "py-token-in-params", "py-cloudbase-789", "py-in-json-42")  # fmt: skip


def test_secrets_a_function_sends_in_its_params_are_hidden(tmp_path: Path) -> None:
    from cloud.emulator import EMULATOR_ACCESS_TOKEN, EMULATOR_SECRET

    js = LEAKY_JS % {"content": EMULATOR_SECRET}
    folder = write(tmp_path / "fn", js, LEAKY_PY % {"init": "", "content": EMULATOR_ACCESS_TOKEN})
    proc = cloud_compare(str(folder), str(folder))
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the differences still count
    for key in ("content", "appsecret", "access_token", "cloudbase_access_token"):
        assert f'DIFFERENT: request 1.body.{key}\n      Node:   "***"\n      Python: "***"' in proc.stdout
    assert 'Node:   "{\\"secret\\":\\"***\\"}"' in proc.stdout
    for secret in (EMULATOR_SECRET, EMULATOR_ACCESS_TOKEN, *LEAKED):
        assert secret not in proc.stdout + proc.stderr


def test_a_ports_own_token_fetch_is_not_compared_and_its_secret_never_shown(tmp_path: Path) -> None:
    from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET

    init = f'{{"appid": "{EMULATOR_APPID}", "secret": "{EMULATOR_SECRET}", "tokenMode": "stable"}}'
    folder = write(tmp_path / "fn", LEAKY_JS % {"content": "hi"}, LEAKY_PY % {"init": init, "content": "hi"})
    proc = cloud_compare(str(folder), str(folder))
    assert proc.returncode == 1 and "request 1: POST /wxa/msg_sec_check" in proc.stdout  # the leaked params differ
    assert "stable_token" not in proc.stdout and "request 2" not in proc.stdout  # the platform's business in Node
    assert EMULATOR_SECRET not in proc.stdout + proc.stderr


def test_a_failing_side_does_not_print_a_configured_secret(tmp_path: Path) -> None:
    js = 'throw new Error("cannot start with " + process.env.WX_SECRET + " " + process.env.WX_ACCESS_TOKEN)\n'
    folder = write(tmp_path / "fn", js, LEAKY_PY % {"init": "", "content": "hi"})
    env = {"WX_SECRET": "user-configured-secret-1", "WX_ACCESS_TOKEN": "user-configured-token-2"}
    proc = cloud_compare(str(folder), str(folder), env=env)
    assert proc.returncode == 2 and "Error: cannot start with *** ***" in proc.stderr
    assert "user-configured" not in proc.stdout + proc.stderr


def test_emulator_rids_are_masked_and_ignored_paths_are_known() -> None:
    node = Outcome(thrown={"errCode": 87014, "errMsg": "openapi.a.b:fail risky rid: 0a1b2c3d-0a1b2c3d-0a1b2c3d"})
    python = Outcome(thrown={"errCode": 87014, "errMsg": "openapi.a.b:fail risky rid: 99999999-aaaaaaaa-bbbbbbbb"})
    assert compare(node, python) == []
    node, python = Outcome(returned={"id": 1, "n": 1}), Outcome(returned={"id": 2, "n": 2})
    found = compare(node, python, ignore=["result.returned.id"])
    assert [(d.where, d.known) for d in found] == [("result.returned.id", "ignored with --ignore"),
                                                   ("result.returned.n", None)]  # fmt: skip


def test_a_deliberate_refusal_never_hides_a_call_node_made() -> None:
    request = {"method": "POST", "path": "/wxa/msg_sec_check", "query": {}, "body": {"0": "a"}}
    node = Outcome(returned={"errCode": 0}, requests=[request])
    python = Outcome(thrown={"errCode": -501007, "errMsg": "openapi.a.b:fail -501007 invalid parameters. params.x"})
    found = compare(node, python)
    assert [d.where for d in found if not d.known] == ["number of requests"]


def test_node_and_python_exceptions_compare_by_name_and_message(tmp_path: Path) -> None:
    js = "exports.main = async (event) => { return event.missing.field }\n"
    message = "Cannot read properties of undefined (reading 'field')"
    py = f"async def main(event, context):\n    raise TypeError({message!r})"
    folder = write(tmp_path / "fn", js, py)
    proc = cloud_compare(str(folder), str(folder))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    py_other = py.replace("TypeError", "ValueError")
    folder = write(tmp_path / "fn2", js, py_other)
    proc = cloud_compare(str(folder), str(folder))  # both crashed in their own code: labelled, shown
    assert proc.returncode == 0 and "known difference (Both sides' own errors agree by kind)" in proc.stdout
    proc = cloud_compare(str(folder), str(folder), "--strict")
    assert proc.returncode == 1
    assert 'Node:   "TypeError: Cannot read properties of undefined' in proc.stdout


def test_the_readme_scenario_with_a_502_is_a_known_difference(tmp_path: Path) -> None:
    """A gateway error page reaches Node's caller as a buffer and ours as -501001 (README, "HTTP
    statuses outside 2xx are errors"): a known difference, not a failed port."""
    scenario = tmp_path / "gateway.json"
    scenario.write_text(json.dumps({"replies": [{"status": 502}]}))
    sample = "samples/invoke_service"
    proc = cloud_compare(f"{sample}/index.js", f"{sample}/index.py", "--scenario", str(scenario))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "known difference (HTTP statuses outside 2xx are errors): result.returned.errCode" in proc.stdout
    assert "request 1: POST /wxa/servicemarket" in proc.stdout
