"""The local platform's one seam: what ``python -m cloud run``, :mod:`cloud.testing` and
``python -m cloud compare`` provide to every ``cloud`` instance (the emulator, a function's
permissions, an API base), for a block.

    with platform.provided(local.emulated()[1]):   # cloud/_run/local.py
        ...   # every instance, even one init'ed before the block, calls the emulator

The platform lives in a context variable, as the request context does: a block is seen by the
code it runs and by the tasks and threads that copy its context (``asyncio`` tasks,
``asyncio.to_thread``, the library's own threads), and by no other. An instance resolves its
config against the platform in force at each call; nothing process-wide is written, so blocks
nest and concurrent blocks (two tests, a payment callback beside a called function) stay apart.

``init`` and ``updateConfig`` made inside a block are the block's: they are kept in the block
and gone with it (``restore_instances=False`` keeps them for the enclosing block instead).
Provided defaults sit below init options and environment variables, above built-in defaults.
"""

from __future__ import annotations

import contextvars
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

State = tuple[bool, "tuple[Mapping[str, Any], str] | None"]
"""Whether an instance is initialised, and the options its config came from (and the call that gave them)."""


class Instance(Protocol):
    """What a block needs of an instance (:class:`cloud.Cloud`): to be told the block has ended."""

    def forget_platform(self, block: Platform) -> None: ...


@dataclass(eq=False)
class Platform:
    """One block's platform: its defaults (the enclosing block's with its own on top), the
    ``init``/``updateConfig`` state of each instance configured in it (None: such calls belong to
    the enclosing block), the enclosing block, and the instances that have called under it."""

    defaults: Mapping[str, Any]
    states: weakref.WeakKeyDictionary[Instance, State] | None = None
    outer: Platform | None = None
    users: weakref.WeakSet[Instance] = field(default_factory=weakref.WeakSet)

    def state_of(self, cloud: Instance) -> State | None:
        """The state this block (or one around it) keeps for ``cloud``; None: the instance's own."""
        block: Platform | None = self
        while block is not None:
            if block.states is not None and cloud in block.states:
                return block.states[cloud]
            block = block.outer
        return None

    def keeper(self) -> weakref.WeakKeyDictionary[Instance, State] | None:
        """Where ``init``/``updateConfig`` made now are kept; None: in the instance itself."""
        block: Platform | None = self
        while block is not None:
            if block.states is not None:
                return block.states
            block = block.outer
        return None


OUTSIDE = Platform(MappingProxyType({}))
"""No block: nothing provided, every instance's own state."""

_current: contextvars.ContextVar[Platform] = contextvars.ContextVar("cloud_platform")
_process = OUTSIDE  # what a context that never entered a block sees (see provided's process_wide)


def active() -> Platform:
    """The platform in force in this context."""
    return _current.get(_process)


@contextmanager
def provided(
    defaults: Mapping[str, Any], *, restore_instances: bool = True, process_wide: bool = False
) -> Iterator[Platform]:
    """For the block, the platform provides ``defaults`` on top of what it already provides, and
    every instance follows. ``init``/``updateConfig`` made in the block are undone after it
    (kept for the enclosing block with ``restore_instances=False``). ``process_wide`` (for a
    command that owns its process, as ``python -m cloud run`` does) makes it also what threads
    started without this context see, a user's own threads among them."""
    global _process
    outer = active()
    keeps: weakref.WeakKeyDictionary[Instance, State] | None = (
        weakref.WeakKeyDictionary() if restore_instances else None
    )
    block = Platform(MappingProxyType({**outer.defaults, **defaults}), keeps, outer)
    token = _current.set(block)
    saved, _process = _process, (block if process_wide else _process)
    try:
        yield block
    finally:
        _process = saved
        try:
            _current.reset(token)
        except ValueError:  # left in another context than it was entered in (an async fixture's)
            _current.set(outer)
        for cloud in list(block.users):
            cloud.forget_platform(block)


def current() -> Mapping[str, Any]:
    """What the platform provides now (a read-only copy)."""
    return MappingProxyType(dict(active().defaults))


class EveryAccount(Mapping[str, str]):
    """``credentials`` for every appid, as the cloud has a token for every account a function may
    act for (``cloud.openapi({"appid": X})``): each appid's "secret" is a stand-in that an
    emulator in ``any_token`` mode takes. Lists no appid, shows nothing."""

    every_account = True

    def __getitem__(self, appid: str) -> str:
        return f"local-platform-secret-for-{appid}"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "EveryAccount()"


def accounts(token: str) -> dict[str, Any]:
    """The token defaults of the local platform: ``token`` for the function's own account, and
    tokens for any other appid (from an emulator in ``any_token`` mode)."""
    return {"accessToken": token, "credentials": EveryAccount()}
