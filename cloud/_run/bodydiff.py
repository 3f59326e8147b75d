"""How a request body a test expected differs from the ones sent (the testing kit's messages)."""

from __future__ import annotations

import difflib
import json
from typing import Any


def canonical(value: Any) -> str:
    """``value`` as indented JSON with sorted keys (what is compared and shown)."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=repr)


def distance(expected: Any, sent: Any) -> float:
    """0 for the same body, up to 1 for nothing in common (the closest sent body is shown)."""
    return 1 - difflib.SequenceMatcher(None, canonical(expected), canonical(sent)).ratio()


def diff(expected: Any, sent: Any) -> str:
    """The lines that differ, as a unified diff."""
    lines = difflib.unified_diff(
        canonical(expected).splitlines(), canonical(sent).splitlines(), "expected", "sent", lineterm="", n=2
    )
    return "\n".join(list(lines)[2:])  # the ---/+++ header says nothing the message does not
