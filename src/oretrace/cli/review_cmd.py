"""``oretrace review FILE|DIR...``: every finding a compliance analyst would raise, per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from oretrace.cli import app
from oretrace.errors import OretraceError
from oretrace.review import ReviewReport, review
from oretrace.rmi import read_template

TEMPLATE_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _files(paths: list[Path]) -> list[Path]:
    """The files given, and the spreadsheets inside each folder given (sorted, Excel lock files skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in TEMPLATE_SUFFIXES and not p.name.startswith("~$")
                )
            )
        else:
            found.append(path)
    return found


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
    for path in _files(paths):
        try:
            report = review(read_template(path), reporting_year=reporting_year)
        except OretraceError as error:
            status, unreadable = error.exit_status, unreadable + 1
            if as_json:
                results.append({"file": path.name, "error": error.as_dict()})
            else:
                errors.print(f"[bold red]{path}[/]: {error.message} [dim]({error.code})[/]")
            continue
        reports.append(report)
        if as_json:
            results.append(report.as_dict())
        else:
            _print_report(console, report)
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
