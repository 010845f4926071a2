"""Company block rules: e-mails, placeholders for people, the effective date."""

from __future__ import annotations

import datetime as dt

from review.factories import flat, make_response


def test_it_flags_an_email_with_a_comma_for_a_dot():
    response = make_response(company={"contact_email": "contact,person1@example.com"})
    assert flat(response) == [("email-malformed", None, "D16")]


def test_an_email_without_at_sign_is_left_to_the_checker():
    response = make_response(company={"authorizer_email": "not available"})
    assert flat(response) == [("required-field-missing", None, "D20")]


def test_it_flags_same_and_see_above_where_a_person_is_required():
    response = make_response(company={"authorizer_name": "Same", "contact_name": "see above."})
    assert flat(response) == [("person-is-placeholder", None, "D15"), ("person-is-placeholder", None, "D18")]


def test_it_flags_an_effective_date_in_the_future():
    response = make_response(company={"effective_date": dt.datetime(2031, 1, 1)})
    # a 2031 date also makes 6.4 older than the release recommended for that year
    assert flat(response) == [("effective-date-in-future", None, "D22"), ("template-outdated", None, "J3")]


def test_it_flags_an_effective_date_before_the_reporting_year_only_when_a_year_is_given():
    response = make_response(company={"effective_date": "02-May-2023"})
    assert flat(response) == []
    assert flat(response, reporting_year=2024) == [("effective-date-before-reporting-year", None, "D22")]


def test_it_flags_a_date_it_cannot_read():
    response = make_response(company={"effective_date": "sometime in May"})
    assert flat(response) == [("effective-date-unreadable", None, "D22")]
