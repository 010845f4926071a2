"""Filled EMRT 2.1, CRT 2.21 and AMRT 1.3 files, built from RMI's own blank templates (given as bytes).

The demo's EMRT and CRT suppliers answer with these, and the tests build their files with them
(tests/filled_templates.py). The answers are patched into a copy of the blank
(oretrace.rmi.patching), so the file keeps every sheet, validation and formula RMI ships; the cells
are written out here on purpose, independently of oretrace's layouts, so a wrong layout address
fails a test.

A smelter is given as ``("CID003875", None)`` (identified by its ID, the template's look-up fills
the row) or ``("Mica", "Jharkhand Mica Works", "INDIA")`` (not in the look-up).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from oretrace.rmi import read_template
from oretrace.rmi.patching import CellWrite, patch_workbook

DECLARATION, SMELTERS, MINES = "Declaration", "Smelter List", "Mine List"
COMPLETED = dt.date(2026, 1, 15)

# EMRT 2.x: six pick cells, each holding its mineral or "(Delete <mineral>)".
EMRT2_PICKS = {
    "Cobalt": "D12",
    "Copper": "E12",
    "Graphite": "G12",
    "Lithium": "D13",
    "Mica": "E13",
    "Nickel": "G13",
}
EMRT2_COMPANY = {
    "D8": "name",
    "D19": "contact",
    "D20": "email",
    "D22": "authorizer",
    "D24": "authorizer_email",
}
EMRT2_QUESTIONS = {29: "Yes", 41: "Yes", 53: "No", 65: "No", 77: "100%", 89: "Yes", 101: "Yes"}
EMRT2_COMPANY_QUESTIONS = {
    "D115": "Yes",
    "D117": "Yes",
    "D131": "Yes",
    "D133": "Yes, in conformance with IPC1755 (e.g. EMRT)",
    "D135": "Yes",
    "D137": "Yes",
}
CRT_COMPANY = {"D8": "name", "D15": "contact", "D16": "email", "D18": "authorizer", "D20": "authorizer_email"}
CRT_QUESTIONS = {25: "Yes", 31: "No", 37: "No", 43: "100%", 49: "Yes", 55: "Yes"}
CRT_COMPANY_QUESTIONS = {f"D{row}": "Yes" for row in range(63, 80, 2)} | {"D75": "Yes, CRT"}

# AMRT 1.3: ten pick cells (blank in RMI's file), the company block from D20, Q1 and Q2 only.
AMRT13_PICKS = ("D12", "E12", "G12", "H12", "I12", "D13", "E13", "G13", "H13", "I13")
AMRT13_COMPANY = {
    "D8": "name",
    "D20": "contact",
    "D21": "email",
    "D23": "authorizer",
    "D25": "authorizer_email",
}
AMRT13_QUESTIONS = {30: "Yes", 42: "100%"}

TIANMA = {
    "name": "Tianma Components Co., Ltd.",
    "contact": "Li Wei",
    "email": "li.wei@tianma.example",
    "authorizer": "Zhang Min",
    "authorizer_email": "zhang.min@tianma.example",
    "website": "https://tianma.example",
}


def emrt21_bytes(
    template: bytes,
    picked: Iterable[str] = ("Cobalt", "Mica"),
    smelters: Iterable[tuple] = (),
    company: dict[str, str] | None = None,
    mines: Iterable[tuple] = (),
    **cells,
) -> bytes:
    """An EMRT 2.1 answering "Yes" about the minerals ``picked`` (Q3 CAHRA and Q4 recycled "No"), with
    the Mine List rows ``mines``. ``cells`` overrides single Declaration cells ("D20": "")."""
    picked = sorted(picked, key=str.casefold)
    writes = [CellWrite(DECLARATION, "D9", "A. Company"), CellWrite(DECLARATION, "D26", COMPLETED)]
    writes += _company(EMRT2_COMPANY, company)
    for mineral, cell in EMRT2_PICKS.items():
        writes.append(CellWrite(DECLARATION, cell, mineral if mineral in picked else f"(Delete {mineral})"))
    for header, answer in EMRT2_QUESTIONS.items():
        for offset, mineral in enumerate(picked, start=1):
            writes.append(CellWrite(DECLARATION, f"D{header + offset}", answer))
            # The row labels are formulas; their cached values are what Excel shows after recalculating.
            writes.append(CellWrite(DECLARATION, f"B{header + offset}", f"{mineral} (*)", cached_only=True))
        for offset in range(len(picked) + 1, 11):
            writes.append(CellWrite(DECLARATION, f"B{header + offset}", "", cached_only=True))
    for offset, _mineral in enumerate(picked):
        writes.append(CellWrite(DECLARATION, f"D{120 + offset}", "Yes"))
    writes += [CellWrite(DECLARATION, cell, answer) for cell, answer in EMRT2_COMPANY_QUESTIONS.items()]
    writes.append(CellWrite(DECLARATION, "G117", f"{_website(company)}/responsible-minerals"))
    writes += _smelters(template, smelters)
    writes += _mines(mines)
    writes += [CellWrite(DECLARATION, cell, value) for cell, value in cells.items()]
    return patch_workbook(template, writes)


def crt221_bytes(
    template: bytes, smelters: Iterable[tuple] = (), company: dict[str, str] | None = None, **cells
) -> bytes:
    """A CRT 2.21 declaring cobalt in its products, from no CAHRA, with a public policy."""
    writes = [CellWrite(DECLARATION, "D9", "A. Company"), CellWrite(DECLARATION, "D22", COMPLETED)]
    writes += _company(CRT_COMPANY, company)
    writes += [CellWrite(DECLARATION, f"D{header + 1}", answer) for header, answer in CRT_QUESTIONS.items()]
    writes += [CellWrite(DECLARATION, cell, answer) for cell, answer in CRT_COMPANY_QUESTIONS.items()]
    writes.append(CellWrite(DECLARATION, "G63", f"{_website(company)}/cobalt-policy"))
    writes += _smelters(template, smelters)
    writes += [CellWrite(DECLARATION, cell, value) for cell, value in cells.items()]
    return patch_workbook(template, writes)


def amrt13_bytes(
    template: bytes,
    picked: Iterable[str] = ("Palladium", "Silver"),
    smelters: Iterable[tuple] = (),
    company=None,
    **cells,
) -> bytes:
    """An AMRT 1.3 picking ``picked`` from its list, each in its products, every supplier answering."""
    picked = sorted(picked, key=str.casefold)
    writes = [CellWrite(DECLARATION, "D9", "A. Company"), CellWrite(DECLARATION, "D27", COMPLETED)]
    writes += _company(AMRT13_COMPANY, company)
    writes += [
        CellWrite(DECLARATION, cell, mineral) for cell, mineral in zip(AMRT13_PICKS, picked, strict=False)
    ]
    for header, answer in AMRT13_QUESTIONS.items():
        for offset in range(1, 11):
            mineral = picked[offset - 1] if offset <= len(picked) else None
            if mineral:
                writes.append(CellWrite(DECLARATION, f"D{header + offset}", answer))
            label = f"{mineral}(*)" if mineral and header == 30 else (mineral or "")
            writes.append(CellWrite(DECLARATION, f"B{header + offset}", label, cached_only=True))
    writes += _smelters(template, smelters)
    writes += [CellWrite(DECLARATION, cell, value) for cell, value in cells.items()]
    return patch_workbook(template, writes)


def _company(cells: dict[str, str], company: dict[str, str] | None) -> list[CellWrite]:
    values = TIANMA | (company or {})
    return [CellWrite(DECLARATION, cell, values[key]) for cell, key in cells.items()]


def _website(company: dict[str, str] | None) -> str:
    return (TIANMA | (company or {}))["website"]


@functools.lru_cache(maxsize=4)
def template_lookup(template: bytes) -> dict:
    """The blank's Smelter Look-up by smelter ID. Kept for the next file: reading a whole template is
    the slow part of building one, and the demo builds a dozen from the same blank."""
    return {entry.smelter_id: entry for entry in read_template(template, name="blank.xlsx").lookup}


def _smelters(template: bytes, smelters: Iterable[tuple]) -> list[CellWrite]:
    smelters = list(smelters)
    if not smelters:
        return []
    lookup = template_lookup(template)
    writes = []
    for row, smelter in enumerate(smelters, start=5):
        if len(smelter) == 2:
            entry = lookup[smelter[0]]
            # The ID typed in column A drives the row's formulas; their cached results stand in for Excel's.
            writes.append(CellWrite(SMELTERS, f"A{row}", entry.smelter_id))
            for column, value in zip(
                "BCEFG",
                (entry.metal, entry.standard_name, entry.country, entry.smelter_id, "RMI"),
                strict=True,
            ):
                writes.append(CellWrite(SMELTERS, f"{column}{row}", value, cached_only=True))
        else:
            metal, name, country = smelter
            writes += [
                CellWrite(SMELTERS, f"B{row}", metal),
                CellWrite(SMELTERS, f"C{row}", "Smelter not listed"),
                CellWrite(SMELTERS, f"D{row}", name),
                CellWrite(SMELTERS, f"E{row}", country),
            ]
    return writes


def _mines(mines: Iterable[tuple]) -> list[CellWrite]:
    """Mine List rows from row 5, columns A-F: plain cells in RMI's blank, no formulas to cache."""
    writes = []
    for row, mine in enumerate(mines, start=5):
        for column, value in zip("ABCDEF", mine, strict=True):
            if value is not None:
                writes.append(CellWrite(MINES, f"{column}{row}", value))
    return writes
