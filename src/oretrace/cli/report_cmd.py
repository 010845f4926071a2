"""``oretrace report FOLDER --settings oretrace.toml -o out/``: the year's documents without the server.

From a folder of supplier CMRTs and one settings file it writes the roll-up, the company's own CMRT
(derived, shown for confirmation, and filled into the blank template the user supplies), the Conflict
Minerals Report, the Form SD draft and the evidence package for auditors.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from oretrace.cli import app
from oretrace.declaration import (
    CompanyBlock,
    DeclarationSettings,
    Derivation,
    apply_overrides,
    derive_declaration,
)
from oretrace.declaration.derive import METALS, QUESTIONS
from oretrace.errors import BadInput, OretraceError
from oretrace.evidence import NamedFile, SupplierFile, build_evidence_package
from oretrace.reports import (
    CONCLUSIONS,
    SECTIONS,
    CampaignFigures,
    Organisation,
    ReportInputs,
    SupplyChainFigures,
    YearFigures,
    render,
)
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.risk import RiskAssessment, assess, render_summary, suggested_actions
from oretrace.rmi.writer import write_declaration
from oretrace.rollup.analyse import AnalysisSettings, analyse_many, template_files
from oretrace.rollup.cahra import read_country_file
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from oretrace.rollup.export import write_xlsx
from oretrace.rollup.model import Rollup
from oretrace.smelters import read_status_list, read_v2_translation, reference_from_template, status_history

EXAMPLE_SETTINGS = f"""\
# Settings for `oretrace report FOLDER --settings oretrace.toml -o out/`.
# Paths are relative to this file. Keys marked (required) must be present; the rest may be left out.

year = 2025                          # (required) the calendar year reported on
# (required) what the reasonable country of origin inquiry concluded, one of:
{chr(10).join(f"#   {key:<25} {c.label}" for key, c in CONCLUSIONS.items())}
conclusion = "origin-undetermined"

[organisation]                       # who files the report (the Form SD cover page)
name = "Norland Instruments, Inc."   # (required)
website = "www.norland.example"
policy_url = "www.norland.example/conflict-minerals"
address = "400 Harbor Drive, Portland, OR 97201"
state_of_incorporation = "Delaware"
commission_file_number = "001-34567"
irs_employer_id = "93-1234567"
contact = "Jane Doe, General Counsel, (503) 555-0100"
signatory_name = "Jane Doe"
signatory_title = "General Counsel"

[company]                            # the company block of our own CMRT (Declaration D8-D22)
# name = "Norland Instruments, Inc." # default: organisation.name
contact_name = "Jane Doe"            # (required)
contact_email = "jane.doe@norland.example"   # (required)
contact_phone = "+1 503 555 0100"    # (required)
authorizer_name = "John Roe"         # (required)
authorizer_email = "john.roe@norland.example" # (required)
authorizer_title = "General Counsel"
authorizer_phone = "+1 503 555 0101"
unique_id = "123456789"
unique_id_authority = "DUNS"
address = "400 Harbor Drive, Portland, OR 97201"
effective_date = 2026-05-01          # default: today
scope = "A"                          # A (company) or C (user defined, then scope_description)
# scope_description = "All products of the Instruments division"

[company_questions]                  # (required) CMRT questions A-H, answered as the template words them
A = "Yes"                            # responsible minerals sourcing policy?
B = "Yes"                            # policy public on the website? (Yes needs policy_url below)
C = "Yes"                            # require suppliers to source from audited smelters?
D = "Yes"                            # due diligence measures implemented?
E = "Yes, in conformance with IPC1755 (e.g., CMRT)"  # or "Yes, using other format (describe)", "No"
F = "Yes"                            # review suppliers' due diligence information?
G = "Yes"                            # corrective action management?
H = "Yes, with the SEC"              # or "Yes, with the EU", "Yes, with the SEC and the EU", "No"

