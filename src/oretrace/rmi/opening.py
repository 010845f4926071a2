"""Opening a workbook safely: size limits, encryption, and a bound on what a zip may unpack to.

Supplier files arrive from strangers. Before python-calamine sees a byte, we check that the
file is a spreadsheet at all, decrypt Excel's default-password files (refusing, before any work,
one that asks for more rounds of key derivation than Excel writes), and refuse archives that
would inflate past a bound (a zip bomb), so that reading never hangs or exhausts memory.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msoffcrypto
from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError
from python_calamine import CalamineWorkbook

from oretrace.errors import (
    CorruptFile,
    FileTooLarge,
    KeyDerivationTooCostly,
    NotASpreadsheet,
    OretraceError,
    WrongPassword,
    short_reason,
)
from oretrace.rmi.archive import check_zip_bounds, inflate, member_key, workbook_parts
from oretrace.rmi.extent import MAX_SHEET_CELLS, check_sheet_extent
from oretrace.rmi.model import FileInfo
from oretrace.rmi.repack import lean_copy, sheets_left_out

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_SHEET_CELLS",
    "GuardedWorkbook",
    "OpenedWorkbook",
    "SheetLeftOut",
    "open_workbook",
]

MAX_FILE_BYTES = 30 * 1024 * 1024

# Excel encrypts "read-only recommended" workbooks with this well-known password.
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"
# Agile encryption (Excel 2010 on) hashes the password spinCount times, and the file says how many:
# Excel writes 100,000, [MS-OFFCRYPTO] 2.3.4.10 allows up to 10,000,000, which costs about 7 s of CPU
# per upload before "wrong password". More than Excel writes is refused before anything is derived.
MAX_SPIN_COUNT = 100_000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SheetLeftOut(LookupError):
    """A sheet the caller said it would not read (``open_workbook(sheets=…)``) was read after all."""


@dataclass(frozen=True)
class OpenedWorkbook:
    book: GuardedWorkbook
    info: FileInfo
    encrypted: bool


def open_workbook(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    sheets: Collection[str] | None = None,
    columns_read: Mapping[str, int] | None = None,
) -> OpenedWorkbook:
    """Open a spreadsheet from a path or its bytes, or raise an OretraceError that says why not.

    ``sheets`` names the only sheets the caller will read (without regard to case): an .xlsx then
    skips the others' XML. Reading another one raises SheetLeftOut. ``columns_read`` names sheets
    the caller reads only in their first columns (how many, 1 = A): an .xlsx may then end such a
    sheet after the last row with a value in those columns (repack.py).
    """
    data, name = _load(source, name, max_bytes)
    info = FileInfo(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    encrypted = False
    if data.startswith(_OLE_MAGIC):
        data, encrypted = _maybe_decrypt(data, name)
    if data.startswith(_ZIP_MAGIC):
        book = _open_xlsx(data, check_zip_bounds(data, name), name, sheets, columns_read)
    elif data.startswith(_OLE_MAGIC):
        book = GuardedWorkbook(_calamine(data, name), data=data, members=None, name=name)
    else:
        raise NotASpreadsheet(_not_a_spreadsheet_message(data), file=name)
    return OpenedWorkbook(book=book, info=info, encrypted=encrypted)


def _open_xlsx(
    data: bytes,
    members: dict[str, zipfile.ZipInfo],
    name: str,
    sheets: Collection[str] | None,
    columns_read: Mapping[str, int] | None = None,
) -> GuardedWorkbook:
    """calamine on the lean copy (repack.py) when there is one; else on the file, every part checked."""
    lean = lean_copy(data, members, name, sheets, columns_read)
    if lean is not None:
        try:
            book = _calamine(lean, name)
        except CorruptFile:
            pass  # let the original file give its own message
        else:
            unread = sheets_left_out(book.sheet_names, sheets)
            return GuardedWorkbook(book, data=lean, members=None, name=name, unread=unread)
    return GuardedWorkbook(_calamine(data, name), data=data, members=members, name=name)


def _calamine(data: bytes, name: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several of its own types; all mean "cannot parse"
        raise CorruptFile(
            f"The file looks like an Excel workbook but cannot be read ({short_reason(exc)}). "
            "It may be damaged or incomplete; ask the supplier to save it again from Excel.",
            file=name,
        ) from None


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
        _refuse_costly_key_derivation(office, name)
        office.load_key(password=EXCEL_DEFAULT_PASSWORD)
        out = io.BytesIO()
        office.decrypt(out)
    except OretraceError:
        raise
    except (InvalidKeyError, DecryptionError) as exc:
        if "spinCount" in str(exc):  # msoffcrypto's own refusal of a count above 10,000,000
            raise KeyDerivationTooCostly(_costly_message(None), file=name) from None
        raise WrongPassword(
            "The workbook is protected by a password. Ask the supplier to remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password) and send it again.",
            file=name,
        ) from None
    except FileFormatError:
        return data, False  # an OLE file msoffcrypto does not know; calamine gets a go at it
    except Exception as exc:
        raise CorruptFile(
            f"The file is an encrypted or legacy Office file that cannot be opened ({short_reason(exc)}).",
            file=name,
        ) from None
    return out.getvalue(), True


def _refuse_costly_key_derivation(office: Any, name: str) -> None:
    """Agile encryption's spin count is read from the file; refuse one above Excel's before deriving."""
    if getattr(office, "type", None) != "agile":
        return  # Standard encryption hashes 50,000 times, the .xls schemes far fewer: bounded by design
    count = office.info.get("spinValue")
    if isinstance(count, int) and count > MAX_SPIN_COUNT:
        raise KeyDerivationTooCostly(_costly_message(count), file=name)


def _costly_message(count: int | None) -> str:
    # None: msoffcrypto refused the count itself, as above the 10,000,000 [MS-OFFCRYPTO] allows.
    rounds = f"{count:,}" if count is not None else "more than 10,000,000"
    return (
        f"The workbook is encrypted with {rounds} rounds of key derivation; Excel uses {MAX_SPIN_COUNT:,}, and "
        "oretrace refuses more because deriving the key would take seconds of computing. Ask the supplier "
        "to remove the password (File > Info > Protect Workbook > Encrypt with Password) and send it again."
    )


class GuardedWorkbook:
    """The calamine workbook, but a sheet reaches calamine only once its extent is known to be sane.

    It answers the calls the readers make (``sheet_names``, ``get_sheet_by_name``). For an .xlsx read
    the careful way, the first sheet asked for waits until every XML part has had a cheap scan of its
    cell references, so that no file can make calamine allocate a grid of billions of cells (see
    MAX_SHEET_CELLS). ``members`` is None when nothing is left to check: a legacy .xls (BIFF rows and
    columns are 16-bit; calamine bounds them itself) or a lean copy, whose every sheet was checked as
    it was made.
    """

    def __init__(
        self,
        book: CalamineWorkbook,
        *,
        data: bytes,
        members: dict[str, zipfile.ZipInfo] | None,
        name: str,
        unread: Collection[str] = (),
    ):
        self._book = book
        self._unread = frozenset(unread)
        self._data = data
        self._members = members
        self._name = name
        self._checked = False

    @property
    def sheet_names(self) -> list[str]:
        return self._book.sheet_names

    @property
    def sheets_metadata(self) -> list[Any]:
        return self._book.sheets_metadata

    def get_sheet_by_name(self, sheet: str) -> Any:
        if sheet in self._unread:
            raise SheetLeftOut(f"The sheet {sheet!r} was left out when the workbook was opened (sheets=…).")
        self._check_parts()
        return self._book.get_sheet_by_name(sheet)

    def get_sheet_by_index(self, index: int) -> Any:
        return self.get_sheet_by_name(self._book.sheet_names[index])

    def sheet_xml(self, sheet: str) -> bytes | None:
        """The sheet's XML as stored (formulas included, which calamine does not give), or None for
        a legacy .xls, a sheet left out, or a workbook whose parts cannot be placed with certainty."""
        if sheet in self._unread or not self._data.startswith(_ZIP_MAGIC):
            return None
        members = self._members
        try:
            if members is None:  # the lean copy: its own members, every sheet already checked
                with zipfile.ZipFile(io.BytesIO(self._data)) as lean:
                    members = {info.filename: info for info in lean.infolist()}
            parts = workbook_parts(self._data, members, self._name)
            path = parts.sheets.get(sheet) if parts else None
            return inflate(self._data, members[path], self._name) if path in members else None
        except (OretraceError, zipfile.BadZipFile):
            return None

    def _check_parts(self) -> None:
        # The careful path serves the files whose sheets cannot be placed with certainty (repack.py),
        # so before the first sheet reaches calamine every XML part is checked, whatever its name:
        # calamine may open a part by a route we would not follow.
        if self._members is None or self._checked:
            return
        for member in self._members.values():
            try:
                content = inflate(self._data, member, self._name)
            except CorruptFile:
                if "worksheets/" in member_key(member.filename):
                    raise  # a damaged sheet: say so now, in our words
                continue  # a damaged picture or printer setting: calamine never reads it for values
            if _looks_like_xml(content):
                check_sheet_extent(content, member.filename, self._name)
        self._checked = True


def _looks_like_xml(content: bytes) -> bool:
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return not head or head.startswith(b"<")


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
