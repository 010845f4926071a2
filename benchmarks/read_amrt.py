"""How fast oretrace reads a blank AMRT, against a blank CMRT 6.4 and the AMRT read whole.

    /work/venv/bin/python benchmarks/read_amrt.py [--rounds 15]

RMI's blank AMRT 1.3 and 1.21 and its English blank CMRT 6.4 (../shared/cmrt/templates) are read
with ``read_template``, interleaved in one process, so that a noisy shared machine slows all alike.
Two baselines run beside the AMRT figure:

* the blank CMRT 6.4, whose Smelter List the lean copy cuts after its header rows;
* the same AMRT read with the lean copy told nothing about the columns the reader uses (what
  oretrace did before): helper columns right of the AMRT's Smelter List ("+" in X) and Mine List
  (TRUE in R) hold a value in each of their 2,500 rows, so every row is kept and parsed.

The target is a blank AMRT read in under 60 ms. Wall-clock times on a shared machine count the
other users' work; the CPU time of the read (process time) mostly does not, and the ratios not at all.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from oretrace.rmi import read_template, reader

TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "cmrt" / "templates"
AMRT_FILES = ("RMI_AMRT_1.3.xlsx", "RMI_AMRT_1.21.xlsx")
BASELINE = "RMI_CMRT_6.4_english_blank.xlsx"


def read_whole(path: Path) -> None:
    """The read as before: the lean copy cuts a sheet only after its last value in any column."""
    columns_read = reader.list_columns_read
    reader.list_columns_read = dict
    try:
        read_template(path)
    finally:
        reader.list_columns_read = columns_read


def timed(function, path: Path, clock=time.perf_counter) -> float:
    started = clock()
    function(path)
    return (clock() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed reads per file and way (default 15)")
    arguments = parser.parse_args()
    paths = [TEMPLATES / name for name in (*AMRT_FILES, BASELINE)]
    missing = [path.name for path in paths if not path.exists()]
    if missing:
        print(f"RMI's blank templates not found at {TEMPLATES} ({', '.join(missing)}).", file=sys.stderr)
        return 2
    *amrts, baseline = paths
    for path in paths:  # warm (imports, page cache) before timing
        read_template(path)
        read_whole(path)

    times: dict[str, list[float]] = {}
    for _round in range(arguments.rounds):
        times.setdefault("baseline", []).append(timed(read_template, baseline))
        times.setdefault("baseline cpu", []).append(timed(read_template, baseline, time.process_time))
        for path in amrts:
            times.setdefault(path.name, []).append(timed(read_template, path))
            times.setdefault(f"{path.name} cpu", []).append(timed(read_template, path, time.process_time))
            times.setdefault(f"{path.name} whole", []).append(timed(read_whole, path))
    cmrt = statistics.median(times["baseline"])
    print(
        f"{'blank template':28} {'read ms':>8} {'CPU ms':>7} {'whole ms':>9} {'/ CMRT 6.4':>10} {'whole / read':>12}"
    )
    cmrt_cpu = statistics.median(times["baseline cpu"])
    print(f"{BASELINE[:28]:28} {cmrt:8.1f} {cmrt_cpu:7.1f} {'':>9} {1:10.2f} {'':>12}")
    for path in amrts:
        ours = statistics.median(times[path.name])
        cpu = statistics.median(times[f"{path.name} cpu"])
        whole = statistics.median(times[f"{path.name} whole"])
        print(f"{path.name:28} {ours:8.1f} {cpu:7.1f} {whole:9.1f} {ours / cmrt:10.2f} {whole / ours:11.1f}x")
    print("medians of", arguments.rounds, "rounds; target: a blank AMRT in under 60 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
