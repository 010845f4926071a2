"""The file's own Checker tab, as the supplier's copy has it: which Declaration cell each line reads.

RMI's Checker lines read their value with a plain reference in column B (``=Declaration!D15``),
then test it in G and count it in H. Excel's cut-and-paste moves the references that point at a
moved cell, so a returned file's Checker can read another cell than RMI's template: one real 6.4
file's contact-name line reads ``Declaration!D14`` (the address), and that file's Checker never
counts a missing contact name (templates.md §2.1). calamine gives values only, so the formulas are
read from the sheet's XML; the review compares them with RMI's (review/checker.py).
"""

from __future__ import annotations

import re

from oretrace.rmi.model import CheckerLine
from oretrace.rmi.sheets import Grid

# A column-B cell whose formula is one reference to a Declaration cell, with or without "$" and
# quotes; its <f> may carry attributes (LibreOffice writes <f aca="false">, Excel a shared master's).
_PLAIN_REFERENCE = re.compile(
    rb'<c r="B([0-9]{1,4})"[^>]*><f(?:\s[^>]*)?>=?(?:Declaration|&apos;Declaration&apos;|\'Declaration\')!'
    rb"\$?([A-Z]{1,3})\$?([0-9]{1,5})</f>"
)


def checker_lines(book, declaration: Grid) -> tuple[CheckerLine, ...]:
    """The Checker lines of ``book`` (a GuardedWorkbook) that read one Declaration cell; none when
    the file has no Checker or its formulas cannot be read (a legacy .xls)."""
    sheet = next((name for name in book.sheet_names if name.strip().casefold() == "checker"), None)
    # A plain calamine workbook (no GuardedWorkbook around it) has no XML to give.
    xml = book.sheet_xml(sheet) if sheet is not None and hasattr(book, "sheet_xml") else None
    if not xml:
        return ()
    lines = []
    for match in _PLAIN_REFERENCE.finditer(xml):
        row = int(match.group(1))
        address = (match.group(2) + match.group(3)).decode("ascii")
        lines.append(CheckerLine(row=row, reads=address, raw=declaration.get(address)))
    return tuple(lines)
