"""How far a worksheet reaches, measured from its XML before calamine allocates a grid for it.

calamine allocates one slot for every cell between the first and the last one it meets, so a 2 KB
sheet with values in A1 and XFD1048576 asks for 512 GB and aborts the whole process.
"""

from __future__ import annotations

import re

from oretrace.errors import ArchiveBomb, CorruptFile

# The largest sheet in any RMI template is the 6.x Smelter List, 2,505 rows by 34 columns (85,170
# cells); no template comes near this bound.
MAX_SHEET_CELLS = 2_000_000

# Fast path: Excel, LibreOffice and openpyxl write r="B5" first on every row and cell, after one
# space, and no RMI template reaches past column DZ or row 14,999 (MAX_SHEET_CELLS). A sheet in
# which no row or cell departs from that is small; any other sheet is measured exactly by _extent.
# Each pattern starts with a literal, so that re scans the 5 MB Smelter List in a few milliseconds.
_NEEDS_MEASURING = (
    re.compile(rb'<c(?=[\s/>])(?! r="[A-Da-d]?[A-Za-z](?:1[0-4]\d{3}|\d{1,4})")'),
    re.compile(rb'<row(?=[\s/>])(?! r="(?:1[0-4]\d{3}|\d{1,4})")'),
)
# calamine ignores namespace prefixes: it reads <x:c r="A1"><x:v>1</x:v></x:c> as a cell.
PREFIXED_CELL_TAGS = re.compile(rb":(?:c|row|v|is)[\s/>]")
_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])([^>]*)")
_R_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_REFERENCE = re.compile(rb"^([A-Za-z]{0,3})(\d{0,7})$")


def check_sheet_extent(xml: bytes, sheet: str, name: str, *, prefixed: bool | None = None) -> None:
    """Refuse a sheet whose cells span more than MAX_SHEET_CELLS, before calamine allocates them.

    ``prefixed`` says whether the caller already searched ``xml`` for PREFIXED_CELL_TAGS.
    """
    if prefixed is None:
        prefixed = PREFIXED_CELL_TAGS.search(xml) is not None
    if not prefixed and not any(pattern.search(xml) for pattern in _NEEDS_MEASURING):
        return
    rows, columns = _extent(xml, sheet, name)
    if rows * columns > MAX_SHEET_CELLS:
        raise ArchiveBomb(
            f"The sheet {sheet!r} spans {rows:,} rows by {columns:,} columns, far beyond anything an "
            "RMI template holds; reading it would exhaust memory, so the file was not opened.",
            file=name,
        )


def every_row_numbered(xml: bytes) -> bool:
    """Whether each row of an unprefixed sheet says its own number (r="5"), so that none depends on
    the row before it."""
    return _NEEDS_MEASURING[1].search(xml) is None


def _extent(xml: bytes, sheet: str, name: str) -> tuple[int, int]:
    """(rows, columns) the way calamine counts: an unnumbered row or cell follows the previous one."""
    row = column = max_row = max_column = 0
    for tag in _TAG.finditer(xml):
        attribute = _R_ATTRIBUTE.search(tag.group(2))
        letters, digits = b"", b""
        if attribute:
            reference = _REFERENCE.match(attribute.group(1))
            if reference is None:
                raise CorruptFile(f"The sheet {sheet!r} has a damaged cell reference.", file=name)
            letters, digits = reference.groups()
        if tag.group(1) == b"row":
            row = int(digits) if digits else row + 1
            column = 0
            continue
        if digits:
            row = int(digits)
        column = _column_number(letters) if letters else column + 1
        max_row, max_column = max(max_row, row), max(max_column, column)
    return max_row, max_column


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number
