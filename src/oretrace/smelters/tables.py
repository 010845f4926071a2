"""Reading the rows of a facility list a user downloaded: CSV in any common encoding, or a workbook.

RMI exports, CFSI-era lists and spreadsheets an analyst saved from Excel differ in encoding
(UTF-8 with or without BOM, Windows-1252, UTF-16 from "Unicode text"), in delimiter, and in
where the header row is (some exports put a title above it). This module finds the header row
by asking the caller which row it recognises, and refuses junk with a message that says why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oretrace.errors import BadInput
from oretrace.rmi import normalise
from oretrace.rmi.opening import MAX_FILE_BYTES, open_workbook
from oretrace.rmi.sheets import Grid

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The header is rarely lower than this; a title block and a blank line at most.
HEADER_SCAN_ROWS = 25


@dataclass(frozen=True)
class Table:
    """The data rows of one list under its header, and how the file was decoded."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    header_row: int  # 1-based, as a spreadsheet shows it
    encoding: str | None  # None for workbooks
    sheet: str | None = None


def read_table(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    recognise: Callable[[Sequence[str]], bool],
    expected: str,
) -> Table:
    """The first table in the file whose header row ``recognise`` accepts.

    ``expected`` describes that header in words for the error message ("a smelter ID column").
    """
    data, name = _load(source, name)
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _from_workbook(data, name, recognise, expected)
    text, encoding = decode_text(data, name)
    rows = _csv_rows(text)
    found = _find_header(rows, recognise)
    if found is None:
        raise BadInput(_no_header_message(rows, expected), file=name)
    index, headers = found
    return Table(
        name=name,
        headers=headers,
        rows=tuple(tuple(row) for row in rows[index + 1 :]),
        header_row=index + 1,
        encoding=encoding,
    )


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding that produced it: UTF-16 by its BOM, UTF-8 (BOM or not), else Windows-1252.

    UTF-8 is tried first because a Windows-1252 file with accents is almost never valid UTF-8,
    while the reverse decode always "succeeds" and turns "Sítio" into "SÃ­tio".
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise BadInput(
            "The file is neither a spreadsheet nor text (it contains binary data). "
            "Upload the list as CSV or as an Excel workbook.",
            file=name,
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # Windows-1252 leaves five bytes undefined; Latin-1 maps every byte and keeps the rest readable.
    return data.decode("latin-1"), "latin-1"


def header_key(value: Any) -> str:
    """A header compared without case, punctuation or line breaks ("Smelter ID\\n(CID)" = "smelter id cid")."""
    text = normalise.text(value) or ""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def columns_by_header(headers: Sequence[Any], wordings: dict[str, Sequence[str]]) -> dict[str, int]:
    """Field -> index of the first column whose whole header (header_key) is one of the field's
    wordings, tried in their order; fields with no such column are left out."""
    keys = [header_key(h) for h in headers]
    found: dict[str, int] = {}
    for field_name, field_wordings in wordings.items():
        for wording in field_wordings:
            if wording in keys:
                found[field_name] = keys.index(wording)
                break
    return found


def _load(source: str | Path | bytes, name: str | None) -> tuple[bytes, str]:
    return load_bytes(source, name, MAX_FILE_BYTES, "a facility list is far smaller")


def load_bytes(source: str | Path | bytes, name: str | None, limit: int, why: str) -> tuple[bytes, str]:
    """The bytes of a file given by path or as bytes, and the name to report it by; BadInput when it
    cannot be read, is empty, or is larger than ``limit`` bytes (``why`` says why that is too large)."""
    too_large = f"The file is larger than {limit // 1_048_576} MB; {why}."
    if isinstance(source, bytes | bytearray):
        data, name = bytes(source), name or "upload"
    else:
        path = Path(source)
        name = name or path.name
        try:
            if path.stat().st_size > limit:
                raise BadInput(too_large, file=name)
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            raise BadInput(f"The file cannot be opened ({exc.strerror}).", file=name) from None
    if len(data) > limit:
        raise BadInput(too_large, file=name)
    if not data.strip():
        raise BadInput("The file is empty.", file=name)
    return data, name


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: no CSV a person saved looks like that."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls > len(sample) // 50


def _csv_rows(text: str) -> list[list[str]]:
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _find_header(rows: Sequence[Sequence[Any]], recognise) -> tuple[int, tuple[str, ...]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        headers = tuple(normalise.text(cell) or "" for cell in row)
        if recognise(headers):
            return index, headers
    return None


def _from_workbook(data: bytes, name: str, recognise, expected: str) -> Table:
    opened = open_workbook(data, name=name)
    first_rows: list[list[Any]] = []
    for sheet in opened.book.sheet_names:
        grid = Grid.load(opened.book, sheet)
        found = _find_header(grid.rows, recognise)
        if found is not None:
            index, headers = found
            return Table(
                name=name,
                headers=headers,
                rows=tuple(tuple(row) for row in grid.rows[index + 1 :]),
                header_row=index + 1,
                encoding=None,
                sheet=sheet,
            )
        first_rows = first_rows or grid.rows
    raise BadInput(_no_header_message(first_rows, expected), file=name)


def _no_header_message(rows: Sequence[Sequence[Any]], expected: str) -> str:
    headers = next(
        (
            [h for h in (normalise.text(c) for c in row) if h]
            for row in rows[:HEADER_SCAN_ROWS]
            if any(normalise.text(c) for c in row)
        ),
        [],
    )
    found = ", ".join(f'"{h}"' for h in headers[:20]) if headers else "no headers at all"
    return f"No header row with {expected} was found in the first {HEADER_SCAN_ROWS} rows. Headers found: {found}."
