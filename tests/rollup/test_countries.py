"""Country names: one spelling stored for each country, whatever the file wrote."""

from __future__ import annotations

import openpyxl
import pytest

from oretrace.rollup.countries import _COMMON_NAMES, country_name
from samples import TEMPLATES, shared_file


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("DE", "Germany"),
        ("deu", "Germany"),
        ("Germany", "Germany"),
        ("GERMANY", "Germany"),
        ("US", "United States of America"),
        ("USA", "United States of America"),
        ("U.S.A.", "United States of America"),
        ("United States", "United States of America"),
        ("United States of America", "United States of America"),
        ("UNITED STATES OF AMERICA", "United States of America"),
        ("KR", "Korea, Republic of"),
        ("South Korea", "Korea, Republic of"),
        ("KOREA, REPUBLIC OF", "Korea, Republic of"),
        ("Vietnam", "Viet Nam"),
        ("VN", "Viet Nam"),
        ("TAIWAN, PROVINCE OF CHINA", "Taiwan"),
        ("Taiwan", "Taiwan"),
        ("UK", "United Kingdom of Great Britain and Northern Ireland"),
        ("GB", "United Kingdom of Great Britain and Northern Ireland"),
        ("BOLIVIA (PLURINATIONAL STATE OF)", "Bolivia, Plurinational State of"),
        ("CÔTE D'IVOIRE", "Côte d'Ivoire"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("Turkey", "Türkiye"),
        ("NAURU", "Naoero"),  # renamed in 2026; RMI's 6.5 list has the old name
        ("DRC", "Congo, Democratic Republic of the"),
        ("CONGO, DEMOCRATIC REPUBLIC OF THE", "Congo, Democratic Republic of the"),
        ("Congo", "Congo"),
        ("  china ", "China"),
    ],
)
def test_it_names_a_country_by_its_iso_short_name(written, stored):
    assert country_name(written) == stored


@pytest.mark.parametrize("written", ["Korea", "Narnia", "XX", "XYZ", "", None, "Deutschland"])
def test_it_names_no_country_for_a_value_that_means_none_or_several(written):
    # "Korea" is either; "Deutschland" is German, and only English names and ISO codes are read.
    assert country_name(written) is None


@pytest.mark.shared
def test_every_country_in_rmis_template_list_is_recognised():
    book = openpyxl.load_workbook(shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx"), read_only=True)
    names = [row[1] for row in book["C"].iter_rows(min_row=2, values_only=True) if row[1]]
    assert len(names) == 249
    assert [n for n in names if country_name(n) is None] == []
    assert country_name("KOREA, REPUBLIC OF") == "Korea, Republic of"


def test_no_common_name_is_taken_by_an_iso_code():
    for code, spellings in _COMMON_NAMES.items():
        for spelling in spellings:
            assert country_name(spelling) == country_name(code), spelling
