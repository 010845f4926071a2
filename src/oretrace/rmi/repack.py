"""A lean copy of an .xlsx for calamine: each sheet inflated once, measured, and cut after its data.

A filled CMRT 6.x is 1.4 MB but unpacks to 12 MB, and 5 MB of that is the Smelter List: 2,500
rows of formulas whose cached results are blank (``<v/>``, ``0``, ``#N/A``) below the few dozen
rows a supplier fills. calamine parses every one of them (about 30 ms, most of a read). Rows after
the last real value hold nothing a reader can see, so the lean copy ends each sheet there.

The copy holds what calamine reads for cell values (the workbook, its relationships, shared strings,
styles and every worksheet), stored rather than deflated so that calamine inflates nothing twice,
and every sheet in it has passed the extent check (extent.py). Anything unusual (a sheet we cannot
place with certainty, a damaged part, a namespace prefix) gets no lean copy: the caller reads the
original file through the slower guard, which checks every XML part before calamine sees one. A
sheet with comments, CDATA or processing instructions among its rows is copied whole.

What the lean copy drops is what no reader of values sees: rows after the last visible value, and
rows with no value at all. "Visible" treats a formula's cached 0 or #N/A as blank, as the reader
does; a formula typed to return the text "0" below every row of data would be dropped too (no RMI
template has one). Damage inside the dropped rows goes unnoticed, where calamine on the original
might have refused the file.

A caller that reads only the first columns of a list sheet may say so (``columns_read``): values
further right then do not keep a row. RMI's AMRT needs it: helper columns right of its Smelter List
(1.3's X: "+") and Mine List (R: TRUE) hold a visible value in each of their 2,500 rows, so without
it nothing is cut and calamine parses 8 MB of blank rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping

from oretrace.errors import OretraceError
from oretrace.rmi.archive import (
    WORKBOOK,
    WORKBOOK_RELATIONSHIPS,
    WorkbookParts,
    inflate,
    workbook_parts,
)
from oretrace.rmi.extent import PREFIXED_CELL_TAGS, check_sheet_extent, column_number, every_row_numbered

# What a sheet the caller will not read becomes: present (calamine lists it), holding nothing.
_UNREAD_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
)

_PACKAGE_PARTS = ("[Content_Types].xml", "_rels/.rels", WORKBOOK, WORKBOOK_RELATIONSHIPS)
# Parts calamine reads besides the sheets: strings by index, and number formats (dates).
_VALUE_PARTS = frozenset({"sharedStrings", "styles"})

# The end of a value someone can see: any value but the blanks a formula leaves ("", 0, #N/A), any
# value not computed by a formula (a typed 0 counts), an inline string. A formula's value follows
# its <f …/> or </f> directly, as Excel, LibreOffice and openpyxl write it; anything this misreads
# as a value only keeps more rows. The closing tag comes first so that re can skip to each "</v>":
# the 5 MB Smelter List takes 2 ms. An end tag with a space in it ("</v >") counts as visible.
# (Prefixed tags, <x:v>, are ruled out before: _lean_sheet.)
_VISIBLE_VALUE = re.compile(
    rb"</(?:v(?:\s|>(?<!<v></v>)(?<!</f><v>0</v>)(?<!/><v>0</v>)(?<!</f><v>#N/A</v>)(?<!/><v>#N/A</v>))|is[\s>])"
)
# The search runs backwards in windows, so that a sheet full of data costs one window, not a scan
# of every value; windows overlap by more than the longest match and its look-ahead.
_WINDOW = 32_768
_OVERLAP = 16
# Comments, CDATA sections and processing instructions can hold "</v>" or "</row>" as text; where
# the kept rows have any, nothing is cut or dropped.
_OTHER_MARKUP = re.compile(rb"<[!?]")
# A row none of whose cells holds a value (RMI's Product List is 2,000 of them): it reads as blank
# whether it is there or not, when every row names its own number (extent.every_row_numbered).
# Tags are bounded in length so that an unclosed one costs a bounded look, not a scan to the end.
_ROW_WITHOUT_VALUES = re.compile(rb"<row [^>]{0,400}/>|<row [^>]{0,400}>(?:<c [^>]{0,400}/>)*</row>")
# "/>" inside an attribute value (legal XML; no writer does it) would end a tag early for the pattern
# above; its mark is text other than a tag or a line break after "/>". Such sheets keep their rows.
_SLASH_GREATER_IN_A_VALUE = re.compile(rb"/>[^<\s]")
# The column of the cell a value belongs to, read from the start of its <c> tag.
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')


def lean_copy(
    data: bytes,
    members: dict[str, zipfile.ZipInfo],
    name: str,
    wanted: Collection[str] | None = None,
    columns_read: Mapping[str, int] | None = None,
) -> bytes | None:
    """The lean .xlsx for calamine, or None when this workbook should be read the careful way.

    ``wanted`` names the sheets the caller may read (compared without case and outer spaces); the
    others are left empty. None keeps every sheet. ``columns_read`` gives, for sheets the caller
    reads only in part, how many leading columns it reads (1 = A): those sheets end after the last
    row with a visible value in those columns.
    """
    last_columns = {sheet.strip().casefold(): count for sheet, count in (columns_read or {}).items()}
    parts = workbook_parts(data, members, name)
    if parts is None:
        return None
    other_paths = [p for p in (*_PACKAGE_PARTS, *_value_parts(parts)) if p in members]
    sheet_paths = list(parts.sheets.values())
    every_path = [*sheet_paths, *other_paths]
    if any(p not in members for p in sheet_paths) or len(set(every_path)) < len(every_path):
        return None  # a sheet we cannot find, or one part in two roles: not a file to take apart
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as lean:
            for path in other_paths:
                _store(lean, path, inflate(data, members[path], name))
            left_out = set(sheets_left_out(parts.sheets, wanted))
            for sheet, path in parts.sheets.items():
                if sheet in left_out:
                    _store(lean, path, _UNREAD_SHEET)
                else:
                    last_column = last_columns.get(sheet.strip().casefold())
                    xml = inflate(data, members[path], name)
                    _store(lean, path, _lean_sheet(xml, sheet, name, last_column))
    except OretraceError:
        return None  # the careful path raises the same error, if and when that part is read
    return out.getvalue()


def sheets_left_out(sheet_names: Iterable[str], wanted: Collection[str] | None) -> list[str]:
    """The sheets not named in ``wanted`` (compared without case and outer spaces); none for None."""
    if wanted is None:
        return []
    keys = {sheet.strip().casefold() for sheet in wanted}
    return [sheet for sheet in sheet_names if sheet.strip().casefold() not in keys]


def _value_parts(parts: WorkbookParts) -> list[str]:
    return [path for path, kind in parts.others.items() if kind in _VALUE_PARTS]


def _lean_sheet(xml: bytes, sheet: str, name: str, last_column: int | None = None) -> bytes:
    """The sheet cut after its data and rid of empty rows where that is certain, then checked."""
    if PREFIXED_CELL_TAGS.search(xml) is not None:
        check_sheet_extent(xml, sheet, name, prefixed=True)
        return xml
    lean = without_trailing_blank_rows(xml, last_column)
    cut = len(lean) < len(xml)
    empty_rows = _has_empty_rows(lean)
    if (cut or empty_rows) and _OTHER_MARKUP.search(lean, _after_prolog(lean)):
        lean = xml  # a comment or CDATA among the rows may hold what the patterns take for tags
    elif empty_rows and every_row_numbered(lean) and not _SLASH_GREATER_IN_A_VALUE.search(lean):
        lean = _ROW_WITHOUT_VALUES.sub(b"", lean)
    check_sheet_extent(lean, sheet, name, prefixed=False)  # what is left is what calamine reads
    return lean


def _has_empty_rows(xml: bytes) -> bool:
    """A cheap first look: a row ending in an empty cell, or an empty row tag."""
    return b"/></row>" in xml or b'"/><row' in xml


def _after_prolog(xml: bytes) -> int:
    start = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
    return xml.find(b"?>", start) + 2 if xml.startswith(b"<?xml", start) else 0


def without_trailing_blank_rows(xml: bytes, last_column: int | None = None) -> bytes:
    """The sheet XML ending with the row of its last visible value (unchanged if it cannot tell);
    with ``last_column``, the last visible value in columns 1 to ``last_column``."""
    position = _last_visible_value(xml, last_column)
    if position < 0:
        return xml
    row_end = xml.find(b"</row>", position)
    data_end = xml.rfind(b"</sheetData>")  # from the end: it is near there, after 5 MB of blank rows
    if row_end < 0 or data_end < row_end:
        return xml
    return xml[: row_end + len(b"</row>")] + xml[data_end:]


def _last_visible_value(xml: bytes, last_column: int | None = None) -> int:
    end = limit = len(xml)
    while end > 0:
        start = max(0, end - _WINDOW)
        # later starts were judged in the previous window, in full
        found = [m.start() for m in _VISIBLE_VALUE.finditer(xml, start, end) if m.start() < limit]
        for position in reversed(found):
            if last_column is None or _value_column(xml, position) <= last_column:
                return position
        if start == 0:
            return -1
        end, limit = start + _OVERLAP, start
    return -1


def _value_column(xml: bytes, position: int) -> int:
    """The column number of the cell whose value ends at ``position``; 0 (always read) when its
    tag does not say plainly, so that a doubt keeps the row."""
    cell_start = xml.rfind(b"<c", 0, position)  # "<color" of rich text fails the match below
    match = _CELL_COLUMN.match(xml, cell_start) if cell_start >= 0 else None
    return column_number(match.group(1)) if match else 0


def _store(lean: zipfile.ZipFile, path: str, content: bytes) -> None:
    lean.writestr(zipfile.ZipInfo(path), content)  # ZipInfo's fixed 1980 date: no clock per part
