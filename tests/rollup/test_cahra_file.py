"""A CAHRA list becomes its country names whether it is text, CSV or a workbook, or says why not."""

from __future__ import annotations

import io

import openpyxl
import pytest

from oretrace.errors import BadInput
from oretrace.rollup.cahra import read_country_file, read_country_list


def test_a_text_list_is_one_country_per_line_with_comments_and_heading_skipped():
    text = b"# EU indicative list, 2025\nCountry\nMyanmar\n\nAfghanistan\nmyanmar\n"
    assert read_country_list(text, "cahra.txt") == ["Myanmar", "Afghanistan"]


def test_a_csv_is_read_by_its_country_column_in_windows_1252_too():
    data = "Area;Country;Since\nSahel;Mali;2021\nHorn;Côte d'Ivoire;2020\n".encode("cp1252")
    assert read_country_list(data, "cahra.csv") == ["Mali", "Côte d'Ivoire"]


def test_a_workbook_is_read_by_its_country_column():
    book = openpyxl.Workbook()
    book.active.append(["Region", "Country name"])
    book.active.append(["Asia", "Myanmar"])
    out = io.BytesIO()
    book.save(out)
    assert read_country_list(out.getvalue(), "cahra.xlsx") == ["Myanmar"]


def test_a_file_that_is_no_country_list_is_refused_with_the_reason():
    with pytest.raises(BadInput, match="longer than 100 characters"):
        read_country_list(("x" * 150 + "\n").encode(), "notes.txt")
    with pytest.raises(BadInput, match="empty"):
        read_country_list(b"  \n", "empty.txt")


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(BadInput, match="cannot be read"):
        read_country_file(tmp_path / "nowhere.csv")
