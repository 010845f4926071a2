"""How long reviewing and rolling up 1,000 supplier CMRTs takes, on all cores.

    python benchmarks/rollup_speed.py [--files 1000] [--baseline 60]

The corpus is made from the four real CMRT 6.4 files in ../shared (benchmarks/corpus.py). Each
file is read, reviewed against the 6.4 reference list and its smelters identified; then the
roll-up is built and written as XLSX. The baseline, in the same process, is the same work on one
core for the first ``--baseline`` files, so the ratio shows what the parallel run gains on this
machine however busy it is. Target: 1,000 files in at most 30 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from corpus import FILLED, SHARED, build_corpus

from oretrace.rollup.analyse import AnalysisSettings, analyse_many
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.export import write_xlsx
from oretrace.smelters import reference_from_template

REFERENCE = SHARED / "cmrt" / "templates" / "RMI_CMRT_6.4.xlsx"
TARGET_SECONDS = 30.0


def run(paths: list[Path], settings: AnalysisSettings, workers: int) -> float:
    started = time.perf_counter()
    analyses = analyse_many(paths, settings, workers=workers)
    rollup = build_rollup(analyses, reference_release=settings.reference.release)
    with tempfile.TemporaryDirectory() as folder:
        write_xlsx(rollup, Path(folder) / "rollup.xlsx")
    assert len(rollup.suppliers) == len(paths)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=60, help="files in the one-core baseline run")
    arguments = parser.parse_args()
    if not FILLED.exists() or not REFERENCE.exists():
        print(f"skipped: the real CMRTs and the 6.4 template are not under {SHARED}")
        return 0
    paths = build_corpus(arguments.files)
    settings = AnalysisSettings(reference=reference_from_template(REFERENCE), reporting_year=2024)
    cores = os.cpu_count() or 1

    baseline = run(paths[: arguments.baseline], settings, workers=1)
    baseline_rate = arguments.baseline / baseline
    elapsed = run(paths, settings, workers=cores)
    rate = len(paths) / elapsed

    print(f"baseline, 1 core: {arguments.baseline} files in {baseline:.1f} s = {baseline_rate:.1f} files/s")
    print(f"oretrace, {cores} cores: {len(paths)} files in {elapsed:.1f} s = {rate:.1f} files/s")
    print(
        f"ratio: {rate / baseline_rate:.2f}x the one-core rate; target {TARGET_SECONDS:.0f} s for 1,000 files"
    )
    return 0 if elapsed * 1000 / len(paths) <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
