"""Opening a workbook safely: size limits, encryption, and a bound on what a zip may unpack to.

Supplier files arrive from strangers. Before python-calamine sees a byte, we check that the
file is a spreadsheet at all, decrypt Excel's default-password files, and refuse archives that
would inflate past a bound (a zip bomb), so that reading never hangs or exhausts memory.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import msoffcrypto
from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError
from python_calamine import CalamineWorkbook

from oretrace.errors import (
    ArchiveBomb,
    CorruptFile,
    FileTooLarge,
    NotASpreadsheet,
    OretraceError,
    WrongPassword,
)
from oretrace.rmi.model import FileInfo

MAX_FILE_BYTES = 30 * 1024 * 1024
# A real CMRT 6.x unpacks to about 12 MB (the L, C and SorP helper sheets are large).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_COMPRESSION_RATIO = 200
# The largest sheet in any RMI template is the 6.x Smelter List, 2,505 rows by 34 columns (85,170
# cells). calamine allocates one slot for every cell between the first and the last one it meets,
# so a 2 KB file with values in A1 and XFD1048576 asks for 512 GB and aborts the whole process.
MAX_SHEET_CELLS = 2_000_000
# Parts oretrace parses itself to find the sheets (workbook.xml and its relationships) are small.
MAX_INDEX_PART_BYTES = 5 * 1_048_576

# Excel encrypts "read-only recommended" workbooks with this well-known password.
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class OpenedWorkbook:
    book: GuardedWorkbook
    info: FileInfo
    encrypted: bool


def open_workbook(
    source: str | Path | bytes, *, name: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> OpenedWorkbook:
    """Open a spreadsheet from a path or its bytes, or raise an OretraceError that says why not."""
    data, name = _load(source, name, max_bytes)
    info = FileInfo(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    encrypted = False
    if data.startswith(_OLE_MAGIC):
        data, encrypted = _maybe_decrypt(data, name)
    members: dict[str, zipfile.ZipInfo] | None = None
    if data.startswith(_ZIP_MAGIC):
        members = check_zip_bounds(data, name)
    elif not data.startswith(_OLE_MAGIC):
        raise NotASpreadsheet(_not_a_spreadsheet_message(data), file=name)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several of its own types; all mean "cannot parse"
        raise CorruptFile(
            f"The file looks like an Excel workbook but cannot be read ({_short(exc)}). "
            "It may be damaged or incomplete; ask the supplier to save it again from Excel.",
            file=name,
        ) from None
    guarded = GuardedWorkbook(book, data=data, members=members, name=name)
    return OpenedWorkbook(book=guarded, info=info, encrypted=encrypted)


def _load(source: str | Path | bytes, name: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        name = name or "upload"
    else:
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise FileTooLarge(_too_large_message(size, max_bytes), file=name)
            data = path.read_bytes()
        except IsADirectoryError:
            raise NotASpreadsheet("This is a folder, not a file.", file=name) from None
        except FileNotFoundError:
            raise NotASpreadsheet("There is no such file.", file=name) from None
        except PermissionError:
            raise NotASpreadsheet("The file cannot be opened: permission denied.", file=name) from None
    if len(data) > max_bytes:
        raise FileTooLarge(_too_large_message(len(data), max_bytes), file=name)
    if not data:
        raise NotASpreadsheet("The file is empty.", file=name)
    return data, name


def _too_large_message(size: int, limit: int) -> str:
    return (
        f"The file is {size / 1_048_576:.1f} MB; oretrace accepts templates up to "
        f"{limit / 1_048_576:.0f} MB (a filled CMRT is about 1.5 MB)."
    )


def _maybe_decrypt(data: bytes, name: str) -> tuple[bytes, bool]:
    """An OLE file is either a legacy .xls or an encrypted workbook; decrypt the latter."""
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        if not office.is_encrypted():
            return data, False
        office.load_key(password=EXCEL_DEFAULT_PASSWORD)
        out = io.BytesIO()
        office.decrypt(out)
    except (InvalidKeyError, DecryptionError):
        raise WrongPassword(
            "The workbook is protected by a password. Ask the supplier to remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password) and send it again.",
            file=name,
        ) from None
    except FileFormatError:
        return data, False  # an OLE file msoffcrypto does not know; calamine gets a go at it
    except Exception as exc:
        raise CorruptFile(
            f"The file is an encrypted or legacy Office file that cannot be opened ({_short(exc)}).",
            file=name,
        ) from None
    return out.getvalue(), True


def check_zip_bounds(data: bytes, name: str) -> dict[str, zipfile.ZipInfo]:
    """Refuse an .xlsx whose members would unpack past our bounds, before anything is inflated.

    The declared sizes are a real bound: the zip reader inside calamine stops with "File is larger
    than its declared uncompressed size" as soon as a member inflates past the size in the central
    directory, and so does ``_inflate`` below. A zip whose sizes lie is refused as damaged.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, but also struct.error, ValueError, NotImplementedError
        raise CorruptFile(
            f"The file is a damaged Excel (.xlsx) archive ({_short(exc)}). "
            "Ask the supplier to save it again from Excel.",
            file=name,
        ) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise ArchiveBomb(
            f"The archive holds {len(members)} parts; a template has fewer than {MAX_ZIP_MEMBERS}.",
            file=name,
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ArchiveBomb(
            f"The workbook would unpack to {unpacked / 1_048_576:.0f} MB, more than the "
            f"{MAX_UNPACKED_BYTES / 1_048_576:.0f} MB a template can need; it was not opened.",
            file=name,
        )
    for member in members:
        ratio = member.file_size / member.compress_size if member.compress_size else 0
        if ratio > MAX_COMPRESSION_RATIO and member.file_size > 10 * 1_048_576:
            raise ArchiveBomb(
                f"The part {member.filename} is compressed {member.file_size // member.compress_size}"
                " to 1, the mark of a zip bomb; the file was not opened.",
                file=name,
            )
    return {member.filename: member for member in members}


class GuardedWorkbook:
    """The calamine workbook, but a sheet reaches calamine only once its extent is known to be sane.

    It answers the calls the readers make (``sheet_names``, ``get_sheet_by_name``) and checks each
    .xlsx sheet on first use: a cheap scan of its cell references, so that no file can make
    calamine allocate a grid of billions of cells (see MAX_SHEET_CELLS).
    """

    def __init__(
        self,
        book: CalamineWorkbook,
        *,
        data: bytes,
        members: dict[str, zipfile.ZipInfo] | None,
        name: str,
    ):
        self._book = book
        self._data = data
        self._members = members
        self._name = name
        self._checked: set[str] = set()
        self._parts: dict[str, str] | None = None

    @property
    def sheet_names(self) -> list[str]:
        return self._book.sheet_names

    @property
    def sheets_metadata(self) -> list[Any]:
        return self._book.sheets_metadata

    def get_sheet_by_name(self, sheet: str) -> Any:
        self._check_sheet(sheet)
        return self._book.get_sheet_by_name(sheet)

    def get_sheet_by_index(self, index: int) -> Any:
        return self.get_sheet_by_name(self._book.sheet_names[index])

    def _check_sheet(self, sheet: str) -> None:
        if self._members is None or sheet in self._checked:
            return  # a legacy .xls: BIFF rows and columns are 16-bit, calamine bounds them itself
        if self._parts is None:
            self._parts = _sheet_parts(self._data, self._members)
        part = self._parts.get(sheet)
        # A workbook whose sheets oretrace cannot place gets every part checked, as calamine may
        # find the sheet by a route we did not follow.
        paths = [part] if part in self._members else [p for p in self._members if p.endswith(".xml")]
        for path in paths:
            check_sheet_extent(_inflate(self._data, self._members[path], self._name), sheet, self._name)
        self._checked.add(sheet)


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_parts(data: bytes, members: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Sheet name -> zip part, following xl/workbook.xml and its relationships as Excel does."""
    try:
        workbook = _small_xml(data, members, "xl/workbook.xml")
        rels = _small_xml(data, members, "xl/_rels/workbook.xml.rels")
    except (KeyError, ElementTree.ParseError, OretraceError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_RELATIONSHIPS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        parts[sheet.get("name", "")] = path
    return parts


def _small_xml(data: bytes, members: dict[str, zipfile.ZipInfo], path: str) -> ElementTree.Element:
    member = members[path]
    if member.file_size > MAX_INDEX_PART_BYTES:
        raise KeyError(path)
    return ElementTree.fromstring(_inflate(data, member, path))


def _inflate(data: bytes, member: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, never more than its declared size (a zip that lies is refused)."""
    limit = member.file_size
    try:
        if member.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) and not member.flag_bits & 1:
            # Straight from the buffer: twice as fast as ZipFile.read, which matters on the 5 MB
            # Smelter List of every 6.x file. The local header repeats the name and extra field.
            name_length, extra_length = struct.unpack_from("<HH", data, member.header_offset + 26)
            start = member.header_offset + 30 + name_length + extra_length
            raw = data[start : start + member.compress_size]
            if member.compress_type == zipfile.ZIP_STORED:
                out = raw
            else:
                out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, limit + 1)
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
                out = stream.read(limit + 1)
    except Exception as exc:  # zlib.error, struct.error, RuntimeError (an encrypted member), ...
        raise CorruptFile(
            f"The part {member.filename} of the workbook is damaged ({_short(exc)}). "
            "Ask the supplier to save it again from Excel.",
            file=name,
        ) from None
    if len(out) > limit:
        raise CorruptFile(
            f"The part {member.filename} unpacks to more than the archive says; the file is "
            "damaged or built to exhaust memory, and was not opened.",
            file=name,
        )
    return out


