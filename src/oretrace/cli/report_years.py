"""``oretrace report --last-year DIR`` and the filing calendar it prints: last year's files read with the
same settings (for their own year), compared with this year's by the core (oretrace.rollup.changes), and
the year's deadlines as the dashboard computes them (oretrace.reports.deadlines)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from oretrace.cli.report_settings import ReportSettings
from oretrace.reports.deadlines import filing_calendar, form_sd_due
from oretrace.review.wording import plural
from oretrace.rollup.analyse import AnalysisSettings, analyse_many, template_files
from oretrace.rollup.changes import YearChanges, compare_years
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from oretrace.rollup.model import Rollup


def year_changes(
    folder: Path,
    rollup: Rollup,
    year: int,
    analysis: AnalysisSettings,
    cahra: CountryList,
    *,
    workers: int | None,
    skip: set[Path],
) -> YearChanges:
    """What changed since last year's files in ``folder``; last year's audit statuses are those that
    held when its inquiry had to be filed (its Form SD due date), not today's."""
    files = [f for f in template_files([folder]) if f.resolve() not in skip]
    last_as_of = min(form_sd_due(year - 1), dt.date.today())
    before_settings = dataclasses.replace(analysis, reporting_year=year - 1, suppliers_by_file={})
    before = build_rollup(
        analyse_many(files, before_settings, workers=workers),
        statuses=analysis.statuses,
        as_of=last_as_of,
        cahra=cahra,
        reference_release=analysis.reference.release if analysis.reference else None,
    )
    return compare_years(
        before, rollup, last_year=year - 1, this_year=year, statuses=analysis.statuses, last_as_of=last_as_of
    )


def changes_line(changes: YearChanges) -> str:
    both = len(changes.suppliers_in_both_years)
    return (
        f"Compared with {changes.last_year}: {plural(both, 'supplier')} in both years "
        f"({len(changes.suppliers_with_changed_answers)} with changed answers); "
        f"{plural(len(changes.new_smelters), 'facility', 'facilities')} new, "
        f"{len(changes.dropped_smelters)} no longer named, "
        f"{plural(len(changes.status_changes), 'audit status', 'audit statuses')} changed. "
        "The report's process improvements say which."
    )


def print_calendar(out: Console, settings: ReportSettings, today: dt.date) -> None:
    """The year's filing calendar: the supplier answers' due date, Form SD, the EU annual report."""
    deadlines = filing_calendar(
        settings.year,
        [("Supplier inquiry", settings.due)] if settings.due else [],
        eu_importer=settings.eu_importer,
        eu_last_published=settings.eu_report_published,
    )
    out.print(f"[bold]Filing calendar for {settings.year}[/]")
    for deadline in deadlines:
        if deadline.due is None:
            when = "no day fixed"
        else:
            days = deadline.days_remaining(today)
            left = "today" if days == 0 else (f"in {days} days" if days > 0 else f"passed {-days} days ago")
            when = f"{deadline.due:%Y-%m-%d} ({left})"
        out.print(f"  {escape(deadline.what)}: {when}. [dim]{escape(deadline.basis)}.[/]")
