"""Answer rules: allowed values, the high-risk answers, and the policy URL."""

from __future__ import annotations

from review.factories import flat, make_response


def test_it_flags_answers_outside_the_dropdown_values():
    response = make_response(answers={"Tin": {"Q3": "Probably not"}}, company_questions={"H": "Maybe"})
    assert flat(response) == [("answer-not-allowed", "Tin", "D39"), ("answer-not-allowed", None, "D89")]


def test_it_flags_a_scope_that_is_not_a_b_or_c():
    response = make_response(company={"declaration_scope": "Whole group"})
    assert flat(response) == [("required-field-missing", None, "D10"), ("answer-not-allowed", None, "D9")]


def test_covered_countries_yes_is_high_risk_and_unknown_is_information():
    response = make_response(answers={"Tin": {"Q3": "Yes", "Q4": "Yes"}})
    assert flat(response) == [("covered-countries-sourcing", "Tin", "D39"), ("cahra-sourcing", "Tin", "D45")]
    response = make_response(answers={"Tin": {"Q3": "Unknown"}})
    assert flat(response) == [("covered-countries-unknown", "Tin", "D39")]


def test_covered_countries_yes_with_cahra_no_is_a_contradiction():
    response = make_response(answers={"Tin": {"Q3": "Yes"}})
    assert flat(response) == [
        ("covered-countries-sourcing", "Tin", "D39"),
        ("covered-countries-yes-cahra-no", "Tin", "D45"),
    ]


def test_it_flags_half_or_fewer_suppliers_responding():
    assert flat(make_response(answers={"Tin": {"Q6": "Greater than 50%"}})) == [
        ("covered-countries-no-without-full-knowledge", "Tin", "D39")
    ]
    assert flat(make_response(answers={"Tin": {"Q3": "Unknown", "Q6": "50% or less"}})) == [
        ("covered-countries-unknown", "Tin", "D39"),
        ("supplier-response-low", "Tin", "D57"),
    ]


def test_it_flags_q7_and_q8_no():
    response = make_response(answers={"Tin": {"Q3": "Unknown", "Q7": "No", "Q8": "No"}})
    assert flat(response) == [
        ("covered-countries-unknown", "Tin", "D39"),
        ("smelters-not-all-identified", "Tin", "D63"),
        ("smelter-information-not-all-reported", "Tin", "D69"),
    ]


def test_a_policy_title_is_not_a_url():
    assert flat(make_response(policy_url="Honeywell Conflict Minerals Policy")) == [
        ("policy-url-not-a-url", None, "G77")
    ]
    assert flat(make_response(policy_url="www.example.com/policy")) == []
    assert flat(make_response(policy_url="example.com")) == []


def test_a_public_policy_without_url_is_counted_once_by_the_checker():
    assert flat(make_response(policy_url=None)) == [("required-field-missing", None, "G77")]


def test_a_public_policy_without_a_policy_is_a_contradiction():
    response = make_response(company_questions={"A": "No"})
    assert flat(response) == [("policy-public-without-policy", None, "D77")]
