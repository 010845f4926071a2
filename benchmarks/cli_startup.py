"""How long `oretrace --help` takes to start, against Python itself starting, in the same run.

    .venv/bin/python benchmarks/cli_startup.py [--runs 30]

Every command is registered at start-up, so each command module imports only Typer and Rich at the
top and the core inside the command: `--help` must not pay for reading workbooks or writing reports.
Exits with status 1 when the median is above the target (0.25 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.25


def timed(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    oretrace = str(Path(sys.executable).with_name("oretrace"))
    # Interleaved rounds, so a noisy moment slows both alike.
    baseline, helps = [], []
    for _ in range(args.runs):
        baseline += timed([sys.executable, "-c", "pass"], 1)
        helps += timed([oretrace, "--help"], 1)
    base, help_median = statistics.median(baseline), statistics.median(helps)
    print(f"python -c pass      median {base * 1000:6.0f} ms")
    print(f"oretrace --help     median {help_median * 1000:6.0f} ms   {help_median / base:4.1f}x baseline")
    sys.exit(1 if help_median > TARGET_S else 0)


if __name__ == "__main__":
    main()
