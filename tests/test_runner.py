"""``python -m cloud run``: the README's first command, and what Node's caller would receive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cloud.emulator._servicemarket import IDCARD_RESULT

ROOT = Path(__file__).parent.parent
SAMPLE_DIR = ROOT / "samples" / "invoke_service"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WX_")}
    return subprocess.run([sys.executable, "-m", "cloud", "run", *args], capture_output=True, text=True, cwd=cwd,
                          env={**clean, **(env or {})}, timeout=60, check=False)  # fmt: skip


def test_readme_command_runs_the_sample_on_the_emulator() -> None:
    proc = run("samples/invoke_service")
    assert proc.returncode == 0, proc.stderr
    assert "in-process emulator" in proc.stderr
    out = json.loads(proc.stdout)
    assert list(out) == ["data", "errMsg", "errCode"]  # Node's key order
    assert out["errCode"] == 0 and out["errMsg"] == "openapi.serviceMarket.invokeService:ok"
    assert json.loads(out["data"]) == IDCARD_RESULT
    assert proc.stdout.startswith('{"data":"{\\"idcard_res\\":')  # compact, as JSON.stringify writes it


def test_api_base_and_token_reach_a_real_server(api_base: str, emulator: Any) -> None:
    proc = run(str(SAMPLE_DIR / "index.py"), "--api-base", api_base, env={"WX_ACCESS_TOKEN": emulator.token})
    assert proc.returncode == 0, proc.stderr
    assert "emulator" not in proc.stderr
    assert json.loads(proc.stdout)["errCode"] == 0
    assert [r.path for r in emulator.requests] == ["/wxa/servicemarket"]


def test_appid_and_secret_work_against_the_emulator(api_base: str, emulator: Any) -> None:
    from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET

    proc = run("samples/invoke_service", "--api-base", api_base,
               env={"WX_APPID": EMULATOR_APPID, "WX_SECRET": EMULATOR_SECRET})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["errCode"] == 0
    assert [r.path for r in emulator.requests] == ["/cgi-bin/stable_token", "/wxa/servicemarket"]
    assert EMULATOR_SECRET not in proc.stdout + proc.stderr


def test_a_returned_error_prints_as_node_serialises_it(api_base: str) -> None:
    proc = run("samples/invoke_service", env={"WX_ACCESS_TOKEN": "wrong-token-123", "WX_API_BASE": api_base})
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    assert list(out) == ["errCode", "errMsg"] and out["errCode"] == 40001
    assert "wrong-token-123" not in proc.stdout + proc.stderr


def write_function(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.py").write_text(source)
    return folder


@pytest.mark.parametrize(
    ("source", "event", "expected"),
    [
        (
            "def main(event, context):\n    return {'got': event, 'n': 1.0, 'tiny': 1e-7}\n",
            '{"a": [1, 2]}',
            '{"got":{"a":[1,2]},"n":1,"tiny":1e-7}',
        ),
        ("async def main(event, context):\n    return b'\\x00\\xff'\n", "{}", '{"type":"Buffer","data":[0,255]}'),
        (
            "import cloud\ndef main(event, context):\n    return cloud.CloudSDKError(-1, 'x')\n",
            "{}",
            '{"errCode":-1,"errMsg":"x"}',
        ),
        ("def main(event, context):\n    return None\n", "{}", "null"),
        (  # a date read from the database: Date's toJSON text
            "import datetime as dt\ndef main(event, context):\n"
            "    return {'at': dt.datetime(2024, 1, 2, 11, 4, 5, 6000, dt.timezone(dt.timedelta(hours=8)))}\n",
            "{}",
            '{"at":"2024-01-02T03:04:05.006Z"}',
        ),
        ("def main(event, context):\n    return sorted(context)\n", "{}", '["function_name","request_id"]'),
    ],
)
def test_results_print_as_json_stringify_would(tmp_path: Path, source: str, event: str, expected: str) -> None:
    folder = write_function(tmp_path / "fn", source)
    proc = run(str(folder), "--event", event)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == expected


def test_sync_port_reads_like_node(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "fn", (SAMPLE_DIR / "index.py").read_text()
                            .replace("import cloud\n", "import cloud.sync as cloud\n")
                            .replace("async def main", "def main").replace("await ", ""))  # fmt: skip
    proc = run(str(folder))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["errMsg"] == "openapi.serviceMarket.invokeService:ok"


def test_a_thrown_error_exits_1_with_its_json(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "fn", "import cloud\ncloud.init()\nasync def main(event, context):\n"
                            "    return await cloud.openapi.no.such({})\n")  # fmt: skip
    proc = run(str(folder))
    assert proc.returncode == 1
    assert json.loads(proc.stdout) == {"errCode": -604100, "errMsg": "system error: error code: -604100"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "no cloud function at nowhere"),
        (["samples/invoke_service/index.js"], "is the Node original"),
        (["samples/invoke_service", "--event", "{bad"], "--event is not JSON"),
    ],
)
def test_setup_errors_exit_2(args: list[str], message: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_a_folder_without_main_is_a_setup_error(tmp_path: Path) -> None:
    proc = run(str(write_function(tmp_path / "fn", "x = 1\n")))
    assert proc.returncode == 2 and "defines no main(event, context)" in proc.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('{"permissions": ["security.msgSecCheck"]}', '"permissions" must be an object, not an array'),
        ('{"permissions": "security.msgSecCheck"}', '"permissions" must be an object, not a string'),
        ('["security.msgSecCheck"]', "must hold a JSON object, not an array"),
        ("{permissions:", "could not be read as JSON"),
        (b"\xff\xfe{}", "could not be read as JSON"),
    ],
)
def test_a_bad_config_json_is_named_and_exits_2(tmp_path: Path, config: str | bytes, message: str) -> None:
    folder = write_function(tmp_path / "fn", "def main(event, context):\n    return 1\n")
    path = folder / "config.json"
    path.write_bytes(config if isinstance(config, bytes) else config.encode())
    proc = run(str(folder))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"cloud run: {path}" in proc.stderr and message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


SHADOWING = {"difflib.py": "raise ImportError('shadowed difflib')\n", "json.py": "raise ImportError('shadowed json')\n",
             "csv.py": "raise ImportError('shadowed csv')\n", "helper.py": "VALUE = 'from helper'\n"}  # fmt: skip
SHADOWED_MAIN = """import csv
import json

