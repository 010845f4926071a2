"""``oretrace report FOLDER --settings oretrace.toml -o out/``: the year's documents without the server.

From a folder of supplier CMRTs and one settings file (cli/report_settings.py) it writes the roll-up,
the company's own CMRT (derived, shown for confirmation, and filled into the blank template the user
supplies), the Conflict Minerals Report, the Form SD draft, the risk summary and the evidence package
for auditors (cli/report_outputs.py), after printing what would make the report weak (its readiness).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from oretrace.cli import app
from oretrace.cli.facilities import FACILITIES_HELP, with_unlisted
from oretrace.cli.report_years import changes_line, print_calendar, year_changes
from oretrace.cli.status import console, unreadable_status


def fail(message: str) -> None:
    from rich.markup import escape

    console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(2)


@app.command()
def report(
    folders: list[Path] = typer.Argument(None, help="Supplier CMRTs, or folders holding them."),
    settings_path: Path | None = typer.Option(
        None, "--settings", "-s", help="The settings file (TOML); see --example-settings."
    ),
    output: Path = typer.Option(Path("report"), "--output", "-o", help="The folder to write into."),
    example_settings: bool = typer.Option(
        False, "--example-settings", help="Print a commented settings file to start from, and stop."
    ),
    workers: int | None = typer.Option(None, "--workers", help="Processes to use (default: all cores)."),
    facilities: Path | None = typer.Option(None, "--facilities", help=FACILITIES_HELP),
    blank: Path | None = typer.Option(
        None,
        "--blank",
        help="RMI's blank template to fill in as our own (CMRT 6.x, EMRT, CRT or AMRT); "
        "default: reference.blank_template of the settings, which must be of the suppliers' files' kind.",
    ),
    last_year: Path | None = typer.Option(
        None,
        "--last-year",
        help="Last year's supplier CMRTs (a folder): the report's process improvements say what changed "
        "per supplier and per smelter, last year's audit statuses as they stood on its Form SD due date.",
    ),
) -> None:
    """Write the year's documents from a folder of supplier CMRTs and a settings file.

    Into the output folder: rollup.xlsx, company-cmrt.xlsx (our own CMRT; company-emrt.xlsx,
    -crt or -amrt when the supplier files, or the --blank template, are of that kind),
    conflict-minerals-report.htm, .docx and .pdf, form-sd.htm and .docx,
    and evidence.zip for the auditors.

    Our CMRT's answers are derived from the suppliers' files and printed with
    the reason for each; to change one, add it under \\[declaration.overrides]
    in the settings file and run again. Start from --example-settings.

    Exit status: 0 when every supplier file was read; otherwise, after writing everything, the status
    of the last unreadable file's error (10 not a spreadsheet ... 16 archive too large when unpacked);
    2 for a missing option or a settings file that cannot be used.
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from oretrace.cli.report_outputs import write_outputs
    from oretrace.cli.report_settings import example_settings as example_text
    from oretrace.cli.report_settings import read_settings
    from oretrace.errors import OretraceError
    from oretrace.risk import assess
    from oretrace.rollup.analyse import AnalysisSettings, analyse_many, template_files
    from oretrace.rollup.cahra import read_country_file
    from oretrace.rollup.compute import build_rollup
    from oretrace.rollup.countries import CountryList
    from oretrace.smelters import (
        read_status_list,
        read_v2_translation,
        reference_from_template,
        status_history,
    )

    out = console()
    errors = console(stderr=True)
    if example_settings:
        typer.echo(example_text(), nl=False)
        return
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
    if blank is not None and not blank.is_file():
        fail(f"--blank {blank}: the file does not exist")
    if last_year is not None and not last_year.is_dir():
        fail(f"--last-year {last_year}: not a folder of last year's supplier files")
    skip = settings.input_paths() | {p.resolve() for p in (facilities, blank) if p}
    out_dir = output.resolve()
    files = [
        f for f in template_files(folders) if f.resolve() not in skip and out_dir not in f.resolve().parents
    ]
    if not files:
        fail("No .xlsx or .xls supplier files were found in " + ", ".join(str(f) for f in folders))
    with Progress(
        TextColumn("[bold]Reviewing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors
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
        risk = assess(rollup, statuses=analysis.statuses, as_of=today, survey=survey, cahra=cahra)
        changes = (
            year_changes(last_year, rollup, settings.year, analysis, cahra, workers=workers, skip=skip)
            if last_year
            else None
        )
        written = write_outputs(
            out,
            errors,
            settings,
            rollup,
            survey,
            files,
            output,
            risk,
            facilities,
            blank=blank,
            changes=changes,
        )
    except OretraceError as error:
        fail(str(error))
    for note in notes:
        errors.print(f"[yellow]Note:[/] {escape(note)}")
    out.print("Wrote " + ", ".join(str(p) for p in written))
    if changes is not None:
        out.print(changes_line(changes))
    print_calendar(out, settings, today)
    raise typer.Exit(unreadable_status(s.read_error for s in rollup.suppliers))
