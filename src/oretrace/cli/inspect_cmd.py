"""``oretrace inspect FILE...``: what a template says, as a readable summary or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from oretrace.cli import app
from oretrace.cli.status import console as make_console
from oretrace.errors import NotASpreadsheet, OretraceError


@app.command()
def inspect(
    files: list[Path] = typer.Argument(
        ..., help="Template files (.xlsx, .xlsm or .xls), or folders: every template directly inside is read."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: one object for one file, else a list."),
) -> None:
    """Read RMI templates and show what they say.

    Exit status: 0 when every file was read; otherwise the status of the last unreadable file's
    error (10 not a spreadsheet, 11 not an RMI template, 12 unsupported version, 13 wrong password,
    14 corrupt file, 15 file too large, 16 archive too large when unpacked).
    """
    from oretrace.rmi import read_template
    from oretrace.rmi.serialise import response_to_dict

    console = make_console()
    errors = make_console(stderr=True)
    results: list[dict] = []
    status = 0
    read = 0
    paths = _expand(files)
    for path in paths:
        try:
            if isinstance(path, OretraceError):
                raise path
            response = read_template(path)
        except OretraceError as error:
            status = error.exit_status
            shown = str(path) if isinstance(path, Path) else error.file or ""
            if as_json:
                results.append({"file": {"name": Path(shown).name, "path": shown}, "error": error.as_dict()})
            else:
                errors.print(
                    f"[bold red]{escape(shown)}[/]: {escape(error.message)} [dim]({error.code})[/]",
                    soft_wrap=True,
                )
            continue
        read += 1
        if as_json:
            data = response_to_dict(response)
            data["file"]["path"] = str(path)
            results.append(data)
        else:
            _print_summary(console, response)
    if as_json:
        payload = results[0] if len(results) == 1 and len(files) == 1 and not files[0].is_dir() else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif len(paths) > 1:
        console.print(
            f"[bold]{read} of {len(paths)} files read[/]"
            + (f", {len(paths) - read} refused" if read < len(paths) else "")
        )
    raise typer.Exit(status)


TEMPLATE_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def _expand(arguments: list[Path]) -> list[Path | OretraceError]:
    """Files as given; a folder becomes the templates directly inside it, in name order.

    Excel's lock files ("~$name.xlsx", left while a workbook is open) are not templates.
    """
    paths: list[Path | OretraceError] = []
    for argument in arguments:
        if not argument.is_dir():
            paths.append(argument)
            continue
        found = sorted(
            child
            for child in argument.iterdir()
            if child.suffix.lower() in TEMPLATE_SUFFIXES
            and child.is_file()
            and not child.name.startswith("~$")
        )
        if not found:
            paths.append(
                NotASpreadsheet("The folder holds no .xlsx, .xlsm or .xls file.", file=str(argument))
            )
        paths.extend(found)
    return paths


def _print_summary(console: Console, response) -> None:
    company = response.company
    console.print(f"\n[bold]{escape(response.file.name)}[/]")
    console.print(
        f"[bold]{response.kind} {response.version}[/]  language {response.language or '-'}"
        f"  sha256 {response.file.sha256[:12]}…"
    )
    scope = company.declaration_scope.value or "-"
    console.print(
        f"Company: [bold]{escape(company.name.value or '(blank)')}[/]  scope {escape(scope)}"
        f"  effective {company.effective_date.value or '-'}"
    )
    console.print(
        escape(
            f"Contact: {company.contact_name.value or '-'} <{company.contact_email.value or '-'}>"
            f"  authorizer: {company.authorizer_name.value or '-'}"
        )
    )
    questions = sorted({q for answers in response.answers.values() for q in answers})
    table = Table(title="Answers per mineral", show_lines=False)
    table.add_column("Mineral")
    for question in questions:
        table.add_column(question)
    table.add_column("Smelters", justify="right")
    for mineral, answers in response.answers.items():
        cells = [escape(str(answers[q].value or "-")) if q in answers else "" for q in questions]
        table.add_row(mineral, *cells, str(len(response.smelters_for(mineral))))
    console.print(table)
    if response.company_questions:
        console.print(
            "Company questions: "
            + escape(
                "  ".join(
                    f"{key}={answer.value or '-'}" for key, answer in response.company_questions.items()
                )
            )
        )
    console.print(
        f"{len(response.smelters)} smelter rows, {len(response.products)} product rows, "
        f"{len(response.mines)} mine rows; the file's Checker showed "
        f"{'-' if response.checker_cached is None else response.checker_cached} missing field(s)."
    )
    for note in response.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")
