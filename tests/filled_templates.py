"""Filled EMRT 2.1, CRT 2.21 and AMRT 1.3 files, built from RMI's own blank templates in ../shared
by the web package's builders (oretrace.web.demo_files, which the demo uses too); without ../shared
the tests that need them skip, saying why.

A smelter is given as ``("CID003875", None)`` (identified by its ID, the template's look-up fills
the row) or ``("Mica", "Jharkhand Mica Works", "INDIA")`` (not in the look-up). A Mine List row is
given as ``(metal, smelter it supplies, mine name, mine ID, source of the ID, country)``, columns A-F
of RMI's Mine List (header row 4), with None for a blank cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from oretrace.web import demo_files
from oretrace.web.demo_files import TIANMA  # noqa: F401  (tests name the default company)
from samples import TEMPLATES, shared_file

EMRT21 = "RMI_EMRT_2.1.xlsx"
CRT221 = "RMI_CRT_2.21.xlsx"
AMRT13 = "RMI_AMRT_1.3.xlsx"


def blank(name: str) -> bytes:
    """RMI's blank template of that name, or a skip with a clear reason when ../shared is absent."""
    return shared_file(TEMPLATES / name).read_bytes()


def emrt21_bytes(
    picked: Iterable[str] = ("Cobalt", "Mica"),
    smelters: Iterable[tuple] = (),
    company: dict[str, str] | None = None,
    mines: Iterable[tuple] = (),
    **cells,
) -> bytes:
    return demo_files.emrt21_bytes(blank(EMRT21), picked, smelters, company, mines, **cells)


def crt221_bytes(smelters: Iterable[tuple] = (), company: dict[str, str] | None = None, **cells) -> bytes:
    return demo_files.crt221_bytes(blank(CRT221), smelters, company, **cells)


def amrt13_bytes(
    picked: Iterable[str] = ("Palladium", "Silver"), smelters: Iterable[tuple] = (), company=None, **cells
) -> bytes:
    return demo_files.amrt13_bytes(blank(AMRT13), picked, smelters, company, **cells)
