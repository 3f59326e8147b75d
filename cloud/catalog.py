"""The cloud-call catalogue: which HTTPS endpoint each API name maps to, read from ``data/``.

What an API is lives in ``data/catalog.json`` (botocore style); this module only loads and checks
it, once, and answers lookups.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

Method = Literal["GET", "POST"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """How one cloud-call API travels over HTTPS."""

    name: str
    method: Method
    path: str
    params_in: Literal["body"]
    response: Literal["json"]


@lru_cache(maxsize=1)
def load() -> dict[str, Endpoint]:
    """All catalogued APIs by cloud-call name (read once)."""
    raw = json.loads(resources.files(__package__).joinpath("data/catalog.json").read_text("utf-8"))
    if raw.get("format") != 1:
        raise ValueError(f"unsupported catalogue format {raw.get('format')!r}")
    return {name: _endpoint(name, entry) for name, entry in raw["apis"].items()}


def _endpoint(name: str, entry: dict[str, str]) -> Endpoint:
    method, path = entry["method"], entry["path"]
    params_in, response = entry.get("params_in", "body"), entry.get("response", "json")
    if method not in ("GET", "POST") or not path.startswith("/") or params_in != "body" or response != "json":
        raise ValueError(f"catalogue entry {name!r} is not supported: {entry!r}")
    return Endpoint(name, method, path, params_in, response)  # type: ignore[arg-type]


def lookup(name: str) -> Endpoint | None:
    return load().get(name)
