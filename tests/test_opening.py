"""Opening a stranger's file: every way it can be bad ends in one OretraceError with a stable code."""

from __future__ import annotations

import datetime as dt
import io
import struct
import time
import zipfile

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from oretrace.errors import (
    ArchiveBomb,
    CorruptFile,
    FileTooLarge,
    KeyDerivationTooCostly,
    NotASpreadsheet,
    NotATemplate,
    UnsupportedVersion,
    WrongPassword,
)
from oretrace.rmi import read_template
from oretrace.rmi.opening import MAX_SHEET_CELLS, open_workbook
from samples import CENTRAL_GLASS, LEGACY, shared_file

SHEET_XML = "xl/worksheets/sheet1.xml"  # openpyxl's part for the first sheet (our Declaration)


def minimal_cmrt(
    revision: str = "Revision 6.4\nApril 26, 2024", *, declaration: str = "Declaration"
) -> bytes:
    """A CMRT 6.4 as a program that does not calculate would save it: inputs only, no labels."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = declaration
    sheet["D2"] = "Conflict Minerals Reporting Template (CMRT)"
    sheet["J3"] = revision
    sheet["D8"] = "Acme Metals Ltd."
    sheet["D9"] = "A. Company"
    sheet["D22"] = dt.datetime(2024, 5, 10)
    for row, answer in ((26, "Yes"), (27, "No"), (28, "Yes"), (29, "No")):
        sheet[f"D{row}"] = answer  # Q1 for tantalum, tin, gold, tungsten
    smelters = book.create_sheet("Smelter List")
    for column, value in zip(
        "BCDEFG", ("Tin", "Smelter not listed", "Acme Tin", "BOLIVIA", "", ""), strict=True
    ):
        smelters[f"{column}5"] = value or None
    products = book.create_sheet("Product List")
    products["B6"], products["C6"] = "P-100", "Widget"
    book.create_sheet("Checker")["D2"] = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(data: bytes, part: str, content: bytes) -> bytes:
    """The workbook with one zip part replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, content if info.filename == part else source.read(info.filename))
    return out.getvalue()


def sheet_xml(body: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + body + b"</sheetData></worksheet>"
    )


