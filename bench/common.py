"""Shared by the benchmarks: repeated timing with median and spread, and result rows.

Machines here are noisy: every figure is the median of several repeats, each repeat timing many
operations, and what we report is a ratio against a baseline measured in the same run.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Timing:
    median: float  # seconds per operation
    low: float
    high: float

    def __str__(self) -> str:
        return f"{_human(self.median)} ({_human(self.low)}–{_human(self.high)})"


@dataclass
class Row:
    name: str
    ours: Timing | str
    baseline: Timing | str
    ratio: float
    target: float | None  # ratio at most (``lower``) or at least (not ``lower``); None: reported only
    lower: bool = True

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "(info)"
        return "PASS" if (self.ratio <= self.target if self.lower else self.ratio >= self.target) else "MISS"

    def cells(self) -> list[str]:
        if self.target is None:
            target = "—"
        else:
            target = f"≤ {self.target:g}×" if self.lower else f"≥ {self.target:g}×"
        return [self.name, str(self.ours), str(self.baseline), f"{self.ratio:.2f}×", target, self.verdict]


def _human(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def measure(
    fn: Callable[[], object], ops: int, repeats: int = 7, per_repeat: Callable[[], None] | None = None
) -> Timing:
    """Seconds per operation of ``fn`` (which performs ``ops`` operations), over ``repeats`` runs."""
    fn()  # warm-up
    samples = []
    for _ in range(repeats):
        if per_repeat:
            per_repeat()
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) / ops)
    return Timing(statistics.median(samples), min(samples), max(samples))


def interleaved(
    ours: Callable[[], object], base: Callable[[], object], ops: int, repeats: int = 9
) -> tuple[Timing, Timing]:
    """Both measured in alternation, so that a noisy moment hits both alike."""
    ours(), base()
    a, b = [], []
    for _ in range(repeats):
        for fn, out in ((ours, a), (base, b)):
            started = time.perf_counter()
            fn()
            out.append((time.perf_counter() - started) / ops)
    return (Timing(statistics.median(a), min(a), max(a)), Timing(statistics.median(b), min(b), max(b)))


def print_rows(rows: list[Row]) -> None:
    header = ["benchmark", "ours", "baseline", "ratio", "target", ""]
    table = [header, *[r.cells() for r in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
