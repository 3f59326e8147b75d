"""``python -m cloud``: run a ported cloud function, compare it with its Node original, or serve
the emulator.

python -m cloud run samples/invoke_service [--event JSON|@FILE] [--context JSON|@FILE] [--scenario FILE]
    [--clock WHEN]
python -m cloud compare NODE PY [--event ..] [--context ..] [--scenario FILE] [--clock WHEN] [--timeout S]
    [--retries] [--strict] [--tz ZONE]
python -m cloud emulator [--host 127.0.0.1] [--port 8080] [--token TOKEN] [--scenario FILE [--strict]]
    [--data DIR] [--functions DIR] [--service NAME=URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._client import platform
from ._compare.sides import DEFAULT_SDK_VERSION
from ._core import clock as clock_
from ._js.json import node_dumps
from ._run import cli as runner
from ._run.local import defaults as defaults_of
from .emulator import EMULATOR_ACCESS_TOKEN, EMULATOR_APPID, EMULATOR_SECRET, Emulator, load_scenario
from .emulator._scenario import parse as parse_scenario
from .emulator.server import run as run_server
from .errors import CloudSDKError

DESCRIPTION = "Run a ported cloud function, compare it with its Node original, or serve the WeChat API emulator."

CLOCK_HELP = "stop the function's clock at this instant: 2026-01-02T03:04:05Z or epoch milliseconds"


SCENARIO_HELP = (
    'a scenario file (JSON) scripting the emulator\'s replies: {"event": {...}, "replies": [...]}; a reply '
    'with "api" answers that API (the next "times" calls, or every call), one without answers the next '
    'request; its body is "json", "body" (text), "bodyBase64" or "error" (an errcode, with "errmsg"), by '
    'default {"errcode":0,"errmsg":"ok"}; also "status", "contentType", "delay" (seconds)'
)
EXIT_RUN = "exit status: 0 main returned, 1 it threw a CloudSDKError (its JSON is printed), 2 it could not be run"
EXIT_COMPARE = "exit status: 0 both sides agree, 1 they differ, 2 the comparison could not be run"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m cloud", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, metavar="{run,emulator,compare}")
    _run_parser(commands)
    _emulator_parser(commands)
    _compare_parser(commands)
    return parser


def _run_parser(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="run a ported cloud function and print what its caller receives",
        description="Load index.py, call main(event, context) and print, as JSON, what a Node caller receives. "
        "With no token source (WX_ACCESS_TOKEN, WX_SECRET, WX_TOKEN_MODE) and no API base, calls go to "
        "the in-process emulator. The folder's config.json permissions apply, as in the cloud.",
        epilog=EXIT_RUN,
    )
    run.add_argument("function", help="the function's folder (with index.py) or its .py file")
    run.add_argument("--event", help="the event, as JSON or @file.json (default: the scenario's, else {})")
    run.add_argument("--context", help='what getWXContext() returns, as JSON or @file.json: {"OPENID": ...}')
    run.add_argument("--scenario", metavar="FILE", help=SCENARIO_HELP + "; only with the in-process emulator")
    run.add_argument("--clock", metavar="WHEN", help=CLOCK_HELP)
    run.add_argument(
        "--api-base",
        metavar="URL",
        help="send the calls to this base URL (a running emulator: http://127.0.0.1:8080) instead of the "
        "in-process emulator; give it a token source too (WX_APPID and WX_SECRET, or WX_ACCESS_TOKEN)",
    )


def _emulator_parser(commands: Any) -> None:
    emu = commands.add_parser(
        "emulator",
        help="serve the WeChat API emulator over HTTP",
        description="Serve the WeChat API emulator over HTTP until Ctrl-C, with its control endpoint "
        f"/__emulator/ (loopback only). Besides --token it accepts appid {EMULATOR_APPID} with secret "
        f"{EMULATOR_SECRET}. Exit status 2: it could not start (a bad --scenario or --whitelist, the "
        "port in use).",
    )
    emu.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: %(default)s)")
    emu.add_argument("--port", type=int, default=8080, help="the port (default: %(default)s; 0: any free port)")
    emu.add_argument(
        "--token", default=EMULATOR_ACCESS_TOKEN, help="an access token it always accepts (default: %(default)s)"
    )
    emu.add_argument(
        "--cloudrun", action="store_true", help="model Cloud Run's open-interface service: no token, a whitelist"
    )
    emu.add_argument(
        "--whitelist", help="with --cloudrun: the APIs passed on (a comma list, or a config.json; default: all)"
    )
    emu.add_argument("--scenario", metavar="FILE", help=SCENARIO_HELP + '; its "event" is not used here')
    emu.add_argument("--strict", action="store_true", help="answer APIs the scenario does not stub with 48001")
    emu.add_argument(
        "--data",
        metavar="DIR",
        help="keep the database and cloud storage in DIR (default: in memory and a temporary folder)",
    )
    emu.add_argument(
        "--functions",
        metavar="DIR",
        help="a folder of function folders: what callFunction and payment notifications run",
    )
    emu.add_argument(
        "--service",
        action="append",
        default=[],
        metavar="NAME=URL",
        help="where notifications to Cloud Run service NAME go (its base URL); repeatable",
    )


def _compare_parser(commands: Any) -> None:
    cmp = commands.add_parser(
        "compare",
        help="run a Node function and its Python port, show every difference",
        description="Run the Node function with the real wx-server-sdk and its Python port on the same event "
        "against the same scripted emulator; print what each returned and called, and every difference.",
        epilog=EXIT_COMPARE,
    )
    cmp.add_argument("node", help="the Node function's folder or index.js")
    cmp.add_argument("python", help="the Python port's folder or index.py")
    cmp.add_argument("--event", help="the event, as JSON or @file.json (default: the scenario's, else {})")
    cmp.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="PATH",
        help="a value you know varies, as the report names it (result.returned.id); repeatable",
    )
    cmp.add_argument("--context", help="what getWXContext() returns on both sides, as JSON or @file.json")
    cmp.add_argument("--scenario", metavar="FILE", help=SCENARIO_HELP)
    cmp.add_argument(
        "--sdk-version", default=DEFAULT_SDK_VERSION, help="the wx-server-sdk version to run (default: %(default)s)"
    )
    cmp.add_argument("--clock", metavar="WHEN", help=CLOCK_HELP + " on both sides (Date.now() in Node)")
    cmp.add_argument(
        "--timeout", type=float, help="seconds a call waits on both sides when the function's init sets none (15)"
    )
    cmp.add_argument(
        "--retries", action="store_true", help="Python retries as in production (default: one attempt, as Node)"
    )
    cmp.add_argument("--strict", action="store_true", help="errors of the functions' own code differ by their text too")
    cmp.add_argument("--tz", metavar="ZONE", help="both sides' local time zone (Asia/Shanghai; default: the machine's)")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "compare":
        return _compare(args)
    return _emulator(args)


def _compare(args: argparse.Namespace) -> int:
    from . import _compare as compare

    try:
        event, context, scenario = _inputs(args)
        if args.timeout is not None and not 0 < args.timeout <= 86400:
            raise ValueError(f"--timeout must be seconds, more than 0 and at most a day, got {args.timeout:g}")
        settings = compare.Settings(_clock(args), args.timeout, args.retries, args.strict, _zone(args.tz))
    except (OSError, ValueError, runner.RunError) as exc:
        print(f"cloud compare: {exc}", file=sys.stderr)
        return 2
    try:
        report = compare.run(args.node, args.python, event, scenario, args.sdk_version,
                             context=context, ignore=args.ignore, settings=settings)  # fmt: skip
    except compare.SetupError as exc:
        print(f"cloud compare: {exc}", file=sys.stderr)
        return 2
    print(report.text())
    return 0 if report.agree else 1


def _inputs(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """The event, context and scenario the command line gives (``@file`` read), checked."""
    scenario = None if args.scenario is None else parse_scenario(Path(args.scenario).read_text("utf-8"))
    event = None if args.event is None else runner.parse_event(_text(args.event), "--event")
    context = None if args.context is None else runner.parse_event(_text(args.context), "--context")
    if context is not None:
        runner.loader.context_environ(context)  # checked before anything runs
    return event, context, scenario


def _zone(name: str | None) -> str | None:
    """``--tz``: an IANA time zone name, checked (ValueError saying what it takes)."""
    if name is None:
        return None
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"--tz takes a time zone name such as Asia/Shanghai, not {name!r}") from None
    return name


def _clock(args: argparse.Namespace) -> int | None:
    """``--clock`` as epoch milliseconds (ValueError saying what it takes)."""
    return None if args.clock is None else clock_.parse(args.clock)


def _text(value: str) -> str:
    """A JSON argument: as given, or the file ``@path`` names."""
    return Path(value[1:]).read_text("utf-8") if value.startswith("@") else value


def _run(args: argparse.Namespace) -> int:
    try:
        event, context, scenario = _inputs(args)
        clock = _clock(args)
    except (OSError, ValueError, runner.RunError) as exc:  # an unreadable @file, a bad scenario
        print(f"cloud run: {exc}", file=sys.stderr)
        return 2
    if event is None:
        event = (scenario or {}).get("event", {})
    try:
        output = runner.run(
            args.function,
            event,
            api_base=args.api_base,
            context=context,
            scenario=scenario,
            clock=clock,
            limited=True,
            process_wide=True,  # this process runs one function: its own threads see the platform too
        )
    except runner.TimeLimitError as exc:  # main still runs: end the process now, not when main (or its threads) end
        print(f"cloud run: {exc}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(2)
    except runner.RunError as exc:
        print(f"cloud run: {exc}", file=sys.stderr)
        return 2
    except CloudSDKError as exc:  # thrown out of main, not returned: the caller sees the error
        print(f"cloud run: the function threw {exc}", file=sys.stderr)
        print(node_dumps(exc))
        return 1
    print(output)
    return 0


def _emulator(args: argparse.Namespace) -> int:
    def announce(base_url: str) -> None:
        print(
            f"WeChat API emulator on {base_url}: access token {args.token}, or appid "
            f"{EMULATOR_APPID} with secret {EMULATOR_SECRET}; control endpoint {base_url}/__emulator/ "
            "(GET requests, POST scenario, POST reset, POST pay/notify); Ctrl-C stops it",
            file=sys.stderr,
            flush=True,
        )

    try:
        emulator = Emulator(args.token, cloudrun=args.cloudrun, strict=args.strict, whitelist=args.whitelist,
                            data=args.data, functions=args.functions)  # fmt: skip
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"cloud emulator: --whitelist/--data: {exc}", file=sys.stderr)
        return 2
    for pair in args.service:
        name, _, url = pair.partition("=")
        if not name or not url.startswith(("http://", "https://")):
            print(f"cloud emulator: --service {pair}: expected NAME=http://host:port", file=sys.stderr)
            return 2
        emulator.payment_targets[name] = url
    emulator.function_runner = _callbacks_run_here(emulator, args.cloudrun)
    if args.scenario:
        try:
            load_scenario(emulator, parse_scenario(Path(args.scenario).read_text("utf-8")))
        except (OSError, ValueError) as exc:  # ScenarioError is a ValueError
            print(f"cloud emulator: {args.scenario}: {exc}", file=sys.stderr)
            return 2
    from ._client import platform

    # the functions callFunction runs here make their own cloud calls to this emulator, in-process
    local = defaults_of(emulator) if args.functions else {}
    try:
        with platform.provided(local, process_wide=True):  # the server's threads and the callees' see it
            run_server(emulator, args.host, args.port, announce)
    except OSError as exc:  # the port is taken, the host is not this machine's, ...
        print(f"cloud emulator: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _callbacks_run_here(emulator: Emulator, cloudrun: bool) -> Callable[[Path, dict[str, Any]], Any]:
    """Payment callback functions run as ``python -m cloud run`` runs them, their calls answered by
    ``emulator`` in-process (on Cloud Run's terms with ``cloudrun``)."""
    tokens: dict[str, Any] = {"tokenMode": "cloudrun"} if cloudrun else platform.accounts(emulator.token)
    defaults = {**tokens, "transport": emulator.transport()}
    return lambda folder, event: json.loads(runner.run(folder, event, defaults=defaults))


if __name__ == "__main__":
    sys.exit(main())
