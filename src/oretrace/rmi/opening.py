"""Opening a workbook safely: size limits, encryption, and a bound on what a zip may unpack to.

Supplier files arrive from strangers. Before python-calamine sees a byte, we check that the
file is a spreadsheet at all, decrypt Excel's default-password files, and refuse archives that
would inflate past a bound (a zip bomb), so that reading never hangs or exhausts memory.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto
from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError
from python_calamine import CalamineWorkbook

from oretrace.errors import ArchiveBomb, CorruptFile, FileTooLarge, NotASpreadsheet, WrongPassword
from oretrace.rmi.model import FileInfo

MAX_FILE_BYTES = 30 * 1024 * 1024
# A real CMRT 6.x unpacks to about 12 MB (the L, C and SorP helper sheets are large).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_COMPRESSION_RATIO = 200

# Excel encrypts "read-only recommended" workbooks with this well-known password.
EXCEL_DEFAULT_PASSWORD = "VelvetSweatshop"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class OpenedWorkbook:
    book: CalamineWorkbook
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
    if data.startswith(_ZIP_MAGIC):
        check_zip_bounds(data, name)
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
    return OpenedWorkbook(book=book, info=info, encrypted=encrypted)


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


def check_zip_bounds(data: bytes, name: str) -> None:
    """Refuse an .xlsx whose members would unpack past our bounds, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
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
