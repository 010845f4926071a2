"""Ratings per supplier and smelter: the score is the sum of the flags' points, worst first, with counts."""

from __future__ import annotations

import datetime as dt

from oretrace.risk.actions import RESPONSES, actions_for, suggested_actions
from oretrace.risk.assess import assess
from oretrace.risk.codes import FLAG_KINDS
from oretrace.risk.thresholds import RiskThresholds
from risk.factories import AS_OF, answers, asked, rollup, smelter, supplier


def campaign():
    return rollup(
        [
            supplier("Acme Metals", answers_=answers(Tin={"Q3": "Yes"})),
            supplier("Borealis Alloys", errors=1),
            supplier("Clean Co"),
            supplier("Dune Components", warnings=2, answers_=answers(Gold={"Q4": "Unknown"})),
        ],
        [
            smelter("Bad Tin Smelter", "CID000001", status="Non-Conformant", suppliers=("Acme Metals",)),
            smelter("Good Tin Smelter", "CID000002", suppliers=("Clean Co",)),
            smelter("Quiet Gold", "CID000003", metal="Gold", status=None, suppliers=("Clean Co",)),
            smelter("Kigali Tin", "CID000004", country="Rwanda", covered=True, suppliers=("Clean Co",)),
        ],
    )


def test_it_rates_suppliers_worst_first_with_the_flags_that_drove_it():
    result = assess(
        campaign(), as_of=AS_OF, survey=asked(returned=("Acme Metals", "Clean Co"), waiting=("Eagle Parts",))
    )
    # Eagle Parts was asked with no due date known: its silence is flagged at once. Acme Metals sources
    # from the Covered Countries and names a non-conformant smelter: two medium flags make it high.
    assert [(r.subject, r.rating, r.score) for r in result.suppliers] == [
        ("Acme Metals", "high", 13),
        ("Eagle Parts", "high", 12),
        ("Dune Components", "low", 2),
        ("Borealis Alloys", "low", 1),
        ("Clean Co", "low", 0),
    ]
    acme = result.suppliers[0]
    assert [(f.code, f.points) for f in acme.flags] == [
        ("supplier-names-red-flag-smelter", 7),
        ("supplier-covered-countries-yes", 6),
    ]
    assert acme.explanation.startswith("Acme Metals names 1 smelter that the RMAP list of 2025-06-01 shows")


def test_it_rates_smelters_and_counts_them_by_status():
    result = assess(campaign(), as_of=AS_OF)
    assert [(r.subject, r.rating, r.score, r.status) for r in result.smelters] == [
        ("Bad Tin Smelter", "medium", 6, "Non-Conformant"),
        ("Quiet Gold", "low", 4, "Unknown"),
        ("Kigali Tin", "low", 2, "Conformant"),
        ("Good Tin Smelter", "low", 0, "Conformant"),
    ]
    assert result.smelters_by_status() == {"Conformant": 2, "Non-Conformant": 1, "Unknown": 1}
    assert result.smelter_counts() == {"high": 0, "medium": 1, "low": 3}
    assert result.smelters[-1].explanation == "No red flags."


def test_it_gives_the_counts_for_a_management_summary():
    result = assess(
        campaign(), as_of=AS_OF, survey=asked(returned=("Acme Metals", "Clean Co"), waiting=("Eagle Parts",))
    )
    assert result.supplier_counts() == {"high": 2, "medium": 0, "low": 3}
    assert (result.suppliers_in_scope, result.suppliers_responded) == (3, 2)
    assert round(result.response_rate, 3) == 0.667
    assert result.flags_by_code() == {
        "supplier-no-response": 1,
        "supplier-covered-countries-yes": 1,
        "supplier-cahra-unknown": 1,
        "supplier-open-errors": 1,
        "supplier-open-warnings": 1,
        "supplier-names-red-flag-smelter": 1,
        "smelter-non-conformant": 1,
        "smelter-status-unknown": 1,
        "smelter-covered-country": 1,
    }
    assert [r.subject for r in result.top(3)] == ["Acme Metals", "Eagle Parts", "Bad Tin Smelter"]
    assert [r.subject for r in result.top(10, at_least="high")] == ["Acme Metals", "Eagle Parts"]


def test_without_an_in_scope_list_the_files_are_the_scope():
    result = assess(
        rollup([supplier("A Co"), supplier(None, file_name="b.xlsx", unreadable=True)]), as_of=AS_OF
    )
    assert (result.suppliers_in_scope, result.suppliers_responded) == (2, 1)


def test_the_years_weights_and_cut_offs_change_the_rating():
    strict = RiskThresholds(weights={**RiskThresholds().weights, "smelter-non-conformant": 12})
    result = assess(campaign(), thresholds=strict, as_of=AS_OF)
    bad = next(r for r in result.smelters if r.key == "CID000001")
    assert (bad.score, bad.rating, bad.flags[0].severity) == (12, "high", "high")
    lenient = RiskThresholds(medium_score=7)
    bad = next(
        r for r in assess(campaign(), thresholds=lenient, as_of=AS_OF).smelters if r.key == "CID000001"
    )
    assert (bad.score, bad.rating) == (6, "low")


def test_the_assessment_serialises_for_the_web_app():
    data = assess(campaign(), as_of=dt.date(2025, 7, 1)).as_dict()
    assert data["as_of"] == "2025-07-01"
    assert data["smelters"][0]["flags"][0]["code"] == "smelter-non-conformant"
    assert data["thresholds"]["high_score"] == 12


def test_every_flag_kind_has_a_standard_response():
    assert set(RESPONSES) == set(FLAG_KINDS)


def test_actions_name_the_subject_owner_and_due_date():
    result = assess(campaign(), as_of=AS_OF)
    bad = next(r for r in result.smelters if r.key == "CID000001")
    actions = actions_for(bad.flags[0])
    assert [(a.what, a.owner_role, a.due_in_days) for a in actions] == [
        (
            "Ask the suppliers naming Bad Tin Smelter to move off it",
            "Buyer responsible for the supplier",
            180,
        ),
        ("Ask Bad Tin Smelter for its RMAP corrective action plan", "Compliance analyst", 60),
    ]
    assert actions[0].due_on(dt.date(2025, 7, 1)) == dt.date(2025, 12, 28)
    assert actions[0].as_dict()["reason"] == bad.flags[0].explanation


def test_suggested_actions_skip_mitigated_flags_and_follow_the_ratings():
    result = assess(campaign(), as_of=AS_OF)
    actions = suggested_actions(result, minimum="medium")
    assert [(a.flag.subject, a.what) for a in actions] == [
        ("Acme Metals", "Ask Acme Metals to move off the non-conformant smelters it names"),
        ("Acme Metals", "Agree a risk management plan with Acme Metals and report it to senior management"),
        (
            "Acme Metals",
            "Ask Acme Metals which smelters source from the Covered Countries and for their RMAP status",
        ),
        ("Acme Metals", "Report the Covered-Country sourcing of Acme Metals to senior management"),
        ("Bad Tin Smelter", "Ask the suppliers naming Bad Tin Smelter to move off it"),
        ("Bad Tin Smelter", "Ask Bad Tin Smelter for its RMAP corrective action plan"),
    ]
    everything = suggested_actions(result)
    assert "Kigali Tin" not in {a.flag.subject for a in everything}
    assert "Kigali Tin" in {a.flag.subject for a in suggested_actions(result, include_mitigated=True)}