# [company_question_comments]        # comments written beside the answers (column G)
# E = "CMRT 6.5 sent to all suppliers of parts containing 3TG"

[declaration]                        # how Q1-Q8 of our CMRT are derived
policy_url = "https://www.norland.example/conflict-minerals"  # written beside question B
include_unidentified = false         # list smelter names no reference facility matched
# override_note = "confirmed with procurement on 2026-04-20"
# [declaration.overrides]            # change any derived answer; the derivation table shows why
# Tin = {{ Q7 = "Yes" }}

[campaign]                           # the survey behind the report
surveyed = 260                       # (required) suppliers asked to complete a CMRT
# responded = 250                    # default: the supplier files that could be read
reminders_sent = 412
follow_ups_sent = 57
corrections_received = 41

[supply_chain]
direct_suppliers = 4                 # (required)
indirect_suppliers = 256             # (required)

[reference]                          # the data the smelters are checked against
template = "RMI_CMRT_6.5.xlsx"       # (required) an RMI template whose Smelter Look-up is the reference
# blank_cmrt = "RMI_CMRT_6.5.xlsx"   # the blank CMRT 6.x to fill in; default: the reference template
# cahra = "eu-cahra.csv"             # conflict-affected and high-risk areas: text, CSV or XLSX
# v2_table = "cfsi-v2-to-cid.csv"    # CFSI v2 smelter IDs to CIDs, for files from 2014

[[reference.status_lists]]           # RMI facility lists with audit statuses; repeat for each list
path = "rmap-facilities-2026-01-15.csv"
date = 2026-01-15                    # (required) the day the list was downloaded

[narrative]                          # the report's own words
company_overview = "Norland Instruments designs and sells test and measurement instruments."  # (required)
products_overview = "Oscilloscopes, signal analysers and calibration equipment."  # (required)
# [narrative.sections]               # replace any default text; placeholders such as {{surveyed}} are filled
{chr(10).join(f"# {spec.key} = " + chr(34) + "..." + chr(34) for spec in SECTIONS)}

