"""9. The emulator's document store at size: ``doc(id).get()`` at 100,000 documents against the same
at 1,000 (an indexed lookup: it should not grow with the collection; target ≤ 2×), ``where()`` on a
field with no index at 100,000 documents (a scan; reported), and how long an unrelated call waits
while a catastrophic regular expression runs (target ≤ 100 ms, the regex's time limit bounding it).
Each timing is the median of repeats of the emulator's database answering a statement in-process.
"""

from __future__ import annotations

import json
import threading
import time

from common import Row, Timing, interleaved, measure, print_rows

from cloud._db.values import RegExp, statement
from cloud.emulator._database import LocalDatabase


def _database(size: int) -> LocalDatabase:
    db = LocalDatabase()
    db.answer("/tcb/databasecollectionadd", b'{"collection_name":"c"}')
    db.seed({"c": [{"_id": f"{i:08d}", "n": i, "s": "a" * 30 + "!"} for i in range(size)]})
    return db


def _ask(db: LocalDatabase, path: str, *calls: tuple[str, tuple[object, ...]]) -> dict[str, object]:
    body = json.dumps({"query": statement([("collection", ("c",)), *calls])}).encode()
    return db.answer(f"/tcb/database{path}", body)


def _waited_beside_a_bad_regex(db: LocalDatabase) -> float:
    """The longest an unrelated count waits while a catastrophic pattern scans the collection."""
    slow = threading.Thread(target=_ask, args=(db, "query", ("where", ({"s": RegExp("^(a|aa)+$")},)), ("get", ())))
    slow.start()
    time.sleep(0.02)
    longest = 0.0
    while slow.is_alive():
        started = time.perf_counter()
        _ask(db, "count", ("where", ({"_id": "00000001"},)), ("count", ()))
        longest = max(longest, time.perf_counter() - started)
    slow.join()
    return longest


def run() -> list[Row]:
    small, large = _database(1_000), _database(100_000)
    target = ("doc", ("00000500",)), ("get", ())
    at_large, at_small = interleaved(
        lambda: [_ask(large, "query", *target) for _ in range(200)],
        lambda: [_ask(small, "query", *target) for _ in range(200)],
        200,
    )
    scan = measure(lambda: _ask(large, "query", ("where", ({"n": 99_999},)), ("get", ())), 1, repeats=3)
    waited = _waited_beside_a_bad_regex(small)
    return [
        Row("9 doc(id).get() at 100k documents vs at 1k", at_large, at_small, at_large.median / at_small.median, 2.0),
        Row("9 where() on an unindexed field, 100k documents (a scan)", scan, "—", 0.0, None),
        Row(
            "9 an unrelated call beside a catastrophic regex: longest wait",
            Timing(waited, waited, waited),
            "limit 100 ms",
            waited / 0.1,
            1.0,
        ),
    ]


if __name__ == "__main__":
    print_rows(run())
