"""The survey as tables an auditor can recount: one row per supplier, and the figures with their rules.

Every headline figure of the report is a count over ``suppliers.csv``; ``COUNTING`` says which, in
words, and the evidence package prints it beside each figure, so the report can be reconciled with
nothing but the package and a spreadsheet.
"""

from __future__ import annotations

import datetime as dt

from oretrace.survey.model import FIGURES, REVIEW_FIGURES, Figures, Survey
from oretrace.tabular import Table

SUPPLIER_COLUMNS = (
    "Supplier number",
    "Supplier",
    "State",
    "Sent on",
    "Responded on",
    "Files received",
    "Latest file",
    "Surveyed",
    "Returned a template",
    "In the results",
    "Declined",
    "Accepted",
    "Accepted with exceptions",
    "Under review",
    "Not responded",
    "Overdue",
    "Reminders",
    "Escalated on",
    "Follow-ups",
    "Errors",
    "Errors asked",
    "Warnings",
    "Warnings asked",
    "Decline statement",
    "Exceptions reason",
)

# How each figure is counted from survey/suppliers.csv (the columns above).
COUNTING = {
    "in_scope": "the number of rows",
    "surveyed": 'the rows whose "Surveyed" is yes',
    "responded": 'the rows whose "Returned a template" or "Declined" is yes',
    "returned": 'the rows whose "Returned a template" is yes',
    "in_results": 'the rows whose "In the results" is yes',
    "declined": 'the rows whose "Declined" is yes',
    "accepted": 'the rows whose "Accepted" is yes',
    "accepted_with_exceptions": 'the rows whose "Accepted with exceptions" is yes',
    "under_review": 'the rows whose "Under review" is yes',
    "not_responded": 'the rows whose "Not responded" is yes',
    "overdue": 'the rows whose "Overdue" is yes',
    "reminders_sent": 'the sum of "Reminders" (each reminder is listed in survey/reminders.csv)',
    "escalated": 'the rows with an "Escalated on" date',
    "follow_ups_sent": 'the sum of "Follow-ups" (each thread is in follow-ups/)',
    "corrections_received": 'the sum, over the rows with files, of "Files received" minus one',
    "errors": 'the sum of "Errors" over the rows whose "Returned a template" is yes',
    "warnings": 'the sum of "Warnings" over the rows whose "Returned a template" is yes',
    "errors_asked": 'the sum of "Errors asked" over the rows whose "Returned a template" is yes',
    "warnings_asked": 'the sum of "Warnings asked" over the rows whose "Returned a template" is yes',
    "errors_accepted": 'the sum of "Errors" over the rows whose "Accepted" is yes',
    "errors_under_review": 'the sum of "Errors" over the rows whose "Under review" is yes',
}


# Without a list of the suppliers asked, the number asked is the one the settings state.
_STATED = {
    "in_scope": "stated in the report settings (no list names the suppliers asked)",
    "surveyed": "stated in the report settings (no list names the suppliers asked)",
    "not_responded": "surveyed minus responded",
}


def suppliers_table(survey: Survey, *, today: dt.date) -> Table:
    """One row per supplier in scope, each yes/no the core's own judgement of it."""
    rows = []
    for s in survey.suppliers:
        rows.append(
            [
                s.number,
                s.name,
                str(s.state),
                s.sent_on,
                s.responded_on,
                s.files,
                s.latest_file,
                _yes(s.surveyed),
                _yes(s.returned),
                _yes(survey.in_results(s)),
                _yes(s.declined),
                _yes(s.accepted) if survey.tracked else "",
                _yes(s.accepted_with_exceptions) if survey.tracked else "",
                _yes(s.under_review) if survey.tracked else "",
                _yes(s.surveyed and not s.responded),
                _yes(s.overdue(survey.due, today)) if survey.tracked and survey.due else "",
                s.reminders,
                s.escalated_on,
                s.follow_ups,
                s.count("error"),
                s.count("error", asked=True) if survey.tracked else "",
                s.count("warning"),
                s.count("warning", asked=True) if survey.tracked else "",
                s.decline_statement,
                s.exceptions_reason,
            ]
        )
    return Table("Suppliers", list(SUPPLIER_COLUMNS), rows)


def figures_table(figures: Figures) -> Table:
    """Each headline figure with its definition and how to count it from suppliers.csv."""
    rows = []
    for key, definition in [*FIGURES.items(), *REVIEW_FIGURES.items()]:
        value = figures.value(key)
        rule = COUNTING[key]
        if figures.surveyed_is_stated and key in _STATED:
            rule = _STATED[key]
        rows.append(
            [
                key,
                definition.label,
                "not counted in this run" if value is None else value,
                definition.definition,
                rule,
            ]
        )
    rows.append(
        [
            "response_rate",
            "Response rate",
            f"{figures.response_rate:.4f}",
            "Responded divided by surveyed.",
            "responded / surveyed",
        ]
    )
    return Table(
        "Figures", ["Key", "Figure", "Value", "Definition", "Counted from survey/suppliers.csv as"], rows
    )


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
