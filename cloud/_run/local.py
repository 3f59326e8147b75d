"""The local platform: an in-process emulator, and what a platform block provides so that every
call made in it goes there (``python -m cloud run``, the testing kit, compare, ``emulator --functions``)."""

from __future__ import annotations

from typing import Any

from .._client import platform
from ..emulator import Emulator


def defaults(emulator: Emulator) -> dict[str, Any]:
    """What sends every call to ``emulator`` in-process: its token, tokens for any appid, and an
    in-process transport."""
    return {**platform.accounts(emulator.token), "transport": emulator.transport()}


def emulated(**options: Any) -> tuple[Emulator, dict[str, Any]]:
    """A new :class:`~cloud.emulator.Emulator` (``options`` passed on; ``any_token`` unless told
    otherwise), and the :func:`defaults` that send every call to it."""
    options.setdefault("any_token", True)
    emulator = Emulator(**options)
    return emulator, defaults(emulator)
