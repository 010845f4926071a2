"""The filing calendar: Form SD's 31 May moved to the next business day, the EU's annual report, and
the campaign's own due dates."""

from __future__ import annotations

import datetime as dt

from oretrace.reports.deadlines import (
    EU_BASIS,
    campaign_deadline,
    eu_report,
    filing_calendar,
    form_sd_due,
    next_business_day,
)


def test_form_sd_is_due_on_31_may_when_it_is_a_business_day():
    assert form_sd_due(2023) == dt.date(2024, 5, 31)  # a Friday


def test_form_sd_moves_from_a_saturday_to_the_monday():
    assert form_sd_due(2024) == dt.date(2025, 6, 2)  # 31 May 2025 is a Saturday
    assert form_sd_due(2013) == dt.date(2014, 6, 2)  # the first reports, as regulation.md recalls


def test_form_sd_moves_from_a_sunday_to_the_monday():
    assert form_sd_due(2025) == dt.date(2026, 6, 1)  # 31 May 2026 is a Sunday


def test_form_sd_moves_from_memorial_day_to_the_tuesday():
    # 31 May is the last Monday of May in 2021 and 2027: Memorial Day, a federal holiday.
    assert form_sd_due(2020) == dt.date(2021, 6, 1)
    assert form_sd_due(2026) == dt.date(2027, 6, 1)


def test_a_federal_holiday_observed_on_a_friday_is_no_business_day():
    # 4 July 2026 is a Saturday; the holiday is observed on Friday 3 July.
    assert next_business_day(dt.date(2026, 7, 3)) == dt.date(2026, 7, 6)


def test_the_eu_report_has_no_day_until_one_was_published_then_is_due_a_year_later():
    first = eu_report(2025)
    assert first.due is None and first.days_remaining(dt.date(2026, 1, 1)) is None
    assert "Art 7(3)" in first.basis and "fixes no day" in first.basis
    later = eu_report(2025, last_published=dt.date(2025, 6, 30))
    assert later.due == dt.date(2026, 6, 30) and later.basis.startswith(EU_BASIS)
    assert eu_report(2024, last_published=dt.date(2024, 2, 29)).due == dt.date(2025, 2, 28)


def test_days_remaining_count_down_to_zero_and_below():
    deadline = campaign_deadline("RCOI 2025", dt.date(2026, 3, 31))
    assert deadline.days_remaining(dt.date(2026, 3, 1)) == 30
    assert deadline.days_remaining(dt.date(2026, 3, 31)) == 0
    assert deadline.days_remaining(dt.date(2026, 4, 2)) == -2


def test_the_calendar_lists_the_deadlines_in_date_order_undated_last():
    calendar = filing_calendar(2025, [("RCOI 2025", dt.date(2026, 3, 31))])
    assert [d.kind for d in calendar] == ["campaign", "form-sd", "eu-report"]
    assert calendar[1].due == dt.date(2026, 6, 1)
    assert [d.kind for d in filing_calendar(2025, eu_importer=False)] == ["form-sd"]
