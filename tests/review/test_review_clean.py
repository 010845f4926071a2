"""The clean factory response has nothing to raise: every rule test starts from zero findings."""

from __future__ import annotations

import datetime as dt

from oretrace.review import review
from review.factories import make_response

TODAY = dt.date(2024, 8, 1)


def test_the_clean_response_has_no_findings_and_a_checker_count_of_zero():
    report = review(make_response(), today=TODAY)
    assert report.flatten() == []
    assert report.checker_missing == 0
    assert report.counts == {"error": 0, "warning": 0, "info": 0}
