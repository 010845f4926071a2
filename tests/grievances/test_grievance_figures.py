"""The grievance figures of a reporting period, the report's sentences about them, and the case
register without reporters' personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.errors import BadInput
from oretrace.grievances import GrievanceCase, case_register, cases_in_period, grievance_figures
from oretrace.reports import build
from oretrace.reports.document import Paragraph
from oretrace.reports.grievance_text import grievance_paragraphs
from oretrace.tabular import to_csv
from reports.factories import make_inputs

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
AFTER = dt.date(2026, 3, 1)


def case(reference, received, closed=None, category="", **more):
    return GrievanceCase(reference, received, category=category, closed_on=closed, **more)


CASES = [
    # From 2024, closed in 2025 after 40 days.
    case("G-1", dt.date(2024, 12, 20), dt.date(2025, 1, 29), "human_rights"),
    case("G-2", dt.date(2025, 3, 1), dt.date(2025, 3, 11), "human_rights"),
    case("G-3", dt.date(2025, 5, 1), dt.date(2025, 5, 21), "environment"),
    case("G-4", dt.date(2025, 11, 1), None, "human_rights"),
    case("G-5", dt.date(2025, 12, 30), dt.date(2026, 1, 5)),  # open at the end of 2025
    case("G-6", dt.date(2026, 2, 1)),  # after the period
]


def text(paragraphs) -> str:
    return " ".join(p.text for p in paragraphs)


def test_it_counts_a_year_of_cases():
    f = grievance_figures(CASES, START, END, today=AFTER)
    assert (f.received, f.closed, f.open) == (4, 3, 2)
    assert f.by_category == (
        ("serious human rights abuses", 2),
        ("environmental harm", 1),
        ("not yet categorised", 1),
    )
    assert f.median_days_to_close == 20  # 40, 10 and 20 days
    assert f.period_complete


def test_it_stops_counting_at_today_inside_a_running_period():
    f = grievance_figures(CASES, START, END, today=dt.date(2025, 4, 1))
    assert (f.received, f.closed, f.open, f.median_days_to_close) == (1, 2, 0, 25)
    assert not f.period_complete


def test_it_states_that_no_concern_was_reported_in_a_year_without_cases():
    f = grievance_figures([], START, END, today=AFTER)
    assert text(grievance_paragraphs(f)) == (
        "No concern about our mineral supply chain was reported through our grievance mechanism in 2025."
    )


def test_it_states_the_counts_categories_median_and_open_cases():
    f = grievance_figures(CASES, START, END, today=AFTER)
    assert text(grievance_paragraphs(f)) == (
        "In 2025, 4 concerns about our mineral supply chain were reported through our grievance "
        "mechanism: 2 about serious human rights abuses, 1 about environmental harm and 1 not yet "
        "categorised. We closed 3 cases in 2025, in a median of 20 days from receipt. At the end of "
        "2025, 2 cases remained open."
    )


def test_it_agrees_with_a_single_case_and_says_none_remained_open():
    one = [case("G-2", dt.date(2025, 3, 1), dt.date(2025, 3, 2), "environment")]
    f = grievance_figures(one, START, END, today=AFTER)
    assert text(grievance_paragraphs(f)) == (
        "In 2025, 1 concern about our mineral supply chain was reported through our grievance mechanism, "
        "about environmental harm. We closed 1 case in 2025, in a median of 1 day from receipt. At the "
        "end of 2025, no case remained open."
    )


def test_it_speaks_of_today_while_the_year_is_running():
    f = grievance_figures(CASES[3:5], START, END, today=dt.date(2025, 12, 30))
    assert text(grievance_paragraphs(f)).endswith("As of December 30, 2025, 2 cases remain open.")
    assert "up to December 30, 2025" in text(grievance_paragraphs(f))


def test_it_says_nothing_without_a_case_register():
    assert grievance_paragraphs(None) == ()


def test_the_report_carries_the_paragraph_under_step_1_with_sources():
    f = grievance_figures(CASES, START, END, today=AFTER)
    report = build(make_inputs(year=2025, grievances=f))
    blocks = [b for b in report.section("due_diligence").blocks if isinstance(b, Paragraph)]
    leads = [b.lead or "" for b in blocks]
    step1 = next(i for i, lead in enumerate(leads) if lead.startswith("Step 1."))
    assert blocks[step1 + 1].text.startswith("In 2025, 4 concerns")
    assert leads[step1 + 2].startswith("Step 2.") or blocks[step1 + 2].text.startswith("We closed")
    figures = [r for b in blocks for r in b.runs if not isinstance(r, str)]
    assert {fig.source.key for fig in figures} >= {
        "grievances.received",
        "grievances.closed",
        "grievances.median_days",
        "grievances.open",
    }


def test_the_report_without_cases_says_so():
    report = build(make_inputs(year=2025, grievances=grievance_figures([], START, END, today=AFTER)))
    assert "No concern about our mineral supply chain was reported" in " ".join(
        b.text for b in report.section("due_diligence").blocks if isinstance(b, Paragraph)
    )


def test_the_register_lists_the_periods_cases_without_personal_data():
    period = cases_in_period(CASES, START, END)
    assert [c.reference for c in period] == ["G-1", "G-2", "G-3", "G-4", "G-5"]
    table = case_register(
        [
            case(
                "G-9",
                dt.date(2025, 2, 1),
                dt.date(2025, 2, 11),
                "armed_groups",
                severity="high",
                suppliers=("Acme Metals",),
                smelters=("CID000001 Solo Tin Works",),
                outcome="Supplier moved.",
            )
        ]
    )
    csv = to_csv(table)
    assert csv.splitlines()[0] == (
        "reference,received,category,severity,country,suppliers,smelters,closed,days to close,outcome"
    )
    assert "G-9,2025-02-01,support to non-state armed groups" in csv
    assert ",high,,Acme Metals,CID000001 Solo Tin Works,2025-02-11,10,Supplier moved." in csv


def test_it_refuses_bad_cases_and_periods_with_a_message():
    with pytest.raises(BadInput, match="unknown category 'gossip'"):
        case("G-1", START, category="gossip")
    with pytest.raises(BadInput, match="closed on 2024-12-31 before it was received"):
        case("G-1", START, dt.date(2024, 12, 31))
    with pytest.raises(BadInput, match=r"ends \(2024-12-31\) before it starts"):
        grievance_figures([], dt.date(2025, 1, 1), dt.date(2024, 12, 31))
