"""How fast oretrace reads a real CMRT 6.4, against openpyxl reading it the way scripts do.

    /work/venv/bin/python benchmarks/read_speed.py [--rounds 7]

Both readers run in the same process on the four real supplier files in ../shared/cmrt/filled,
interleaved, so that a noisy shared machine slows both alike. openpyxl opens with
``load_workbook(path, data_only=True)`` and reads the Declaration company block and answers and
every Smelter List row, as the scripts in the domain notes (templates.md section 1.7) do.
oretrace's figure includes every guard in rmi/opening.py (zip bounds, sheet extents).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import openpyxl

from oretrace.rmi import read_template

FILLED = Path(__file__).resolve().parents[2] / "shared" / "cmrt" / "filled"


def read_with_openpyxl(path: Path) -> int:
    book = openpyxl.load_workbook(path, data_only=True)
    declaration = book["Declaration"]
    company = [declaration[f"D{row}"].value for row in range(8, 23)]
    answers = [declaration[f"D{row}"].value for row in range(26, 72)]
    smelters = [
        row
        for row in book["Smelter List"].iter_rows(
            min_row=5, max_row=2504, min_col=1, max_col=18, values_only=True
        )
        if any(value not in (None, "", 0) for value in row)
    ]
    book.close()
    return len(company) + len(answers) + len(smelters)


def read_with_oretrace(path: Path) -> int:
    response = read_template(path)
    return len(response.smelters)


def timed(function, path: Path) -> float:
    started = time.perf_counter()
    function(path)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="timed reads per file and reader (default 7)")
    parser.add_argument(
        "--openpyxl-rounds", type=int, default=3, help="openpyxl is slow; fewer rounds (default 3)"
    )
    arguments = parser.parse_args()
    files = sorted(FILLED.glob("*.xlsx"))
    if not files:
        print(f"No real CMRT files at {FILLED}; the benchmark needs ../shared.", file=sys.stderr)
        return 2
    for path in files:  # warm both (imports, page cache) before timing
        read_with_oretrace(path)
    read_with_openpyxl(files[0])

    print(f"{'file':48} {'oretrace ms':>12} {'openpyxl ms':>12} {'ratio':>7}")
    ours_all, theirs_all = [], []
    for path in files:
        ours, theirs = [], []
        for round_number in range(arguments.rounds):
            ours.append(timed(read_with_oretrace, path))
            if round_number < arguments.openpyxl_rounds:
                theirs.append(timed(read_with_openpyxl, path))
        ours_ms, theirs_ms = statistics.median(ours), statistics.median(theirs)
        ours_all.append(ours_ms)
        theirs_all.append(theirs_ms)
        print(f"{path.name[:48]:48} {ours_ms:12.1f} {theirs_ms:12.1f} {theirs_ms / ours_ms:6.0f}x")
    ours_ms, theirs_ms = statistics.median(ours_all), statistics.median(theirs_all)
    print(f"{'median per file':48} {ours_ms:12.1f} {theirs_ms:12.1f} {theirs_ms / ours_ms:6.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
