"""Whole-file rules: template version, language, a stale Checker count."""

from __future__ import annotations

import datetime as dt

from oretrace.review.template import recommended_release
from oretrace.rmi.model import TemplateKind
from review.factories import flat, make_response


def test_the_recommended_release_follows_the_revision_history():
    assert recommended_release(TemplateKind.CMRT, 2020) == ("6.01", dt.date(2020, 5, 19))
    assert recommended_release(TemplateKind.CMRT, 2022)[0] == "6.22"
    assert recommended_release(TemplateKind.CMRT, 2026)[0] == "6.5"
    assert recommended_release(TemplateKind.CMRT, 2014) is None


def test_an_older_template_than_recommended_for_the_reporting_year():
    assert flat(make_response(version="6.31")) == [("template-outdated", None, "J3")]
    june_2025 = make_response(version="6.4", company={"effective_date": dt.datetime(2025, 6, 2)})
    assert flat(june_2025, reporting_year=2025, today=dt.date(2025, 7, 1)) == [
        ("template-outdated", None, "J3")
    ]


def test_a_file_completed_before_the_newer_release_may_use_the_older_one():
    response = make_response(version="6.31", company={"effective_date": dt.datetime(2024, 3, 1)})
    assert flat(response) == []


def test_a_file_older_than_the_inquiry_asked_for_is_an_error():
    response = make_response(version="6.31", company={"effective_date": dt.datetime(2024, 3, 1)})
    assert flat(response, minimum_version="6.4") == [("older-template-than-requested", None, "J3")]
    assert flat(response, minimum_version="6.31") == []


def test_rmi_versions_compare_as_decimals():
    # 6.01 is older than 6.1, and 6.1 older than 6.22: minor versions are decimals, not integers.
    older = make_response(version="6.01", company={"effective_date": dt.datetime(2020, 6, 1)})
    assert flat(older, minimum_version="6.1") == [("older-template-than-requested", None, "J3")]
    newer = make_response(version="6.22", company={"effective_date": dt.datetime(2022, 6, 1)})
    assert flat(newer, minimum_version="6.1", reporting_year=2022) == []


def test_a_language_other_than_english_is_information():
    assert flat(make_response(language="中文 Chinese")) == [("language-not-english", None, "D3")]


def test_a_saved_checker_count_that_differs_from_the_recomputed_one():
    assert flat(make_response(checker_cached=3)) == [("checker-count-stale", None, "D2")]
    assert flat(make_response(checker_cached=0)) == []
