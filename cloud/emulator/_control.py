"""The control endpoint, ``/__emulator/...``: how tests in any language drive the HTTP emulator
(the server answers it to loopback peers only).

- ``GET /__emulator/requests``: the request log as JSON, tokens and secrets as ``***``.
- ``POST /__emulator/scenario``: load a scenario (400 with the reason if it is wrong).
- ``POST /__emulator/reset``: no stubs, no log, no tokens issued.
"""

from __future__ import annotations

from typing import Protocol

from ._records import Recorded
from ._replies import Answer, json_answer
from ._scenario import Scriptable, load_scenario, parse

CONTROL_PREFIX = "/__emulator/"


class Controlled(Scriptable, Protocol):
    """What the control endpoint drives: the emulator."""

    @property
    def requests(self) -> list[Recorded]: ...
    def reset(self) -> None: ...


def control(emulator: Controlled, method: str, action: str, body: bytes) -> Answer:
    """The reply to ``method /__emulator/<action>``."""
    if (method, action) == ("GET", "requests"):
        return json_answer(200, {"requests": [r.public() for r in list(emulator.requests)]})
    if (method, action) == ("POST", "reset"):
        emulator.reset()
        return json_answer(200, {"ok": True})
    if (method, action) == ("POST", "scenario"):
        try:
            load_scenario(emulator, parse(body or b"null"))
        except ValueError as exc:  # ScenarioError is one
            return json_answer(400, {"error": str(exc)})
        return json_answer(200, {"ok": True})
    return json_answer(404, {"error": "the control endpoint has GET requests, POST reset, POST scenario"})
