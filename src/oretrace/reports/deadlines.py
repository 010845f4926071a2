"""The filing calendar: when the year's filings and the campaign's own answers are due.

Form SD (SEC Rule 13p-1) is filed for each calendar year no later than 31 May of the year after; when
31 May falls on a Saturday, Sunday or US federal holiday, the deadline is the next business day (the
first reports, for 2013, were due 2 June 2014: regulation.md §1). The holidays are the US federal ones
of the maintained ``holidays`` package, the days EDGAR does not accept filings as filed that day.

EU Regulation 2017/821 sets no day: its Art 7(3) has Union importers "report annually, as widely as
possible, including on the internet" on their due-diligence policies and practices (regulation.md §3).
So the EU report is due a year after the last one was published, when that date is known; otherwise the
calendar says that no day is fixed instead of inventing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import holidays

FORM_SD_BASIS = (
    "SEC Rule 13p-1 and Form SD: filed no later than 31 May for the previous calendar year, or the next "
    "business day when 31 May is a Saturday, Sunday or US federal holiday"
)
EU_BASIS = (
    "EU Regulation 2017/821, Art 7(3): Union importers report annually on their due-diligence policies "
    "and practices; the Regulation fixes no day"
)
CAMPAIGN_BASIS = "The campaign's due date for supplier answers"


@dataclass(frozen=True)
class Deadline:
    """One date of the filing calendar, with what is due and the rule it comes from."""

    kind: str  # "form-sd", "eu-report" or "campaign"
    what: str
    due: dt.date | None  # None when no rule fixes the day (the EU report before a first one is published)
    basis: str

    def days_remaining(self, today: dt.date) -> int | None:
        """Days from today to the due date: 0 on the day, negative once it has passed."""
        return None if self.due is None else (self.due - today).days


@cache
def _us_federal_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=year)


def is_business_day(day: dt.date) -> bool:
    """A weekday that is no US federal holiday (holidays observed on a weekday count as holidays)."""
    return day.weekday() < 5 and day not in _us_federal_holidays(day.year)


def next_business_day(day: dt.date) -> dt.date:
    """The day itself when it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def form_sd_due(reporting_year: int) -> dt.date:
    """The last day to file Form SD for the calendar year ``reporting_year``."""
    return next_business_day(dt.date(reporting_year + 1, 5, 31))


def form_sd(reporting_year: int) -> Deadline:
    return Deadline("form-sd", f"Form SD for {reporting_year}", form_sd_due(reporting_year), FORM_SD_BASIS)


def eu_report(reporting_year: int, last_published: dt.date | None = None) -> Deadline:
    """The EU annual report on the year's due diligence: a year after the last one when it is known."""
    due = None
    basis = EU_BASIS
    if last_published is not None:
        due = _a_year_after(last_published)
        basis += f"; due a year after the last report, published {last_published:%d %B %Y}"
    return Deadline("eu-report", f"EU annual due-diligence report for {reporting_year}", due, basis)


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the anniversary is 28 February
        return day.replace(year=day.year + 1, day=28)


def campaign_deadline(name: str, due: dt.date) -> Deadline:
    return Deadline("campaign", f"{name}: supplier answers", due, CAMPAIGN_BASIS)


def filing_calendar(
    reporting_year: int,
    campaigns: Iterable[tuple[str, dt.date]] = (),
    *,
    eu_importer: bool = True,
    eu_last_published: dt.date | None = None,
) -> tuple[Deadline, ...]:
    """The year's deadlines in date order, those without a fixed day last."""
    deadlines = [campaign_deadline(name, due) for name, due in campaigns]
    deadlines.append(form_sd(reporting_year))
    if eu_importer:
        deadlines.append(eu_report(reporting_year, eu_last_published))
    return tuple(sorted(deadlines, key=lambda d: (d.due is None, d.due or dt.date.max, d.what)))
