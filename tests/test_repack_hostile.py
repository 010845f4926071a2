"""Crafted sheets found in a review of the lean copy (repack.py) and the extent guard (extent.py,
opening.py): each reads as calamine reads the original, or is refused, and none aborts the process.

The extent cases use a sheet just past MAX_SHEET_CELLS (20,000 rows by 104 columns), so that a
regression costs a few MB, not a process abort: the same files with XFD1048576 made calamine abort
the interpreter ("memory allocation of 549654626400 bytes failed") from a 6.5 KB upload.
"""

from __future__ import annotations

import contextlib
import io
import time
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from oretrace.errors import ArchiveBomb, CorruptFile, OretraceError
from oretrace.rmi import repack
from oretrace.rmi.extent import check_sheet_extent
from oretrace.rmi.opening import open_workbook
from oretrace.rmi.reader import read_template
from test_opening import minimal_cmrt, sheet_xml

_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_A1 = b'<row r="1"><c r="A1"><v>1</v></c></row>'
_FAR = b"CZ20000"  # 104 columns x 20,000 rows = 2,080,000 cells > MAX_SHEET_CELLS
_BIG = sheet_xml(_A1 + b'<row r="20000"><c r="' + _FAR + b'"><v>1</v></c></row>')
_SMALL = sheet_xml(_A1)


