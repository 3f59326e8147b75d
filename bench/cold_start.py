"""5. Cold start: ``python -c "import cloud"`` vs ``import httpx`` vs Node's ``require('wx-server-sdk')``.

Time (median of repeated fresh processes) and peak memory of each. Targets: ≤ 1.1× httpx's
import, ≤ 0.5× Node's time.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from common import ROOT, Row, Timing, print_rows

REPEATS = 15
# Peak memory in kB: VmHWM, the high-water mark of this process image. (ru_maxrss would do on other
# systems, but on Linux it carries over the parent's peak across fork and exec.)
PY_PEAK = "import re; print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
NODE_PEAK = "console.log(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1])"


def _times(commands: list[tuple[list[str], dict[str, str]]]) -> list[tuple[Timing, int]]:
    """Each command run ``REPEATS`` times in turn with the others (a busy moment hits all alike):
    its time and its peak memory in kB (the command prints it last)."""
    samples: list[list[float]] = [[] for _ in commands]
    peaks = [0] * len(commands)
    for args, env in commands:  # warm-up: bytecode written, files in the page cache
        subprocess.run(args, capture_output=True, check=True, env=env, cwd=ROOT)
    for _ in range(REPEATS):
        for i, (args, env) in enumerate(commands):
            started = time.perf_counter()
            out = subprocess.run(args, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout
            samples[i].append(time.perf_counter() - started)
            peaks[i] = max(peaks[i], int(out.strip().splitlines()[-1]))
    return [(Timing(statistics.median(s), min(s), max(s)), peak) for s, peak in zip(samples, peaks, strict=True)]


def run() -> list[Row]:
    # As after ``pip install``: modules load from bytecode, compiled on the warm-up run (this
    # machine sets PYTHONDONTWRITEBYTECODE, which would make our package compile on every start
    # while httpx's wheel came with its bytecode). The cache goes to a temporary directory.
    cache = tempfile.mkdtemp(prefix="bench-pycache-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=cache)
    commands = [([sys.executable, "-c", f"import cloud; {PY_PEAK}"], env),
                ([sys.executable, "-c", f"import httpx; {PY_PEAK}"], env)]  # fmt: skip
    node, sdk = shutil.which("node"), ROOT / "tests" / "node"
    with_node = bool(node) and (sdk / "node_modules" / "wx-server-sdk").is_dir()
    if with_node:
        script = f"require('wx-server-sdk'); {NODE_PEAK}"
        commands.append(([str(node), "-e", script], {**os.environ, "NODE_PATH": str(sdk / "node_modules")}))
    else:
        print("cold start vs Node: left out (needs node and `npm ci --prefix tests/node`)", file=sys.stderr)
    try:
        (ours, ours_kb), (httpx_t, httpx_kb), *rest = _times(commands)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    rows = [Row(f"5. cold start vs httpx (peak {ours_kb // 1024} vs {httpx_kb // 1024} MB)", ours, httpx_t,
                ours.median / httpx_t.median, 1.1)]  # fmt: skip
    for node_t, node_kb in rest:
        rows.append(Row(f"5. cold start vs Node (peak {ours_kb // 1024} vs {node_kb // 1024} MB)", ours, node_t,
                        ours.median / node_t.median, 0.5))  # fmt: skip
    return rows


if __name__ == "__main__":
    print_rows(run())
