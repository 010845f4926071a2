"""The score's rules on built cases: weights by severity, repeats with diminishing weight, the year's
cut-offs, and silence counted only after the due date plus the grace days."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from oretrace.errors import BadInput
from oretrace.risk.assess import AwaitingResponse, assess
from oretrace.risk.thresholds import RiskThresholds
from oretrace.survey import RequestState, Survey, SurveyedSupplier
from risk.factories import AS_OF, answers, rollup, smelter, supplier, unidentified


def _conformant(n: int, *, start: int = 100) -> list:
    return [
        smelter(f"Good Smelter {i}", f"CID{i:06d}", suppliers=("Acme Metals",))
        for i in range(start, start + n)
    ]


def _acme(*bad, unknown=(), company=None):
    summary = supplier("Acme Metals")
    if company:
        summary = dataclasses.replace(summary, company_answers=company)
    return assess(rollup([summary], [*_conformant(80), *bad], unidentified=unknown), as_of=AS_OF)


def _non_conformant(i: int, **kw):
    return smelter(
        f"Bad Smelter {i}", f"CID{i:06d}", status="Non-Conformant", suppliers=("Acme Metals",), **kw
    )


def test_one_non_conformant_smelter_among_80_conformant_is_medium_not_high():
    acme = _acme(_non_conformant(1)).suppliers[0]
    assert (acme.rating, acme.score) == ("medium", 7)
    assert [(f.code, f.count, f.points) for f in acme.flags] == [("supplier-names-red-flag-smelter", 1, 7)]


def test_several_non_conformant_smelters_make_a_supplier_high_each_adding_less():
    two = _acme(_non_conformant(1), _non_conformant(2)).suppliers[0]
    three = _acme(*(_non_conformant(i) for i in range(1, 4))).suppliers[0]
    assert (two.rating, two.score) == ("medium", 10.5)  # 7 + 3.5
    assert (three.rating, three.score) == ("high", 12.2)  # 7 + 3.5 + 1.75, to one decimal
    assert three.flags[0].explanation.startswith(
        "Acme Metals names 3 smelters that the RMAP list of 2025-06-01"
    )


def test_a_non_conformant_smelter_in_a_cahra_is_a_strong_flag_and_several_are_high():
    one = _acme(_non_conformant(1, country="Rwanda", covered=True)).suppliers[0]
    assert [(f.code, f.points) for f in one.flags] == [("supplier-names-cahra-red-flag-smelter", 8)]
    assert one.rating == "medium"
    assert "Bad Smelter 1 (Tin, Rwanda, Non-Conformant)" in one.flags[0].explanation
    several = _acme(
        _non_conformant(1, country="Rwanda", covered=True),
        _non_conformant(2, country="Congo, Democratic Republic of the", covered=True),
    ).suppliers[0]
    assert (several.rating, several.score) == ("high", 12)
    # The smelter itself: non-conformant and in a Covered Country.
    bad = next(
        r for r in _acme(_non_conformant(1, country="Rwanda", covered=True)).smelters if r.key == "CID000001"
    )
    assert (bad.rating, bad.score) == ("high", 14)


def test_unidentified_and_not_enrolled_smelters_are_weak_flags_however_many():
    not_enrolled = [
        smelter(f"New Smelter {i}", f"CID{i:06d}", status="Not enrolled", suppliers=("Acme Metals",))
        for i in range(1, 6)
    ]
    names = [unidentified(f"Unknown Refiner {i}", ("Acme Metals",)) for i in range(20)]
    acme = _acme(*not_enrolled, unknown=names).suppliers[0]
    assert [(f.code, f.count, f.points) for f in acme.flags] == [
        ("supplier-names-unidentified-smelter", 20, 4),
        ("supplier-names-unaudited-smelter", 5, 3.9),
    ]
    assert (acme.rating, acme.score) == ("medium", 7.9)
    only_names = _acme(unknown=names).suppliers[0]
    assert (only_names.rating, only_names.score) == ("low", 4)


def test_flaws_of_the_file_and_unknown_origins_count_as_repeats_within_their_family():
    summary = supplier(
        "Acme Metals",
        errors=4,
        warnings=6,
        answers_=answers(Tin={"Q3": "Unknown", "Q4": "Unknown", "Q6": "50% or less"}),
    )
    acme = assess(rollup([summary], _conformant(5)), as_of=AS_OF).suppliers[0]
    assert [(f.code, f.points, f.family_rank) for f in acme.flags] == [
        ("supplier-many-open-errors", 3, 0),
        ("supplier-low-response-coverage", 2, 0),
        ("supplier-covered-countries-unknown", 0.5, 1),
        ("supplier-open-warnings", 0.5, 1),
        ("supplier-cahra-unknown", 0.2, 2),  # 1 x 50% x 50%, to one decimal
    ]
    assert (acme.score, acme.rating) == (6.2, "medium")


def test_no_to_company_level_policy_questions_is_medium():
    acme = _acme(company={"A": "No", "B": "Yes", "D": "Yes", "H": "No"}).suppliers[0]
    assert [(f.code, f.count, f.points) for f in acme.flags] == [("supplier-policy-no", 1, 7)]
    assert acme.rating == "medium"
    assert acme.flags[0].explanation == (
        "Acme Metals answered No to company-level question A (its responsible minerals policy and due diligence)."
    )
    no_policy_at_all = _acme(company=dict.fromkeys("ABCDFG", "No")).suppliers[0]
    assert no_policy_at_all.rating == "high"


# --- silence --------------------------------------------------------------------------------------------
DUE = dt.date(2026, 3, 31)


def _silent(today: dt.date, *, state=RequestState.SENT, due=DUE, thresholds=None):
    survey = Survey.of([SurveyedSupplier("Quiet Co", state, sent_on=dt.date(2026, 1, 12))], due=due)
    return assess(rollup(), as_of=today, survey=survey, thresholds=thresholds)


def test_a_supplier_not_due_yet_is_awaiting_response_not_flagged():
    result = _silent(dt.date(2026, 1, 12))  # the morning the request went out
    assert result.suppliers == ()
    assert result.awaiting == (AwaitingResponse("Quiet Co", DUE, dt.date(2026, 4, 15)),)
    assert "supplier-no-response" not in result.flags_by_code()


def test_a_supplier_within_the_grace_days_is_still_awaiting_response():
    assert [w.name for w in _silent(DUE + dt.timedelta(days=14)).awaiting] == ["Quiet Co"]


def test_a_supplier_overdue_past_the_grace_days_is_flagged_high():
    result = _silent(DUE + dt.timedelta(days=15))
    assert result.awaiting == ()
    quiet = result.suppliers[0]
    assert (quiet.rating, [f.code for f in quiet.flags]) == ("high", ["supplier-no-response"])
    assert quiet.explanation == (
        "Quiet Co is in scope for the inquiry but had returned no CMRT by 2026-04-15, 15 days after it was due "
        "on 2026-03-31 (the year's grace is 14 days)."
    )


def test_the_grace_days_are_the_years_setting():
    strict = RiskThresholds(no_response_grace_days=0)
    assert _silent(DUE + dt.timedelta(days=1), thresholds=strict).suppliers[0].rating == "high"
    assert _silent(DUE, thresholds=strict).awaiting


def test_a_request_closed_as_not_responded_or_without_a_due_date_is_flagged_at_once():
    assert _silent(dt.date(2026, 2, 1), state=RequestState.NO_RESPONSE).suppliers[0].rating == "high"
    assert _silent(dt.date(2026, 2, 1), due=None).suppliers[0].rating == "high"


def test_a_supplier_that_declined_or_returned_a_file_is_never_awaiting():
    survey = Survey.of(
        [
            SurveyedSupplier("No 3TG Co", RequestState.DECLINED, decline_statement="No 3TG."),
            SurveyedSupplier("Draft Co", RequestState.DRAFT),
        ],
        due=DUE,
    )
    result = assess(rollup(), as_of=dt.date(2026, 1, 20), survey=survey)
    assert (result.awaiting, result.suppliers) == ((), ())


# --- thresholds per reporting year ---------------------------------------------------------------------
def test_a_past_years_stored_thresholds_reproduce_its_ratings():
    year_2024 = RiskThresholds(medium_score=4, high_score=8, repeat_weight_pct=100)
    stored = json.loads(json.dumps(year_2024.as_dict()))
    bad = [_non_conformant(i) for i in range(1, 3)]
    under_2024 = assess(
        rollup([supplier("Acme Metals")], bad), as_of=AS_OF, thresholds=RiskThresholds.from_dict(stored)
    )
    under_defaults = assess(rollup([supplier("Acme Metals")], bad), as_of=AS_OF)
    assert (under_2024.suppliers[0].score, under_2024.suppliers[0].rating) == (14, "high")
    assert (under_defaults.suppliers[0].score, under_defaults.suppliers[0].rating) == (10.5, "medium")
    assert under_2024.as_dict()["thresholds"]["repeat_weight_pct"] == 100


def test_points_add_each_repeat_at_the_years_share_of_the_one_before():
    t = RiskThresholds()
    assert [t.points(6, n) for n in (0, 1, 2, 3, 4)] == [0, 6, 9, 10.5, 11.2]
    assert RiskThresholds(repeat_weight_pct=0).points(6, 5) == 6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"repeat_weight_pct": 101}, "repeat_weight_pct must be between 0 and 100, not 101"),
        ({"no_response_grace_days": -3}, "no_response_grace_days must be at least 0, not -3"),
        ({"no_response_grace_days": "14"}, "no_response_grace_days must be a whole number, not '14'"),
    ],
)
def test_bad_scoring_settings_are_named(data, message):
    with pytest.raises(BadInput, match=message):
        RiskThresholds.from_dict(data)


def test_a_yes_to_the_covered_countries_and_to_cahras_is_one_location_red_flag_told_twice():
    summary = supplier("Acme Metals", answers_=answers(Tin={"Q3": "Yes", "Q4": "Yes"}))
    acme = assess(rollup([summary], _conformant(5)), as_of=AS_OF).suppliers[0]
    assert [(f.code, f.points) for f in acme.flags] == [
        ("supplier-covered-countries-yes", 6),
        ("supplier-cahra-yes", 3),
    ]
    assert (acme.score, acme.rating) == (9, "medium")