def _book(sheets: list[tuple[bytes, bytes]], parts: list[tuple[str, bytes]], wb_ns: bytes = b"") -> bytes:
    """A bare .xlsx: ``sheets`` are (<sheet …/> attributes, rId target) pairs, ``parts`` the members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="'
            + _REL
            + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            b'<?xml version="1.0"?><workbook xmlns="'
            + _MAIN
            + b'" xmlns:r="'
            + _REL
            + b'" '
            + wb_ns
            + b"><sheets>"
            + b"".join(b'<sheet sheetId="%d" %s/>' % (i + 1, attrs) for i, (attrs, _) in enumerate(sheets))
            + b"</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + b"".join(
                b'<Relationship Id="rId%d" Type="%s/worksheet" Target="%s"/>' % (i + 1, _REL, target)
                for i, (_, target) in enumerate(sheets)
            )
            + b"</Relationships>",
        )
        for path, content in parts:
            z.writestr(path, content)
    return out.getvalue()


def _one_sheet(xml: bytes) -> bytes:
    return _book(
        [(b'name="Declaration" r:id="rId1"', b"worksheets/sheet1.xml")], [("xl/worksheets/sheet1.xml", xml)]
    )


def _original(data: bytes, sheet: str = "Declaration"):
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(data))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )


def _opened(data: bytes, sheet: str = "Declaration"):
    book = open_workbook(data, sheets={"Declaration"}).book
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


# --- 1. The lean copy reads differently from the file ---------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(b'<row r="3"><c r="A3"><v>5</v ></c></row>', id="end-tag-</v >"),
        pytest.param(
            b'<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is\n></c></row>', id="end-tag-</is\\n>"
        ),
    ],
)
def test_a_value_closed_by_an_end_tag_with_whitespace_is_not_cut_off(row):
    # Well-formed XML (an end tag may hold whitespace before ">"); _VISIBLE_VALUE only knows "</v>".
    data = _one_sheet(sheet_xml(_A1 + row))
    assert _original(data) == [[1.0], [""], [5.0 if b"<v>" in row else "x"]]
    assert _opened(data) == _original(data)  # the lean copy once dropped row 3


def test_the_row_drop_does_not_edit_text_inside_cdata():
    data = _one_sheet(
        sheet_xml(
            _A1 + b'<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[a<row r="9"/>b]]></t></is></c></row>'
        )
    )
    assert _original(data)[1] == ['a<row r="9"/>b']
    assert _opened(data)[1] == ['a<row r="9"/>b']  # the row drop once made it 'ab'


def test_a_greater_than_sign_in_a_row_attribute_does_not_break_the_lean_sheet():
    data = _one_sheet(sheet_xml(_A1 + b'<row r="2" x="/>"><c r="A2"><v>7</v></c></row>'))
    assert _original(data) == [[1.0], [7.0]]
    assert _opened(data) == [[1.0], [7.0]]  # the drop once removed '<row r="2" x="/>'


def test_a_strict_open_xml_workbook_reads_as_it_did_before_the_lean_copy():
    # Excel's "Strict Open XML Spreadsheet": calamine reads it; workbook_parts finds no sheet in the
    # transitional namespace, so the lean copy holds no worksheets and every sheet is "not found".
    source = zipfile.ZipFile(io.BytesIO(minimal_cmrt()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(
                info.filename,
                source.read(info.filename)
                .replace(_MAIN, b"http://purl.oclc.org/ooxml/spreadsheetml/main")
                .replace(_REL, b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
            )
    data = out.getvalue()
    assert _original(data)[7][3] == "Acme Metals Ltd."
    assert read_template(data, name="strict.xlsx") is not None  # once: CorruptFile (WorksheetNotFound)


def test_a_sheet_id_calamine_resolves_differently_does_not_read_as_an_empty_sheet():
    # calamine takes the last attribute named "id" in any namespace; workbook_parts the r:id one.
    data = _book(
        [
            (b'name="Declaration" r:id="rId1" q:id="rId2"', b"worksheets/sheet1.xml"),
            (b'name="X" r:id="rId2"', b"worksheets/sheet2.xml"),
        ],
        [
            ("xl/worksheets/sheet1.xml", _SMALL),
            ("xl/worksheets/sheet2.xml", sheet_xml(b'<row r="1"><c r="A1"><v>2</v></c></row>')),
        ],
        wb_ns=b'xmlns:q="urn:other"',
    )
    assert _original(data) == [[2.0]]
    assert _opened(data) == [[2.0]]  # once: [] (X, left out, was the empty sheet calamine read)


# --- 2. Sheets past MAX_SHEET_CELLS that the extent check lets through ------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param(b'<c r="A2" r="' + _FAR + b'"><v>1</v></c>', id="second-r-attribute"),
        pytest.param(b'<c foo=" r=\'A2\'" r="' + _FAR + b'"><v>1</v></c>', id="r-inside-another-value"),
        pytest.param(b'<c foo=">" r="' + _FAR + b'"><v>1</v></c>', id="greater-than-in-a-value"),
        pytest.param(
            '<é:c xmlns:é="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="CZ20000">'
            "<é:v>1</é:v></é:c>".encode(),
            id="non-ascii-prefix",
        ),
    ],
)
def test_the_extent_check_sees_the_reference_calamine_uses(cell):
    # Refused either way: as too large, or (two references in one cell) as damaged.
    xml = sheet_xml(_A1 + b'<row r="2">' + cell + b"</row>")
    assert len(_original(_one_sheet(xml))) == 20000  # what calamine allocates
    with pytest.raises((ArchiveBomb, CorruptFile)):
        check_sheet_extent(xml, "Declaration", "f.xlsx")
    with pytest.raises((ArchiveBomb, CorruptFile)):
        _opened(_one_sheet(xml))


def _careful(sheets, parts):
    # Two left-out sheets sharing a part: lean_copy returns None, so the careful path reads the file.
    return _book(
        [
            *sheets,
            (b'name="Y" r:id="rId2"', b"worksheets/s9.xml"),
            (b'name="Z" r:id="rId3"', b"worksheets/s9.xml"),
        ],
        [*parts, ("xl/worksheets/s9.xml", _SMALL)],
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            _book(
                [(b'name="Declaration" r:id="rId1"', b"worksheets/sheet1.xml")],
                [("xl/worksheets/sheet1.XML", _BIG)],
            ),
            id="upper-case-extension",
        ),
        pytest.param(
            _careful(
                [(b'name="Declaration" r:id="rId1"', b"worksheets/./sheet1.xml")],
                [("xl/worksheets/sheet1.xml", _SMALL), ("xl/worksheets/./sheet1.xml", _BIG)],
            ),
            id="target-not-normalised-by-calamine",
        ),
        pytest.param(
            _careful(
                [(b'name="Declaration" r:id="rId1"', b"worksheets/sheet1.xml")],
                [("xl/worksheets/sheet1.xml", _SMALL), ("xl\\worksheets\\sheet1.xml", _BIG)],
            ),
            id="backslash-member-name",
        ),
    ],
)
def test_the_careful_path_checks_the_part_calamine_reads(data):
    assert len(_original(data)) == 20000
    with pytest.raises(ArchiveBomb):
        _opened(data)


# --- 3. Time ---------------------------------------------------------------------------------------


def test_a_sheet_of_unclosed_row_tags_does_not_hang_the_reader():
    # '<row r="1" ' repeated with no '>': a pattern that rescans to the end of the sheet from each row
    # took 51 s on these 700 KB (a 7 KB upload); linear work takes milliseconds. The bound is about
    # hanging, not speed.
    xml = sheet_xml(b'<row r="1" ' * 64_000)
    start = time.perf_counter()
    with contextlib.suppress(OretraceError):
        repack._lean_sheet(xml, "Declaration", "f.xlsx")
    assert time.perf_counter() - start < 5
