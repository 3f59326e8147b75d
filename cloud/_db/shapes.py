"""What editors and type checkers see of ``cloud.database()``: Node's results as TypedDicts, and
the async surface (awaitables) and the blocking one (``cloud.sync``) as Protocols over the same
objects. Types only: nothing here runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Protocol, TypedDict, TypeVar

from .geo import Geo
from .values import Command, Commands, RegExp, ServerDate

T = TypeVar("T")
Record = dict[str, Any]
"""A document as the database returns it."""
Condition = Mapping[str, Any] | Command


class DataParams(TypedDict):
    """``{"data": …}``, what ``add``, ``update`` and ``set`` take."""

    data: Any


class GetResult(TypedDict):
    data: list[Record]
    errMsg: str


class DocumentGetResult(TypedDict):
    data: Record | None
    errMsg: str


class AddResult(TypedDict, total=False):
    _id: str
    _ids: list[str]
    errMsg: str


class UpdatedStats(TypedDict):
    updated: int


class RemovedStats(TypedDict):
    removed: int


class SetStats(TypedDict):
    updated: int
    created: int


class UpdateResult(TypedDict):
    stats: UpdatedStats
    errMsg: str


class RemoveResult(TypedDict):
    stats: RemovedStats
    errMsg: str


class SetResult(TypedDict):
    _id: str
    stats: SetStats
    errMsg: str


class CountResult(TypedDict):
    total: int
    errMsg: str


class AggregateResult(TypedDict):
    list: list[Record]
    errMsg: str


Order = Literal["asc", "desc"]


class AsyncQuery(Protocol):
    def where(self, condition: Condition) -> AsyncQuery: ...
    def orderBy(self, field: str, order: Order = "asc") -> AsyncQuery: ...  # noqa: N802
    def limit(self, count: int) -> AsyncQuery: ...
    def skip(self, count: int) -> AsyncQuery: ...
    def field(self, projection: Mapping[str, Any]) -> AsyncQuery: ...
    def get(self) -> Awaitable[GetResult]: ...
    def count(self) -> Awaitable[CountResult]: ...
    def update(self, options: DataParams) -> Awaitable[UpdateResult]: ...
    def remove(self) -> Awaitable[RemoveResult]: ...


class AsyncAggregate(Protocol):
    def __getattr__(self, stage: str) -> Callable[[Any], AsyncAggregate]: ...
    def end(self) -> Awaitable[AggregateResult]: ...


class AsyncDocument(Protocol):
    def field(self, projection: Mapping[str, Any]) -> AsyncDocument: ...
    def get(self) -> Awaitable[DocumentGetResult]: ...
    def update(self, options: DataParams) -> Awaitable[UpdateResult]: ...
    def set(self, options: DataParams) -> Awaitable[SetResult]: ...
    def remove(self) -> Awaitable[RemoveResult]: ...


class AsyncCollection(AsyncQuery, Protocol):
    def doc(self, doc_id: str | int) -> AsyncDocument: ...
    def add(self, options: DataParams) -> Awaitable[AddResult]: ...
    def aggregate(self) -> AsyncAggregate: ...


class AsyncTransaction(Protocol):
    aborted: bool
    committed: bool

    def collection(self, name: str) -> AsyncCollection: ...
    def commit(self) -> Awaitable[dict[str, Any]]: ...
    def rollback(self, reason: Any = ...) -> Awaitable[dict[str, Any]]: ...


class AsyncDatabase(Protocol):
    command: Commands
    Geo: type[Geo]

    def collection(self, name: str) -> AsyncCollection: ...
    def createCollection(self, name: str) -> Awaitable[dict[str, Any]]: ...  # noqa: N802
    def serverDate(self, options: Mapping[str, Any] | None = None) -> ServerDate: ...  # noqa: N802
    def RegExp(self, options: Mapping[str, Any] | None = None, **kwargs: Any) -> RegExp: ...  # noqa: N802
    def startTransaction(self) -> Awaitable[AsyncTransaction]: ...  # noqa: N802
    def runTransaction(  # noqa: N802
        self, callback: Callable[[AsyncTransaction], Awaitable[T]], times: int = 3
    ) -> Awaitable[T]: ...


class SyncQuery(Protocol):
    def where(self, condition: Condition) -> SyncQuery: ...
    def orderBy(self, field: str, order: Order = "asc") -> SyncQuery: ...  # noqa: N802
    def limit(self, count: int) -> SyncQuery: ...
    def skip(self, count: int) -> SyncQuery: ...
    def field(self, projection: Mapping[str, Any]) -> SyncQuery: ...
    def get(self) -> GetResult: ...
    def count(self) -> CountResult: ...
    def update(self, options: DataParams) -> UpdateResult: ...
    def remove(self) -> RemoveResult: ...


class SyncAggregate(Protocol):
    def __getattr__(self, stage: str) -> Callable[[Any], SyncAggregate]: ...
    def end(self) -> AggregateResult: ...


class SyncDocument(Protocol):
    def field(self, projection: Mapping[str, Any]) -> SyncDocument: ...
    def get(self) -> DocumentGetResult: ...
    def update(self, options: DataParams) -> UpdateResult: ...
    def set(self, options: DataParams) -> SetResult: ...
    def remove(self) -> RemoveResult: ...


class SyncCollection(SyncQuery, Protocol):
    def doc(self, doc_id: str | int) -> SyncDocument: ...
    def add(self, options: DataParams) -> AddResult: ...
    def aggregate(self) -> SyncAggregate: ...


class SyncTransaction(Protocol):
    aborted: bool
    committed: bool

    def collection(self, name: str) -> SyncCollection: ...
    def commit(self) -> dict[str, Any]: ...
    def rollback(self, reason: Any = ...) -> dict[str, Any]: ...


class SyncDatabase(Protocol):
    command: Commands
    Geo: type[Geo]

    def collection(self, name: str) -> SyncCollection: ...
    def createCollection(self, name: str) -> dict[str, Any]: ...  # noqa: N802
    def serverDate(self, options: Mapping[str, Any] | None = None) -> ServerDate: ...  # noqa: N802
    def RegExp(self, options: Mapping[str, Any] | None = None, **kwargs: Any) -> RegExp: ...  # noqa: N802
    def startTransaction(self) -> SyncTransaction: ...  # noqa: N802
    def runTransaction(self, callback: Callable[[SyncTransaction], T], times: int = 3) -> T: ...  # noqa: N802
