"""How far a worksheet reaches, measured from its XML before calamine allocates a grid for it.

calamine allocates one slot for every cell between the first and the last one it meets, so a 2 KB
sheet with values in A1 and XFD1048576 asks for 512 GB and aborts the whole process. The check must
see the reference calamine uses: calamine ignores namespace prefixes (<x:c>, <é:c>), reads attribute
values that hold ">", and takes a tag's last "r" attribute.
"""

from __future__ import annotations

import re

from oretrace.errors import ArchiveBomb, CorruptFile

# The largest sheet in any RMI template is the 6.x Smelter List, 2,505 rows by 34 columns (85,170
# cells); no template comes near this bound.
MAX_SHEET_CELLS = 2_000_000

# Fast path: Excel, LibreOffice and openpyxl write r="B5" first on every row and cell, after one
# space, and no RMI template reaches past column DZ or row 14,999 (MAX_SHEET_CELLS). A sheet in
# which no row or cell departs from that, and no tag has a second r (calamine takes the last), is
# small; any other sheet is measured exactly. Each pattern starts with a literal, so that re scans a
# 5 MB sheet in a few milliseconds.
_CELL_NOT_PLAIN = re.compile(rb'<c(?=[\s/>])(?! r="[A-Da-d]?[A-Za-z](?:1[0-4]\d{3}|\d{1,4})")')
_ROW_NOT_PLAIN = re.compile(rb'<row(?=[\s/>])(?! r="(?:1[0-4]\d{3}|\d{1,4})")')
# Any "r=" among the rows but the first attribute of a row or cell: a second reference, or one
# hidden in another attribute's value. Formula text can hold one too; that only costs a measure.
_ANOTHER_R = re.compile(rb"r\s*=(?<!<c r=)(?<!<row r=)")
# calamine reads <x:c r="A1"><x:v>1</x:v></x:c> as a cell, whatever the prefix and declared or not.
PREFIXED_CELL_TAGS = re.compile(rb":(?:c|row|v|is)[\s/>]")
# A row or cell tag with its attributes, read as XML does: quoted values may hold ">".
_TAG = re.compile(rb"""<(?:[^\s<>/:=!?"']+:)?(c|row)(?=[\s/>])((?:[^<>"']|"[^"<]*"|'[^'<]*')*)""")
_ATTRIBUTE = re.compile(rb"""([^\s=<>"'/]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)'|([^\s"'<>/]+))""")
_REFERENCE = re.compile(rb"^([A-Za-z]{0,3})(\d{0,7})$")


def is_plain(xml: bytes) -> bool:
    """Whether every row and cell of an unprefixed sheet has the plain form of the fast path: then
    each names its own row, and none is far away."""
    if _CELL_NOT_PLAIN.search(xml) or _ROW_NOT_PLAIN.search(xml):
        return False
    rows_start, rows_end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    if rows_start < 0 or rows_end < rows_start:
        rows_start, rows_end = 0, len(xml)
    return _ANOTHER_R.search(xml, rows_start, rows_end) is None


def every_row_numbered(xml: bytes) -> bool:
    """Whether every row of an unprefixed sheet starts with its own number (r="5"), so that taking
    one out renumbers none of the others."""
    return _ROW_NOT_PLAIN.search(xml) is None


def check_sheet_extent(xml: bytes, sheet: str, name: str, *, prefixed: bool | None = None) -> None:
    """Refuse a sheet whose cells span more than MAX_SHEET_CELLS, before calamine allocates them.

    ``prefixed`` says whether the caller already searched ``xml`` for PREFIXED_CELL_TAGS.
    """
    if prefixed is None:
        prefixed = PREFIXED_CELL_TAGS.search(xml) is not None
    if not prefixed and is_plain(xml):
        return
    _measure(xml, sheet, name)


def _measure(xml: bytes, sheet: str, name: str) -> None:
    """Walk the rows and cells the way calamine counts (an unnumbered row or cell follows the
    previous one) and stop as soon as the span passes the bound."""
    row = column = max_row = max_column = 0
    for tag in _TAG.finditer(xml):
        letters, digits = _reference(tag.group(2), sheet, name)
        if tag.group(1) == b"row":
            row = int(digits) if digits else row + 1
            column = 0
            continue
        if digits:
            row = int(digits)
        column = column_number(letters) if letters else column + 1
        max_row, max_column = max(max_row, row), max(max_column, column)
        if max_row * max_column > MAX_SHEET_CELLS:
            raise ArchiveBomb(
                f"The sheet {sheet!r} spans {max_row:,} rows by {max_column:,} columns or more, far beyond "
                "anything an RMI template holds; reading it would exhaust memory, so the file was not opened.",
                file=name,
            )


def _reference(attributes: bytes, sheet: str, name: str) -> tuple[bytes, bytes]:
    """The (letters, digits) of a tag's r attribute; b"" for each part it leaves out."""
    found = [  # findall gives b"" for the quote styles not used
        double or single or bare
        for key, double, single, bare in _ATTRIBUTE.findall(attributes)
        if key == b"r" or key.endswith(b":r")
    ]
    if not found:
        return b"", b""
    reference = _REFERENCE.match(found[0]) if len(found) == 1 else None
    if reference is None:  # two references in one tag is no writer's doing either
        raise CorruptFile(f"The sheet {sheet!r} has a damaged cell reference.", file=name)
    letters, digits = reference.groups()
    return letters, digits


def column_number(letters: bytes) -> int:
    """A column's number from its letters: A -> 1, AB -> 28."""
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number
