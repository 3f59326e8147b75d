"""``compare``'s platform settings, the same on both sides: the call timeout (``init({timeout})`` in
Node, ``--timeout``), a stopped clock (``--clock``) and, on request, Python's retries (``--retries``)."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cloud
import cloud.testing
from cloud._compare.diff import RETRIED, TIMEOUTS, compare
from cloud._compare.sides import Outcome
from cloud._core import clock as _clock
from cloud._js.json import node_dumps
from cloud.emulator import EMULATOR_APPID, EMULATOR_SECRET, Emulator, Scripted, load_scenario
from tests.test_compare import CATCHING_JS, CATCHING_PY, ROOT, cloud_compare, write

NODE_DIR = ROOT / "tests" / "node"


def scenario(tmp_path: Path, *replies: dict[str, object]) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps({"event": {"openid": "o1"}, "replies": list(replies)}))
    return str(path)


SLOW = {"api": "security.msgSecCheck", "json": {"errcode": 0, "errmsg": "ok"}, "delay": 1.5}


def real_sdk_timeout(timeout_ms: int, delay_ms: int) -> dict[str, object]:
    """The real wx-server-sdk and its real transport against a loopback server that answers late."""
    node = shutil.which("node")
    assert node, "Node 20 is needed"
    proc = subprocess.run([node, str(NODE_DIR / "real_timeout.js"), str(timeout_ms), str(delay_ms)],
                          capture_output=True, text=True, cwd=NODE_DIR, timeout=60, check=True)  # fmt: skip
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_the_node_side_times_out_as_the_real_sdk_does(tmp_path: Path) -> None:
    real = real_sdk_timeout(300, 1500)
    assert real["requests"] == 1 and 300 <= real["elapsedMs"] < 1500  # type: ignore[operator]
    assert real["thrown"] == {
        "errCode": -501001,
        "errMsg": "openapi.security.msgSecCheck:fail -501001 resource system error. request timeout",
    }
    js = CATCHING_JS.replace("cloud.init()", "cloud.init({ timeout: 300 })")
    py = CATCHING_PY.replace("cloud.init()", "cloud.init(timeout=0.3)")
    folder = write(tmp_path / "fn", js, py)
    proc = cloud_compare(str(folder), str(folder), "--scenario", scenario(tmp_path, SLOW))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    thrown = real["thrown"]
    assert isinstance(thrown, dict)
    assert f"known difference ({TIMEOUTS}): result.returned.errCode\n      Node:   -501001\n      Python: -501002" in (
        proc.stdout
    )
    python_message = "openapi.security.msgSecCheck:fail -501002 resource server "
    assert f'Node:   "{thrown["errMsg"]}"\n      Python: "{python_message}' in proc.stdout
    assert proc.stdout.rstrip().endswith("agree (2 known differences)")


def test_the_timeout_flag_is_both_sides_default_and_a_late_reply_within_it_agrees(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY)
    slow = scenario(tmp_path, SLOW)
    proc = cloud_compare(str(folder), str(folder), "--scenario", slow, "--timeout", "0.3")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"known difference ({TIMEOUTS}): result.returned.errCode" in proc.stdout
    proc = cloud_compare(str(folder), str(folder), "--scenario", slow)  # 15 s by default: both wait
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree")


def test_a_timeout_on_one_side_only_is_a_difference(tmp_path: Path) -> None:
    js = CATCHING_JS.replace("cloud.init()", "cloud.init({ timeout: 300 })")
    folder = write(tmp_path / "fn", js, CATCHING_PY)  # the port forgot the timeout
    proc = cloud_compare(str(folder), str(folder), "--scenario", scenario(tmp_path, SLOW))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DIFFERENT: result.returned.errCode\n      Node:   -501001\n      Python: 0" in proc.stdout


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_a_bad_timeout_is_a_setup_error(value: str) -> None:
    proc = cloud_compare("samples/invoke_service", "samples/invoke_service", "--timeout", value)
    assert proc.returncode == 2 and "--timeout must be seconds" in proc.stderr


CLOCK_JS = """exports.main = async () => {
  const now = new Date()
  const same = now.getTime() === Date.now()
  return { id: 'order' + Date.now(), at: now.toISOString(), same, parsed: new Date(0).getTime() }
}
"""
CLOCK_PY = """import datetime, time

async def main(event, context):
    now = datetime.datetime.now(datetime.timezone.utc)
    at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    same = int(now.timestamp() * 1000) == int(time.time() * 1000)
    return {"id": "order" + str(int(time.time() * 1000)), "at": at, "same": same, "parsed": 0}
