"""The control endpoint, ``/__emulator/...``: how tests in any language drive the HTTP emulator
(the server answers it to loopback peers only).

- ``GET /__emulator/requests``: the request log as JSON, tokens and secrets as ``***``.
- ``POST /__emulator/scenario``: load a scenario (400 with the reason if it is wrong).
- ``POST /__emulator/reset``: no stubs, no log, no tokens issued.
- ``POST /__emulator/pay/notify`` ``{"outTradeNo": ...}``: pay the order and deliver its payment
  notification to the callback it named; the reply says what it answered and whether WeChat
  would retry (``accepted``, ``retry``). 404: no such order; 400: nowhere to send it.
"""

from __future__ import annotations

import json
from typing import Protocol

from ._notify import Delivery, NotifyError
from ._records import Recorded
from ._replies import Answer, json_answer
from ._scenario import Scriptable, load_scenario, parse

CONTROL_PREFIX = "/__emulator/"


class Controlled(Scriptable, Protocol):
    """What the control endpoint drives: the emulator."""

    @property
    def requests(self) -> list[Recorded]: ...
    def reset(self) -> None: ...
    def notify_payment(self, out_trade_no: str) -> Delivery: ...


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
    if (method, action) == ("POST", "pay/notify"):
        return _notify(emulator, body)
    return json_answer(
        404, {"error": "the control endpoint has GET requests, POST reset, POST scenario, POST pay/notify"}
    )


def _notify(emulator: Controlled, body: bytes) -> Answer:
    try:
        asked = json.loads(body or b"null")
    except ValueError:
        asked = None
    number = asked.get("outTradeNo", asked.get("out_trade_no")) if isinstance(asked, dict) else None
    if not isinstance(number, str):
        return json_answer(400, {"error": 'the body names the order: {"outTradeNo": "..."}'})
    try:
        return json_answer(200, emulator.notify_payment(number).to_dict())
    except NotifyError as exc:
        return json_answer(400, {"error": str(exc)})
    except KeyError as exc:
        return json_answer(404, {"error": exc.args[0]})
