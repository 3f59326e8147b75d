"""What the database, storage and function calls of a side did: compared by effect, not request
by request (the Node SDK's database actions and our statements differ in form).

Before each side, :func:`prepare` gives the emulator one starting point: new ``_id`` s and function
request ids counted from 1, and ``db.serverDate()`` and the storage's clock (temporary URLs'
expiry) stopped at one instant, so both sides can make the same documents and URLs. After it,
:func:`snapshot` reads back every collection's documents and every stored file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from typing import Any

from ..emulator import Emulator, Recorded
from ..emulator._dbstore import to_stored
from ..emulator._storage import COS_PREFIX
from .cloudbase import EFFECT_PATHS


def prepare(emulator: Emulator, instant_ms: int) -> None:
    """Empty files, ids counted from 1, and ``instant_ms`` as the database's and storage's clock."""
    emulator.files.clear()
    ids, requests = itertools.count(1), itertools.count(1)
    emulator.database.new_id = lambda: f"{next(ids):032x}"
    emulator.functions.new_request_id = lambda: f"compare-request-{next(requests)}"
    instant = dt.datetime.fromtimestamp(instant_ms / 1000, dt.timezone.utc)
    emulator.database.clock = lambda: instant
    emulator.files.clock = lambda: instant_ms / 1000


def by_effect(recorded: Recorded) -> bool:
    """Whether a request is compared by its effect: the database, storage and function APIs, and
    the storage server's URLs."""
    return recorded.path in EFFECT_PATHS or recorded.path.startswith(COS_PREFIX)


def call_view(recorded: Recorded) -> str:
    return f"{recorded.method} {recorded.path}"


def snapshot(emulator: Emulator) -> dict[str, Any]:
    """Every collection's documents by ``_id`` (as stored: dates as ``{"$date": ms}``) and every stored file
    (its size and SHA-256), by ``<env>/<path>``."""
    store = emulator.database.store
    database = {name: sorted((to_stored(doc) for doc in store.documents(name)), key=lambda d: str(d.get("_id")))
                for name in store.names()}  # by _id: calls made together insert in either order  # fmt: skip
    root = emulator.files.root
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.endswith(".part"):
            content = path.read_bytes()
            files[path.relative_to(root).as_posix()] = {"bytes": len(content),
                                                       "sha256": hashlib.sha256(content).hexdigest()}  # fmt: skip
    return {"database": database, "files": files}