"""


def test_a_frozen_clock_makes_date_based_ids_agree(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CLOCK_JS, CLOCK_PY)
    proc = cloud_compare(str(folder), str(folder))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "DIFFERENT: result.returned.id" in proc.stdout
    for clock in ("2026-01-02T03:04:05.678Z", "1767323045678"):
        proc = cloud_compare(str(folder), str(folder), "--clock", clock)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.rstrip().endswith("agree")
    other = write(tmp_path / "other", CLOCK_JS, CLOCK_PY.replace('"order" + str(', '"order" + str(1 + '))
    proc = cloud_compare(str(other), str(other), "--clock", "2026-01-02T03:04:05.678Z")
    assert proc.returncode == 1  # Node's value is the instant given
    assert 'DIFFERENT: result.returned.id\n      Node:   "order1767323045678"\n      Python: "order1767323045679"' in (
        proc.stdout
    )


def test_run_with_a_clock(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CLOCK_JS, CLOCK_PY)
    args = [sys.executable, "-m", "cloud", "run", str(folder), "--clock", "2026-01-02T11:04:05.678+08:00"]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"id": "order1767323045678", "at": "2026-01-02T03:04:05.678Z", "same": True,
                                       "parsed": 0}  # fmt: skip
    bad = subprocess.run([sys.executable, "-m", "cloud", "run", str(folder), "--clock", "tomorrow"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)  # fmt: skip
    assert bad.returncode == 2 and "--clock 'tomorrow' is neither an ISO 8601 instant" in bad.stderr


def test_the_frozen_clock_stops_what_a_port_reads_and_nothing_else() -> None:
    ms, real_datetime = 1767323045678, datetime.datetime
    started = time.monotonic()
    with _clock.frozen(ms):
        from datetime import date as date_class  # as a port imports them, once the clock is stopped
        from datetime import datetime as datetime_class
        from datetime import timezone

        assert int(time.time() * 1000) == ms and time.time_ns() == ms * 1_000_000
        assert datetime_class.now(timezone.utc).isoformat() == "2026-01-02T03:04:05.678000+00:00"
        assert datetime_class.utcnow() == datetime_class(2026, 1, 2, 3, 4, 5, 678000)
        assert date_class.today() == datetime_class.fromtimestamp(ms / 1000).date()
        time.sleep(0.01)
        assert time.time() == ms / 1000 and time.monotonic() > started + 0.005  # stopped; monotonic runs
        assert abs(_clock.wall() - real_datetime.now().timestamp()) < 5  # the library's clock: real time
    assert datetime_class is not real_datetime and datetime.datetime is real_datetime and time.time() != ms / 1000


def test_datetimes_made_before_the_clock_stopped_are_still_datetimes() -> None:
    """A date the database gave back (a real datetime) is returned as Date's JSON text under --clock."""
    made = datetime.datetime(2023, 11, 14, 22, 27, 20, tzinfo=datetime.timezone.utc)
    with _clock.frozen(1767323045678):
        assert isinstance(made, datetime.datetime) and isinstance(made, datetime.date)
        assert not isinstance(made.date(), datetime.datetime)
        assert node_dumps({"time": made}) == '{"time":"2023-11-14T22:27:20.000Z"}'


def test_the_librarys_token_bookkeeping_keeps_real_time_under_a_frozen_clock() -> None:
    """A token fetched before the clock stops in 2100 is still fresh for the cache (real time)."""
    emu = Emulator()
    app = cloud.Cloud()
    app.init(appid=EMULATOR_APPID, secret=EMULATOR_SECRET, tokenMode="classic", transport=emu.transport(), retry="off")
    params = {"openid": "o1", "scene": 2, "version": 2, "content": "a"}
    assert app.sync.openapi.security.msgSecCheck(params)["errCode"] == 0
    with _clock.frozen(4102444800000):  # 2100-01-01
        assert app.sync.openapi.security.msgSecCheck(params)["errCode"] == 0
    assert [r.path for r in emu.requests] == ["/cgi-bin/token", "/wxa/msg_sec_check", "/wxa/msg_sec_check"]


BUSY = {"api": "security.msgSecCheck", "error": -1, "errmsg": "system busy", "times": 1}


def test_python_makes_one_attempt_unless_retries_are_asked_for(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY)
    busy = scenario(tmp_path, BUSY)
    proc = cloud_compare(str(folder), str(folder), "--scenario", busy)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("agree") and "request 2" not in proc.stdout
    proc = cloud_compare(str(folder), str(folder), "--scenario", busy, "--retries")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"known difference ({RETRIED}): number of requests\n      Node:   1\n      Python: 2" in proc.stdout
    assert f"known difference ({RETRIED}): result.returned.errCode\n      Node:   -1\n      Python: 0" in proc.stdout
    assert "request 2: POST /wxa/msg_sec_check" in proc.stdout