# [[previous_years]]                 # earlier years for the year-over-year comparison; repeat per year
# year = 2024
# surveyed = 255
# responded = 230
# smelters_identified = 43
# conformant_smelters = 36
# covered_country_smelters = 1
"""


@dataclass(frozen=True)
class ReportSettings:
    source: Path
    year: int
    conclusion: str
    organisation: Organisation
    declaration: DeclarationSettings
    overrides: dict[str, dict[str, str]]
    override_note: str | None
    surveyed: int
    responded: int | None
    reminders_sent: int
    follow_ups_sent: int
    corrections_received: int
    supply_chain: SupplyChainFigures
    reference: Path
    blank_cmrt: Path
    status_lists: tuple[tuple[Path, dt.date], ...]
    cahra: Path | None
    v2_table: Path | None
    company_overview: str
    products_overview: str
    sections: dict[str, str] = field(default_factory=dict)
    previous_years: tuple[YearFigures, ...] = ()

    def input_paths(self) -> set[Path]:
        paths = {self.reference, self.blank_cmrt, *(p for p, _ in self.status_lists)}
        return {p.resolve() for p in paths}


class _Section:
    """One table of the settings file, read key by key, so that every error names the key to fix."""

    def __init__(self, values: Any, name: str, base: Path):
        if not isinstance(values, dict):
            raise BadInput(f"{name} must be a table ([{name}]), not {_kind(values)}")
        self.values, self.name, self.base, self.used = values, name, base.resolve(), set()

    def key(self, key: str) -> str:
        return f"{self.name}.{key}" if self.name else key

    def get(
        self, key: str, kind: type | tuple[type, ...], *, required: bool = False, default: Any = None
    ) -> Any:
        self.used.add(key)
        if key not in self.values:
            if required:
                raise BadInput(f"{self.key(key)} is missing")
            return default
        value = self.values[key]
        # TOML has no "integer that is not a boolean"; True must not pass for a count.
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise BadInput(f"{self.key(key)} must be {_kind_name(kind)}, not {_kind(value)} {value!r}")
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise BadInput(f"{self.key(key)} cannot be negative ({value})")
        return value

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.get(key, str, required=required, default=default)
        if required and not (value or "").strip():
            raise BadInput(f"{self.key(key)} is empty")
        return value

    def path(self, key: str, *, required: bool = False) -> Path | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        path = (self.base / value).expanduser()
        if not path.is_file():
            raise BadInput(f"{self.key(key)}: the file {path} does not exist")
        return path

    def section(self, key: str, *, required: bool = False) -> _Section:
        self.used.add(key)
        if key not in self.values and required:
            raise BadInput(f"[{self.key(key)}] is missing")
        return _Section(self.values.get(key, {}), self.key(key), self.base)

    def done(self) -> None:
        unknown = sorted(set(self.values) - self.used)
        if unknown:
            raise BadInput(f"unknown setting(s) {', '.join(self.key(k) for k in unknown)}")


def read_settings(path: Path) -> ReportSettings:
    """The settings file, checked key by key; a BadInput naming the file and the key otherwise."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise BadInput(
            f"The settings file {path} does not exist (oretrace report --example-settings prints one)"
        ) from None
    except OSError as error:
        raise BadInput(f"The settings file {path} cannot be read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"not valid TOML: {error}", file=str(path)) from None
    try:
        return _settings(_Section(data, "", path.parent), path)
    except BadInput as error:
        raise BadInput(error.message, file=str(path)) from None


def _settings(root: _Section, path: Path) -> ReportSettings:
    year = root.get("year", int, required=True)
    conclusion = root.text("conclusion", required=True)
    if conclusion not in CONCLUSIONS:
        raise BadInput(f"conclusion {conclusion!r} is not one of {', '.join(CONCLUSIONS)}")

    section = root.section("organisation", required=True)
    organisation = Organisation(
        name=section.text("name", required=True),
        **{
            key: section.text(key)
            for key in (
                "website",
                "policy_url",
                "address",
                "state_of_incorporation",
                "commission_file_number",
                "irs_employer_id",
                "contact",
                "signatory_name",
                "signatory_title",
            )
        },
    )
    section.done()

    section = root.section("company", required=True)
    company = CompanyBlock(
        name=section.text("name", default=organisation.name),
        **{
            key: section.text(key, required=True)
            for key in (
                "contact_name",
                "contact_email",
                "contact_phone",
                "authorizer_name",
                "authorizer_email",
            )
        },
        **{
            key: section.text(key)
            for key in ("authorizer_title", "authorizer_phone", "unique_id", "unique_id_authority", "address")
        },
        effective_date=_date(section, "effective_date"),
        scope=section.text("scope", default="A"),
        scope_description=section.text("scope_description"),
    )
    section.done()

    questions = root.section("company_questions", required=True)
    answers = {key: questions.get(key, str) for key in list(questions.values)}
    comments_section = root.section("company_question_comments")
    comments = {key: comments_section.get(key, str) for key in list(comments_section.values)}
    section = root.section("declaration")
    include_unidentified = section.get("include_unidentified", bool, default=False)
    policy_url = section.text("policy_url", default=organisation.policy_url)
    override_note = section.text("override_note")
    overrides_section = section.section("overrides")
    overrides = {}
    for metal in list(overrides_section.values):
        per_metal = overrides_section.section(metal)
        overrides[metal] = {q: per_metal.get(q, str) for q in list(per_metal.values)}
    section.done()
    declaration = DeclarationSettings(
        company=company,
        company_questions=answers,
        policy_url=policy_url,
        company_question_comments=comments,
        include_unidentified=include_unidentified,
    )

    campaign = root.section("campaign", required=True)
    surveyed = campaign.get("surveyed", int, required=True)
    responded = campaign.get("responded", int)
    counts = {key: campaign.get(key, int, default=0) for key in ("reminders_sent", "follow_ups_sent")}
    corrections = campaign.get("corrections_received", int, default=0)
    campaign.done()
    chain = root.section("supply_chain", required=True)
    supply_chain = SupplyChainFigures(
        direct_suppliers=chain.get("direct_suppliers", int, required=True),
        indirect_suppliers=chain.get("indirect_suppliers", int, required=True),
    )
    chain.done()

    section = root.section("reference", required=True)
    reference = section.path("template", required=True)
    blank = section.path("blank_cmrt") or reference
    cahra = section.path("cahra")
    v2_table = section.path("v2_table")
    lists = section.get("status_lists", list, default=[])
    status_lists = []
    for number, item in enumerate(lists, start=1):
        entry = _Section(item, f"reference.status_lists[{number}]", section.base)
        status_lists.append((entry.path("path", required=True), _date(entry, "date", required=True)))
        entry.done()
    section.done()

    section = root.section("narrative", required=True)
    company_overview = section.text("company_overview", required=True)
    products_overview = section.text("products_overview", required=True)
    texts = section.section("sections")
    known = {spec.key for spec in SECTIONS}
    unknown = sorted(set(texts.values) - known)
    if unknown:
        raise BadInput(
            f"unknown narrative section(s) {', '.join('narrative.sections.' + k for k in unknown)}; "
            f"the sections are {', '.join(sorted(known))}"
        )
    sections = {key: texts.get(key, str) for key in list(texts.values)}
    section.done()

    previous = []
    for number, item in enumerate(root.get("previous_years", list, default=[]), start=1):
        entry = _Section(item, f"previous_years[{number}]", root.base)
        previous.append(
            YearFigures(
                year=entry.get("year", int, required=True),
                surveyed=entry.get("surveyed", int, required=True),
                responded=entry.get("responded", int, required=True),
                smelters_identified=entry.get("smelters_identified", int, required=True),
                conformant_smelters=entry.get("conformant_smelters", int, required=True),
                covered_country_smelters=entry.get("covered_country_smelters", int),
            )
        )
        entry.done()
    root.done()
    return ReportSettings(
        source=path,
        year=year,
        conclusion=conclusion,
        organisation=organisation,
        declaration=declaration,
        overrides=overrides,
        override_note=override_note,
        surveyed=surveyed,
        responded=responded,
        reminders_sent=counts["reminders_sent"],
        follow_ups_sent=counts["follow_ups_sent"],
        corrections_received=corrections,
        supply_chain=supply_chain,
        reference=reference,
        blank_cmrt=blank,
        status_lists=tuple(status_lists),
        cahra=cahra,
        v2_table=v2_table,
        company_overview=company_overview,
        products_overview=products_overview,
        sections=sections,
        previous_years=tuple(previous),
    )


def _date(section: _Section, key: str, *, required: bool = False) -> dt.date | None:
    value = section.get(key, (dt.date, str), required=required)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise BadInput(f"{section.key(key)} {value!r} is not a date like 2026-01-15") from None
    return value


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}
_KIND_NAMES[dt.date] = "a date like 2026-01-15"


