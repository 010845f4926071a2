"""Before filing: everything that would weaken a sentence of the report, each with where to fix it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from oretrace.reports.inputs import Organisation
from oretrace.reports.readiness import readiness
from reports.factories import SURVEY, make_inputs

TODAY = dt.date(2026, 4, 1)


def codes(inputs, today=TODAY) -> dict[str, tuple]:
    return {item.code: (item.severity, item.count, item.where) for item in readiness(inputs, today=today)}


def test_it_lists_what_the_report_will_have_to_say_is_open():
    found = codes(
        make_inputs(
            survey=dataclasses.replace(
                SURVEY,
                errors=109,
                errors_asked=13,
                errors_accepted=96,
                accepted_with_exceptions=68,
                errors_under_review=13,
            )
        )
    )
    assert found["errors-on-accepted-files"] == ("weakens", 96, "requests:accepted_with_exceptions")
    assert found["errors-under-review"] == ("weakens", 13, "requests:under_review")
    assert found["errors-never-raised"] == ("weakens", 96, "requests:not_asked")
    assert found["overdue"] == ("weakens", 10, "requests:overdue")
    assert found["unidentified-names"] == ("weakens", 3, "unidentified")
    assert found["unreadable-files"] == ("weakens", 3, "files")
    assert found["no-cahra-list"] == ("weakens", None, "cahra")


def test_a_status_list_older_than_six_months_weakens_the_statuses():
    assert "status-list-old" not in codes(make_inputs(), today=dt.date(2026, 4, 1))
    assert codes(make_inputs(), today=dt.date(2026, 9, 1))["status-list-old"][2] == "reference"


def test_missing_settings_are_named_and_a_missing_website_blocks_form_sd():
    found = codes(make_inputs(organisation=Organisation(name="Norland Instruments, Inc.")))
    assert found["missing-website"] == ("blocks", None, "organisation")
    assert found["missing-signatory-name"][0] == "weakens"
    assert "missing-website" not in codes(make_inputs())


def test_a_survey_counted_only_by_a_stated_number_says_so():
    stated = dataclasses.replace(SURVEY, surveyed_is_stated=True)
    assert codes(make_inputs(survey=stated))["surveyed-stated-not-counted"][2] == "report-settings"


def test_a_clean_campaign_has_nothing_to_fix_but_its_reference_data():
    clean = dataclasses.replace(
        SURVEY,
        responded=260,
        returned=257,
        not_responded=0,
        overdue=0,
        errors=0,
        warnings=0,
        errors_asked=0,
        warnings_asked=0,
        errors_accepted=0,
        accepted_with_exceptions=0,
        errors_under_review=0,
    )
    rollup = dataclasses.replace(
        make_inputs().rollup,
        unidentified=(),
        suppliers=tuple(s for s in make_inputs().rollup.suppliers if s.readable),
    )
    assert set(codes(make_inputs(survey=clean, rollup=rollup, cahra_list="EU CAHRA list"))) == set()
