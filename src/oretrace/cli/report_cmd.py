"""``oretrace report FOLDER --settings oretrace.toml -o out/``: the year's documents without the server.

From a folder of supplier CMRTs and one settings file (cli/report_settings.py) it writes the roll-up,
the company's own CMRT (derived, shown for confirmation, and filled into the blank template the user
supplies), the Conflict Minerals Report, the Form SD draft, the risk summary and the evidence package
for auditors (cli/report_outputs.py), after printing what would make the report weak (its readiness).
"""

from __future__ import annotations

from pathlib import Path

import typer

from oretrace.cli import app
from oretrace.cli.facilities import FACILITIES_HELP
from oretrace.cli.inquiry import fail, read_inquiry
from oretrace.cli.status import console, unreadable_status


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
) -> None:
    """Write the year's documents from a folder of supplier CMRTs and a settings file.

    Into the output folder: rollup.xlsx, company-cmrt.xlsx (our own CMRT; company-emrt.xlsx,
    -crt or -amrt when the supplier files, or the --blank template, are of that kind),
    conflict-minerals-report.htm, .docx and .pdf, form-sd.htm and .docx,
    for EMRT or CRT files battery-due-diligence-report.html, .docx and .pdf
    (the Batteries Regulation's Article 52(3) report, from [batteries] of the settings),
    and evidence.zip for the auditors.

    Our CMRT's answers are derived from the suppliers' files and printed with
    the reason for each; to change one, add it under \\[declaration.overrides]
    in the settings file and run again. Start from --example-settings.

    Exit status: 0 when every supplier file was read; otherwise, after writing everything, the status
    of the last unreadable file's error (10 not a spreadsheet ... 16 archive too large when unpacked);
    2 for a missing option or a settings file that cannot be used.
    """
    from rich.markup import escape

    from oretrace.cli.report_outputs import write_outputs
    from oretrace.cli.report_settings import example_settings as example_text
    from oretrace.errors import OretraceError
    from oretrace.risk import assess

    out = console()
    errors = console(stderr=True)
    if example_settings:
        typer.echo(example_text(), nl=False)
        return
    if blank is not None and not blank.is_file():
        fail(f"--blank {blank}: the file does not exist")
    inquiry = read_inquiry(
        folders, settings_path, output=output, facilities=facilities, workers=workers, also_skip=[blank]
    )
    settings, rollup, survey = inquiry.settings, inquiry.rollup, inquiry.survey
    try:
        risk = assess(
            rollup,
            statuses=inquiry.analysis.statuses,
            as_of=inquiry.as_of,
            survey=survey,
            cahra=inquiry.cahra,
        )
        written = write_outputs(
            out, errors, settings, rollup, survey, inquiry.files, output, risk, facilities, blank=blank
        )
    except OretraceError as error:
        fail(str(error))
    notes = inquiry.notes
    for note in notes:
        errors.print(f"[yellow]Note:[/] {escape(note)}")
    out.print("Wrote " + ", ".join(str(p) for p in written))
    raise typer.Exit(unreadable_status(s.read_error for s in rollup.suppliers))
