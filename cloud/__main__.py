"""``python -m cloud``: run a ported cloud function, or serve the emulator.

python -m cloud run samples/invoke_service [--event JSON|@FILE] [--context JSON|@FILE] [--scenario FILE]
python -m cloud emulator [--host 127.0.0.1] [--port 8080] [--token TOKEN] [--data DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import _runner as runner
from ._jsjson import node_dumps
from .emulator import EMULATOR_ACCESS_TOKEN, EMULATOR_APPID, EMULATOR_SECRET, Emulator, load_scenario
from .emulator._scenario import parse as parse_scenario
from .emulator.server import run as run_server
from .errors import CloudSDKError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloud", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a ported cloud function and print what its caller receives")
    run.add_argument("function", help="the function's folder (with index.py) or its .py file")
    run.add_argument("--event", help="the event, as JSON or @file.json (default: the scenario's, else {})")
    run.add_argument("--context", help='what getWXContext() returns, as JSON or @file.json: {"OPENID": ...}')
    run.add_argument("--scenario", help="a JSON file of the emulator's replies (the format of compare's --scenario)")
    run.add_argument("--api-base", help="send calls to this base URL instead of api.weixin.qq.com")
    emu = commands.add_parser("emulator", help="serve the WeChat API emulator over HTTP")
    emu.add_argument("--host", default="127.0.0.1")
    emu.add_argument("--port", type=int, default=8080)
    emu.add_argument("--token", default=EMULATOR_ACCESS_TOKEN, help="a fixed access token it accepts")
    emu.add_argument(
        "--cloudrun", action="store_true", help="model Cloud Run's open-interface service: no token, a whitelist"
    )
    emu.add_argument("--whitelist", help="with --cloudrun: the APIs passed on (comma list, or a config.json)")
    emu.add_argument("--scenario", help="a JSON file of replies per API (the format of compare's --scenario)")
    emu.add_argument("--strict", action="store_true", help="refuse calls to APIs the scenario does not stub (48001)")
    emu.add_argument("--data", help="keep the database's documents in this folder (default: in memory)")
    cmp = commands.add_parser("compare", help="run a Node function and its Python port, show every difference")
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
    cmp.add_argument("--scenario", help='a JSON file: {"event": ..., "replies": [{status, contentType, json|body}]}')
    cmp.add_argument("--sdk-version", default=None, help="wx-server-sdk version (default 4.0.2)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "compare":
        return _compare(args)
    return _emulator(args)


def _compare(args: argparse.Namespace) -> int:
    from . import _compare as compare

    try:
        event, context, scenario = _inputs(args)
    except (OSError, ValueError, runner.RunError) as exc:
        print(f"cloud compare: {exc}", file=sys.stderr)
        return 2
    try:
        version = args.sdk_version or compare.DEFAULT_SDK_VERSION
        report = compare.run(args.node, args.python, event, scenario, version, context=context, ignore=args.ignore)
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


def _text(value: str) -> str:
    """A JSON argument: as given, or the file ``@path`` names."""
    return Path(value[1:]).read_text("utf-8") if value.startswith("@") else value


def _run(args: argparse.Namespace) -> int:
    try:
        event, context, scenario = _inputs(args)
    except (OSError, ValueError, runner.RunError) as exc:  # an unreadable @file, a bad scenario
        print(f"cloud run: {exc}", file=sys.stderr)
        return 2
    if event is None:
        event = (scenario or {}).get("event", {})
    try:
        output = runner.run(args.function, event, api_base=args.api_base, context=context, scenario=scenario)
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
            "(GET requests, POST scenario, POST reset); Ctrl-C stops it",
            file=sys.stderr,
            flush=True,
        )

    try:
        emulator = Emulator(
            args.token, cloudrun=args.cloudrun, strict=args.strict, whitelist=args.whitelist, data=args.data
        )
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"cloud emulator: --whitelist or --data: {exc}", file=sys.stderr)
        return 2
    if args.scenario:
        try:
            load_scenario(emulator, parse_scenario(Path(args.scenario).read_text("utf-8")))
        except (OSError, ValueError) as exc:  # ScenarioError is a ValueError
            print(f"cloud emulator: {args.scenario}: {exc}", file=sys.stderr)
            return 2
    try:
        run_server(emulator, args.host, args.port, announce)
    except OSError as exc:  # the port is taken, the host is not this machine's, ...
        print(f"cloud emulator: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
