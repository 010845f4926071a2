"""A corpus of realistic supplier CMRTs for benchmarks, made from the real files in ../shared.

Each file is one of the four real CMRT 6.4 returns with its Declaration varied (company, contact,
date, answers, the usual defects), written with oretrace's own cell patcher, so the smelter lists
and every formula stay as real suppliers saved them. Files are cached under benchmarks/out/.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from oretrace.rmi.patching import CellWrite, patch_workbook

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2] / "shared"
FILLED = SHARED / "cmrt" / "filled"
OUT = HERE / "out"

METALS_ROWS = {"Tantalum": 0, "Tin": 1, "Gold": 2, "Tungsten": 3}
Q_HEADERS = {"Q3": 37, "Q4": 43, "Q6": 55, "Q7": 61}
Q_CHOICES = {
    "Q3": ("No", "No", "No", "Unknown", "Yes"),
    "Q4": ("No", "No", "Unknown", "Yes"),
    "Q6": ("100%", "Greater than 90%", "Greater than 75%", "50% or less"),
    "Q7": ("Yes", "Yes", "No"),
}


def real_files() -> list[Path]:
    files = sorted(FILLED.glob("*.xlsx"))
    if not files:
        sys.exit(f"The real CMRT files are not at {FILLED}; this benchmark needs ../shared.")
    return files


def variant_writes(index: int, rng: random.Random) -> list[CellWrite]:
    name = f"Benchmark Supplier {index:04d} Co., Ltd."
    email = f"compliance{index}@supplier{index}.example"
    if rng.random() < 0.05:
        email = email.replace(".example", ",example")  # the comma-for-dot defect seen in a real file
    writes = [
        CellWrite("Declaration", "D8", "" if rng.random() < 0.03 else name),
        CellWrite("Declaration", "D15", f"Contact {index}"),
        CellWrite("Declaration", "D16", email),
        CellWrite("Declaration", "D18", "same" if rng.random() < 0.04 else f"Authorizer {index}"),
        CellWrite("Declaration", "D22", dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 420))),
    ]
    for question, header in Q_HEADERS.items():
        for offset in METALS_ROWS.values():
            writes.append(
                CellWrite("Declaration", f"D{header + 1 + offset}", rng.choice(Q_CHOICES[question]))
            )
    return writes


def build_corpus(count: int, *, seed: int = 2025) -> list[Path]:
    """``count`` varied CMRTs (cached: an existing corpus of that size is reused)."""
    folder = OUT / f"corpus-{count}"
    existing = sorted(folder.glob("*.xlsx"))
    if len(existing) == count:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    bases = [path.read_bytes() for path in real_files()]
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        path = folder / f"supplier-{index:04d}.xlsx"
        path.write_bytes(patch_workbook(bases[index % len(bases)], variant_writes(index, rng)))
        paths.append(path)
    return paths


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(f"{len(build_corpus(size))} files in {OUT / f'corpus-{size}'}")
