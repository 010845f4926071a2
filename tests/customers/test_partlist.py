"""Reading a customer's list of part numbers: the usable rows kept, each bad row named with its number."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from oretrace.customers import CustomerPart, read_part_list
from oretrace.errors import BadInput


def test_it_reads_the_customers_numbers_ours_and_descriptions():
    data = b"Customer part number;Supplier part number;Description\nC-1;P-000;Capacitor\nC-2;;Board\n"
    parts = read_part_list(data, "bigco.csv")
    assert parts.parts == (
        CustomerPart(2, "C-1", "P-000", "Capacitor"),
        CustomerPart(3, "C-2", None, "Board"),
    )
    assert parts.problems == ()


def test_a_row_without_a_number_and_a_repeated_number_are_named_and_the_rest_kept():
    data = b"Part number,Description\nC-1,Capacitor\n,Board\nC-1,Again\n\nC-3,\n"
    parts = read_part_list(data, "bigco.csv")
    assert [p.number for p in parts.parts] == ["C-1", "C-3"]
    assert [str(p) for p in parts.problems] == [
        "Row 3: no part number",
        "Row 4: part number C-1 is listed already on row 2",
    ]


def test_an_overlong_number_is_refused_with_the_limit():
    parts = read_part_list(b"Part number\n" + b"X" * 101 + b"\nC-1\n", "bigco.csv")
    assert [str(p) for p in parts.problems] == ["Row 2: the part number is longer than 100 characters"]
    assert [p.number for p in parts.parts] == ["C-1"]


def test_a_file_without_a_part_number_column_says_what_it_looked_for():
    with pytest.raises(BadInput, match="part number column"):
        read_part_list(b"Colour,Size\nred,2\n", "bigco.csv")


def test_a_list_with_a_header_and_nothing_under_it_is_refused():
    with pytest.raises(BadInput, match="lists no part numbers"):
        read_part_list(b"Part number\n\n", "bigco.csv")


def test_a_workbook_with_a_title_above_the_header_and_numeric_part_numbers_is_read():
    book = Workbook()
    sheet = book.active
    sheet.append(["Big Co: parts for the 2026 CMRT request"])
    sheet.append([])
    sheet.append(["Item", "Vendor part no", "Item description"])
    sheet.append([4711, "P-000", "Capacitor"])
    sheet.append(["BC-2", None, None])
    out = io.BytesIO()
    book.save(out)
    parts = read_part_list(out.getvalue(), "bigco.xlsx")
    assert parts.parts == (
        CustomerPart(4, "4711", "P-000", "Capacitor"),
        CustomerPart(5, "BC-2", None, None),
    )
