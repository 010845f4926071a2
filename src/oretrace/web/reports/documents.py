"""Where the year's documents meet the core: the web's equivalent of ``oretrace report`` (cli/report_cmd.py).

Each function gathers what the core needs from the database (the campaign's survey and roll-up through
campaigns.rollup, the same the dashboard shows; the settings and narrative of the year) and calls the
core; no rule of the declaration, the report or the package is repeated here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from oretrace.batteries.inputs import BatteryInputs
from oretrace.batteries.inputs import RiskAction as BatteryRiskAction
from oretrace.batteries.report import render_battery_report
from oretrace.declaration import Derivation, ProductScope, apply_overrides, derive_declaration
from oretrace.evidence import NamedFile, SupplierFile, build_evidence_package
from oretrace.grievances import GrievanceCase, GrievanceFigures, cases_in_period, grievance_figures
from oretrace.reports import ReportInputs, Source, SupplyChainFigures, YearFigures, render
from oretrace.reports.figures import Facts
from oretrace.reports.readiness import ReadinessItem, readiness
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.rmi.layouts import Layout, layout_for, supported_versions
from oretrace.rmi.model import TemplateKind
from oretrace.rmi.writer import DeclaredProduct, blank_layout, write_declaration
from oretrace.rollup.model import FindingRow
from oretrace.smelters import status_group
from oretrace.tabular import Table, to_csv
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign, Facility, FollowUp, Request, RequestEvent, Submission
from oretrace.web.campaigns.rollup import CampaignRollup, campaign_rollup
from oretrace.web.campaigns.years import year_changes
from oretrace.web.grievances.models import Case as GrievanceRecord
from oretrace.web.reports.models import (
    DeclarationOverride,
    GeneratedDeclaration,
    NarrativeVersion,
    ReportSettings,
)
from oretrace.web.risk.models import RiskAction
from oretrace.web.risk.screening import campaign_decisions
from oretrace.web.suppliers.models import Organisation, Part, Product, SupplierPart, Tier

# The files of the report: (document, format) -> the name it is filed under.
REPORT_FILES = {
    ("cmr", "html"): "conflict-minerals-report.htm",
    ("cmr", "docx"): "conflict-minerals-report.docx",
    ("cmr", "pdf"): "conflict-minerals-report.pdf",
    ("form-sd", "html"): "form-sd.htm",
    ("form-sd", "docx"): "form-sd.docx",
    # The battery due-diligence report (Batteries Regulation Article 52(3)) of an EMRT or CRT inquiry:
    # published on the company's website, not filed on EDGAR, so its HTML is an ordinary .html page.
    ("battery", "html"): "battery-due-diligence-report.html",
    ("battery", "docx"): "battery-due-diligence-report.docx",
    ("battery", "pdf"): "battery-due-diligence-report.pdf",
}
# The templates whose inquiry each document reports on: the CMR and Form SD cover the 3TG of a CMRT; the
# battery report the cobalt, lithium, nickel and graphite an EMRT or CRT asks about.
DOCUMENT_KINDS = {"cmr": ("CMRT",), "form-sd": ("CMRT",), "battery": ("EMRT", "CRT")}


def documents_for(campaign: Campaign) -> list[str]:
    """The documents this campaign's inquiry reports in."""
    return [d for d, kinds in DOCUMENT_KINDS.items() if campaign.template_kind in kinds]


class NoBlankTemplate(Exception):
    """The campaign has no blank template to fill in."""


# --- figures ---------------------------------------------------------------------------------------