import cloud
import helper

cloud.init()


async def main(event, context):
    try:
        await cloud.openapi.security.msgSecChek({"content": "x"})  # the hint on a typo imports difflib
    except cloud.CloudSDKError as err:
        return {"helper": helper.VALUE, "json": json.dumps([1]), "csv": csv.QUOTE_ALL, "errCode": err.errCode}
"""


def test_the_functions_folder_imports_its_helpers_but_does_not_shadow_the_standard_library(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "fn", SHADOWED_MAIN)
    for name, source in SHADOWING.items():
        (folder / name).write_text(source)
    proc = run(str(folder))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"helper": "from helper", "json": "[1]", "csv": 1, "errCode": -604100}
    assert "did you mean security.msgSecCheck" in proc.stderr and "shadowed" not in proc.stderr


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("[1,2]", "--event must be a JSON object, as a cloud function's event is, not an array"),
        ('"text"', "--event must be a JSON object, as a cloud function's event is, not a string"),
        ("null", "--event must be a JSON object, as a cloud function's event is, not null"),
        ("NaN", "--event is not JSON: NaN is not JSON"),
        ("Infinity", "--event is not JSON: Infinity is not JSON"),
        ('{"n": -Infinity}', "--event is not JSON: -Infinity is not JSON"),
    ],
)
def test_an_event_that_is_not_a_json_object_exits_2(tmp_path: Path, event: str, message: str) -> None:
    folder = write_function(tmp_path / "fn", "def main(event, context):\n    return event\n")
    proc = run(str(folder), "--event", event)
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stdout
    assert f"cloud run: {message}" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def main(event, context)\n    return 1\n", "index.py:1: SyntaxError: expected ':'"),
        ("import cloud\nimport no_such_module\n", "index.py:2: ModuleNotFoundError: No module named 'no_such_module'"),
        ("import helper\n", f"helper.py:1: ImportError: cannot import name 'nothing' from 'json' ({json.__file__})"),
        (
            "import cloud\ncloud.init()\nasync def main(event, context):\n"
            "    return {'r': [cloud.openapi.security.msgSecCheck({'content': 'x'})]}\n",
            "index.py:4: main returned a coroutine in the result['r'][0], which is not JSON (did you forget await?)",
        ),
        (  # the original returned the call's promise, which Node's async main waits for; Python's does not
            "import cloud\ncloud.init()\nasync def main(event, context):\n"
            "    activity = cloud.openapi.updatableMessage.createActivityId()\n    return activity\n",
            "index.py:4: main returned a coroutine in the result, which is not JSON (did you forget await?)",
        ),
        (
            "import cloud\ncloud.init()\nasync def main(event, context):\n"
            "    res = cloud.openapi.security.msgSecCheck({'content': 'x'})\n    return res['errCode']\n",
            "index.py:5: TypeError: 'coroutine' object is not subscriptable (did you forget await?)",
        ),
    ],
)
def test_a_function_that_cannot_load_or_returns_no_json_is_named_in_a_line_and_exits_2(
    tmp_path: Path, source: str, message: str
) -> None:
    folder = write_function(tmp_path / "fn", source)
    (folder / "helper.py").write_text("from json import nothing\n")
    proc = run(str(folder))
    assert (proc.returncode, proc.stdout) == (2, ""), proc.stdout
    lines = [line for line in proc.stderr.splitlines() if "in-process emulator" not in line]
    assert len(lines) == 1 and lines[0].startswith(f"cloud run: {folder}") and lines[0].endswith(message), lines


def test_a_call_dropped_without_await_is_named_where_node_would_still_have_sent_it(tmp_path: Path) -> None:
    source = (
        "import cloud\ncloud.init()\nasync def main(event, context):\n"
        "    cloud.openapi.security.msgSecCheck({'content': 'x'})\n    return 1\n"
    )
    proc = run(str(write_function(tmp_path / "fn", source)))
    assert (proc.returncode, proc.stdout.strip()) == (0, "1"), proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "in-process emulator" not in line]
    assert lines == [f"cloud run: {tmp_path / 'fn' / 'index.py'}:4: a call was not awaited, so it never ran "
                     "(did you forget await?)"]  # fmt: skip


def test_a_returned_none_is_left_out_as_node_leaves_out_undefined() -> None:
    from cloud import NULL
    from cloud._js.json import node_dumps

    assert node_dumps({"a": None, "b": [None, 1], "c": NULL, "d": {"e": None}}) == '{"b":[null,1],"c":null,"d":{}}'
    assert node_dumps(None) == "null"


def test_the_emulator_on_a_port_in_use_says_so_and_exits_2() -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        done = subprocess.run([sys.executable, "-m", "cloud", "emulator", "--port", port],
                              capture_output=True, text=True, timeout=30)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"cloud emulator: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_known_caller_is_in_the_event_s_user_info_as_the_platform_adds_it(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "fn", "def main(event, context):\n    return event\n")
    proc = run(str(folder), "--event", '{"code": "SIN"}', "--context", '{"OPENID": "o1", "APPID": "wx1"}')
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"code": "SIN", "userInfo": {"appId": "wx1", "openId": "o1"}}
    given = run(str(folder), "--event", '{"userInfo": {"openId": "mine"}}', "--context", '{"OPENID": "o1"}')
    assert json.loads(given.stdout) == {"userInfo": {"openId": "mine"}}  # an event's own userInfo stays
    assert json.loads(run(str(folder), "--event", "{}").stdout) == {}  # no caller, no userInfo


def test_what_the_function_prints_is_its_log_on_stderr_and_stdout_holds_only_the_result(tmp_path: Path) -> None:
    """As ``console.log`` goes to the cloud's log, not to the caller: ``cloud run fn | jq`` works."""
    source = "print('loading')\ndef main(event, context):\n    print('got', event)\n    return {'ok': True}\n"
    proc = run(str(write_function(tmp_path / "fn", source)), "--event", '{"a": 1}')
    assert (proc.returncode, proc.stdout) == (0, '{"ok":true}\n'), proc.stderr
    assert "loading\ngot {'a': 1}\n" in proc.stderr


