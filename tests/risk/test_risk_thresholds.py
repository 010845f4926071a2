"""Thresholds per reporting year: stored as JSON, read back with every bad key named."""

from __future__ import annotations

import json

import pytest

from oretrace.errors import BadInput
from oretrace.risk.codes import FLAG_KINDS
from oretrace.risk.thresholds import RiskThresholds


def test_it_round_trips_through_json():
    changed = RiskThresholds(
        min_supplier_response_pct=75,
        red_flag_statuses=("Non-Conformant", "Active"),
        active_counts_as_mitigated=False,
        weights={**RiskThresholds().weights, "smelter-transit-country": 5},
    )
    stored = json.loads(json.dumps(changed.as_dict()))
    assert stored["red_flag_statuses"] == ["Non-Conformant", "Active"]
    assert RiskThresholds.from_dict(stored) == changed


def test_missing_keys_keep_their_defaults_and_weights_merge():
    thresholds = RiskThresholds.from_dict({"high_score": 12, "weights": {"supplier-open-warnings": 2}})
    assert thresholds.high_score == 12
    assert thresholds.medium_score == 6
    assert thresholds.weight("supplier-open-warnings") == 2
    assert thresholds.weight("smelter-non-conformant") == 6
    assert set(thresholds.weights) == set(FLAG_KINDS)


def test_the_rating_cut_offs():
    thresholds = RiskThresholds()
    assert [thresholds.rating(s) for s in (0, 5.9, 6, 11.9, 12, 25)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"min_coverage": 50}, "unknown setting 'min_coverage'"),
        ({"min_supplier_response_pct": 120}, "min_supplier_response_pct must be between 0 and 100, not 120"),
        ({"errors_for_high_risk": "3"}, "errors_for_high_risk must be a whole number, not '3'"),
        ({"errors_for_high_risk": True}, "errors_for_high_risk must be a whole number, not True"),
        ({"expiry_grace_days": -1}, "expiry_grace_days must be at least 0, not -1"),
        (
            {"active_counts_as_mitigated": "yes"},
            "active_counts_as_mitigated must be true or false, not 'yes'",
        ),
        (
            {"red_flag_statuses": "Suspended"},
            "red_flag_statuses must be a list of audit statuses, not 'Suspended'",
        ),
        (
            {"red_flag_statuses": ["Conformant", "Suspended"]},
            "red_flag_statuses has 'Conformant'; choose from",
        ),
        ({"weights": {"smelter-bad": 3}}, "weights has unknown flag code 'smelter-bad'"),
        (
            {"weights": {"smelter-suspended": -2}},
            "weights['smelter-suspended'] must be a whole number of at least 0",
        ),
        ({"medium_score": 10, "high_score": 10}, "medium_score (10) must be lower than high_score (10)"),
    ],
)
def test_it_names_the_bad_key_and_value(data, message):
    with pytest.raises(BadInput) as caught:
        RiskThresholds.from_dict(data)
    assert message in str(caught.value)


def test_it_reports_every_problem_at_once():
    with pytest.raises(BadInput) as caught:
        RiskThresholds.from_dict({"high_score": 0, "warnings_for_flag": 0})
    assert str(caught.value) == (
        "Risk thresholds: warnings_for_flag must be at least 1, not 0; high_score must be at least 1, not 0."
    )


def test_it_refuses_something_that_is_not_a_mapping():
    with pytest.raises(BadInput, match="must be a mapping of settings, not list"):
        RiskThresholds.from_dict([1, 2])


def test_thresholds_built_directly_are_checked_too():
    with pytest.raises(BadInput, match="red_flag_statuses has 'Cross-Recognized'"):
        RiskThresholds(red_flag_statuses=("Cross-Recognized",))
    with pytest.raises(BadInput, match=r"medium_score \(13\) must be lower than high_score \(12\)"):
        RiskThresholds(medium_score=13)