def tier_counts(campaign: Campaign) -> dict[str, int]:
    counts = dict(
        Request.objects.filter(campaign=campaign)
        .values_list("supplier__tier")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {tier: counts.get(tier, 0) for tier in Tier.values}


def supply_chain(campaign: Campaign, settings: ReportSettings) -> SupplyChainFigures:
    counted = tier_counts(campaign)
    return SupplyChainFigures(
        direct_suppliers=settings.direct_suppliers
        if settings.direct_suppliers is not None
        else counted[Tier.DIRECT],
        indirect_suppliers=settings.indirect_suppliers
        if settings.indirect_suppliers is not None
        else counted[Tier.INDIRECT],
    )


@dataclass(frozen=True)
class Prepared:
    """A campaign's roll-up with the year's settings: built once per request, used by every document."""

    campaign: Campaign
    settings: ReportSettings
    organisation: Organisation
    built: CampaignRollup

    @property
    def figures(self):
        """The survey's figures (oretrace.survey.Figures), as the dashboard shows them."""
        return self.built.figures


def prepare(campaign: Campaign) -> Prepared:
    return Prepared(
        campaign=campaign,
        settings=ReportSettings.for_year(campaign.reporting_year),
        organisation=Organisation.current(),
        built=campaign_rollup(campaign),
    )


def report_inputs(prepared: Prepared, sections: dict[str, str] | None = None) -> ReportInputs:
    """The core's ReportInputs; ``sections`` replaces the year's saved texts (to check an edit)."""
    settings = prepared.settings
    texts = NarrativeVersion.current_texts(prepared.campaign.reporting_year)
    if sections:
        texts.update(sections)
    return ReportInputs(
        organisation=settings.organisation(prepared.organisation),
        year=prepared.campaign.reporting_year.year,
        company_overview=settings.company_overview,
        products_overview=settings.products_overview,
        supply_chain=supply_chain(prepared.campaign, settings),
        survey=prepared.figures,
        rollup=prepared.built.rollup,
        conclusion=settings.conclusion,
        sections=texts,
        previous_years=settings.year_figures(),
        cahra_list=str(prepared.built.cahra_list) if prepared.built.cahra_list else None,
        grievances=year_grievances(prepared.campaign.reporting_year.year),
        changes=year_changes(prepared.campaign),
    )


def grievance_cases() -> list[GrievanceCase]:
    """Every grievance case as the core counts it, without the reporters' personal data."""
    records = GrievanceRecord.objects.prefetch_related("suppliers", "smelters").order_by("received_at", "pk")
    return [record.as_core_case() for record in records]


def reporting_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def year_grievances(year: int) -> GrievanceFigures:
    """The core's grievance figures of the calendar year, counted up to today while it runs."""
    start, end = reporting_period(year)
    return grievance_figures(grievance_cases(), start, end, today=max(timezone.localdate(), start))


def report_readiness(prepared: Prepared) -> tuple[ReadinessItem, ...]:
    """What would make a sentence of this year's report weak, from the core (reports.readiness)."""
    return readiness(report_inputs(prepared), today=prepared.built.as_of)


def readiness_link(campaign: Campaign, item: ReadinessItem) -> str:
    """The page where a readiness item is fixed (ReadinessItem.where)."""
    place, _, detail = item.where.partition(":")
    if place == "requests":
        return reverse("campaign_requests", args=[campaign.pk]) + (f"?state={detail}" if detail else "")
    if place == "unidentified":
        return reverse("unidentified", args=[campaign.pk])
    if place == "reference":
        return reverse("reference")
    if place == "cahra":
        return reverse("risk_cahra")
    if place in ("organisation", "report-settings"):
        return reverse("report_settings", args=[campaign.pk])
    return reverse("campaign_requests", args=[campaign.pk])


def earlier_years(campaign: Campaign) -> list[dict]:
    """The headline figures of every earlier year that has a campaign of the same template, from the
    data: what the year-over-year comparison is filled with."""
    rows = []
    seen = set()
    earlier = Campaign.objects.filter(
        template_kind=campaign.template_kind, reporting_year__year__lt=campaign.reporting_year.year
    ).select_related("reporting_year")
    for other in earlier.order_by("-reporting_year__year", "-created_at"):
        if other.reporting_year.year in seen:
            continue
        seen.add(other.reporting_year.year)
        figures = year_figures(other)
        rows.append({k: getattr(figures, k) for k in YearFigures.__dataclass_fields__})
    return sorted(rows, key=lambda r: r["year"])


def year_figures(campaign: Campaign) -> YearFigures:
    """One campaign's headline figures as the core's report counts them (Facts.current_year)."""
    prepared = prepare(campaign)
    inputs = ReportInputs(
        organisation=prepared.settings.organisation(prepared.organisation),
        year=campaign.reporting_year.year,
        company_overview="",
        products_overview="",
        supply_chain=SupplyChainFigures(0, 0),
        survey=prepared.figures,
        rollup=prepared.built.rollup,
        conclusion=prepared.settings.conclusion,
    )
    return Facts(inputs).current_year()


# --- our CMRT (EMRT, CRT, AMRT) ------------------------------------------------------------------


def own_layout(campaign: Campaign) -> Layout:
    """The template our declaration is for: the campaign's imported blank (UnsupportedVersion when
    oretrace cannot fill it in); before one is imported, the latest version of the campaign's kind,
    so that the answers can be shown."""
    blank = campaign.blank_template_bytes()
    if blank is not None:
        return blank_layout(blank, name=campaign.blank_template_name or "template")
    kind = TemplateKind(campaign.template_kind)
    return layout_for(kind, supported_versions(kind)[-1])


def derivation(
    prepared: Prepared, *, products: ProductScope | None = None, layout: Layout | None = None
) -> Derivation:
    """Our CMRT's (EMRT's, CRT's, AMRT's) answers with their reasons, for the campaign's template (or
    ``layout``: the version a customer asked for). Company level: the analyst's changes applied, each
    with its own reason; product level: as derived from the linked suppliers' files."""
    settings = prepared.settings.declaration_settings(prepared.organisation)
    layout = layout or own_layout(prepared.campaign)
    # Where the template picks its minerals (EMRT 2.x, AMRT), ours are those the campaign asked about,
    # when the analyst chose them: about the others we asked no supplier and could declare nothing.
    minerals = tuple(prepared.campaign.minerals or ())
    if products is not None:
        return derive_declaration(
            prepared.built.rollup, settings, products=products, layout=layout, minerals=minerals
        )
    derived = derive_declaration(
        prepared.built.rollup,
        settings,
        surveyed=prepared.figures.surveyed,
        responded=prepared.figures.responded,
        layout=layout,
        minerals=minerals,
    )
    for override in DeclarationOverride.objects.filter(campaign=prepared.campaign):
        derived = apply_overrides(
            derived, {override.metal: {override.question: override.answer or None}}, note=override.note
        )
    return derived


def generate(
    prepared: Prepared,
    derived: Derivation,
    *,
    by,
    parts=(),
    suppliers=(),
    blank: tuple[bytes, str] | None = None,
    label: str | None = None,
) -> GeneratedDeclaration:
    """Fill the campaign's imported blank template (or ``blank``: its bytes and name, the version a
    customer asked for) with the declaration and keep the file; ``label`` goes into its name."""
    campaign = prepared.campaign
    if blank is None:
        data = campaign.blank_template_bytes()
        if data is None:
            raise NoBlankTemplate(
                f"This campaign has no blank template to fill in. Import RMI's {campaign.template_kind} on the "
                "campaign's edit page (Blank template), then generate again."
            )
        blank = (data, campaign.blank_template_name or "template")
    data = write_declaration(blank[0], derived.declaration, name=blank[1])
    return GeneratedDeclaration.keep(
        campaign, data, by=by, declaration=derived.declaration, parts=parts, suppliers=suppliers, label=label
    )


@dataclass(frozen=True)
class PartMatch:
    number: str
    name: str
    via: str  # "part", "product" or "" when nothing matched
    suppliers: tuple[str, ...]


def parse_part_numbers(text: str) -> list[str]:
    """Part numbers pasted one a line, or separated by commas, semicolons or tabs (a spreadsheet column)."""
    numbers = []
    for piece in re.split(r"[\n\r,;\t]+", text):
        number = piece.strip()
        if number and number not in numbers:
            numbers.append(number)
    return numbers


def match_parts(numbers: list[str]) -> list[PartMatch]:
    """Each number as our part (its suppliers through SupplierPart) or our product (the suppliers of its
    parts); a number that is neither matches nothing."""
    parts = {p.number: p for p in Part.objects.filter(number__in=numbers)}
    products = {p.number: p for p in Product.objects.filter(number__in=numbers)}
    links = SupplierPart.objects.select_related("supplier", "part")
    by_part: dict[str, set[str]] = {}
    for link in links.filter(part__number__in=numbers):
        by_part.setdefault(link.part.number, set()).add(link.supplier.name)
    by_product: dict[str, set[str]] = {}
    for product_number, supplier in links.filter(part__products__number__in=numbers).values_list(
        "part__products__number", "supplier__name"
    ):
        by_product.setdefault(product_number, set()).add(supplier)
    matches = []
    for number in numbers:
        if number in parts:
            matches.append(
                PartMatch(number, parts[number].description, "part", tuple(sorted(by_part.get(number, ()))))
            )
        elif number in products:
            matches.append(
                PartMatch(number, products[number].name, "product", tuple(sorted(by_product.get(number, ()))))
            )
        else:
            matches.append(PartMatch(number, "", "", ()))
    return matches


def product_scope(matches: list[PartMatch]) -> ProductScope:
    return ProductScope(
        products=tuple(DeclaredProduct(m.number, m.name or None) for m in matches),
        suppliers={m.number: m.suppliers for m in matches if m.suppliers},
    )


# --- the report -----------------------------------------------------------------------------------

# The survey figures the request list can filter on (staff.views.campaign_requests).
REQUEST_FILTERS = (
    "surveyed",
    "responded",
    "returned",
    "declined",
    "accepted",
    "accepted_with_exceptions",
    "under_review",
    "not_responded",
    "overdue",
)


def source_linker(campaign: Campaign) -> Callable[[Source], str | None]:
    """Source keys to the staff pages a reviewer checks a figure on, with the filters that show it."""
    requests = reverse("campaign_requests", args=[campaign.pk])
    settings_page = reverse("report_settings", args=[campaign.pk])

    def link(path: str, **query: str) -> str:
        query = {k: v for k, v in query.items() if v}
        return path + ("?" + urlencode(query) if query else "")

    def url(source: Source) -> str | None:
        params = dict(source.params)
        key = source.key
        if key in ("survey.response_rate", "rollup.suppliers"):
            return link(requests, state="responded")
        if key.startswith("survey.") and key.split(".", 1)[1] in REQUEST_FILTERS:
            return link(requests, state=key.split(".", 1)[1])
        if key.startswith(("survey.", "review.")):
            return requests
        if key.startswith("supply_chain."):
            return settings_page + "#supply-chain"
        if key == "history":
            return settings_page + "#history"
        if key.startswith("grievances."):
            year = campaign.reporting_year.year
            return link(reverse("grievances"), status="all", year=str(year))
        if key == "changes":
            return reverse("campaign_compare", args=[campaign.pk])
        if key == "rollup.reference":
            return reverse("reference")
        if key == "risk.actions":
            status = {"open": "unfinished", "closed": "closed"}.get(params.get("status", ""), "all")
            return link(
                reverse("risk_register", args=[campaign.pk]),
                status=status,
                annex=params.get("category", "any"),
            )
        if key == "risk.flags":
            return link(reverse("risk", args=[campaign.pk]), flag=params.get("flag", ""))
        if key == "settings.turnover":
            return settings_page + "#batteries"
        if key == "rollup.unidentified":
            return link(reverse("unidentified", args=[campaign.pk]), metal=params.get("metal", ""))
        if key == "rollup.mines":  # the smelter page lists the mines below the smelters
            return reverse("smelters", args=[campaign.pk])
        if key == "rollup.smelters":
            status = status_group(params["status"]).value if params.get("status") else ""
            if params.get("conformant") == "yes" or params.get("share") == "conformant":
                status = "conformant"
            return link(
                reverse("smelters", args=[campaign.pk]),
                metal=params.get("metal", ""),
                status=status,
                q=params.get("country", "") if params.get("country") != "Unknown" else "",
            )
        return None

    return url


def battery_inputs(prepared: Prepared) -> BatteryInputs:
    """The core's battery report inputs: the CMR's inputs of the campaign, the year's battery settings,
    the campaign's risk actions tagged with an Annex X category, and its risk assessment (the red flags
    per Annex X category)."""
    from oretrace.web.risk.assessment import campaign_risk

    tagged = RiskAction.objects.filter(campaign=prepared.campaign).exclude(annex_x_category="")
    return BatteryInputs(
        report=report_inputs(prepared),
        settings=prepared.settings.battery_settings(),
        actions=tuple(
            BatteryRiskAction(a.annex_x_category, a.subject_label, a.what, closed=not a.is_open)
            for a in tagged.order_by("pk")
        ),
        risk=campaign_risk(prepared.campaign).assessment,
    )


def render_report(prepared: Prepared, fmt: str, document: str = "cmr", *, preview: bool = False) -> bytes:
    """A filed copy (no source notes), or with ``preview`` the HTML whose figures link to the staff pages."""
    if document == "battery":
        inputs = battery_inputs(prepared)
        if preview:
            return render_battery_report(inputs, "html", source_url=source_linker(prepared.campaign))
        return render_battery_report(inputs, fmt, sources=False)
    inputs = report_inputs(prepared)
    if preview:
        return render(inputs, "html", document=document, source_url=source_linker(prepared.campaign))
    return render(inputs, fmt, document=document, sources=False)


# --- the evidence package ---------------------------------------------------------------------------


def evidence_package(
    prepared: Prepared,
    out: IO[bytes],
    *,
    created: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
):
    """Every file the inquiry rests on, from the database, with the manifest the core writes.

    The stored files are given to the core as paths, read in chunks as they are written: a package
    holds every version of every supplier file and is never in memory whole. ``created`` (default:
    now) is the package's creation time; ``progress(done, total)`` follows the members written."""
    campaign = prepared.campaign
    submissions = list(
        Submission.objects.filter(request__campaign=campaign)
        .select_related("request__supplier")
        .order_by("request__supplier__name", "request_id", "version")
    )
    supplier_files, findings = [], []
    for sub in submissions:
        supplier = sub.request.supplier
        name = f"{supplier.key} v{sub.version} {sub.filename}"
        supplier_files.append(
            SupplierFile(
                name,
                sub.file_path(),
                {
                    "supplier": supplier.name,
                    "supplier number": supplier.key,
                    "version": sub.version,
                    "received": sub.uploaded_at,
                    "uploaded by": sub.uploaded_by_label,
                    "template": f"{sub.template_kind} {sub.template_version}",
                },
            )
        )
        findings += [
            FindingRow(
                file_name=name,
                company_name=supplier.name,
                code=f.get("code") or "",
                severity=f.get("severity") or "",
                mineral=f.get("mineral"),
                sheet=f.get("sheet"),
                cell=f.get("cell"),
                message=f.get("message") or "",
                question=f.get("question"),
            )
            for f in sub.findings
        ]
    no_pdf = pdf_unavailable()
    # Form SD and its Conflict Minerals Report cover the 3TG: an EMRT or CRT inquiry files the battery
    # due-diligence report instead, and an AMRT inquiry none of them.
    reports = [
        NamedFile(name, render_report(prepared, fmt, document))
        for (document, fmt), name in REPORT_FILES.items()
        if not (fmt == "pdf" and no_pdf) and document in documents_for(campaign)
    ]
    declarations = [
        NamedFile(
            g.filename,
            g.file_path(),
            f"our {g.filename.split('-')[0]}, scope {g.scope}, generated by {g.created_by_label} on {g.created_at:%Y-%m-%d %H:%M}",
        )
        for g in GeneratedDeclaration.objects.filter(campaign=campaign).order_by("created_at", "pk")
    ]
    return build_evidence_package(
        out,
        supplier_files=supplier_files,
        findings=findings,
        follow_up_threads=follow_up_threads(campaign),
        reference_data=reference_data(campaign) + cahra_files(prepared.built.cahra_list),
        rollup=prepared.built.rollup,
        risk_register=risk_register(prepared),
        risk_evidence=risk_evidence(campaign),
        declaration_files=declarations,
        report_files=reports,
        survey=prepared.built.survey,
        survey_log=survey_log(campaign),
        request_history=request_history(campaign),
        audit_log=audit_log(campaign),
        grievance_cases=cases_in_period(grievance_cases(), *reporting_period(campaign.reporting_year.year)),
        # Filed once a hit was decided; the decisions are kept per campaign (risk.ScreeningDecision).
        screening_decisions=campaign_decisions(campaign) or None,
        organisation=prepared.organisation.name,
        year=campaign.reporting_year.year,
        created=created or timezone.now().replace(microsecond=0),
        today=prepared.built.as_of,
        progress=progress,
    )


def survey_log(campaign: Campaign) -> list[dict]:
    """Every reminder and escalation queued for the campaign's suppliers: what survey/figures.csv
    counts as reminders sent, each with its dates and whether the mail server took it. An escalation is
    one e-mail to the supplier's escalation contacts ("escalation") and one to our internal owner
    ("escalation-staff")."""
    if not apps.is_installed("oretrace.web.outbox"):
        return []
    from oretrace.web.outbox.models import OutboundEmail

    return [
        {
            "supplier number": e.request.supplier.key,
            "supplier": e.request.supplier.name,
            "kind": e.template,
            "queued": e.created,
            "sent": e.sent_at,
            "status": e.get_status_display(),
            "to": ", ".join(e.to),
            "subject": e.subject,
        }
        for e in OutboundEmail.objects.filter(
            request__campaign=campaign, template__in=("reminder", "escalation", "escalation-staff")
        )
        .select_related("request__supplier")
        .order_by("created", "pk")
    ]


def request_history(campaign: Campaign) -> list[dict]:
    """Every change of state of the campaign's requests: sent, opened, submitted, declined, accepted."""
    return [
        {
            "supplier number": e.request.supplier.key,
            "supplier": e.request.supplier.name,
            "at": e.at,
            "from": e.get_from_state_display(),
            "to": e.get_to_state_display(),
            "by": e.by_label,
            "note": e.note,
        }
        for e in RequestEvent.objects.filter(request__campaign=campaign)
        .select_related("request__supplier")
        .order_by("at", "pk")
    ]


def audit_log(campaign: Campaign) -> list[dict]:
    """The audit log up to now: every entry, for the actions on the campaign and on the reference data
    its figures rest on."""
    return [
        {"at": e.at, "who": e.actor_label, "action": e.action, "object": e.object_label, "detail": e.detail}
        for e in AuditEntry.objects.order_by("at", "pk").iterator(chunk_size=2000)
    ]


def follow_up_threads(campaign: Campaign) -> list[dict]:
    threads: dict[int, dict] = {}
    for message in (
        FollowUp.objects.filter(request__campaign=campaign)
        .select_related("request__supplier", "submission")
        .order_by("request__supplier__name", "created_at", "pk")
    ):
        supplier = message.request.supplier
        thread = threads.setdefault(
            message.request_id,
            {"subject": f"{supplier.name} ({supplier.key})", "supplier": supplier.name, "messages": []},
        )
        thread["messages"].append(
            {
                "from": "supplier" if message.from_supplier else message.author_label,
                "at": message.created_at,
                "about file": str(message.submission) if message.submission else "",
                "questions": [q.get("message") or q.get("code") for q in message.questions],
                "body": message.message,
            }
        )
    return list(threads.values())


def reference_data(campaign: Campaign) -> list[NamedFile]:
    """The campaign's blank template (its Smelter Look-up is the reference list) and the facilities with
    the audit statuses the smelters were checked against, as the app holds them: the status lists
    themselves are read into the facility table and not kept as files."""
    import csv
    import io

    files = []
    blank = campaign.blank_template_bytes()
    if blank is not None:
        files.append(
            NamedFile(
                campaign.blank_template_name or "blank-template.xlsx",
                blank,
                "the campaign's blank template: its Smelter Look-up is the reference list, "
                f"and our {campaign.template_kind} fills it in",
            )
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["Smelter ID", "Metal", "Name", "Country", "Reference release", "Status", "Status as listed",
         "Status as of", "Status list", "Listed by RMI", "Retired"]
    )  # fmt: skip
    # Facilities an analyst added by hand are in the list too, marked with their source (staff.facilities).
    for f in Facility.objects.order_by("metal", "smelter_id"):
        writer.writerow(
            [f.smelter_id, f.metal, f.name, f.country, f.release, f.get_status_display(), f.status_text,
             f.status_as_of.isoformat() if f.status_as_of else "", f.status_source, f.listing,
             f.retired_at.date().isoformat() if f.retired_at else ""]
        )  # fmt: skip
    sources = sorted(set(Facility.objects.exclude(status_source="").values_list("status_source", flat=True)))
    files.append(
        NamedFile(
            "facilities.csv",
            out.getvalue().encode("utf-8-sig"),
            "smelter reference list with audit statuses as used"
            + (f" (status lists: {', '.join(sources)})" if sources else ""),
        )
    )
    return files


def cahra_files(cahra_list) -> list[NamedFile]:
    """The CAHRA list the roll-up applied (a risk.models.CahraList, or None): the countries read from it,
    and the file itself as imported, so an auditor can compare it with the published list. A list imported
    before the app kept files has only its name and SHA-256 in the countries' description."""
    if cahra_list is None:
        return []
    rows = Table("CAHRA list", ["Country"], [[country] for country in cahra_list.countries])
    who = cahra_list.imported_by.get_username() if cahra_list.imported_by else "–"
    imported = f"imported {cahra_list.imported_at:%Y-%m-%d} by {who}"
    files = [
        NamedFile(
            f"cahra-list-{cahra_list.as_of:%Y-%m-%d}.csv",
            to_csv(rows).encode("utf-8-sig"),
            f"CAHRA list in force: {cahra_list.name} of {cahra_list.as_of:%Y-%m-%d}, "
            f"{len(cahra_list.countries)} countries as read from {cahra_list.filename} "
            f"(SHA-256 {cahra_list.sha256}), {imported}",
        )
    ]
    if cahra_list.has_file:
        files.append(
            NamedFile(
                cahra_list.filename,
                cahra_list.file_bytes(),
                f"CAHRA list in force as imported, byte for byte: {cahra_list.name} of "
                f"{cahra_list.as_of:%Y-%m-%d}, {imported}",
            )
        )
    return files


def _risk_actions(campaign: Campaign):
    from oretrace.web.risk.models import RiskAction

    return (
        RiskAction.objects.filter(campaign=campaign)
        .select_related("owner")
        .prefetch_related("evidence__uploaded_by")
        .order_by("pk")
    )


def _evidence_names(action) -> list[str]:
    """Each evidence file of an action as it is named in the package's risk/evidence/ folder: numbered
    within the action, so two uploads of "letter.pdf" stay apart and the register can point at each."""
    return [f"action-{action.pk}-{n}-{e.filename}" for n, e in enumerate(action.evidence.all(), start=1)]


def risk_evidence(campaign: Campaign) -> list[NamedFile]:
    """Every file kept as evidence for the campaign's corrective actions, byte for byte."""
    if not apps.is_installed("oretrace.web.risk"):
        return []
    files = []
    for action in _risk_actions(campaign):
        for name, evidence in zip(_evidence_names(action), action.evidence.all(), strict=True):
            who = evidence.uploaded_by.get_username() if evidence.uploaded_by else "–"
            files.append(
                NamedFile(
                    name,
                    evidence.file_path(),
                    f"evidence for risk action {action.pk} ({action.subject_label}), "
                    f"kept {evidence.uploaded_at:%Y-%m-%d %H:%M} by {who}",
                )
            )
    return files


def risk_register(prepared: Prepared) -> list[dict]:
    """The register of the risk pages (oretrace.web.risk) when that app is installed and holds actions
    for the campaign; otherwise, as `oretrace report` does, the core's standard corrective action for
    every red flag, marked "proposed"."""
    from oretrace.risk.actions import proposed_register

    today = timezone.localdate()
    if apps.is_installed("oretrace.web.risk"):
        from oretrace.web.risk.assessment import campaign_risk

        rows = [
            {
                "action": a.pk,
                "subject kind": a.get_subject_kind_display(),
                "subject": a.subject_label,
                "key": a.subject_key,
                "red flag": a.flag_title or a.flag_code,
                "what": a.what,
                "owner": a.owner.get_username() if a.owner else "",
                "owner role": a.owner_role,
                "opened": a.created_at.date().isoformat(),
                "due": a.due_date.isoformat() if a.due_date else "",
                "status": a.get_status_display(),
                "closed": a.closed_at.date().isoformat() if a.closed_at else "",
                "escalation level": a.escalation_level,
                "evidence files": ", ".join(e.filename for e in a.evidence.all()),
                "evidence in package": ", ".join(f"risk/evidence/{n}" for n in _evidence_names(a)),
            }
            for a in _risk_actions(prepared.campaign)
        ]
        if rows:
            return rows
        assessed = campaign_risk(prepared.campaign).assessment
    else:
        assessed = prepared.built.assess()
    return proposed_register(assessed, opened=today)