# Each function folder's own modules are its own: two folders with a utils.py in one process


def two_folders_with_a_utils_module(root: Path) -> Path:
    """``orders`` and ``payments``, each with its own ``utils.py`` (and a helper package of one
    name, whose module imports a sibling helper by plain ``import``); ``checkout`` calls both."""
    for name, price in (("orders", 300), ("payments", 3)):
        folder = root / name
        (folder / "lib").mkdir(parents=True)
        (folder / "utils.py").write_text(f"import rates\n\nPRICE = {price} * rates.RATE\n")
        (folder / "rates.py").write_text("RATE = 1\n")
        (folder / "lib" / "__init__.py").write_text(f"NAME = {name!r}\n")
        (folder / "index.py").write_text(
            "import utils\nfrom lib import NAME\n\n\ndef main(event, context):\n"
            "    return {'price': utils.PRICE, 'name': NAME}\n"
        )
    write_function(root / "checkout", CHECKOUT)
    return root


CHECKOUT = """import cloud.sync as cloud

cloud.init()


def main(event, context):
    got = [cloud.callFunction({"name": name, "data": {}})["result"] for name in ("orders", "payments", "orders")]
    return got
"""


def test_two_folders_with_a_helper_of_one_name_each_import_their_own(tmp_path: Path) -> None:
    from cloud._run import cli

    root = two_folders_with_a_utils_module(tmp_path)
    for _ in range(2):  # either order, any number of times
        assert cli.run(root / "orders", defaults={}) == '{"price":300,"name":"orders"}'
        assert cli.run(root / "payments", defaults={}) == '{"price":3,"name":"payments"}'