# Fast path: Excel, LibreOffice and openpyxl write r="B5" first on every row and cell, after one
# space, and no RMI template reaches past column DZ or row 14,999 (MAX_SHEET_CELLS). A sheet in
# which no row or cell departs from that is small; any other sheet is measured exactly by _extent.
# Each pattern starts with a literal, so that re scans the 5 MB Smelter List in a few milliseconds.
_NEEDS_MEASURING = (
    re.compile(rb'<c(?=[\s/>])(?! r="[A-Da-d]?[A-Za-z](?:1[0-4]\d{3}|\d{1,4})")'),
    re.compile(rb'<row(?=[\s/>])(?! r="(?:1[0-4]\d{3}|\d{1,4})")'),
    re.compile(rb":(?:c|row)[\s/>]"),  # calamine ignores namespace prefixes: <x:c r="A1">
)
_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])([^>]*)")
_R_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_REFERENCE = re.compile(rb"^([A-Za-z]{0,3})(\d{0,7})$")


def check_sheet_extent(xml: bytes, sheet: str, name: str) -> None:
    """Refuse a sheet whose cells span more than MAX_SHEET_CELLS, before calamine allocates them."""
    if not any(pattern.search(xml) for pattern in _NEEDS_MEASURING):
        return
    rows, columns = _extent(xml, sheet, name)
    if rows * columns > MAX_SHEET_CELLS:
        raise ArchiveBomb(
            f"The sheet {sheet!r} spans {rows:,} rows by {columns:,} columns, far beyond anything an "
            "RMI template holds; reading it would exhaust memory, so the file was not opened.",
            file=name,
        )


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


_SIGNATURES = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"<?xml", "an XML file"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def _not_a_spreadsheet_message(data: bytes) -> str:
    head = data[:16]
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return f"The file is {what}, not an Excel workbook. Ask the supplier for the completed template."
    if head.lstrip().lower().startswith((b"<html", b"<!doctype")):
        return "The file is a web page, not an Excel workbook."
    return (
        "The file is not an Excel workbook (.xlsx or .xls). "
        "Ask the supplier for the completed template in Excel format."
    )


def _short(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message[:160]
