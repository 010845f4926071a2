"""Exports escape text that a spreadsheet would run as a formula, and keep everything else as is."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from oretrace.tabular import Table, safe_cell, to_csv, to_xlsx


def test_it_escapes_text_that_would_become_a_formula():
    assert [safe_cell(v) for v in ("=HYPERLINK(1)", "+1 555", "-2", "@SUM(A1)", "\t=1", "Tin")] == [
        "'=HYPERLINK(1)",
        "'+1 555",
        "'-2",
        "'@SUM(A1)",
        "'\t=1",
        "Tin",
    ]


def test_it_leaves_numbers_and_dates_alone():
    assert safe_cell(-2) == -2
    assert safe_cell(dt.date(2025, 1, 2)) == dt.date(2025, 1, 2)


def test_csv_rows_are_escaped_and_lists_joined():
    table = Table(
        "Smelters", ["name", "suppliers", "date"], [["=cmd|' /C calc'!A0", ["A", "B"], dt.date(2025, 5, 1)]]
    )
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows == [["name", "suppliers", "date"], ["'=cmd|' /C calc'!A0", "A; B", "2025-05-01"]]


def test_xlsx_has_one_filterable_sheet_per_table_with_escaped_text():
    data = to_xlsx(
        [Table("Suppliers", ["company", "errors"], [["@evil", 3]]), Table("Findings", ["code"], [])]
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Suppliers", "Findings"]
    sheet = book["Suppliers"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["company", "errors"], ["'@evil", 3]]
    assert sheet.auto_filter.ref == "A1:B2"
    assert sheet.freeze_panes == "A2"


# Rows stored before the reader cleaned supplier text (the append-only audit log keeps them for ever)
# must still export: the writers drop what XML cannot hold instead of failing on it.
CONTROL = "Zzyzx\x01 Unlisted Refinery"


def test_xlsx_drops_the_characters_xml_cannot_hold_instead_of_failing():
    data = to_xlsx([Table("Log\x02", ["Detail\x03"], [[CONTROL], ["keep\ttab\nand line"], ["bad \ufffe"]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Detail"],
        ["Zzyzx Unlisted Refinery"],
        ["keep\ttab\nand line"],
        ["bad \ufffd"],
    ]


def test_csv_drops_them_too_so_the_two_exports_agree():
    rows = list(csv.reader(io.StringIO(to_csv(Table("Log", ["Detail\x03"], [[CONTROL], [["a\x04", "b"]]])))))
    assert rows == [["Detail"], ["Zzyzx Unlisted Refinery"], ["a; b"]]


def test_a_control_character_cannot_hide_a_formula_from_the_escape():
    table = Table("Log", ["Detail"], [["\x01=HYPERLINK(1)"], ["\x1f\x1f+1 555"]])
    assert list(csv.reader(io.StringIO(to_csv(table))))[1:] == [["'=HYPERLINK(1)"], ["'+1 555"]]
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["'=HYPERLINK(1)", "'+1 555"]
