"""5. Cold start: ``python -c "import cloud"`` vs ``import httpx`` vs Node's ``require('wx-server-sdk')``.

Time (median of repeated fresh processes) and peak memory of each. Targets: ≤ 1.3× httpx's
import, ≤ 0.5× Node's time.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time

from common import ROOT, Row, Timing, print_rows

REPEATS = 9
PY_PEAK = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def _time(args: list[str], env: dict[str, str] | None = None) -> tuple[Timing, int]:
    samples, peak = [], 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        out = subprocess.run(args, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout
        samples.append(time.perf_counter() - started)
        peak = max(peak, int(out.strip().splitlines()[-1]))
    return Timing(statistics.median(samples), min(samples), max(samples)), peak


def run() -> list[Row]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ours, ours_kb = _time([sys.executable, "-c", f"import cloud; {PY_PEAK}"], env)
    httpx_t, httpx_kb = _time([sys.executable, "-c", f"import httpx; {PY_PEAK}"], env)
    rows = [Row(f"5. cold start vs httpx (peak {ours_kb // 1024} vs {httpx_kb // 1024} MB)", ours, httpx_t,
                ours.median / httpx_t.median, 1.3)]  # fmt: skip
    node = shutil.which("node")
    sdk = ROOT / "tests" / "node"
    if node and (sdk / "node_modules" / "wx-server-sdk").is_dir():
        script = "require('wx-server-sdk'); console.log(process.resourceUsage().maxRSS)"
        node_t, node_kb = _time([node, "-e", script], {**os.environ, "NODE_PATH": str(sdk / "node_modules")})
        rows.append(Row(f"5. cold start vs Node (peak {ours_kb // 1024} vs {node_kb // 1024} MB)", ours, node_t,
                        ours.median / node_t.median, 0.5))  # fmt: skip
    else:
        print("cold start vs Node: skipped (needs node and `npm ci --prefix tests/node`)", file=sys.stderr)
    return rows


if __name__ == "__main__":
    print_rows(run())
