"""The zip inside an .xlsx: bounds checked before anything is inflated, parts read without trust.

Supplier files arrive from strangers. Before a part is inflated we know from the central directory
how large it claims to be, refuse archives that would unpack past a bound (a zip bomb), and never
let a part inflate past the size it declared.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from deflate import DeflateError, crc32, deflate_decompress

from oretrace.errors import ArchiveBomb, CorruptFile, OretraceError, short_reason

# A real CMRT 6.x unpacks to about 12 MB (the L, C and SorP helper sheets are large).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAX_COMPRESSION_RATIO = 200
# Parts oretrace parses itself to find the sheets (workbook.xml and its relationships) are small.
MAX_INDEX_PART_BYTES = 5 * 1_048_576

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELATIONSHIPS = "xl/_rels/workbook.xml.rels"

# Relationship types whose parts calamine reads for cell values.
_PARTS_CALAMINE_READS = frozenset({"worksheet", "sharedStrings", "styles"})

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_RELATIONSHIPS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def check_zip_bounds(data: bytes, name: str) -> dict[str, zipfile.ZipInfo]:
    """Refuse an .xlsx whose members would unpack past our bounds, before anything is inflated.

    The declared sizes are a real bound: the zip reader inside calamine stops with "File is larger
    than its declared uncompressed size" as soon as a member inflates past the size in the central
    directory, and so does ``inflate`` below. A zip whose sizes lie is refused as damaged.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, but also struct.error, ValueError, NotImplementedError
        raise CorruptFile(
            f"The file is a damaged Excel (.xlsx) archive ({short_reason(exc)}). "
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


def inflate(data: bytes, member: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, never more than its declared size (a zip that lies is refused)."""
    limit = member.file_size
    try:
        if member.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) and not member.flag_bits & 1:
            # Straight from the buffer: twice as fast as ZipFile.read, which matters on the 5 MB
            # Smelter List of every 6.x file. The local header repeats the name and extra field.
            name_length, extra_length = struct.unpack_from("<HH", data, member.header_offset + 26)
            start = member.header_offset + 30 + name_length + extra_length
            raw = data[start : start + member.compress_size]
            # libdeflate inflates three times faster than zlib, into a buffer of exactly the
            # declared size: a part that would inflate past it fails instead.
            out = raw if member.compress_type == zipfile.ZIP_STORED else deflate_decompress(raw, limit)
        else:
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(member) as stream:
                out = stream.read(limit + 1)
    except DeflateError:
        raise _inflates_past_declared_size(member, name) from None
    except Exception as exc:  # struct.error, RuntimeError (an encrypted member), ...
        raise CorruptFile(
            f"The part {member.filename} of the workbook is damaged ({short_reason(exc)}). "
            "Ask the supplier to save it again from Excel.",
            file=name,
        ) from None
    if len(out) > limit:
        raise _inflates_past_declared_size(member, name)
    if crc32(out) != member.CRC:  # calamine checks it too; a part that fails is damaged
        raise CorruptFile(
            f"The part {member.filename} of the workbook is damaged (its checksum does not match). "
            "Ask the supplier to save it again from Excel.",
            file=name,
        )
    return out


def _inflates_past_declared_size(member: zipfile.ZipInfo, name: str) -> CorruptFile:
    # libdeflate says only "Decompression failed": past the declared size, or damaged data.
    return CorruptFile(
        f"The part {member.filename} is damaged or unpacks to more than the archive says; it was "
        "not opened. Ask the supplier to save the file again from Excel.",
        file=name,
    )


@dataclass(frozen=True)
class WorkbookParts:
    """Where the workbook keeps its sheets, and the other parts its relationships name, by type."""

    sheets: dict[str, str]  # sheet name -> zip part
    others: dict[str, str]  # zip part -> relationship type ("sharedStrings", "styles", ...)


def workbook_parts(data: bytes, members: dict[str, zipfile.ZipInfo], name: str) -> WorkbookParts | None:
    """Follow xl/workbook.xml and its relationships as calamine does; None when that is not certain.

    Not certain: a part we cannot read, a sheet outside the transitional namespace (Strict Open XML),
    two sheets of one name, a sheet with two "id" attributes (calamine takes the last, in any
    namespace), a target calamine would spell differently ("./", "..", "\\"), or member names that
    differ only by case or slash direction.
    """
    try:
        workbook = _small_xml(data, members, WORKBOOK, name)
        relationships = _small_xml(data, members, WORKBOOK_RELATIONSHIPS, name)
    except (KeyError, ElementTree.ParseError, OretraceError):
        return None
    if len({member_key(member) for member in members}) < len(members):
        return None
    targets, others = {}, {}
    for relationship in relationships:
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        path = _part_path(relationship.get("Target", ""))
        if path is None and kind in _PARTS_CALAMINE_READS:
            return None
        if path is None:
            continue  # an external link, a hyperlink: nothing calamine reads for values
        targets[relationship.get("Id")] = path
        if kind != "worksheet":
            others[path] = kind
    elements = [element for element in workbook.iter() if _local_name(element.tag) == "sheet"]
    sheets = {}
    for sheet in elements:
        ids = [value for key, value in sheet.attrib.items() if _local_name(key) == "id"]
        if sheet.tag != f"{_NS_MAIN}sheet" or len(ids) != 1 or sheet.get(f"{_NS_RELATIONSHIPS}id") is None:
            return None
        sheets[sheet.get("name", "")] = targets.get(ids[0], "")
    if len(sheets) < len(elements):
        return None
    return WorkbookParts(sheets=sheets, others=others)


def _part_path(target: str) -> str | None:
    """The zip member calamine opens for a relationship target, if it is spelled plainly."""
    path = target[1:] if target.startswith("/") else f"xl/{target}"
    return path if "\\" not in path and posixpath.normpath(path) == path else None


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def member_key(member: str) -> str:
    """A zip member's name as a lenient reader matches it: any case, either slash."""
    return member.replace("\\", "/").casefold()


def _small_xml(data: bytes, members: dict[str, zipfile.ZipInfo], path: str, name: str) -> ElementTree.Element:
    member = members[path]
    if member.file_size > MAX_INDEX_PART_BYTES:
        raise KeyError(path)
    return ElementTree.fromstring(inflate(data, member, name))
