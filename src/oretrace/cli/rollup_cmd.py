"""``oretrace rollup DIR --reference TEMPLATE.xlsx``: a folder of supplier files into one workbook."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

import typer

from oretrace.cli import app
from oretrace.cli.facilities import FACILITIES_HELP, with_unlisted
from oretrace.cli.status import console, unreadable_status


class Format(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


def fail(message: str) -> None:
    from rich.markup import escape

    console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
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
    facilities: Path | None = typer.Option(None, "--facilities", help=FACILITIES_HELP),
    cahra: Path | None = typer.Option(
        None,
        "--cahra",
        help="A CAHRA country list: text (one country per line), or CSV / XLSX with a Country column.",
    ),
    reporting_year: int | None = typer.Option(
        None, "--year", help="The reporting year the files answer for (default: last year)."
    ),
    minimum_version: str | None = typer.Option(
        None, "--minimum-version", help="The oldest template version the inquiry asked for (e.g. 6.4)."
    ),
    minerals: str | None = typer.Option(
        None,
        "--minerals",
        help='The minerals the inquiry asks about, e.g. "Cobalt, Lithium" (default: every mineral each '
        "template asks about); no file is faulted for another mineral.",
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

    Exit status: 0 when every file was read; otherwise, after writing the roll-up, the status of the
    last unreadable file's error (10 not a spreadsheet, 11 not an RMI template, 12 unsupported
    version, 13 wrong password, 14 corrupt file, 15 file too large, 16 archive too large when
    unpacked); 2 when the command was used wrongly, 17 for an unusable reference or status list.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from oretrace.errors import OretraceError
    from oretrace.rmi.minerals import named_minerals
    from oretrace.rollup.analyse import AnalysisSettings, analyse_many, default_reporting_year, template_files
    from oretrace.rollup.cahra import read_country_file
    from oretrace.rollup.compute import build_rollup
    from oretrace.rollup.countries import CountryList
    from oretrace.smelters import read_v2_translation, reference_from_template, status_history

    errors = console(stderr=True)
    try:
        settings = AnalysisSettings(
            reference=with_unlisted(reference_from_template(reference), facilities),
            v2=read_v2_translation(v2_table) if v2_table else None,
            statuses=status_history(_status_lists(status, status_date)),
            reporting_year=reporting_year or default_reporting_year(),
            minimum_version=minimum_version,
            minerals=named_minerals(minerals) or None if minerals is not None else None,
        )
        cahra_list = CountryList(read_country_file(cahra)) if cahra else CountryList()
    except OretraceError as error:
        fail(str(error))
    files = template_files(folders)
    if not files:
        fail("No .xlsx or .xls files were found in " + ", ".join(str(f) for f in folders))
    with Progress(
        TextColumn("[bold]Reviewing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors
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
    _print_summary(errors, result, settings)
    errors.print("Wrote " + ", ".join(str(p) for p in written))
    raise typer.Exit(unreadable_status(s.read_error for s in result.suppliers))


def _status_lists(paths: list[Path], dates: list[str]):
    from oretrace.errors import OretraceError
    from oretrace.smelters import read_status_list

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


def _write(result, output: Path, output_format: Format) -> list[Path]:
    from oretrace.rollup.export import write_csv, write_json, write_xlsx

    output.parent.mkdir(parents=True, exist_ok=True)
    if output_format is Format.CSV:
        return write_csv(result, output)
    if output_format is Format.JSON:
        return [write_json(result, output)]
    return [write_xlsx(result, output)]


def _print_summary(out, result, settings) -> None:
    from rich.markup import escape
    from rich.table import Table

    unreadable = [s for s in result.suppliers if not s.readable]
    severities = result.findings_by_severity()
    out.print(
        f"{len(result.suppliers)} files: {len(result.readable_suppliers)} read, {len(unreadable)} unreadable; "
        f"reviewed for {settings.reporting_year} against {escape(settings.reference.release)}: "
        f"{severities.get('error', 0)} errors, {severities.get('warning', 0)} warnings, "
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
    out.print(table)
    if result.unidentified:
        out.print(
            f"{len(result.unidentified)} smelter name(s) could not be identified: see the Unidentified sheet."
        )
    if result.mines:
        in_cahra = sum(1 for m in result.mines if m.cahra)
        out.print(
            f"{len(result.mines)} mine(s) in the Mine Lists, {in_cahra} in a Covered Country or CAHRA: "
            "see the Mines sheet."
        )
    for supplier in unreadable:
        out.print(
            f"[yellow]{escape(supplier.file_name)}[/]: {escape(supplier.read_error_message or '')} "
            f"({supplier.read_error})"
        )
