"""CMRT workbooks for the web tests, with a Smelter Look-up of fictional facilities.

The tests count and name these facilities (six per metal: CID900001 is tantalum, CID900007 tin ...),
so they stay fictional and clearly out of RMI's ID range: a test never says anything of a real
refiner. The demo's own workbook carries the sample of RMI's list instead (oretrace.smelters.sample).
"""

from __future__ import annotations

from oretrace.web import demo

METALS = ("Tantalum", "Tin", "Gold", "Tungsten")
FICTIONAL_FACILITIES = [
    (f"CID9{i:05d}", metal, f"Demo {metal} {kind} {i:02d}", country)
    for i, (metal, kind, country) in enumerate(
        [
            (m, k, c)
            for m in METALS
            for k, c in (
                ("Smelter", "China"),
                ("Refinery", "Japan"),
                ("Works", "Malaysia"),
                ("Metals", "Germany"),
                ("Smelting", "Indonesia"),
                ("Materials", "United States of America"),
            )
        ]
        * 2,
        start=1,
    )
]


def build_cmrt(declaration: dict[str, object], smelters: list[dict] | None = None) -> bytes:
    """The demo's CMRT 6.5 workbook, its look-up holding the fictional facilities above."""
    return demo.build_cmrt(declaration, smelters=smelters, lookup=FICTIONAL_FACILITIES)
