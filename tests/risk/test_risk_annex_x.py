"""The risk categories of Annex X of the Batteries Regulation as red-flag kinds: raised by the data for a
battery raw-material facility or mine in a CAHRA, and by an analyst's open risk action tagged with one."""

from __future__ import annotations

import datetime as dt

from oretrace.batteries.categories import CATEGORIES
from oretrace.risk.actions import RESPONSES
from oretrace.risk.assess import assess
from oretrace.risk.codes import ANNEX_X_CODES, FLAG_KINDS, annex_x_code
from oretrace.risk.flags import AnnexXRisk
from oretrace.risk.thresholds import RiskThresholds
from risk.factories import AS_OF, rollup, smelter, supplier

CONFLICT = "supplier-annex-x-oecd-armed-groups"


def _rating(assessment, key):
    return next(r for r in (*assessment.suppliers, *assessment.smelters) if r.key == key)


def _codes(assessment, key):
    return [f.code for f in _rating(assessment, key).flags]


def test_every_annex_x_category_is_a_kind_for_suppliers_and_smelters_citing_its_point():
    for category in CATEGORIES.values():
        for subject in ("supplier", "smelter"):
            kind = FLAG_KINDS[annex_x_code(subject, category.code)]
            assert (kind.subject, kind.source) == (subject, category.source)
            assert kind.title == f"Annex X risk ({subject}): {category.title}"
    assert len(ANNEX_X_CODES) == 2 * len(CATEGORIES)
    assert set(ANNEX_X_CODES) <= set(RESPONSES)


def test_a_cobalt_refiner_in_the_drc_raises_the_conflict_category_for_it_and_its_supplier():
    drc = "Congo, Democratic Republic of the"
    result = assess(
        rollup(
            [supplier("Acme Metals")],
            [
                smelter(
                    "Kolwezi Cobalt",
                    "CID009001",
                    metal="Cobalt",
                    country=drc,
                    status="Not enrolled",
                    covered=True,
                )
            ],
        ),
        as_of=AS_OF,
    )
    refiner = _rating(result, "CID009001")
    [annex] = [f for f in refiner.flags if f.code == "smelter-annex-x-oecd-armed-groups"]
    assert annex.explanation == (
        f"Kolwezi Cobalt (Cobalt, CID009001) processes cobalt, a battery raw material of Annex X point 1, in {drc}, "
        "a Covered Country or conflict-affected or high-risk area: the risk \u201cDirect or indirect support to "
        "non-state armed groups\u201d (OECD Due Diligence Guidance, Annex II (model supply chain policy)) applies."
    )
    # One family with the location flag: the same fact adds half its points, not a second full weight.
    assert (annex.weight, annex.points) == (6, 3.0)
    [flag] = [f for f in _rating(result, "acme-metals.xlsx").flags if f.code == CONFLICT]
    assert flag.explanation.startswith(
        f"Acme Metals names 1 battery raw-material source of Annex X point 1 in a Covered Country or a "
        f"conflict-affected or high-risk area: Kolwezi Cobalt (Cobalt, {drc});"
    )


def test_tin_in_the_drc_or_cobalt_elsewhere_raises_no_annex_x_flag():
    result = assess(
        rollup(
            [supplier("Acme Metals")],
            [
                smelter("Kivu Tin", "CID009002", country="Rwanda", covered=True),
                smelter("Finnish Cobalt", "CID009003", metal="Cobalt", country="Finland"),
            ],
        ),
        as_of=AS_OF,
    )
    assert not any(f.code in ANNEX_X_CODES for f in result.flags)


def test_a_conformant_refiner_has_its_annex_x_flag_mitigated():
    result = assess(
        rollup([], [smelter("Kolwezi Cobalt", "CID009001", metal="Cobalt", country="Rwanda", covered=True)]),
        as_of=AS_OF,
    )
    [annex] = [f for f in _rating(result, "CID009001").flags if f.code in ANNEX_X_CODES]
    assert (annex.mitigated, annex.weight) == (True, 2)
    assert annex.explanation.endswith("; its RMAP status (Conformant) mitigates this.")


def test_an_open_action_tagged_with_a_category_flags_its_subject_with_the_years_weight():
    risk = AnnexXRisk(
        "supplier", "acme-metals.xlsx", "Acme Metals", "child-labour", "risk action #7", dt.date(2025, 6, 3)
    )
    weights = {"supplier-annex-x-child-labour": 12}
    result = assess(
        rollup([supplier("Acme Metals")]),
        as_of=AS_OF,
        annex_x=[risk],
        thresholds=RiskThresholds(weights=weights),
    )
    acme = _rating(result, "acme-metals.xlsx")
    [flag] = acme.flags
    assert flag.code == "supplier-annex-x-child-labour"
    assert flag.explanation == (
        "The open risk action #7, opened on 2025-06-03, identifies on Acme Metals a risk of the category "
        "\u201cChild labour\u201d (Regulation (EU) 2023/1542, Annex X, point 2(b)(ii))."
    )
    assert (flag.source, acme.rating) == ("risk action #7", "high")


def test_a_tagged_action_on_a_subject_the_rollup_lacks_is_rated_alone():
    risk = AnnexXRisk("smelter", "CID000404", "Gone Refinery", "water", "risk action #9", dt.date(2025, 6, 3))
    result = assess(rollup([]), as_of=AS_OF, annex_x=[risk])
    assert _codes(result, "CID000404") == ["smelter-annex-x-water"]
    assert _rating(result, "CID000404").rating == "medium"
