"""The Python side of ``python -m cloud compare``, the twin of ``node_side.js``: runs a port's
index.py with the function runner against the emulator, in a process of its own.

usage: ``python -m cloud._compare.python_side <index.py> <event-json> <api-base> <token> [<settings-json>]``
(settings: ``{"clock": ms, "timeout": seconds, "retries": bool}``, see ``sides.Settings``); prints one
line: ``{"result": <main's return>}`` or ``{"thrown": <the error>}``; a function that cannot be
run exits with its reason.
"""

from __future__ import annotations

import json
import sys
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
    index_py, event, api_base, token, *rest = argv
    settings = json.loads(rest[0]) if rest else {}
    try:
        provided = defaults(token, settings)
        out = runner.run(index_py, json.loads(event), api_base=api_base, defaults=provided, clock=settings.get("clock"),
                         process_wide=True)  # fmt: skip
        print("\n" + json.dumps({"result": json.loads(out)}))
    except CloudSDKError as err:
        print("\n" + json.dumps({"thrown": err.to_dict()}))
    except runner.RunError as exc:
        sys.exit(f"cloud run: {exc}")
    except Exception as exc:  # the port's own error, reported as Node reports a thrown Error
        print("\n" + json.dumps({"thrown": {"exception": f"{type(exc).__name__}: {exc}"}}))


if __name__ == "__main__":
    main(sys.argv[1:])
