"""A mine a supplier reports in its Mine List raises the Covered Country or CAHRA red flag, the mine
named as its source: where a mineral was extracted is the location red flag itself (OECD DDG 3T
supplement)."""

from __future__ import annotations

import pytest

from oretrace.risk.assess import assess
from oretrace.rollup.analyse import AnalysisSettings, analyse_file
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from risk.factories import AS_OF

DRC_MINE = ("Cobalt", "Glencore Nikkelverk", "Kamoto Copper Company", "MINE-KCC-01", "Company", "DRC")
INDIAN_MINE = ("Mica", None, "Koderma Mica Mine", None, None, "India")


@pytest.fixture(scope="module")
def rollup():
    from filled_templates import TIANMA, emrt21_bytes

    data = emrt21_bytes(company=TIANMA, mines=[DRC_MINE, INDIAN_MINE])
    return build_rollup([analyse_file(data, AnalysisSettings(), name="tianma.xlsx")])


def _mine_flags(assessment):
    rating = next(r for r in assessment.suppliers if r.key == "tianma.xlsx")
    return [f for f in rating.flags if f.source and f.source.startswith("Mine List")]


def test_a_mine_in_the_drc_raises_the_covered_country_flag_with_the_mine_as_source(rollup):
    [flag] = _mine_flags(assess(rollup, as_of=AS_OF))
    assert flag.code == "supplier-covered-countries-yes"
    assert flag.metal == "Cobalt"
    assert flag.source == "Mine List: Kamoto Copper Company (Cobalt, Congo, Democratic Republic of the)"
    assert flag.explanation == (
        "Tianma Components Co., Ltd. reports in its Mine List the Cobalt mine Kamoto Copper Company, "
        "MINE-KCC-01 in Congo, Democratic Republic of the, a Covered Country under SEC Rule 13p-1 "
        "(RMI country risk level 3)."
    )
    assert flag.as_dict()["source"] == flag.source


def test_a_mine_in_a_listed_cahra_raises_the_cahra_flag(rollup):
    flags = _mine_flags(assess(rollup, as_of=AS_OF, cahra=CountryList(["India"])))
    assert [(f.code, f.source) for f in flags] == [
        (
            "supplier-covered-countries-yes",
            "Mine List: Kamoto Copper Company (Cobalt, Congo, Democratic Republic of the)",
        ),
        ("supplier-cahra-yes", "Mine List: Koderma Mica Mine (Mica, India)"),
    ]
    assert "on the imported EU CAHRA list" in flags[1].explanation
