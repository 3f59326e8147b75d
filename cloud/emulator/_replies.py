"""What the emulator answers: the reply type, WeChat's error form, and the made-up success replies
of the catalogued APIs (OcrAllInOne, a PNG code, the documented example, or plain ok)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import _servicemarket as servicemarket
from ._images import code_png

WECHAT_JSON = "application/json; encoding=utf-8"
Reply = dict[str, Any] | tuple[str, bytes]
"""A JSON reply, or (content type, bytes)."""


@dataclass(frozen=True)
class Answer:
    """The emulator's reply to one request, and how long to wait before giving it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float = 0.0


def json_answer(status: int, data: Any, content_type: str = "application/json") -> Answer:
    body = json.dumps(data, ensure_ascii=False, allow_nan=False).encode()
    return Answer(status, [("content-type", content_type)], body)


def error(code: int, message: str) -> dict[str, Any]:
    """WeChat's error reply: ``errmsg`` ends with a request id, as WeChat's do."""
    return {"errcode": code, "errmsg": f"{message} rid: {_rid()}"}


def emulated(name: str, params: dict[str, Any]) -> Reply:
    """The reply to a good call of the API ``name`` with ``params``."""
    if name == "serviceMarket.invokeService":
        answered = servicemarket.answer(params)
        if answered.get("errcode"):
            answered["errmsg"] += f" rid: {_rid()}"
        return answered
    if name.startswith("wxacode."):
        return "image/png", code_png(json.dumps(params, sort_keys=True, ensure_ascii=False))
    example = _examples().get(name)
    return json.loads(json.dumps(example)) if example is not None else {"errcode": 0, "errmsg": "ok"}


@lru_cache(maxsize=1)
def _examples() -> dict[str, dict[str, Any]]:
    """The documented success reply of each API that has one (``data/examples.json``)."""
    text = (Path(__file__).parent / "data" / "examples.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))
