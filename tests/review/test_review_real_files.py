"""Concrete findings on the real supplier files and the CFSI-era fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.errors import UnsupportedVersion
from oretrace.review import review
from oretrace.rmi import read_template
from samples import CENTRAL_GLASS, HONEYWELL, LEGACY, PKG, SK, shared_file

TODAY = dt.date(2024, 8, 1)


def reviewed(path):
    return review(read_template(shared_file(path)), today=TODAY)


def test_central_glass_has_the_comma_email_and_nothing_else():
    report = reviewed(CENTRAL_GLASS)
    assert report.flatten() == [("email-malformed", None, "D16")]
    assert "contact,person1@example.com" in report.findings[0].message


def test_sk_product_row_without_a_number_is_the_checkers_one_missing_field():
    report = reviewed(SK)
    assert report.flatten() == [("required-field-missing", None, "B6"), ("smelter-name-missing", None, "D5")]
    assert "names “WF6” but has no product number" in report.findings[0].message


def test_honeywell_duplicate_row_policy_title_and_tin_gold_without_smelters():
    report = reviewed(HONEYWELL)
    assert report.flatten() == [
        ("required-field-missing", "Tin", None),
        ("required-field-missing", "Gold", None),
        ("covered-countries-sourcing", "Tantalum", "D38"),
        ("covered-countries-sourcing", "Tin", "D39"),
        ("covered-countries-sourcing", "Gold", "D40"),
        ("covered-countries-sourcing", "Tungsten", "D41"),
        ("cahra-sourcing", "Tantalum", "D44"),
        ("cahra-sourcing", "Tin", "D45"),
        ("cahra-sourcing", "Gold", "D46"),
        ("cahra-sourcing", "Tungsten", "D47"),
        ("policy-url-not-a-url", None, "G77"),
        ("smelter-duplicate", "Tantalum", "row 7"),
        ("smelter-name-missing", None, "D5"),
    ]


def test_pkg_company_block_is_empty():
    report = reviewed(PKG)
    missing = [f.cell for f in report.findings if f.code == "required-field-missing"]
    assert missing == ["D8", "D9", "D15", "D16", "D17", "D18", "D20", "D22"]
    assert report.counts == {"error": 8, "warning": 3, "info": 1}
    assert ("policy-url-not-a-url", None, "G77") in report.flatten()


def test_the_report_serialises_to_json_ready_data():
    data = reviewed(SK).as_dict()
    assert (data["kind"], data["version"], data["checker_missing"]) == ("CMRT", "6.4", 1)
    assert data["counts"] == {"error": 1, "warning": 0, "info": 1}
    assert set(data["findings"][0]) == {"code", "severity", "mineral", "sheet", "cell", "message", "question"}


def legacy(name):
    path = shared_file(LEGACY / name)
    try:
        return review(read_template(path), today=TODAY)
    except UnsupportedVersion as error:
        pytest.skip(f"the reader has no layout for {name} yet ({error.code})")


@pytest.mark.parametrize("version", ["2.03a", "3.01"])
def test_legacy_high_risk_fixture_raises_covered_countries_and_green_does_not(version):
    high_risk = legacy(f"{version}__{version}_-_high_risk.xlsx")
    green = legacy(f"{version}__{version}_-_green.xlsx")
    assert "covered-countries-sourcing" in high_risk.codes()
    assert "covered-countries-sourcing" not in green.codes()


def test_legacy_301_url_without_www_is_what_its_checker_counts():
    report = legacy("3.01__3.01_-_green.xlsx")
    assert report.checker_missing == 1
    assert [f.cell for f in report.findings if f.code == "required-field-missing"] == ["G71"]
