"""Cold start: median wall time of a fresh ``import app`` against the bare libraries it stands on.

Prints figures; it asserts nothing. Baseline and candidate are measured in the same run,
interleaved, so machine noise hits both alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
CANDIDATE = "import app"
BASELINE = "import boto3, pynamodb.models, chalice, jwt"


def wall_time(code: str) -> float:
    started = time.perf_counter()
    env = {**os.environ, "STAGE": "local"}  # the app refuses to start without a stage
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    wall_time(CANDIDATE)  # warm the file cache and byte-code once
    wall_time(BASELINE)
    app_times: list[float] = []
    base_times: list[float] = []
    for _ in range(RUNS):
        app_times.append(wall_time(CANDIDATE))
        base_times.append(wall_time(BASELINE))
    app_ms = statistics.median(app_times) * 1000
    base_ms = statistics.median(base_times) * 1000
    print(f"runs: {RUNS} each, interleaved")
    print(f"python -c '{CANDIDATE}': median {app_ms:.0f} ms")
    print(f"python -c '{BASELINE}': median {base_ms:.0f} ms")
    print(f"ratio app/baseline: {app_ms / base_ms:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
