"""``oretrace customers answer FOLDER --settings oretrace.toml --blank RMI_CMRT_6.4.xlsx --parts theirs.csv
--links our-parts.csv -o answer.xlsx``: a customer's request answered from our data without the server.

The supplier files are read and rolled up as ``oretrace report`` reads them (cli/inquiry.py); the
declaration is the core's (oretrace.declaration), for the customer's part numbers through our supplier
links (oretrace.customers) or at company level, written into the blank of the version the customer asked
for. The derived answers are printed with their reasons, as by ``oretrace report``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from oretrace.cli import app
from oretrace.cli.facilities import FACILITIES_HELP
from oretrace.cli.inquiry import fail, read_inquiry
from oretrace.cli.status import console

customers = typer.Typer(
    help="Our customers' requests for our CMRT (EMRT, CRT, AMRT), answered from our data.",
    no_args_is_help=True,
)
app.add_typer(customers, name="customers")


@customers.command("answer")
def answer(
    folders: list[Path] = typer.Argument(None, help="Our suppliers' files, or folders holding them."),
    settings_path: Path | None = typer.Option(
        None, "--settings", "-s", help="The settings file of `oretrace report` (TOML)."
    ),
    blank: Path = typer.Option(
        ...,
        "--blank",
        help="RMI's blank template of the kind and version the customer asked for (e.g. RMI_CMRT_6.4.xlsx).",
    ),
    parts: Path | None = typer.Option(
        None,
        "--parts",
        help='The customer\'s list of its part numbers (CSV or XLSX; a "Supplier part number" column '
        "gives ours when theirs differ). Without it, the company-level answer.",
    ),
    links: Path | None = typer.Option(
        None,
        "--links",
        help='Which supplier each of our parts comes from (CSV or XLSX: "Part number" and "Supplier", '
        "the supplier named as its file's company name or the file's name); needed with --parts.",
    ),
    output: Path = typer.Option(Path("answer.xlsx"), "--output", "-o", help="The answer file to write."),
    workers: int | None = typer.Option(None, "--workers", help="Processes to use (default: all cores)."),
    facilities: Path | None = typer.Option(None, "--facilities", help=FACILITIES_HELP),
) -> None:
    """Write our answer to a customer's request: product level for its part numbers (--parts and
    --links), or company level, in the template version the customer asked for (--blank).

    Exit status: 0 when the answer is written; 2 for a missing or unusable input, named in the message.
    """
    from rich.markup import escape

    from oretrace.cli.report_outputs import company_derivation, print_derivation
    from oretrace.customers import customer_product_scope, read_part_list, read_supplier_links
    from oretrace.declaration import derive_declaration
    from oretrace.errors import OretraceError
    from oretrace.review.wording import plural
    from oretrace.rmi.writer import blank_layout, write_declaration
    from oretrace.survey import survey_figures

    out, errors = console(), console(stderr=True)
    for option, path in (("--blank", blank), ("--parts", parts), ("--links", links)):
        if path is not None and not path.is_file():
            fail(f"{option} {path}: the file does not exist")
    if parts is not None and links is None:
        fail("--parts needs --links: which of our suppliers each of our parts comes from.")
    try:
        layout = blank_layout(blank.read_bytes(), name=blank.name)
        scope = None
        if parts is not None:
            part_list = read_part_list(parts.read_bytes(), parts.name)
            supplier_links = read_supplier_links(links.read_bytes(), links.name)
            for problem in (*part_list.problems, *supplier_links.problems):
                errors.print(f"[yellow]Left out:[/] {escape(str(problem))}")
            scope = customer_product_scope(part_list.parts, supplier_links.suppliers_of)
    except OretraceError as error:
        fail(str(error))
    inquiry = read_inquiry(
        folders,
        settings_path,
        output=output.parent,
        facilities=facilities,
        workers=workers,
        also_skip=[blank, parts, links, output],
    )
    settings = inquiry.settings
    try:
        if scope is not None:
            derivation = derive_declaration(
                inquiry.rollup,
                settings.declaration,
                products=scope,
                layout=layout,
                minerals=settings.minerals,
            )
        else:
            # The figures `oretrace report` declares (risk.assess counts them the same way).
            figures = survey_figures(inquiry.survey, today=inquiry.as_of)
            derivation = company_derivation(
                inquiry.rollup, settings, figures.surveyed, figures.responded, layout
            )
        data = write_declaration(blank.read_bytes(), derivation.declaration, name=blank.name)
    except OretraceError as error:
        fail(str(error))
    print_derivation(out, derivation)
    for note in inquiry.notes:
        errors.print(f"[yellow]Note:[/] {escape(note)}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    level = f"for {plural(len(scope.products), 'part number')}" if scope else "at company level"
    out.print(f"Wrote {output}: our {layout.kind} {level}, in {blank.name}")
