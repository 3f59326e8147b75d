"""What an emulator holds between requests, in one object: ``reset`` makes a fresh one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, overload

from ._pay import PayDesk
from ._records import Recorded
from ._stubs import Stubs
from ._tokens import EMULATOR_APPID, Tokens

T = TypeVar("T")


@dataclass(repr=False)  # no secrets or tokens in a repr
class State:
    """The log of requests, the scripted replies, and the token settings and tokens issued."""

    tokens: Tokens
    stubs: Stubs = field(default_factory=Stubs)
    requests: list[Recorded] = field(default_factory=list)
    request_count: int = 0
    unexpected: list[Recorded] = field(default_factory=list)
    pay: PayDesk = field(default_factory=lambda: PayDesk(EMULATOR_APPID))
    """Orders, refunds and cloudIDs (cloudPay, getOpenData)."""


class _Stateful(Protocol):
    _state: State


class InState(Generic[T]):
    """An attribute kept in the owner's ``_state`` (in ``_state.<part>`` when a part is given),
    so that a new state renews it."""

    def __init__(self, part: str | None = None) -> None:
        self._part = part

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def _holder(self, owner: _Stateful) -> Any:
        return owner._state if self._part is None else getattr(owner._state, self._part)

    @overload
    def __get__(self, obj: None, objtype: type) -> InState[T]: ...
    @overload
    def __get__(self, obj: _Stateful, objtype: type) -> T: ...
    def __get__(self, obj: _Stateful | None, objtype: type) -> InState[T] | T:
        return self if obj is None else getattr(self._holder(obj), self._name)

    def __set__(self, obj: _Stateful, value: T) -> None:
        setattr(self._holder(obj), self._name, value)
