"""How fast oretrace reads a real CMRT 6.4, against openpyxl reading it the way scripts do.

    /work/venv/bin/python benchmarks/read_speed.py [--rounds 7]

Both readers run in the same process on the four real supplier files in ../shared/cmrt/filled,
interleaved, so that a noisy shared machine slows both alike. openpyxl opens with
``load_workbook(path, data_only=True)`` and reads the Declaration company block and answers and
every Smelter List row, as the scripts in the domain notes (templates.md section 1.7) do.
oretrace's figures include every guard (zip bounds, sheet extents) and the SHA-256 of the file.
Two oretrace figures are printed: the whole model, which also parses the template's own Smelter
Look-up (600 reference rows the openpyxl script does not read), and the read the roll-up makes
(``with_lookup=False``), which covers what the openpyxl script reads and more (Product List,
Checker).
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
    return len(response.smelters) + len(response.lookup)


def read_answers_with_oretrace(path: Path) -> int:
    response = read_template(path, with_lookup=False)
    return len(response.smelters) + len(response.products)


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

    readers = (read_with_oretrace, read_answers_with_oretrace, read_with_openpyxl)
    print(f"{'file':44} {'oretrace ms':>11} {'answers ms':>11} {'openpyxl ms':>11} {'ratios':>10}")
    medians: list[list[float]] = [[], [], []]
    for path in files:
        times: list[list[float]] = [[], [], []]
        for round_number in range(arguments.rounds):
            for index, reader in enumerate(readers):
                if reader is not read_with_openpyxl or round_number < arguments.openpyxl_rounds:
                    times[index].append(timed(reader, path))
        for index in range(3):
            medians[index].append(statistics.median(times[index]))
        print(_line(path.name[:44], *(m[-1] for m in medians)))
    print(_line("median per file", *(statistics.median(m) for m in medians)))
    print("ratios: openpyxl / oretrace (whole model), openpyxl / oretrace (the roll-up's read)")
    return 0


def _line(label: str, ours: float, answers: float, theirs: float) -> str:
    ratios = f"{theirs / ours:.0f}x {theirs / answers:.0f}x"
    return f"{label:44} {ours:11.1f} {answers:11.1f} {theirs:11.1f} {ratios:>10}"


if __name__ == "__main__":
    sys.exit(main())