def declared_size(data: bytes, part: str, size: int) -> bytes:
    """The archive with ``part``'s uncompressed size rewritten in both headers: a lying zip."""
    raw = bytearray(data)
    name = part.encode()
    for signature, name_length_at, name_at, size_at in (
        (b"PK\x03\x04", 26, 30, 22),
        (b"PK\x01\x02", 28, 46, 24),
    ):
        at = raw.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", raw, at + name_length_at)[0]
            if raw[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", raw, at + size_at, size)
            at = raw.find(signature, at + 4)
    return bytes(raw)


def encrypted(data: bytes, password: str) -> bytes:
    source = OOXMLFile(io.BytesIO(data))
    out = io.BytesIO()
    source.encrypt(password, out)
    return out.getvalue()


def with_spin_count(data: bytes, count: int, tmp_path) -> bytes:
    """The encrypted workbook with its EncryptionInfo asking for ``count`` rounds of key derivation.

    msoffcrypto writes 100000, as Excel does; olefile rewrites a stream only at its own size, so the
    indentation of the XML gives up the characters a longer number needs.
    """
    import olefile

    path = tmp_path / "spin-count.xlsx"
    path.write_bytes(data)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        info = ole.openstream("EncryptionInfo").read()
        changed = info.replace(b'spinCount="100000"', b'spinCount="%d"' % count)
        indent = 4 - (len(changed) - len(info))
        changed = changed.replace(b"\n    <keyData", b"\n" + b" " * indent + b"<keyData")
        assert len(changed) == len(info) and b'spinCount="%d"' % count in changed
        ole.write_stream("EncryptionInfo", changed)
    return path.read_bytes()


# --- what is not a template --------------------------------------------------------------------


def test_it_reads_the_minimal_synthetic_cmrt():
    response = read_template(minimal_cmrt(), name="acme.xlsx")
    assert (response.version, response.company.name.value, response.scope) == ("6.4", "Acme Metals Ltd.", "A")
    assert [(s.row, s.metal, s.name) for s in response.smelters] == [(5, "Tin", "Acme Tin")]


def test_it_says_the_jpeg_named_xls_is_an_image():
    with pytest.raises(NotASpreadsheet, match="JPEG image") as caught:
        read_template(shared_file(LEGACY / "invalid_cmrt.xls"))
    assert caught.value.code == "not-a-spreadsheet"
    assert caught.value.file == "invalid_cmrt.xls"


def test_it_says_random_bytes_are_not_a_workbook():
    with pytest.raises(NotASpreadsheet, match=r"not an Excel workbook \(.xlsx or .xls\)"):
        read_template(b"name,country\nAcme,BO\n", name="list.csv")


def test_it_refuses_an_empty_file_and_a_folder(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(NotASpreadsheet, match="empty"):
        read_template(tmp_path / "empty.xlsx")
    with pytest.raises(NotASpreadsheet, match="folder"):
        read_template(tmp_path)


def test_it_says_a_workbook_without_a_declaration_is_no_rmi_template():
    with pytest.raises(NotATemplate, match=r"no Declaration sheet \(its sheets: Summary"):
        read_template(minimal_cmrt(declaration="Summary"), name="summary.xlsx")


def test_it_names_an_unsupported_version():
    with pytest.raises(UnsupportedVersion, match=r"CMRT version 7\.0 is not supported") as caught:
        read_template(minimal_cmrt("Revision 7.0\nMay 1, 2027"), name="future.xlsx")
    assert "6.4" in caught.value.message  # the versions it does support are listed


# --- passwords ---------------------------------------------------------------------------------


def test_it_opens_a_workbook_encrypted_with_excels_default_password():
    response = read_template(encrypted(minimal_cmrt(), "VelvetSweatshop"), name="readonly.xlsx")
    assert response.encrypted is True
    assert response.company.name.value == "Acme Metals Ltd."


def test_it_asks_for_the_password_to_be_removed_when_it_is_not_the_default():
    with pytest.raises(WrongPassword, match="protected by a password") as caught:
        read_template(encrypted(minimal_cmrt(), "s3cret"), name="locked.xlsx")
    assert caught.value.exit_status == 13


@pytest.mark.parametrize("count", [100_001, 10_000_000, 20_000_000])
def test_it_refuses_a_key_derivation_count_above_excels_before_deriving_a_key(count, tmp_path, monkeypatch):
    # 10,000,000 rounds (the most [MS-OFFCRYPTO] allows) cost seconds of CPU per upload, for a 5.6 KB
    # file; Excel writes 100,000. Deriving a key at all would fail this test.
    from msoffcrypto.method.ecma376_agile import ECMA376Agile

    def derive(*args, **kwargs):
        raise AssertionError("a key was derived")

    monkeypatch.setattr(ECMA376Agile, "makekey_from_password", derive)
    costly = with_spin_count(encrypted(minimal_cmrt(), "VelvetSweatshop"), count, tmp_path)
    with pytest.raises(KeyDerivationTooCostly) as caught:
        read_template(costly, name="costly.xlsx")
    assert caught.value.code == "key-derivation-too-costly" and caught.value.exit_status == 18
    # Above 10,000,000 msoffcrypto refuses the file itself, without saying the count.
    rounds = f"{count:,}" if count <= 10_000_000 else "more than 10,000,000"
    assert str(caught.value) == (
        f"costly.xlsx: The workbook is encrypted with {rounds} rounds of key derivation; Excel uses "
        "100,000, and oretrace refuses more because deriving the key would take seconds of computing. "
        "Ask the supplier to remove the password (File > Info > Protect Workbook > Encrypt with "
        "Password) and send it again."
    )


def test_it_opens_a_workbook_whose_key_derivation_count_is_excels(tmp_path):
    response = read_template(
        with_spin_count(encrypted(minimal_cmrt(), "VelvetSweatshop"), 100_000, tmp_path), name="a.xlsx"
    )
    assert (response.encrypted, response.company.name.value) == (True, "Acme Metals Ltd.")


# --- damaged files -----------------------------------------------------------------------------


def test_it_calls_a_truncated_xlsx_damaged():
    data = minimal_cmrt()
    with pytest.raises(CorruptFile, match="damaged Excel"):
        read_template(data[: len(data) // 2], name="cut.xlsx")


def test_it_calls_an_ole_file_full_of_garbage_damaged():
    garbage = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    with pytest.raises(CorruptFile):
        read_template(garbage, name="old.xls")


def test_it_refuses_a_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(minimal_cmrt())
    with pytest.raises(FileTooLarge, match="accepts templates up to"):
        open_workbook(path, max_bytes=1_000)
    with pytest.raises(FileTooLarge):
        open_workbook(path.read_bytes(), max_bytes=1_000)


# --- archives built to exhaust memory ----------------------------------------------------------


def test_it_refuses_a_zip_bomb_before_inflating_it():
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w") as part,
    ):
        for _ in range(24):
            part.write(bytes(1_048_576))  # 24 MB of zeros pack into about 24 KB
    started = time.perf_counter()
    with pytest.raises(ArchiveBomb, match="the mark of a zip bomb"):
        read_template(out.getvalue(), name="bomb.xlsx")
    assert time.perf_counter() - started < 0.5


def test_it_refuses_a_workbook_that_declares_more_than_it_may_unpack_to():
    data = declared_size(minimal_cmrt(), SHEET_XML, 400 * 1_048_576)
    with pytest.raises(ArchiveBomb, match="would unpack to 400 MB"):
        read_template(data, name="claims.xlsx")


def test_it_refuses_a_part_that_inflates_past_its_declared_size():
    # calamine's zip reader stops at the declared size too; oretrace's own check says so first.
    big = sheet_xml(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 5000)))
    data = declared_size(with_part(minimal_cmrt(), SHEET_XML, big), SHEET_XML, 1_000)
    with pytest.raises(CorruptFile, match="unpacks to more than the archive says"):
        read_template(data, name="liar.xlsx")


def test_it_refuses_a_two_cell_sheet_spanning_the_whole_grid_before_calamine_allocates_it():
    # Without the check calamine asks for 512 GB for this 2 KB file and aborts the process.
    far = sheet_xml(
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    with pytest.raises(ArchiveBomb, match="spans 1,048,576 rows by 16,384 columns"):
        read_template(with_part(minimal_cmrt(), SHEET_XML, far), name="far.xlsx")


def test_it_measures_rows_and_cells_without_references_as_calamine_counts_them():
    wide = b"<row><c><v>1</v></c>" + b"<c/>" * 3_000 + b"<c><v>2</v></c></row>"
    unnumbered = sheet_xml(wide + b"<row><c><v>3</v></c></row>" * 1_000)
    with pytest.raises(ArchiveBomb, match="rows by 3,002 columns"):
        read_template(with_part(minimal_cmrt(), SHEET_XML, unnumbered), name="wide.xlsx")
    prefixed = sheet_xml(b"<x:row r='1'><x:c r='A1'><v>1</v></x:c><x:c r='ZZZ900000'><v>1</v></x:c></x:row>")
    with pytest.raises(ArchiveBomb):
        read_template(with_part(minimal_cmrt(), SHEET_XML, prefixed), name="prefixed.xlsx")


def test_it_still_reads_a_sheet_that_goes_past_the_fast_check_but_stays_small():
    data = minimal_cmrt()
    book = openpyxl.load_workbook(io.BytesIO(data))
    book["Declaration"]["A20000"] = "a note far down"
    out = io.BytesIO()
    book.save(out)
    response = read_template(out.getvalue(), name="long.xlsx")
    assert response.company.name.value == "Acme Metals Ltd."
    assert MAX_SHEET_CELLS > 20_000 * 18


def test_it_reads_the_real_central_glass_file_through_every_guard():
    response = read_template(shared_file(CENTRAL_GLASS))
    assert response.company.name.value == "Central Glass Co., Ltd."
    assert len(response.smelters) == 4
