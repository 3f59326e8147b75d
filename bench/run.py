"""Run every benchmark and print one table: each figure a median with its spread, each ratio
against a baseline measured in the same run, with its target and PASS/MISS.

    python bench/run.py            # all
    python bench/client_cost.py    # one
"""

from __future__ import annotations

import platform
import sys

import anatomy
import client_cost
import cold_start
import conversion
import emulator_database
import loopback
import scale
import vs_node
import vs_wechatpy
from common import print_rows


def main() -> int:
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")  # fmt: skip
    rows = []
    for module in (
        client_cost,
        vs_node,
        loopback,
        vs_wechatpy,
        cold_start,
        scale,
        conversion,
        anatomy,
        emulator_database,
    ):
        rows += module.run()
    print_rows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
