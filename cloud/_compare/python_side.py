"""The Python side of ``python -m cloud compare``, the twin of ``node_side.js``: runs a port's
index.py with the function runner against the emulator, in a process of its own.

usage: ``python -m cloud._compare.python_side <index.py> <event-file> <outcome-file> <api-base> <token>
[<settings-json>]`` (settings: ``{"clock": ms, "timeout": seconds, "retries": bool}``, see
``sides.Settings``); writes to ``<outcome-file>`` (not stdout, which the function shares)
``{"result": <main's return>}`` or ``{"thrown": <the error>}`` (main past its time limit: a thrown
``TimeLimitError``), then ends at once; a function that cannot be run exits with its reason.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from .._client import platform
from .._run import cli as runner
from ..errors import CloudSDKError


def defaults(token: str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the platform provides this side: the emulator's token, tokens for any appid, one
    attempt per call as Node makes unless ``retries``, and the ``timeout`` given (the port's own
    ``init(retry=..., timeout=...)`` still wins)."""
    settings = settings or {}
    provided = {**platform.accounts(token)}
    if not settings.get("retries"):
        provided["retry"] = "off"
    if settings.get("timeout") is not None:
        provided["timeout"] = settings["timeout"]
    return provided


def main(argv: list[str]) -> None:
    index_py, event_file, outcome_file, api_base, token, *rest = argv
    settings = json.loads(rest[0]) if rest else {}
    event = json.loads(Path(event_file).read_text("utf-8"))
    try:
        provided = defaults(token, settings)
        out = runner.run(index_py, event, api_base=api_base, defaults=provided, clock=settings.get("clock"),
                         limited=True, process_wide=True)  # fmt: skip
        line: dict[str, Any] = {"result": json.loads(out)}
    except CloudSDKError as err:
        line = {"thrown": err.to_dict()}
    except runner.TimeLimitError as exc:  # the cloud stops main there: as the Node side reports it
        limit = str(exc).split(" within ", 1)[-1].split(" s", 1)[0]
        line = {"thrown": {"exception": f"TimeLimitError: main did not return within {limit} s"}}
    except runner.RunError as exc:
        sys.exit(f"cloud run: {exc}")
    except Exception as exc:  # the port's own error, reported as Node reports a thrown Error
        line = {"thrown": {"exception": f"{type(exc).__name__}: {exc}"}}
    Path(outcome_file).write_text(json.dumps(line), "utf-8")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no atexit hook, no thread of main's still running, writes after the outcome


if __name__ == "__main__":
    main(sys.argv[1:])
