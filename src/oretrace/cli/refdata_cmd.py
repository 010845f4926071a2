"""``oretrace refdata import FILE --kind …``: read a published list, say what it holds, and (with
``--into``) put it into the folder the web application's ``import_refdata`` worker imports from."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from oretrace.cli import app
from oretrace.refdata import FOLDER_HELP, ListKind

refdata_app = typer.Typer(
    name="refdata",
    help="Reference lists: RMI facility lists, template reference lists, LBMA, RJC and sanctions lists.",
    no_args_is_help=True,
)
app.add_typer(refdata_app)


def _fail(message: str, status: int) -> None:
    from rich.markup import escape

    from oretrace.cli.status import console

    console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(status)


@refdata_app.command(
    "import",
    help=f"""Read FILE as a list of KIND and report what it holds.

With --into FOLDER the list is also put into FOLDER under a name that declares it, beside a sidecar
FILE.json, for the web application's worker (`import_refdata FOLDER`) to import once. {FOLDER_HELP}

Exit status: 0 when the list was read; 17 when it is not a list of that kind (the reason is
printed); 2 when the command was used wrongly.""",
)
def import_list(
    file: Path = typer.Argument(..., help="The list as its publisher offers it (CSV, XLSX or XML)."),
    kind: ListKind = typer.Option(..., "--kind", "-k", help="Which list it is."),
    status: str | None = typer.Option(
        None,
        "--status",
        help="For an RMI facility list without a status column: the status every facility on it holds "
        "(Conformant, Active, ...). The Conformant and Active pages imply theirs.",
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The day the list was published or downloaded (YYYY-MM-DD); default: the day the file "
        "states, else today.",
    ),
    into: Path | None = typer.Option(None, "--into", help="The import folder to put the list in."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
) -> None:
    from oretrace.errors import OretraceError
    from oretrace.refdata import parse_declared_status, place_in_folder, read_list

    day = None
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            _fail(f'--as-of "{as_of}" is not a day written YYYY-MM-DD.', 2)
    try:
        listed = read_list(file, kind=kind, status=parse_declared_status(status), as_of=day)
        placed = place_in_folder(into, file.read_bytes(), listed) if into else None
    except OretraceError as error:
        _fail(str(error), error.exit_status)
    except OSError as error:
        _fail(f"{into}: the list cannot be written there ({error.strerror}).", 2)
    _report(listed, placed, as_json)


def _report(listed, placed: Path | None, as_json: bool) -> None:
    from oretrace.cli.status import console

    summary = {
        "kind": listed.kind.value,
        "label": listed.kind.label,
        "publisher": listed.publisher,
        "as_of": listed.as_of.isoformat(),
        "sha256": listed.sha256,
        "file": listed.filename,
        "entries": len(listed.entries),
        "status": listed.declared_status.value if listed.declared_status else None,
        "notes": list(listed.notes),
        "placed": str(placed) if placed else None,
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(f"[bold]{listed.kind.label}[/] ({listed.publisher}) as of {listed.as_of:%Y-%m-%d}")
    out.print(
        f"{len(listed.entries)} {'entry' if len(listed.entries) == 1 else 'entries'} from {listed.filename}, SHA-256 {listed.sha256}"
    )
    for note in listed.notes:
        out.print(f"  note: {note}")
    if placed:
        out.print(f"Put into the import folder as {placed}")


@refdata_app.command(
    "screen",
    help="""Screen NAMES_OR_ROLLUP against the sanctions list FILE of KIND and print each hit with why.

NAMES_OR_ROLLUP is a roll-up as `oretrace rollup` writes it as JSON (its identified facilities and its
suppliers are screened), or a text file of company names, one a line (screened as suppliers). A hit is
an exact match of the normalised names or aliases, or a fuzzy one scoring at least --threshold; whether
it is the sanctioned party is for a person to decide.

Exit status: 0 when nothing was found; 1 when there are hits; 17 when a file is not what it should be
(the reason is printed); 2 when the command was used wrongly.""",
)
def screen_names(
    names_or_rollup: Path = typer.Argument(..., help="A roll-up JSON, or a text file of names."),
    list_file: Path = typer.Option(
        ..., "--list", "-l", help="The sanctions list as its publisher offers it."
    ),
    kind: ListKind = typer.Option(..., "--kind", "-k", help="Which sanctions list it is."),
    threshold: float = typer.Option(
        90.0, "--threshold", help="The lowest fuzzy score counted a hit (0-100]."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the hits as a JSON list."),
) -> None:
    from oretrace.errors import OretraceError
    from oretrace.refdata import read_list
    from oretrace.refdata.screening import screen

    try:
        subjects = _subjects(names_or_rollup)
        hits = screen(subjects, [read_list(list_file, kind=kind)], threshold)
    except OretraceError as error:
        _fail(str(error), error.exit_status)
    except OSError as error:
        _fail(f"{error.filename}: cannot be read ({error.strerror}).", 2)
    if as_json:
        typer.echo(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2))
    else:
        _print_hits(hits, len(subjects))
    raise typer.Exit(1 if hits else 0)


def _subjects(path: Path):
    from oretrace.errors import BadInput
    from oretrace.refdata.screening import subjects_from_names, subjects_from_rollup

    data = path.read_bytes()
    if path.suffix.lower() == ".json":
        try:
            return subjects_from_rollup(json.loads(data))
        except (ValueError, UnicodeDecodeError):
            raise BadInput("The file is not JSON.", file=path.name) from None
    try:
        return subjects_from_names(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput("The list of names is not UTF-8 text.", file=path.name) from None


def _print_hits(hits, screened: int) -> None:
    from rich.markup import escape

    from oretrace.cli.status import console

    out = console()
    out.print(
        f"{screened} name{'s' if screened != 1 else ''} screened, {len(hits)} hit{'s' if len(hits) != 1 else ''}."
    )
    for hit in hits:
        out.print(f"- {escape(hit.explanation())}")
