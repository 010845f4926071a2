"""``oretrace review FILE|DIR...``: every finding a compliance analyst would raise, per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from oretrace.cli import app
from oretrace.errors import exit_status_for
from oretrace.review import ReviewReport
from oretrace.rollup.analyse import AnalysisSettings, analyse_many, template_files

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
PROGRESS_FROM = 20  # files; fewer finish before a bar would be worth drawing


@app.command("review")
def review_command(
    paths: list[Path] = typer.Argument(
        ..., help="Template files, or folders to search for .xlsx/.xls files."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list: one object per file."),
    reporting_year: int | None = typer.Option(
        None,
        "--reporting-year",
        help="The calendar year the declarations are for (default: each file's date).",
    ),
) -> None:
    """Review RMI templates: the template's own Checker count and every other check (docs/checks.md).

    Exit status: 0 when every file was read (whatever it contains); otherwise the status of the last
    unreadable file's error (10 not a spreadsheet, 11 not an RMI template, 12 unsupported version,
    13 wrong password, 14 corrupt file, 15 file too large, 16 archive too large when unpacked).
    """
    console = Console()
    errors = Console(stderr=True)
    results: list[dict] = []
    reports: list[ReviewReport] = []
    unreadable = 0
    status = 0
    files = template_files(paths)
    settings = AnalysisSettings(reporting_year=reporting_year)
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
    for analysis in analyses:
        if analysis.report is None:
            status, unreadable = exit_status_for(analysis.error_code), unreadable + 1
            if as_json:
                error = {
                    "code": analysis.error_code,
                    "message": analysis.error_message,
                    "file": analysis.file_name,
                }
                results.append({"file": analysis.file_name, "error": error})
            else:
                errors.print(
                    f"[bold red]{analysis.path}[/]: {analysis.error_message} [dim]({analysis.error_code})[/]"
                )
            continue
        reports.append(analysis.report)
        if as_json:
            results.append(analysis.report.as_dict())
        else:
            _print_report(console, analysis.report)
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_summary(console, reports, unreadable)
    raise typer.Exit(status)


def _print_report(console: Console, report: ReviewReport) -> None:
    checker = "not reproduced for this template" if report.checker_missing is None else report.checker_missing
    console.rule(f"[bold]{report.file}")
    console.print(
        f"{report.kind} {report.version}; the template's Checker would show {checker} missing field(s)."
    )
    if not report.findings:
        console.print("[green]Nothing to raise with the supplier.[/]")
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
            finding.message,
            finding.question,
        )
    console.print(table)


def _print_summary(console: Console, reports: list[ReviewReport], unreadable: int) -> None:
    totals = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        for severity, count in report.counts.items():
            totals[severity] += count
    console.rule("[bold]Summary")
    console.print(
        f"{len(reports)} file(s) reviewed, {unreadable} could not be read; "
        f"{totals['error']} error(s), {totals['warning']} warning(s), {totals['info']} info."
    )