def _kind_name(kind: type | tuple[type, ...]) -> str:
    return " or ".join(
        _KIND_NAMES.get(k, k.__name__) for k in _tuple(kind) if k is not str or len(_tuple(kind)) == 1
    )


def _kind(value: Any) -> str:
    for kind, name in (
        (bool, "true/false"),
        (int, "a number"),
        (float, "a number"),
        (str, "text"),
        (list, "a list"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return name
    return type(value).__name__


# --- the command ----------------------------------------------------------------------------------


def fail(message: str) -> None:
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
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
) -> None:
    """Write the year's documents from a folder of supplier CMRTs and a settings file.

    Into the output folder: rollup.xlsx, company-cmrt.xlsx (our own CMRT),
    conflict-minerals-report.htm, .docx and .pdf, form-sd.htm and .docx,
    and evidence.zip for the auditors.

    Our CMRT's answers are derived from the suppliers' files and printed with
    the reason for each; to change one, add it under \\[declaration.overrides]
    in the settings file and run again. Start from --example-settings.
    """
    console = Console()
    errors = Console(stderr=True)
    if example_settings:
        typer.echo(EXAMPLE_SETTINGS, nl=False)
        return
    if settings_path is None:
        fail("Give the settings file with --settings (oretrace report --example-settings prints one).")
    if not folders:
        fail("Give the folder of supplier CMRTs (or the files) to report on.")
    try:
        settings = read_settings(settings_path)
        analysis = AnalysisSettings(
            reference=reference_from_template(settings.reference),
            v2=read_v2_translation(settings.v2_table) if settings.v2_table else None,
            statuses=status_history(read_status_list(p, as_of=d) for p, d in settings.status_lists),
            reporting_year=settings.year,
        )
        cahra = CountryList(read_country_file(settings.cahra)) if settings.cahra else CountryList()
    except OretraceError as error:
        fail(str(error))
    for folder in folders:
        if not folder.exists():
            fail(f"{folder} does not exist")
    skip = settings.input_paths()
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
    rollup = build_rollup(
        analyses,
        statuses=analysis.statuses,
        as_of=dt.date.today(),
        cahra=cahra,
        reference_release=analysis.reference.release,
    )
    try:
        risk = assess(rollup, statuses=analysis.statuses, as_of=dt.date.today(), cahra=cahra)
        written = _write_outputs(console, errors, settings, rollup, files, output, risk)
    except OretraceError as error:
        fail(str(error))
    console.print("Wrote " + ", ".join(str(p) for p in written))


def _write_outputs(
    console: Console,
    errors: Console,
    settings: ReportSettings,
    rollup: Rollup,
    files: list[Path],
    output: Path,
    risk: RiskAssessment,
) -> list[Path]:
    readable = len(rollup.readable_suppliers)
    responded = readable if settings.responded is None else settings.responded
    # Checked here rather than by ReportInputs so the message names the settings key to change.
    if responded > settings.surveyed:
        raise BadInput(
            f"campaign.surveyed is {settings.surveyed} but {responded} suppliers responded "
            f"({'campaign.responded' if settings.responded is not None else 'readable files in the folder'})",
            file=str(settings.source),
        )
    derivation = derive_declaration(
        rollup, settings.declaration, surveyed=settings.surveyed, responded=responded
    )
    if settings.overrides:
        derivation = apply_overrides(derivation, settings.overrides, note=settings.override_note)
    _print_derivation(console, derivation)
    unreadable = [s for s in rollup.suppliers if not s.readable]
    for supplier in unreadable:
        errors.print(f"[yellow]{escape(supplier.file_name)}[/]: {escape(supplier.read_error_message or '')}")

    output.mkdir(parents=True, exist_ok=True)
    written = [write_xlsx(rollup, output / "rollup.xlsx")]
    company_cmrt = output / "company-cmrt.xlsx"
    company_cmrt.write_bytes(
        write_declaration(
            settings.blank_cmrt.read_bytes(), derivation.declaration, name=settings.blank_cmrt.name
        )
    )
    written.append(company_cmrt)

    inputs = ReportInputs(
        organisation=settings.organisation,
        year=settings.year,
        company_overview=settings.company_overview,
        products_overview=settings.products_overview,
        supply_chain=settings.supply_chain,
        campaign=CampaignFigures(
            surveyed=settings.surveyed,
            responded=responded,
            reminders_sent=settings.reminders_sent,
            follow_ups_sent=settings.follow_ups_sent,
            corrections_received=settings.corrections_received,
        ),
        rollup=rollup,
        conclusion=settings.conclusion,
        sections=settings.sections,
        previous_years=settings.previous_years,
    )
    reports = []
    no_pdf = pdf_unavailable()
    for document, stem, formats in (
        ("cmr", "conflict-minerals-report", ("html", "docx", "pdf")),
        ("form-sd", "form-sd", ("html", "docx")),
    ):
        for fmt in formats:
            if fmt == "pdf" and no_pdf:
                errors.print(f"[yellow]No PDF written:[/] {escape(no_pdf)}")
                continue
            # The filed copy: without the review notes naming each figure's source. EDGAR accepts .htm only.
            path = output / f"{stem}{'.htm' if fmt == 'html' else '.' + fmt}"
            path.write_bytes(render(inputs, fmt, document=document, sources=False))
            reports.append(path)
    written += reports
    risk_files = _write_risk(risk, settings, output, no_pdf)
    written += risk_files

    evidence = output / "evidence.zip"
    build_evidence_package(
        evidence,
        supplier_files=[SupplierFile(p.name, p, {"path": str(p)}) for p in files],
        rollup=rollup,
        reference_data=_reference_files(settings),
        declaration_files=[NamedFile(company_cmrt.name, company_cmrt, "our CMRT as derived and confirmed")],
        report_files=[NamedFile(p.name, p) for p in [*reports, *risk_files]],
        risk_register=_register_rows(risk, opened=dt.date.today()),
        organisation=settings.organisation.name,
        year=settings.year,
        created=rollup.generated_at,
    )
    written.append(evidence)
    return written


def _write_risk(
    risk: RiskAssessment, settings: ReportSettings, output: Path, no_pdf: str | None
) -> list[Path]:
    """The one-page summary for senior management, as HTML, XLSX and (when possible) PDF."""
    written = []
    for fmt in ("html", "xlsx") if no_pdf else ("html", "pdf", "xlsx"):
        path = output / f"risk-summary.{fmt}"
        path.write_bytes(
            render_summary(risk, fmt, organisation=settings.organisation.name, year=settings.year)
        )
        written.append(path)
    return written


def _register_rows(risk: RiskAssessment, *, opened: dt.date) -> list[dict]:
    """The standard corrective action for every red flag: the register an analyst starts from."""
    rows = []
    for action in suggested_actions(risk):
        row = action.as_dict()
        row.update(opened=opened.isoformat(), due=action.due_on(opened).isoformat(), status="proposed")
        rows.append(row)
    return rows


def _reference_files(settings: ReportSettings) -> list[NamedFile]:
    files = [
        NamedFile(settings.reference.name, settings.reference, "smelter reference list (Smelter Look-up)")
    ]
    if settings.blank_cmrt != settings.reference:
        files.append(NamedFile(settings.blank_cmrt.name, settings.blank_cmrt, "the blank CMRT filled in"))
    files += [
        NamedFile(p.name, p, f"audit-status list as of {d.isoformat()}") for p, d in settings.status_lists
    ]
    if settings.cahra:
        files.append(NamedFile(settings.cahra.name, settings.cahra, "conflict-affected and high-risk areas"))
    if settings.v2_table:
        files.append(NamedFile(settings.v2_table.name, settings.v2_table, "CFSI v2 ID translation"))
    return files


def _print_derivation(console: Console, derivation: Derivation) -> None:
    table = Table(title=escape("Our CMRT: derived answers (change any under [declaration.overrides])"))
    table.add_column("Question")
    table.add_column("Metal")
    table.add_column("Answer")
    table.add_column("Why")
    previous = None
    for question, metal, answer, reason in derivation.table():
        style = "bold yellow" if derivation.answer(metal, question).changed else None
        table.add_row(
            question if question != previous else "",
            metal,
            escape(answer) or "[dim](blank)[/]",
            escape(reason),
            style=style,
            end_section=metal == METALS[-1] and question != QUESTIONS[-1],
        )
        previous = question
    console.print(table)
    for note in derivation.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")
    missing = derivation.missing()
    if missing:
        console.print(
            f"[yellow]Not answered, and the CMRT Checker will count them missing:[/] {', '.join(missing)}"
        )
