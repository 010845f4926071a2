"""``oretrace review FILE|DIR...``: every finding a compliance analyst would raise, per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from oretrace.cli import app
from oretrace.cli.facilities import FACILITIES_HELP, with_unlisted
from oretrace.cli.status import console, unreadable_status

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
PROGRESS_FROM = 20  # files; fewer finish before a bar would be worth drawing


@app.command("review")
def review_command(
    paths: list[Path] = typer.Argument(
        ..., help="Template files, or folders to search for .xlsx/.xls files."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list: one object per file."),
    reference: Path | None = typer.Option(
        None,
        "--reference",
        "-r",
        help="An RMI template whose Smelter Look-up to check smelter IDs against, as `rollup -r` does "
        "(default: each file's own look-up).",
    ),
    reporting_year: int | None = typer.Option(
        None,
        "--year",
        "--reporting-year",
        help="The calendar year the declarations are for (default: last year, as `rollup`).",
    ),
    minimum_version: str | None = typer.Option(
        None, "--minimum-version", help="The oldest template version the inquiry asked for (e.g. 6.4)."
    ),
    facilities: Path | None = typer.Option(
        None, "--facilities", help=FACILITIES_HELP + " Needs --reference, the RMI list they add to."
    ),
    minerals: str | None = typer.Option(
        None,
        "--minerals",
        help='The minerals the inquiry asks about, e.g. "Cobalt, Lithium" (default: every mineral each '
        "template asks about); no file is faulted for another mineral.",
    ),
) -> None:
    """Review RMI templates: the template's own Checker count and every other check (docs/checks.md).

    The same review as `oretrace rollup` and the web app: given the same reference (-r) and year,
    the findings are the same.

    Exit status: 0 when every file was read (whatever it contains); otherwise the status of the last
    unreadable file's error (10 not a spreadsheet, 11 not an RMI template, 12 unsupported version,
    13 wrong password, 14 corrupt file, 15 file too large, 16 archive too large when unpacked).
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from oretrace.errors import OretraceError
    from oretrace.rmi.minerals import named_minerals
    from oretrace.rollup.analyse import AnalysisSettings, analyse_many, default_reporting_year, template_files
    from oretrace.smelters import reference_from_template

    out = console()
    errors = console(stderr=True)
    if facilities is not None and reference is None:
        errors.print(
            "[bold red]Error:[/] --facilities adds to a reference list: give the RMI template with --reference too."
        )
        raise typer.Exit(2)
    try:
        reference_list = reference_from_template(reference) if reference else None
        reference_list = with_unlisted(reference_list, facilities)
        asked = named_minerals(minerals) if minerals is not None else None
    except OretraceError as error:
        errors.print(f"[bold red]Error:[/] {escape(str(error))}")
        raise typer.Exit(error.exit_status) from None
    files = template_files(paths)
    settings = AnalysisSettings(
        reference=reference_list,
        reporting_year=reporting_year or default_reporting_year(),
        minimum_version=minimum_version,
        minerals=asked or None,
    )
    with Progress(
        TextColumn("[bold]Reviewing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=errors,
        transient=True,
        disable=len(files) < PROGRESS_FROM,
    ) as progress:
        task = progress.add_task("files", total=len(files))
        analyses = analyse_many(files, settings, progress=lambda _a: progress.advance(task))
    results: list[dict] = []
    reports = []
    for analysis in analyses:
        if analysis.report is None:
            if as_json:
                error = {
                    "code": analysis.error_code,
                    "message": analysis.error_message,
                    "file": analysis.file_name,
                }
                results.append({"file": analysis.file_name, "error": error})
            else:
                errors.print(
                    f"[bold red]{escape(str(analysis.path))}[/]: {escape(analysis.error_message or '')} "
                    f"[dim]({analysis.error_code})[/]"
                )
            continue
        reports.append(analysis.report)
        if as_json:
            results.append(analysis.report.as_dict())
        else:
            _print_report(out, analysis.report)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        against = reference_list.release if reference_list else "each file's own Smelter Look-up"
        _print_summary(out, reports, len(analyses) - len(reports), settings.reporting_year, against)
    raise typer.Exit(unreadable_status(a.error_code for a in analyses))


def _print_report(out, report) -> None:
    from rich.markup import escape
    from rich.table import Table

    from oretrace.review.wording import plural

    checker = (
        "missing fields not reproduced for this template"
        if report.checker_missing is None
        else plural(report.checker_missing, "missing field")
    )
    out.print(f"\n[bold]{escape(report.file)}[/]")
    out.print(f"{report.kind} {report.version}; the file's Checker would show {checker}.")
    by_rules = report.checker_missing_by_rmi_rules
    if by_rules is not None and by_rules != report.checker_missing:
        out.print(
            f"RMI's template's Checker would show {plural(by_rules, 'missing field')} (see the Checker findings)."
        )
    if not report.findings:
        out.print("[green]Nothing to raise with the supplier.[/]")
        return
    table = Table(show_lines=False)
    for column in ("Severity", "Code", "Mineral", "Where", "Finding", "Question to the supplier"):
        table.add_column(column, overflow="fold")
    for finding in report.findings:
        table.add_row(
            f"[{SEVERITY_STYLE[finding.severity]}]{finding.severity}[/]",
            finding.code,
            finding.mineral or "",
            finding.where,
            escape(finding.message),
            escape(finding.question),
        )
    out.print(table)


def _print_summary(out, reports, unreadable: int, year: int, against: str) -> None:
    from rich.markup import escape

    from oretrace.review.wording import plural

    totals = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        for severity, count in report.counts.items():
            totals[severity] += count
    out.print("\n[bold]Summary[/]")
    out.print(
        f"{plural(len(reports), 'file')} reviewed, {unreadable} could not be read; "
        f"{plural(totals['error'], 'error')}, {plural(totals['warning'], 'warning')}, {totals['info']} info "
        f"(reviewed for {year}, smelter IDs checked against {escape(against)})."
    )
