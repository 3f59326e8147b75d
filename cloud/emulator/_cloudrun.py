"""Cloud Run's open-interface service, as the emulator models it (``Emulator(cloudrun=True)``):
plain http, no token (the service adds it: a token sent is refused), a whitelist of APIs (HTTP
502 for the others), ``from_appid`` checked against the accounts it knows, and an
``x-openapi-seqid`` header on what it passes on."""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from ._replies import Reply, error
from ._stubs import Scripted, endpoint_of

NOT_WHITELISTED = Scripted(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")


def whitelist_of(value: Any) -> frozenset[str] | None:
    """API names from a list, a comma list, a config.json (its ``permissions.openapi``) as a
    mapping or a file's path; None: every API. ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, str) and value.endswith(".json"):
        value = json.loads(Path(value).read_text("utf-8"))
    if isinstance(value, str):
        value = [name.strip() for name in value.split(",") if name.strip()]
    if isinstance(value, Mapping):
        value = value.get("permissions", value)
        value = value.get("openapi") if isinstance(value, Mapping) else None
    if not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        raise ValueError("a whitelist is a list of API names, or a config.json with permissions.openapi")
    names = list(value)
    if not all(isinstance(name, str) for name in names):
        raise ValueError("a whitelist is a list of API names (strings)")
    return frozenset(names)


def whitelisted_paths(names: Collection[str]) -> frozenset[tuple[str, str]]:
    """The (method, path) of each whitelisted API: any of its names (``uploadFile``,
    ``callFunction``, ``collection.get`` … included), or its path (``/tcb/uploadfile``), as the
    console lists it (a path is allowed with every method)."""
    out: set[tuple[str, str]] = set()
    for name in names:
        if name.startswith("/"):
            out.update((method, name) for method in ("GET", "POST"))
            continue
        try:
            out.add(endpoint_of(name))
        except ValueError:
            continue  # a name the catalogue does not know allows nothing
    return frozenset(out)


def refusal(
    method: str, path: str, query: Mapping[str, str], allowed: frozenset[tuple[str, str]] | None, apps: Collection[str]
) -> tuple[int, Reply | Scripted] | None:
    """None when the service passes the call on, else its answer."""
    if allowed is not None and (method, path) not in allowed:
        return 502, NOT_WHITELISTED
    if "access_token" in query or "cloudbase_access_token" in query:
        return 200, error(40001, "invalid credential: the open-interface service adds the token, send none")
    appid = query.get("from_appid")
    if appid is not None and appid not in apps:
        return 200, error(48001, f"api unauthorized: from_appid {appid[:40]} shares no resources with this environment")
    return None


def seqid() -> tuple[str, str]:
    """The header the service adds to what it passed on."""
    return "x-openapi-seqid", secrets.token_hex(12)
