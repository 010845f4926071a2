"""Reading the year's inquiry from disk: a folder of supplier files and the settings file, reviewed and
rolled up. ``oretrace report`` and ``oretrace customers answer`` both start here, so a customer's answer
is derived from exactly the roll-up our own documents are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import typer

from oretrace.cli.facilities import with_unlisted
from oretrace.cli.report_settings import ReportSettings
from oretrace.cli.status import console
from oretrace.rollup.analyse import AnalysisSettings
from oretrace.rollup.countries import CountryList
from oretrace.rollup.model import Rollup
from oretrace.survey import Survey


def fail(message: str) -> None:
    from rich.markup import escape

    console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(2)


@dataclass(frozen=True)
class Inquiry:
    settings: ReportSettings
    analysis: AnalysisSettings
    cahra: CountryList
    files: list[Path]  # the supplier files read
    survey: Survey
    rollup: Rollup
    notes: list[str]  # what the survey left out or assumed, for the user
    as_of: dt.date  # the day the roll-up was built for


def read_inquiry(
    folders: list[Path] | None,
    settings_path: Path | None,
    *,
    output: Path,
    facilities: Path | None = None,
    workers: int | None = None,
    also_skip: Iterable[Path | None] = (),
) -> Inquiry:
    """The supplier files under ``folders`` reviewed with the settings and rolled up as of today. Files
    the settings name, ``facilities``, ``also_skip`` and anything under ``output`` are not supplier files.
    Stops the command with a message (exit 2) for a missing or unusable input."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from oretrace.cli.report_settings import read_settings
    from oretrace.errors import OretraceError
    from oretrace.rollup.analyse import analyse_many, template_files
    from oretrace.rollup.cahra import read_country_file
    from oretrace.rollup.compute import build_rollup
    from oretrace.smelters import (
        read_status_list,
        read_v2_translation,
        reference_from_template,
        status_history,
    )

    if settings_path is None:
        fail("Give the settings file with --settings (oretrace report --example-settings prints one).")
    if not folders:
        fail("Give the folder of supplier CMRTs (or the files) to report on.")
    try:
        settings = read_settings(settings_path)
        analysis = AnalysisSettings(
            reference=with_unlisted(reference_from_template(settings.reference), facilities),
            v2=read_v2_translation(settings.v2_table) if settings.v2_table else None,
            excluded=settings.excluded,
            statuses=status_history(read_status_list(p, as_of=d) for p, d in settings.status_lists),
            reporting_year=settings.year,
            minimum_version=settings.minimum_version,
            suppliers_by_file=settings.expected_suppliers(),
        )
        cahra = CountryList(read_country_file(settings.cahra)) if settings.cahra else CountryList()
    except OretraceError as error:
        fail(str(error))
    for folder in folders:
        if not folder.exists():
            fail(f"{folder} does not exist")
    skip = settings.input_paths() | {p.resolve() for p in (facilities, *also_skip) if p}
    out_dir = output.resolve()
    files = [
        f for f in template_files(folders) if f.resolve() not in skip and out_dir not in f.resolve().parents
    ]
    if not files:
        fail("No .xlsx or .xls supplier files were found in " + ", ".join(str(f) for f in folders))
    with Progress(
        TextColumn("[bold]Reviewing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
    ) as progress:
        task = progress.add_task("files", total=len(files))
        analyses = analyse_many(files, analysis, workers=workers, progress=lambda _a: progress.advance(task))
    today = dt.date.today()
    try:
        survey, analyses, notes = settings.survey(analyses)
        rollup = build_rollup(
            analyses,
            statuses=analysis.statuses,
            as_of=today,
            cahra=cahra,
            reference_release=analysis.reference.release,
        )
    except OretraceError as error:
        fail(str(error))
    return Inquiry(settings, analysis, cahra, files, survey, rollup, notes, today)
