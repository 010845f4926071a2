"""Which template, which version: read from the content, never from the file name or label text.

The kind comes from the title in Declaration!D2, whose abbreviation in brackets, "(CMRT)", is the
same in every language; the version from the revision text in Declaration!J3 ("Revision 6.4\\nApril
26, 2024"). Old templates without either are recognised by their sheets.

CRT 2.21 cannot be told from 2.2: RMI's 2.21 file says "Revision 2.2" in J3, its Revision tab ends
at 2.2, and its cells differ from 2.2's in one cached example answer only (Declaration!D75), so it
is reported as 2.2; the two share one cell map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

from oretrace.errors import NotATemplate
from oretrace.rmi.model import TemplateKind
from oretrace.rmi.sheets import Grid

_KIND_IN_TITLE = re.compile(r"\((CMRT|EMRT|CRT|AMRT)\)")
_KIND_WORDS = (
    ("conflict minerals reporting template", TemplateKind.CMRT),
    ("extended minerals reporting template", TemplateKind.EMRT),
    ("cobalt reporting template", TemplateKind.CRT),
    ("additional minerals reporting template", TemplateKind.AMRT),
)
_REVISION = re.compile(r"revision\s*:?\s*(\d+(?:\.\d+)?[a-z]?)", re.IGNORECASE)
# CMRT 1.00 writes "1.   July 18th 2011" where later versions write "Revision 2 ...".
_BARE_VERSION = re.compile(r"^\s*(\d+(?:\.\d+)?[a-z]?)\.?\s+[A-Za-z]")


@dataclass(frozen=True)
class Detected:
    kind: TemplateKind
    version: str
    revision_text: str | None


def detect(book: CalamineWorkbook, declaration: Grid, file: str | None = None) -> Detected:
    kind = _kind(book.sheet_names, declaration)
    if kind is None:
        raise NotATemplate(
            "The workbook has a Declaration sheet but no RMI template title; it does not look like "
            "a CMRT, EMRT, CRT or AMRT.",
            file=file,
        )
    revision_text = _revision_text(declaration)
    raw_version = _version(revision_text)
    if raw_version is None:
        raise NotATemplate(
            f"The {kind} has no revision number in Declaration!J3, so its version cannot be told; "
            "ask the supplier to use an unmodified RMI template.",
            file=file,
        )
    return Detected(kind=kind, version=normalise_version(kind, raw_version), revision_text=revision_text)


def require_declaration(book: CalamineWorkbook, file: str | None) -> str:
    for name in book.sheet_names:
        if name.strip().casefold() == "declaration":
            return name
    shown = ", ".join(book.sheet_names[:6]) or "none"
    raise NotATemplate(
        f"The workbook has no Declaration sheet (its sheets: {shown}), so it is not an RMI reporting "
        "template. Ask the supplier to fill in the CMRT (or EMRT / AMRT) downloaded from RMI.",
        file=file,
    )


def _kind(sheet_names: list[str], declaration: Grid) -> TemplateKind | None:
    title_cells = [declaration.at(row, col) for row in (1, 2, 3) for col in ("B", "C", "D", "E")]
    titles = " ".join(str(v) for v in title_cells if isinstance(v, str))
    match = _KIND_IN_TITLE.search(titles)
    if match:
        return TemplateKind(match.group(1))
    lowered = titles.casefold()
    for words, kind in _KIND_WORDS:
        if words in lowered:
            return kind
    names = {name.casefold() for name in sheet_names}
    if "minerals scope" in names:
        return TemplateKind.AMRT
    if {"smelter list", "smelter and mine list"} & names:
        return TemplateKind.CMRT
    return None


def _revision_text(declaration: Grid) -> str | None:
    for address in ("J3", "I3", "K3", "J2", "H3"):
        value = declaration.get(address)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, float | int):
            return str(value)
    return None


def _version(revision_text: str | None) -> str | None:
    if not revision_text:
        return None
    match = _REVISION.search(revision_text) or _BARE_VERSION.search(revision_text)
    return match.group(1) if match else None


def normalise_version(kind: TemplateKind, version: str) -> str:
    """RMI's own spelling: CMRT "2" is 2.00, "1" is 1.00; others add ".0" ("Revision 6" is 6.0)."""
    if "." in version:
        return version
    if kind is TemplateKind.CMRT and version in {"1", "2", "3"}:
        return f"{version}.00"
    return f"{version}.0"
