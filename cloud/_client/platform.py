"""The local platform's one seam: what ``python -m cloud run``, :mod:`cloud.testing` and
``python -m cloud compare`` provide to every ``cloud`` instance (the emulator, a function's
permissions, an API base), for a block.

    with platform.provided(platform.emulated()[1]):
        ...   # every instance, even one init'ed before the block, calls the emulator

Provided defaults sit below init options and environment variables, above built-in defaults.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from ..emulator import Emulator
from . import instance


@contextmanager
def provided(defaults: Mapping[str, Any], *, restore_instances: bool = True) -> Iterator[None]:
    """For the block, the platform provides ``defaults`` on top of what it already provides, and
    every configured instance follows. After it, even when it raises: the previous platform, and
    each instance's ``init``/``updateConfig`` state as the block found it (kept instead with
    ``restore_instances=False``, for a function run inside a testing block)."""
    saved = dict(instance.PLATFORM_DEFAULTS)
    states = {cloud: cloud.save_state() for cloud in instance.instances()} if restore_instances else {}
    try:
        instance.PLATFORM_DEFAULTS.update(defaults)
        instance.platform_changed()
        yield
    finally:
        instance.PLATFORM_DEFAULTS.clear()
        instance.PLATFORM_DEFAULTS.update(saved)
        for cloud, state in states.items():
            cloud.restore_state(state)
        instance.platform_changed()


def current() -> Mapping[str, Any]:
    """What the platform provides now (a read-only copy)."""
    return MappingProxyType(dict(instance.PLATFORM_DEFAULTS))


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


def emulated(**options: Any) -> tuple[Emulator, dict[str, Any]]:
    """A new :class:`~cloud.emulator.Emulator` (``options`` passed on; ``any_token`` unless told
    otherwise), and the defaults that send every call to it in-process: its token, tokens for
    any appid, and an in-process transport."""
    options.setdefault("any_token", True)
    emulator = Emulator(**options)
    return emulator, {**accounts(emulator.token), "transport": emulator.transport()}