def test_retries_never_hide_a_call_one_side_made() -> None:
    a = {"method": "POST", "path": "/wxa/msg_sec_check", "query": {}, "body": {"content": "a"}}
    b = {**a, "body": {"content": "b"}}
    node = Outcome(returned={"errCode": 0}, requests=[a, b])
    assert [d.where for d in compare(node, Outcome(returned={"errCode": 0}, requests=[a, a, b]), retries=True)] == [
        "number of requests"
    ]
    for python in ([a, a], [a], [a, b, a], [b, b]):
        found = compare(node, Outcome(returned={"errCode": 0}, requests=python), retries=True)
        assert [d for d in found if not d.known], python
    twice = Outcome(returned={"errCode": 0}, requests=[a, a])
    assert compare(twice, Outcome(returned={"errCode": 0}, requests=[a, a]), retries=True) == []
    found = compare(twice, Outcome(returned={"errCode": 0}, requests=[a, a, a]), retries=True)
    assert [(d.where, d.known) for d in found] == [("number of requests", RETRIED)]
    found = compare(twice, Outcome(returned={"errCode": 0}, requests=[a, a, a]))
    assert [(d.where, d.known) for d in found] == [("number of requests", None)]


def test_a_reply_without_api_wins_over_a_stub_for_the_api() -> None:
    emu = Emulator()
    load_scenario(emu, {"replies": [
        {"api": "security.msgSecCheck", "error": 87014},
        {"api": "security.msgSecCheck", "error": 40001, "times": 1},
        {"json": {"errcode": 0, "errmsg": "queued"}},
    ]})  # fmt: skip
    emu.stub("security.msgSecCheck", Scripted(200, {"errcode": 87015}))  # a later standing one replaces
    target = f"/wxa/msg_sec_check?access_token={emu.token}"
    answers = [json.loads(emu.handle("POST", target, {}, b"{}")[2])["errcode"] for _ in range(4)]
    assert answers == [0, 40001, 87015, 87015]


def test_the_testing_kit_stops_the_clock_for_its_block(tmp_path: Path) -> None:
    calling = CLOCK_PY.replace("import datetime, time", "import datetime, time\nimport cloud\ncloud.init()")
    calling = calling.replace(
        "    now = ", "    await cloud.openapi.security.msgSecCheck({'content': 'a'})\n    now = ", 1
    )
    folder = write(tmp_path / "fn", CLOCK_JS, calling)
    with cloud.testing.stubbed() as wx:
        wx.clock = "2026-01-02T03:04:05.678Z"
        assert wx.clock == 1767323045678
        result = wx.run(folder)
        assert result["id"] == "order1767323045678" and result["at"] == "2026-01-02T03:04:05.678Z"
        wx.assert_called("security.msgSecCheck")  # the library's calls work as before under it
        wx.clock = None
        assert wx.clock is None and abs(time.time() - _clock.wall()) < 1
        wx.clock = 1767323045000
        assert int(time.time() * 1000) == 1767323045000
    assert abs(time.time() - _clock.wall()) < 1 and datetime.datetime.now().year > 2000
    with pytest.raises(ValueError, match="neither an ISO 8601 instant"), cloud.testing.stubbed() as wx:
        wx.clock = "soon"


def test_a_reply_delayed_far_past_the_timeout_is_not_waited_for(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", CATCHING_JS, CATCHING_PY)
    late = scenario(tmp_path, {**SLOW, "delay": 120})
    started = time.monotonic()
    proc = cloud_compare(str(folder), str(folder), "--scenario", late, "--timeout", "0.3")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert time.monotonic() - started < 60 and "Traceback" not in proc.stderr


DATE_SURFACE_JS = """exports.main = async () => {
  const d = new Date()
  return { text: Date(), inst: d instanceof Date, ctor: d.constructor === Date, name: Date.name,
           utc: Date.UTC(2020, 0, 1), parsed: Date.parse('2020-01-01T00:00:00Z'),
           given: new Date('2021-05-05T00:00:00Z').toISOString(), year: new Date(2020, 0, 1).getFullYear() }
}
"""
DATE_SURFACE_PY = """async def main(event, context):
    return {"text": "Fri Jan 02 2026 03:04:05 GMT+0000 (Coordinated Universal Time)", "inst": True, "ctor": True,
            "name": "Date", "utc": 1577836800000, "parsed": 1577836800000, "given": "2021-05-05T00:00:00.000Z",
            "year": 2020}
"""


def test_the_stopped_date_keeps_the_rest_of_dates_surface(tmp_path: Path) -> None:
    folder = write(tmp_path / "fn", DATE_SURFACE_JS, DATE_SURFACE_PY)
    proc = cloud_compare(str(folder), str(folder), "--clock", "1767323045678", env={"TZ": "UTC"})
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("2026-01-02T03:04:05Z", 1767323045000),
        ("2026-01-02T03:04:05.678Z", 1767323045678),
        ("2026-01-02T03:04:05z", 1767323045000),
        ("2026-01-02T11:04:05+08:00", 1767323045000),
        ("1767323045678", 1767323045678),
    ],
)
def test_the_clock_reads_instants_as_the_help_writes_them_on_every_python(text: str, ms: int) -> None:
    """Python 3.10's ``fromisoformat`` reads no "Z" (3.11's does): ``--clock 2026-01-02T03:04:05Z``,
    the form the help text shows, failed there."""
    assert _clock.parse(text) == ms