def test_a_function_calling_two_with_a_helper_of_one_name_gets_each_ones_own(tmp_path: Path) -> None:
    root = two_folders_with_a_utils_module(tmp_path)
    proc = run(str(root / "checkout"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [{"price": 300, "name": "orders"}, {"price": 3, "name": "payments"},
                                       {"price": 300, "name": "orders"}]  # fmt: skip


def test_the_kit_runs_two_folders_with_a_helper_of_one_name_apart(tmp_path: Path) -> None:
    from cloud.testing import stubbed

    root = two_folders_with_a_utils_module(tmp_path)
    with stubbed() as wx:
        assert wx.run(root / "payments") == {"price": 3, "name": "payments"}
        assert wx.run(root / "orders") == {"price": 300, "name": "orders"}
        assert wx.run(root / "checkout") == [{"price": 300, "name": "orders"}, {"price": 3, "name": "payments"},
                                             {"price": 300, "name": "orders"}]  # fmt: skip


def test_os_exit_in_main_is_a_run_that_ended_without_a_result(tmp_path: Path) -> None:
    folder = write_function(tmp_path / "exits", "import os\n\n\ndef main(event, context):\n    os._exit(0)\n")
    proc = run(str(folder))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "index.py:5: main called os._exit(0): a cloud function returns its result or raises" in proc.stderr


def test_main_may_return_cloud_null_as_real_functions_return_null(tmp_path: Path) -> None:
    from cloud._run import cli

    (tmp_path / "index.py").write_text(
        "import cloud\n\ncloud.init()\n\n\nasync def main(event, context):\n"
        "    return {'error': cloud.NULL, 'list': [cloud.NULL, 1], 'skipped': None}\n"
    )
    assert cli.run(tmp_path, {}) == '{"error":null,"list":[null,1]}'
