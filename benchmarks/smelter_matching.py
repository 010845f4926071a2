"""How fast, and how right, smelter identification is on 10,000 noisy names.

    /work/venv/bin/python benchmarks/smelter_matching.py [--names 10000] [--seed 7]

Names come from the CMRT 6.4 Smelter Look-up in ../shared when present (else from an invented
list), spoiled the way suppliers spoil them: case, missing or different legal forms, lost accents,
typos, a dropped word. Each is identified within its metal, as a Smelter List row would be.

The baseline, in the same process, is what one would write first: per name, rapidfuzz's
``process.extractOne`` with WRatio over the metal's raw names, letting rapidfuzz preprocess every
choice on every call. It runs on a subset and its per-name time is scaled to the full count.

Exits 1 when identification takes more than the 1 s budget of CPU time (wall time is printed too;
on a shared machine it also counts other processes' turns).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from oretrace.rmi.model import LookupEntry
from oretrace.smelters import (
    Identifier,
    Method,
    ReferenceList,
    reference_from_lookup,
    reference_from_template,
)

LOOKUP_64 = Path(__file__).resolve().parents[2] / "shared" / "cmrt" / "templates" / "RMI_CMRT_6.4.xlsx"
BUDGET_SECONDS = 1.0
BASELINE_SUBSET = 1_000

_LEGAL_VARIANTS = ("Co., Ltd.", "Co Ltd", "Company Limited", "Ltd", "Inc.", "Corporation", "S.A.", "GmbH", "")


def reference_list() -> ReferenceList:
    if LOOKUP_64.exists():
        return reference_from_template(LOOKUP_64)
    return _invented_list()


def _invented_list() -> ReferenceList:
    """About 370 invented facilities over the four metals, shaped like the real list."""
    rng = random.Random(1)
    places = [
        "Anhui",
        "Baoshan",
        "Chenzhou",
        "Dalian",
        "Ganzhou",
        "Hunan",
        "Jiangxi",
        "Kunming",
        "Nordhafen",
        "Ostrava",
        "Porto",
        "Rio",
        "Santa",
        "Tula",
        "Yunnan",
    ]
    words = [
        "Refinery",
        "Smelting",
        "Metals",
        "Precious",
        "Mining",
        "Nonferrous",
        "Industry",
        "Materials",
        "Recycling",
        "Group",
    ]
    countries = ("CHINA", "JAPAN", "GERMANY", "BRAZIL", "UNITED STATES OF AMERICA", "INDONESIA", "PERU")
    entries = []
    counts = {"Gold": 183, "Tantalum": 36, "Tin": 93, "Tungsten": 56}
    number = 800_000
    for metal, count in counts.items():
        for _ in range(count):
            number += 1
            stem = f"{rng.choice(places)} {_invented_word(rng)} {rng.choice(words)}"
            name = f"{stem} {rng.choice(_LEGAL_VARIANTS[:6])}".strip()
            entries.append(LookupEntry(metal, name, name, rng.choice(countries), f"CID{number:06d}"))
            if rng.random() < 0.4:
                entries.append(LookupEntry(metal, stem, name, None, f"CID{number:06d}"))
    return reference_from_lookup(entries, release="invented", date=None)


def _invented_word(rng: random.Random) -> str:
    return "".join(
        rng.choice("bdgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
    ).title()


def noisy_names(reference: ReferenceList, count: int, seed: int) -> list[tuple[str, str, str]]:
    """(name, metal, true CID) triples."""
    rng = random.Random(seed)
    sources = [(name, f.metal, f.smelter_id) for f in reference.facilities for name in f.names]
    result = []
    for _ in range(count):
        name, metal, cid = rng.choice(sources)
        result.append((_spoil(name, rng), metal, cid))
    return result


def _spoil(name: str, rng: random.Random) -> str:
    for suffix in _LEGAL_VARIANTS[:-1]:
        if name.endswith(suffix) and rng.random() < 0.5:
            name = f"{name[: -len(suffix)].rstrip(' ,')} {rng.choice(_LEGAL_VARIANTS)}".strip()
            break
    if rng.random() < 0.5:
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = name.split()
    if len(words) > 3 and rng.random() < 0.15:
        del words[rng.randrange(1, len(words))]
    name = " ".join(words)
    letters = list(name)
    for _ in range(rng.choice((0, 1, 1, 2))):
        i = rng.randrange(len(letters))
        operation = rng.random()
        if operation < 0.33:
            del letters[i]
        elif operation < 0.66:
            letters.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
        elif i + 1 < len(letters):
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
    name = "".join(letters)
    return rng.choice((name, name.upper(), name.lower(), name))


def run_identifier(
    reference: ReferenceList, names: list[tuple[str, str, str]]
) -> tuple[float, float, dict[str, int]]:
    """Wall and CPU seconds (the Identifier is built inside the timing, with empty caches) and the tally."""
    start, start_cpu = time.perf_counter(), time.process_time()
    identifier = Identifier(reference)
    results = [identifier.identify_name(name, metal) for name, metal, _cid in names]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    tally = {"right": 0, "wrong": 0, "unidentified": 0, "fuzzy": 0}
    for found, (_name, _metal, cid) in zip(results, names, strict=True):
        if found.method is Method.FUZZY:
            tally["fuzzy"] += 1
        if found.facility is None:
            tally["unidentified"] += 1
        elif found.smelter_id == cid:
            tally["right"] += 1
        else:
            tally["wrong"] += 1
    return elapsed, cpu, tally


def run_baseline(reference: ReferenceList, names: list[tuple[str, str, str]]) -> tuple[float, dict[str, int]]:
    choices: dict[str, list[tuple[str, str]]] = {}
    for facility in reference.facilities:
        for name in facility.names:
            choices.setdefault(facility.metal, []).append((name, facility.smelter_id))
    raw = {metal: [n for n, _ in pairs] for metal, pairs in choices.items()}
    tally = {"right": 0, "wrong": 0, "unidentified": 0}
    start = time.perf_counter()
    for name, metal, cid in names:
        best = process.extractOne(name, raw[metal], scorer=fuzz.WRatio, processor=utils.default_process)
        if best is None or best[1] < 85:
            tally["unidentified"] += 1
        elif choices[metal][best[2]][1] == cid:
            tally["right"] += 1
        else:
            tally["wrong"] += 1
    return time.perf_counter() - start, tally


def _share(tally: dict[str, int], total: int) -> str:
    return ", ".join(f"{key} {100 * value / total:.1f}%" for key, value in tally.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    reference = reference_list()
    names = noisy_names(reference, args.names, args.seed)
    print(f"reference list: {reference.release}, {len(reference)} facilities; {len(names)} noisy names")

    elapsed, cpu, tally = run_identifier(reference, names)
    print(
        f"oretrace Identifier: {elapsed:.3f} s wall, {cpu:.3f} s CPU for {len(names)} names "
        f"({_share(tally, len(names))})"
    )

    subset = names[: min(BASELINE_SUBSET, len(names))]
    base_elapsed, base_tally = run_baseline(reference, subset)
    scaled = base_elapsed * len(names) / len(subset)
    print(
        f"baseline extractOne(WRatio, default_process) on {len(subset)} names: {base_elapsed:.3f} s, "
        f"scaled to {len(names)}: {scaled:.2f} s ({_share(base_tally, len(subset))})"
    )
    verdict = "met" if cpu <= BUDGET_SECONDS else "MISSED"
    print(
        f"speed-up over the baseline: {scaled / elapsed:.1f}x; budget {BUDGET_SECONDS:.1f} s CPU: {verdict}"
    )
    return 0 if cpu <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
