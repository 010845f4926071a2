"""``oretrace rollup DIR --reference TEMPLATE.xlsx``: a folder of supplier files into one workbook."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from oretrace.cli import app
from oretrace.errors import OretraceError
from oretrace.rollup.analyse import AnalysisSettings, analyse_many, template_files
from oretrace.rollup.cahra import read_country_file
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from oretrace.rollup.export import write_csv, write_json, write_xlsx
from oretrace.rollup.model import Rollup
from oretrace.smelters import read_status_list, read_v2_translation, reference_from_template, status_history


class Format(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


def fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(2)


@app.command()
def rollup(
    folders: list[Path] = typer.Argument(..., help="Supplier files, or folders holding them."),
    reference: Path = typer.Option(
        ...,
        "--reference",
        "-r",
        help="An RMI template whose Smelter Look-up is the reference list (e.g. the blank CMRT 6.5).",
    ),
    status: list[Path] = typer.Option(
        [], "--status", "-s", help="RMI facility export(s) with audit statuses, CSV or XLSX; repeatable."
    ),
    status_date: list[str] = typer.Option(
        [],
        "--status-date",
        help="The date each --status list was published (YYYY-MM-DD), in the same order; default today.",
    ),
    v2_table: Path | None = typer.Option(None, "--v2", help="A CFSI v2-to-CID translation table (CSV)."),
    cahra: Path | None = typer.Option(
        None,
        "--cahra",
        help="A CAHRA country list: text (one country per line), or CSV / XLSX with a Country column.",
    ),
    reporting_year: int | None = typer.Option(
        None, "--year", help="The reporting year (default: last year)."
    ),
    output: Path = typer.Option(Path("rollup.xlsx"), "--output", "-o", help="Where to write the roll-up."),
    output_format: Format | None = typer.Option(
        None, "--format", "-f", help="xlsx, csv or json (default: from -o)."
    ),
    workers: int | None = typer.Option(None, "--workers", help="Processes to use (default: all cores)."),
) -> None:
    """Review every supplier file, identify every smelter, and write the consolidated roll-up.

    The workbook has four sheets: Suppliers, Findings, Smelters (per metal, with audit status and
    the suppliers naming each), and Unidentified (names no reference facility matched, with the
    best candidates). A file that cannot be read is listed with its reason and the run goes on.
    """
    console = Console(stderr=True)
    year = reporting_year or dt.date.today().year - 1
    try:
        settings = AnalysisSettings(
            reference=reference_from_template(reference),
            v2=read_v2_translation(v2_table) if v2_table else None,
            statuses=status_history(_status_lists(status, status_date)),
            reporting_year=year,
        )
        cahra_list = CountryList(read_country_file(cahra)) if cahra else CountryList()
    except OretraceError as error:
        fail(str(error))
    files = template_files(folders)
    if not files:
        fail("No .xlsx or .xls files were found in " + ", ".join(str(f) for f in folders))
    with Progress(
        TextColumn("[bold]Reviewing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("files", total=len(files))
        analyses = analyse_many(files, settings, workers=workers, progress=lambda _a: progress.advance(task))
    result = build_rollup(
        analyses,
        statuses=settings.statuses,
        as_of=dt.date.today(),
        cahra=cahra_list,
        reference_release=settings.reference.release,
    )
    written = _write(result, output, output_format or _format_from(output))
    _print_summary(console, result)
    console.print("Wrote " + ", ".join(str(p) for p in written))


def _status_lists(paths: list[Path], dates: list[str]):
    if dates and len(dates) != len(paths):
        raise OretraceError(
            f"{len(paths)} --status list(s) but {len(dates)} --status-date value(s); give one date per list"
        )
    for index, path in enumerate(paths):
        as_of = dt.date.today()
        if dates:
            try:
                as_of = dt.date.fromisoformat(dates[index])
            except ValueError:
                raise OretraceError(f"--status-date {dates[index]!r} is not a date like 2025-05-31") from None
        yield read_status_list(path, as_of=as_of)


def _format_from(output: Path) -> Format:
    suffix = output.suffix.lower().lstrip(".")
    return Format(suffix) if suffix in {f.value for f in Format} else Format.XLSX


def _write(result: Rollup, output: Path, output_format: Format) -> list[Path]:
    output.parent.mkdir(parents=True, exist_ok=True)
    if output_format is Format.CSV:
        return write_csv(result, output)
    if output_format is Format.JSON:
        return [write_json(result, output)]
    return [write_xlsx(result, output)]


def _print_summary(console: Console, result: Rollup) -> None:
    unreadable = [s for s in result.suppliers if not s.readable]
    severities = result.findings_by_severity()
    console.print(
        f"{len(result.suppliers)} files: {len(result.readable_suppliers)} read, {len(unreadable)} unreadable; "
        f"findings: {severities.get('error', 0)} errors, {severities.get('warning', 0)} warnings, "
        f"{severities.get('info', 0)} info"
    )
    table = Table(title="Smelters and refiners identified")
    table.add_column("Metal")
    table.add_column("Facilities", justify="right")
    statuses = sorted({s.audit_status or "Unknown" for s in result.smelters})
    for status in statuses:
        table.add_column(status, justify="right")
    for metal in result.metals:
        counts = result.status_counts(metal)
        table.add_row(metal, str(len(result.smelters_for(metal))), *(str(counts.get(s, 0)) for s in statuses))
    console.print(table)
    if result.unidentified:
        console.print(
            f"{len(result.unidentified)} smelter name(s) could not be identified: see the Unidentified sheet."
        )
    for supplier in unreadable:
        console.print(
            f"[yellow]{supplier.file_name}[/]: {supplier.read_error_message} ({supplier.read_error})"
        )
