"""What ``oretrace report`` writes: the roll-up, our CMRT, the report, Form SD, the risk summary and the
evidence package, all from one roll-up and one survey, with the readiness check printed before."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from oretrace.batteries.inputs import BatteryInputs
from oretrace.batteries.report import render_battery_report
from oretrace.cli.report_settings import ReportSettings
from oretrace.declaration import Derivation, apply_overrides, derive_declaration
from oretrace.errors import BadInput
from oretrace.evidence import NamedFile, SupplierFile, build_evidence_package
from oretrace.reports import ReportInputs, render
from oretrace.reports.readiness import readiness
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.risk import RiskAssessment, render_summary
from oretrace.risk.actions import proposed_register
from oretrace.rmi.layouts import Layout
from oretrace.rmi.writer import blank_layout, write_declaration
from oretrace.rollup.changes import YearChanges
from oretrace.rollup.export import write_xlsx
from oretrace.rollup.model import Rollup
from oretrace.survey import Survey


def company_derivation(
    rollup: Rollup, settings: ReportSettings, surveyed: int, responded: int, layout: Layout
) -> Derivation:
    """Our company-level template derived from the roll-up, the settings' overrides applied: what
    ``oretrace report`` writes and what ``oretrace customers answer`` sends a customer at company level."""
    derivation = derive_declaration(
        rollup,
        settings.declaration,
        surveyed=surveyed,
        responded=responded,
        layout=layout,
        minerals=settings.minerals,
    )
    if settings.overrides:
        derivation = apply_overrides(derivation, settings.overrides, note=settings.override_note)
    return derivation


def write_outputs(
    console: Console,
    errors: Console,
    settings: ReportSettings,
    rollup: Rollup,
    survey: Survey,
    files: list[Path],
    output: Path,
    risk: RiskAssessment,
    facilities: Path | None = None,
    blank: Path | None = None,
    changes: YearChanges | None = None,
) -> list[Path]:
    figures = risk.survey
    blank = blank or settings.blank_cmrt
    layout = own_template_layout(blank, rollup, given=blank != settings.blank_cmrt)
    derivation = company_derivation(rollup, settings, figures.surveyed, figures.responded, layout)
    print_derivation(console, derivation)
    unreadable = [s for s in rollup.suppliers if not s.readable]
    for supplier in unreadable:
        errors.print(f"[yellow]{escape(supplier.file_name)}[/]: {escape(supplier.read_error_message or '')}")

    output.mkdir(parents=True, exist_ok=True)
    written = [write_xlsx(rollup, output / "rollup.xlsx")]
    company_cmrt = output / f"company-{layout.kind.lower()}.xlsx"
    company_cmrt.write_bytes(write_declaration(blank.read_bytes(), derivation.declaration, name=blank.name))
    written.append(company_cmrt)

    inputs = ReportInputs(
        organisation=settings.organisation,
        year=settings.year,
        company_overview=settings.company_overview,
        products_overview=settings.products_overview,
        supply_chain=settings.supply_chain,
        survey=figures,
        rollup=rollup,
        conclusion=settings.conclusion,
        sections=settings.sections,
        previous_years=settings.previous_years,
        cahra_list=settings.cahra.name if settings.cahra else None,
        changes=changes,
    )
    _print_readiness(console, readiness(inputs, today=risk.as_of))
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
    reports += _write_battery_report(errors, settings, inputs, layout.kind, output, no_pdf, risk)
    written += reports
    risk_files = _write_risk(risk, settings, output, no_pdf)
    written += risk_files
    reference_files = _reference_files(settings, facilities)
    if blank != settings.blank_cmrt:
        reference_files.append(NamedFile(blank.name, blank, f"the blank {layout.kind} filled in"))

    evidence = output / "evidence.zip"
    build_evidence_package(
        evidence,
        supplier_files=[SupplierFile(p.name, p, {"path": str(p)}) for p in files],
        rollup=rollup,
        reference_data=reference_files,
        declaration_files=[
            NamedFile(company_cmrt.name, company_cmrt, f"our {layout.kind} as derived and confirmed")
        ],
        report_files=[NamedFile(p.name, p) for p in [*reports, *risk_files]],
        risk_register=proposed_register(risk, opened=dt.date.today()),
        survey=survey,
        organisation=settings.organisation.name,
        year=settings.year,
        created=rollup.generated_at,
        today=risk.as_of,
    )
    written.append(evidence)
    return written


# The inquiries the battery due-diligence report covers: their cobalt, lithium, nickel and graphite.
BATTERY_KINDS = ("EMRT", "CRT")


def _write_battery_report(
    errors: Console,
    settings: ReportSettings,
    inputs: ReportInputs,
    kind: str,
    output: Path,
    no_pdf,
    risk: RiskAssessment,
) -> list[Path]:
    """battery-due-diligence-report.html, .docx and .pdf of an EMRT or CRT inquiry, from the same
    inputs as the Conflict Minerals Report and the [batteries] settings. A folder of files keeps no
    risk register, so the report states no action tagged with an Annex X category; the red flags the
    risk assessment raises from the data per Annex X category it cites."""
    if kind not in BATTERY_KINDS:
        return []
    battery = BatteryInputs(report=inputs, settings=settings.batteries, risk=risk)
    written = []
    for fmt in ("html", "docx", "pdf"):
        if fmt == "pdf" and no_pdf:
            continue  # said once already, for the Conflict Minerals Report
        path = output / f"battery-due-diligence-report.{fmt}"
        path.write_bytes(render_battery_report(battery, fmt, sources=False))
        written.append(path)
    return written


def own_template_layout(blank: Path, rollup: Rollup, *, given: bool) -> Layout:
    """The layout of the blank template our declaration fills in: of the kind of the supplier files.

    A blank passed on the command line (``given``) is used whatever the files are; the settings' blank
    must be of the kind most of the files are, or the command says which template to pass.
    """
    layout = blank_layout(blank.read_bytes(), name=blank.name)
    kinds = Counter(s.kind for s in rollup.readable_suppliers if s.kind)
    if given or not kinds or layout.kind in kinds:
        return layout
    kind, count = kinds.most_common(1)[0]
    raise BadInput(
        f"{count} of the supplier files are the {kind}, none the {layout.kind}, but the blank template "
        f"{blank.name} is the {layout.kind}: pass RMI's blank {kind} with --blank "
        "(or set reference.blank_template)."
    )


def _print_readiness(console: Console, items) -> None:
    """What would make a sentence of the report weak, before it is filed (reports.readiness)."""
    if not items:
        console.print("[green]Ready to file:[/] nothing in the data or the settings weakens the report.")
        return
    table = Table(title="Before filing: what the report will have to say, or is missing")
    table.add_column("")
    table.add_column("What")
    table.add_column("Where to fix it")
    for item in items:
        mark = "[bold red]blocks[/]" if item.severity == "blocks" else "[yellow]weakens[/]"
        table.add_row(mark, escape(item.message), WHERE_IN_SETTINGS.get(item.where.split(":")[0], item.where))
    console.print(table)


# Where a readiness item is fixed when the report is made from a folder and a settings file.
WHERE_IN_SETTINGS = {
    "requests": "the suppliers: ask them, or list them under campaign.suppliers",
    "unidentified": "rollup.xlsx, sheet Unidentified",
    "reference": "reference.status_lists",
    "cahra": "reference.cahra",
    "organisation": "[organisation]",
    "report-settings": "campaign.suppliers",
    "files": "the supplier files listed above",
}


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


def _reference_files(settings: ReportSettings, facilities: Path | None = None) -> list[NamedFile]:
    files = [
        NamedFile(settings.reference.name, settings.reference, "smelter reference list (Smelter Look-up)")
    ]
    if facilities is not None:
        files.append(
            NamedFile(
                facilities.name, facilities, "facilities RMI does not list, added by hand (--facilities)"
            )
        )
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


def print_derivation(console: Console, derivation: Derivation) -> None:
    kind = derivation.kind
    table = Table(title=escape(f"Our {kind}: derived answers (change any under [declaration.overrides])"))
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
            end_section=metal == derivation.minerals[-1] and question != derivation.questions[-1],
        )
        previous = question
    console.print(table)
    if derivation.company_answers:
        _print_company_answers(console, derivation)
    for note in derivation.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}")
    missing = derivation.missing()
    if missing:
        console.print(
            f"[yellow]Not answered, and the {kind} Checker will count them missing:[/] {', '.join(missing)}"
        )


def _print_company_answers(console: Console, derivation: Derivation) -> None:
    """Our EMRT's or CRT's company questions, each with where its answer came from."""
    kind = derivation.kind
    table = Table(
        title=escape(f"Our {kind}: company questions ([declaration.{kind.lower()}_company_questions])")
    )
    table.add_column("Question")
    table.add_column("Mineral")
    table.add_column("Answer")
    table.add_column("Why")
    for answer in derivation.company_answers:
        table.add_row(
            answer.question,
            answer.metal,
            escape(answer.answer or "") or "[dim](blank)[/]",
            escape(answer.reason),
        )
    console.print(table)
