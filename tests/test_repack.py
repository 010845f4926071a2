"""The lean copy calamine reads (repack.py) holds everything a reader can see, and nothing unchecked."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from oretrace.errors import OretraceError
from oretrace.rmi import opening, read_template
from oretrace.rmi.archive import check_zip_bounds
from oretrace.rmi.layouts import list_columns_read, sheets_read
from oretrace.rmi.opening import open_workbook
from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.rmi.repack import lean_copy, without_trailing_blank_rows
from oretrace.rmi.serialise import response_to_dict
from samples import CMRT_DIR, SKIP_REASON, shared_file
from test_opening import SHEET_XML, minimal_cmrt, sheet_xml, with_part

SAMPLE_FILES = sorted(p for p in CMRT_DIR.glob("*/*.xls*")) if CMRT_DIR.exists() else []


def read_both_ways(source, monkeypatch, name="file.xlsx"):
    """(lean read, careful read) of the same file, each as a dict, or the error each raised."""

    def outcome():
        try:
            return response_to_dict(read_template(source, name=name), include_lookup=True)
        except OretraceError as error:
            return error.as_dict()

    lean = outcome()
    with monkeypatch.context() as patch:
        patch.setattr(opening, "lean_copy", lambda *args, **kwargs: None)
        careful = outcome()
    return lean, careful


@pytest.mark.shared
@pytest.mark.parametrize("path", SAMPLE_FILES or [pytest.param(None, marks=pytest.mark.skip(SKIP_REASON))])
def test_every_sample_file_reads_the_same_through_the_lean_copy(path, monkeypatch):
    lean, careful = read_both_ways(shared_file(path), monkeypatch, path.name)
    assert lean == careful


def cmrt_with_smelter_rows(rows: dict[int, dict[str, object]]) -> bytes:
    """The synthetic CMRT with Smelter List cells set by row, as a program that does not calculate saves it."""
    book = openpyxl.load_workbook(io.BytesIO(minimal_cmrt()))
    sheet = book["Smelter List"]
    for row, cells in rows.items():
        for column, value in cells.items():
            sheet[f"{column}{row}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_smelter_far_below_blank_formula_rows_is_still_read(monkeypatch):
    formulas = {row: {"B": f'=IF(A{row}="","",A{row})', "V": "=NA()"} for row in range(6, 400)}
    data = cmrt_with_smelter_rows(
        {**formulas, 2500: {"B": "Gold", "C": "Smelter not listed", "D": "Far Gold"}}
    )
    lean, careful = read_both_ways(data, monkeypatch)
    assert lean == careful
    assert [s["row"] for s in lean["smelters"]] == [5, 2500]


def test_cached_formula_blanks_after_the_data_are_cut_and_typed_values_kept():
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="str"><f>X</f><v></v></c><c r="B%d" t="e"><f>NA()</f><v>#N/A</v></c>'
        b'<c r="C%d"><f t="shared" si="1"/><v>0</v></c></row>' % (n, n, n, n)
        for n in range(6, 50)
    )
    typed_zero = b'<row r="5"><c r="A5"><v>0</v></c></row>'
    xml = sheet_xml(typed_zero + rows)
    assert without_trailing_blank_rows(xml) == sheet_xml(typed_zero)
    spaced = sheet_xml(
        b'<row r="5"><c r="A5" t="str"><f>X</f><v xml:space="preserve"> a </v></c></row>' + rows
    )
    assert without_trailing_blank_rows(spaced).endswith(b"</v></c></row></sheetData></worksheet>")
    inline = sheet_xml(rows + b'<row r="90"><c r="A90" t="inlineStr"><is><t>late</t></is></c></row>')
    assert without_trailing_blank_rows(inline) == inline


def test_a_sheet_in_a_namespace_prefix_is_not_cut(monkeypatch):
    prefixed = sheet_xml(
        b'<row r="5"><c r="B5" t="inlineStr"><is><t>Tin</t></is></c></row>'
        b'<x:row r="3000"><x:c r="D3000" t="inlineStr"><x:is><x:t>Hidden Tin</x:t></x:is></x:c></x:row>'
    )
    data = with_part(minimal_cmrt(), "xl/worksheets/sheet2.xml", prefixed)
    lean, careful = read_both_ways(data, monkeypatch)
    assert lean == careful


def test_the_lean_copy_still_refuses_a_two_cell_sheet_spanning_the_grid():
    far = sheet_xml(
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    data = with_part(minimal_cmrt(), SHEET_XML, far)
    # The lean copy is refused, and the careful path names the problem when the sheet is read.
    assert lean_copy(data, check_zip_bounds(data, "far.xlsx"), "far.xlsx") is None


def test_rows_without_values_are_dropped_only_when_every_row_is_numbered(monkeypatch):
    unnumbered = sheet_xml(
        b'<row r="1"><c r="D1"><v>1</v></c></row>'
        + b"<row><c/></row>" * 5
        + b'<row><c r="D7" t="inlineStr"><is><t>seventh</t></is></c></row>'
    )
    data = with_part(minimal_cmrt(), "xl/worksheets/sheet3.xml", unnumbered)  # the Product List
    lean, careful = read_both_ways(data, monkeypatch)
    assert lean == careful


def test_a_sheet_left_out_cannot_be_read_by_mistake():
    opened = open_workbook(minimal_cmrt(), name="x.xlsx", sheets={"declaration"})
    assert opened.book.sheet_names == ["Declaration", "Smelter List", "Product List", "Checker"]
    with pytest.raises(LookupError, match="left out"):
        opened.book.get_sheet_by_name("Smelter List")
    assert (
        opened.book.get_sheet_by_name("Declaration")
        .to_python(skip_empty_area=False)[1][3]
        .startswith("Conflict")
    )


def test_the_lean_copy_keeps_dates_and_shared_strings():
    response = read_template(minimal_cmrt(), name="x.xlsx")
    assert response.company.effective_date.value == dt.date(2024, 5, 10)
    assert response.company.name.value == "Acme Metals Ltd."


def test_a_lean_copy_is_a_stored_zip_with_only_what_calamine_reads():
    data = shared_file(CMRT_DIR / "filled" / "RMI_CMRT_6.4_PKG_DE00_20240710.xlsx").read_bytes()
    lean = lean_copy(data, check_zip_bounds(data, "pkg.xlsx"), "pkg.xlsx", {"Declaration", "Smelter List"})
    archive = zipfile.ZipFile(io.BytesIO(lean))
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    names = set(archive.namelist())
    assert {"xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"} <= names
    assert not any(name.startswith(("xl/media", "xl/printerSettings", "customXml")) for name in names)
    assert len(lean) < len(data) * 2  # the 5 MB Smelter List ends after its last smelter row


def test_two_sheets_sharing_one_part_take_the_careful_path(monkeypatch):
    data = minimal_cmrt()
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/_rels/workbook.xml.rels")
    shared = with_part(data, "xl/_rels/workbook.xml.rels", workbook.replace(b"sheet2.xml", b"sheet1.xml"))
    assert lean_copy(shared, check_zip_bounds(shared, "x.xlsx"), "x.xlsx") is None
    lean, careful = read_both_ways(shared, monkeypatch)
    assert lean == careful


# --- list sheets read in their first columns only (AMRT 1.3's helper columns) ----------------------

HELPER_ROWS = b"".join(
    b'<row r="%d"><c r="B%d" t="str"><f>X</f><v></v></c><c r="X%d" t="str"><f>Y</f><v>+</v></c>'
    b'<c r="AC%d" t="b"><f>Z</f><v>1</v></c></row>' % (n, n, n, n)
    for n in range(6, 60)
)
HEADER_ROW = b'<row r="4"><c r="A4" t="inlineStr"><is><t>Metal</t></is></c></row>'


def test_values_right_of_the_columns_read_do_not_keep_trailing_rows():
    xml = sheet_xml(HEADER_ROW + HELPER_ROWS)
    assert without_trailing_blank_rows(xml) == xml  # every row shows "+" in X
    assert without_trailing_blank_rows(xml, last_column=18) == sheet_xml(HEADER_ROW)
    assert without_trailing_blank_rows(xml, last_column=24) == xml  # X is column 24


def test_a_value_in_a_column_read_keeps_its_row_below_helper_columns():
    late = b'<row r="70"><c r="R70" t="inlineStr"><is><t>late</t></is></c><c r="X70"><v>5</v></c></row>'
    xml = sheet_xml(HEADER_ROW + HELPER_ROWS + late)
    assert without_trailing_blank_rows(xml, last_column=18) == xml


def test_a_value_whose_cell_does_not_name_its_column_keeps_its_row():
    unnamed = b'<row r="70"><c t="inlineStr"><is><t>where?</t></is></c></row>'
    reordered = b'<row r="71"><c s="1" r="AD71"><v>7</v></c></row>'
    for tail in (unnamed, reordered):
        xml = sheet_xml(HEADER_ROW + HELPER_ROWS + tail)
        assert without_trailing_blank_rows(xml, last_column=18) == xml


@pytest.mark.shared
def test_a_blank_amrt13_reads_as_before_without_its_helper_rows(monkeypatch):
    path = shared_file(CMRT_DIR / "templates" / "RMI_AMRT_1.3.xlsx")
    data = path.read_bytes()
    members = check_zip_bounds(data, path.name)
    whole = zipfile.ZipFile(io.BytesIO(lean_copy(data, members, path.name, sheets_read())))
    cut = zipfile.ZipFile(io.BytesIO(lean_copy(data, members, path.name, sheets_read(), list_columns_read())))
    smelter_list = "xl/worksheets/sheet6.xml"
    assert len(cut.read(smelter_list)) * 100 < len(whole.read(smelter_list))
    lean, careful = read_both_ways(path, monkeypatch, path.name)
    assert lean == careful


@pytest.mark.shared
def test_an_amrt13_smelter_far_down_is_still_read(tmp_path):
    blank = shared_file(CMRT_DIR / "templates" / "RMI_AMRT_1.3.xlsx").read_bytes()
    writes = [
        CellWrite("Declaration", "D12", "Silver"),
        CellWrite("Smelter List", "B2400", "Silver"),
        CellWrite("Smelter List", "C2400", "Smelter not listed"),
        CellWrite("Smelter List", "D2400", "Plata SA"),
        CellWrite("Mine List", "C2300", "Mina Norte"),
    ]
    response = read_template(patch_workbook(blank, writes), name="amrt13.xlsx")
    assert [(s.row, s.metal, s.name) for s in response.smelters] == [(2400, "Silver", "Plata SA")]
    assert [(m.row, m.mine_name) for m in response.mines] == [(2300, "Mina Norte")]
