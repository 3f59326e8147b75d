"""What ``--help`` says: plain text, the defaults that apply, the scenario format as it is parsed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from cloud.__main__ import main
from cloud._compare.sides import DEFAULT_SDK_VERSION
from cloud.emulator import EMULATOR_ACCESS_TOKEN
from cloud.emulator._scenario import KEYS


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse wraps at the terminal's width


def test_the_top_help_is_plain_text_and_names_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "cloud", "--help"], capture_output=True, text=True, check=True,
                         timeout=60).stdout  # fmt: skip
    description = out.split("\n\n")[1]
    assert description.startswith("Run a ported cloud function, compare it with its Node original, or serve")
    assert "``" not in out and "`" not in out
    assert all(re.search(rf"^    {name} ", out, re.M) for name in ("run", "emulator", "compare")), out


def test_emulator_host_port_and_token_show_their_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    out = help_of(capsys, "emulator")
    assert "--host HOST the address to listen on (default: 127.0.0.1)" in out
    assert "--port PORT the port (default: 8080; 0: any free port)" in out
    assert f"(default: {EMULATOR_ACCESS_TOKEN})" in out.replace("- ", "-")
    assert "Exit status 2: it could not start" in out


@pytest.mark.parametrize("command", ["compare", "run", "emulator"])
def test_scenario_help_names_every_key_the_format_has(capsys: pytest.CaptureFixture[str], command: str) -> None:
    out = help_of(capsys, command)
    scenario = out.split("--scenario FILE", 2)[-1]
    assert '{"event": {...}, "replies": [...]}' in scenario
    for key in KEYS:
        assert f'"{key}"' in scenario, key
    assert '"times" calls, or every call' in scenario and 'by default {"errcode":0,"errmsg":"ok"}' in scenario


def test_exit_statuses_and_defaults_in_run_and_compare(capsys: pytest.CaptureFixture[str]) -> None:
    run = help_of(capsys, "run")
    assert "exit status: 0 main returned, 1 it threw a CloudSDKError (its JSON is printed), 2 it could not" in run
    assert "no API base, calls go to the in-process emulator" in run
    compare = help_of(capsys, "compare")
    assert "exit status: 0 both sides agree, 1 they differ, 2 the comparison could not be run" in compare
    assert f"the wx-server-sdk version to run (default: {DEFAULT_SDK_VERSION})" in compare


def test_run_scenario_needs_the_in_process_emulator_as_its_help_says(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert "only with the in-process emulator" in help_of(capsys, "run")
    scenario = tmp_path / "s.json"
    scenario.write_text('{"replies": []}')
    code = main(["run", "samples/invoke_service", "--scenario", str(scenario), "--api-base", "http://127.0.0.1:9"])
    assert code == 2 and "--scenario scripts the emulator" in capsys.readouterr().err
