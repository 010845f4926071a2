"""The core's results rule (which returned templates the roll-up, our CMRT and the report are built
from) and the "accepted with exceptions" figure, on built cases."""

from __future__ import annotations

import datetime as dt

from oretrace.survey import (
    FIGURES,
    OpenFinding,
    RequestState,
    ResultsRule,
    Survey,
    SurveyedSupplier,
    members,
    survey_figures,
)
from oretrace.survey.export import suppliers_table

ERROR = OpenFinding("error", asked=False)
TODAY = dt.date(2026, 2, 1)


def supplier(name: str, state: RequestState, *, errors: int = 0, reason: str | None = None, files: int = 1):
    return SurveyedSupplier(
        name=name, state=state, files=files, findings=(ERROR,) * errors, exceptions_reason=reason
    )


SUPPLIERS = (
    supplier("Accepted clean", RequestState.ACCEPTED),
    supplier("Accepted with a reason", RequestState.ACCEPTED, errors=2, reason="Known contact."),
    supplier("Under review", RequestState.SUBMITTED, errors=1),
    supplier("Follow-up", RequestState.FOLLOW_UP),
    supplier("Waiting", RequestState.SENT, files=0),
)


def names(suppliers) -> list[str]:
    return sorted(s.name for s in suppliers)


def test_by_default_the_results_are_the_accepted_templates_with_exceptions_included():
    survey = Survey.of(SUPPLIERS)
    assert survey.results_rule is ResultsRule.ACCEPTED_WITH_EXCEPTIONS
    assert names(survey.results) == ["Accepted clean", "Accepted with a reason"]
    figures = survey_figures(survey, today=TODAY)
    assert (figures.returned, figures.in_results, figures.results_rule) == (4, 2, "accepted_with_exceptions")
    assert names(members(survey, "not_in_results", today=TODAY)) == ["Follow-up", "Under review"]


def test_accepted_only_leaves_out_the_templates_accepted_with_exceptions():
    survey = Survey.of(SUPPLIERS, results_rule=ResultsRule.ACCEPTED)
    assert names(survey.results) == ["Accepted clean"]
    assert survey_figures(survey, today=TODAY).in_results == 1


def test_every_file_received_counts_every_returned_template():
    survey = Survey.of(SUPPLIERS, results_rule=ResultsRule.RECEIVED)
    assert names(survey.results) == names(survey.returned)
    assert survey_figures(survey, today=TODAY).in_results == 4


def test_a_folder_of_files_knows_no_acceptance_so_every_file_is_in_the_results():
    survey = Survey.of(SUPPLIERS, tracked=False, results_rule=ResultsRule.ACCEPTED)
    figures = survey_figures(survey, today=TODAY)
    assert (figures.in_results, figures.results_rule, figures.accepted_with_exceptions) == (4, None, None)


def test_accepted_with_exceptions_is_an_acceptance_with_a_reason_or_with_errors_left():
    with_reason = supplier("A", RequestState.ACCEPTED, reason="Checked by phone.")  # errors gone since
    with_errors = supplier("B", RequestState.ACCEPTED, errors=1)  # accepted before reasons were kept
    clean = supplier("C", RequestState.ACCEPTED)
    reason_not_accepted = supplier("D", RequestState.FOLLOW_UP, reason="Checked by phone.")
    assert [s.accepted_with_exceptions for s in (with_reason, with_errors, clean, reason_not_accepted)] == [
        True,
        True,
        False,
        False,
    ]
    figures = survey_figures(Survey.of((with_reason, with_errors, clean, reason_not_accepted)), today=TODAY)
    assert (figures.accepted, figures.accepted_with_exceptions, figures.errors_accepted) == (3, 2, 1)
    assert "recording why" in FIGURES["accepted_with_exceptions"].definition


def test_the_supplier_table_says_who_is_in_the_results_and_why_an_exception_was_accepted():
    table = suppliers_table(Survey.of(SUPPLIERS), today=TODAY)
    rows = {row[1]: dict(zip(table.headers, row, strict=True)) for row in table.rows}
    assert rows["Accepted with a reason"]["In the results"] == "yes"
    assert rows["Accepted with a reason"]["Exceptions reason"] == "Known contact."
    assert rows["Under review"]["In the results"] == "no"
