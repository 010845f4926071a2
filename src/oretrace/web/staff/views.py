"""The staff pages: thin views over the models. Each view is decorators, an access helper, a form."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Lower, TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from oretrace.errors import OretraceError
from oretrace.reports.figures import whole_percent
from oretrace.survey import COUNTED_BY, FIGURES, QUEUE_FIGURES, REVIEW_FIGURES, members
from oretrace.web.accounts.access import (
    admin_required,
    audit_reader_required,
    editor_required,
    staff_required,
)
from oretrace.web.accounts.models import Profile, Role
from oretrace.web.accounts.oidc import is_single_sign_on
from oretrace.web.accounts.users import user_rows
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import intake, storage, years
from oretrace.web.campaigns import reference as reference_data
from oretrace.web.campaigns.models import (
    Campaign,
    Facility,
    InvalidTransition,
    Request,
    SmelterStatus,
    State,
    Submission,
)
from oretrace.web.campaigns.rollup import campaign_rollup, campaign_survey, results_smelter_rows
from oretrace.web.campaigns.smelter_list import add_facilities, smelter_groups
from oretrace.web.customers.views import status_counts as customer_status_counts
from oretrace.web.downloads import attachment
from oretrace.web.forms import clean_text
from oretrace.web.reports.calendar import campaign_calendar
from oretrace.web.staff import charts
from oretrace.web.staff.exports import FORMATS, export
from oretrace.web.staff.findings import finding_lines, identity_finding
from oretrace.web.staff.forms import (
    CampaignForm,
    ContactForm,
    DeclineForm,
    OrganisationForm,
    SupplierForm,
    UploadForm,
    UserForm,
)
from oretrace.web.suppliers import imports
from oretrace.web.suppliers.models import Contact, Organisation, ReportingYear, Supplier, Tier

PAGE_SIZE = 50


# --- access helpers: one per object type ----------------------------------------------------------
def _get_campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)


def _get_supplier(pk: int) -> Supplier:
    return get_object_or_404(Supplier.objects.select_related("internal_owner"), pk=pk)


# A stored file's large JSON columns: the file as read (``data``, hundreds of kB for a CMRT) and its
# smelter rows with their identifications. Pages that list files or show the latest file's findings
# (``record``) leave them in the database; decoding them was most of the request list's time.
FILE_AS_READ = ("data", "smelter_record")
FILE_JSON = (*FILE_AS_READ, "record")


def _get_request(pk: int) -> Request:
    return get_object_or_404(
        Request.objects.select_related(
            "campaign", "campaign__reporting_year", "supplier", "latest_submission"
        ).defer(*(f"latest_submission__{name}" for name in FILE_AS_READ)),
        pk=pk,
    )


def _get_submission(pk: int) -> Submission:
    return get_object_or_404(Submission.objects.select_related("request__supplier"), pk=pk)


def _export_format(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


# --- dashboard -------------------------------------------------------------------------------------
@require_safe
@staff_required
def home(request):
    campaign = Campaign.objects.filter(closed=False).order_by("-reporting_year__year", "-created_at").first()
    if campaign is None:
        return redirect("campaigns")
    return redirect("campaign", campaign.pk)


@require_safe
@staff_required
def campaigns(request):
    rows = list(
        Campaign.objects.select_related("reporting_year").order_by("-reporting_year__year", "-created_at")
    )
    for row in rows:
        row.figures = campaign_survey(row).figures
    if fmt := _export_format(request):
        return export(
            fmt,
            "campaigns",
            [
                "Campaign",
                "Reporting year",
                "Template",
                "Minimum version",
                "Due",
                "Surveyed",
                "Responded",
                "Closed",
            ],
            (
                (
                    c.name,
                    c.reporting_year.year,
                    c.template_kind,
                    c.minimum_version,
                    c.due_date,
                    c.figures.surveyed,
                    c.figures.responded,
                    c.closed,
                )
                for c in rows
            ),
        )
    return render(request, "staff/campaigns.html", {"campaigns": rows, "definitions": FIGURES})


def state_counts(campaign: Campaign) -> dict[str, int]:
    """How many requests are in each state: where the requests are, for the funnel."""
    return dict(
        Request.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("id")).order_by()
    )


@require_safe
@staff_required
def campaign(request, pk: int):
    campaign = _get_campaign(pk)
    built = campaign_survey(campaign)
    by_state = state_counts(campaign)
    funnel = [(s.value, s.label, by_state.get(s.value, 0)) for s in State]
    per_day = list(
        Request.objects.filter(campaign=campaign, responded_at__isnull=False)
        .annotate(day=TruncDate("responded_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    table = smelter_counts(campaign)
    # Once smelters are reported, every mineral the campaign asks about has its row: one nobody
    # reported a smelter for shows its zeros instead of going missing.
    for mineral in campaign.minerals_in_scope() if table else ():
        table.setdefault(mineral, {})
    metals = sorted(table)
    unidentified_total = sum(table[m].get(SmelterStatus.UNIDENTIFIED, 0) for m in metals)
    # A name recorded as not a smelter or not 3TG is in neither column: the roll-up counts it nowhere.
    counted = [*SmelterStatus.audit_groups(), SmelterStatus.UNIDENTIFIED]
    stacked_rows = [(m, [(s.value, s.label, table[m].get(s.value, 0)) for s in counted]) for m in metals]
    return render(
        request,
        "staff/campaign.html",
        {
            "campaign": campaign,
            "f": built.figures,
            "response_rate": whole_percent(built.figures.response_rate),
            "drafts": by_state.get(State.DRAFT, 0),
            "definitions": {**FIGURES, **QUEUE_FIGURES, **REVIEW_FIGURES},
            "funnel_chart": charts.bars(funnel),
            "over_time_chart": charts.cumulative(per_day, built.figures.surveyed),
            "smelter_chart": charts.stacked(stacked_rows),
            "smelter_table": [
                (m, [table[m].get(s.value, 0) for s in counted], sum(table[m].values())) for m in metals
            ],
            "statuses": counted,
            "unidentified_total": unidentified_total,
            "customer_counts": customer_status_counts(campaign.template_kind),
            "holds": campaign.legal_holds.active(),
            "calendar": campaign_calendar(campaign),
        },
    )


def smelter_counts(campaign: Campaign) -> dict[str, dict[str, int]]:
    """Per metal: identified facilities per audit-status group, and unidentified names, counted over the
    rows of the files the roll-up holds (rollup.results_smelter_rows) by the keys the core computed for
    each row, so that they are the roll-up's counts (a test holds them equal) read from an index."""
    table: dict[str, dict[str, int]] = {}
    # One pass over the covering index: each (metal, smelter, status) once, counted here.
    for metal, _smelter_id, status in (
        results_smelter_rows(campaign)
        .exclude(status__in=(SmelterStatus.UNIDENTIFIED, SmelterStatus.EXCLUDED))
        .values_list("metal", "smelter_id", "status")
        .distinct()
        .order_by()
    ):
        counts = table.setdefault(metal, {})
        counts[status] = counts.get(status, 0) + 1
    for metal, n in (
        results_smelter_rows(campaign)
        .filter(status=SmelterStatus.UNIDENTIFIED)
        .values_list("metal")
        .annotate(n=Count("name_group", distinct=True))
        .order_by()
    ):
        table.setdefault(metal, {})[SmelterStatus.UNIDENTIFIED] = n
    return table


@require_safe
@staff_required
def campaign_requests(request, pk: int):
    campaign = _get_campaign(pk)
    state = request.GET.get("state", "")
    rows = filtered_requests(campaign, request.GET)
    if fmt := _export_format(request):
        return export(
            fmt,
            f"requests-{campaign.pk}",
            [
                "Supplier number",
                "Supplier",
                "Tier",
                "State",
                "Sent",
                "Responded",
                "Version",
                "Template",
                "Findings on the latest file",
            ],
            (
                (
                    r.supplier.key,
                    r.supplier.name,
                    r.supplier.tier,
                    r.get_state_display(),
                    r.sent_at,
                    r.responded_at,
                    r.latest_submission.version if r.latest_submission else "",
                    r.latest_submission.template_version if r.latest_submission else "",
                    r.latest_submission.findings_count if r.latest_submission else "",
                )
                for r in rows.iterator(chunk_size=1000)
            ),
        )
    return render(
        request,
        "staff/campaign_requests.html",
        {
            "campaign": campaign,
            "page": _page(request, rows),
            "states": State.choices,
            "filters": [(key, FIGURES[key].label) for key in SURVEY_FILTERS if key in FIGURES],
            "definition": (FIGURES.get(state) or QUEUE_FIGURES.get(state) or REVIEW_FIGURES.get(state)),
            "qs": _query_without_page(request),
        },
    )


# The survey figures the request list filters on: the suppliers the core counts in each (survey.members).
SURVEY_FILTERS = tuple(COUNTED_BY)


def filtered_requests(campaign: Campaign, params):
    """The campaign's requests the list's filters (state or figure, name or number, tier) choose; the
    bulk actions act on the same set."""
    rows = (
        Request.objects.filter(campaign=campaign)
        .select_related("supplier", "latest_submission")
        .defer(*(f"latest_submission__{name}" for name in FILE_JSON))
    )
    state = params.get("state", "")
    if state in SURVEY_FILTERS:
        # Who counts as responded, overdue, accepted with exceptions...: the core's survey says.
        rows = rows.filter(pk__in=survey_refs(campaign, state))
    elif state in State.values:
        rows = rows.filter(state=state)
    if q := params.get("q", "").strip():
        rows = rows.filter(Q(supplier__name__icontains=q) | Q(supplier__key__icontains=q))
    if params.get("tier") in Tier.values:
        rows = rows.filter(supplier__tier=params["tier"])
    return rows.order_by(Lower("supplier__name"))


def survey_refs(campaign: Campaign, name: str) -> list[int]:
    built = campaign_survey(campaign)
    return [s.ref for s in members(built.survey, name, today=built.as_of)]


@editor_required
def campaign_edit(request, pk: int | None = None):
    campaign = _get_campaign(pk) if pk else None
    form = CampaignForm(request.POST or None, request.FILES or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.reporting_year = ReportingYear.objects.get_or_create(year=form.cleaned_data["year"])[0]
        instance.reminder_days = form.cleaned_data["reminder_days_text"]
        instance.minerals = form.cleaned_data["minerals"]
        upload = form.cleaned_data.get("blank_template")
        if upload:
            data = upload.read()
            try:
                loaded = reference_data.load_reference_from_template(data, upload.name, request.user)
            except OretraceError as error:
                form.add_error("blank_template", error.message)
                return render(request, "staff/campaign_edit.html", {"form": form, "campaign": campaign})
            instance.store_blank_template(data, upload.name)
            messages.info(request, f"The template's smelter reference list was loaded ({loaded} facilities).")
        if instance.pk is None:
            instance.created_by = request.user
        with transaction.atomic():
            instance.save()
            AuditEntry.record(request.user, "campaign.saved", instance)
            earlier = form.cleaned_data.get("start_from")
            added = years.start_from(instance, earlier, request.user) if earlier else 0
        messages.success(request, "Campaign saved.")
        if earlier:
            messages.info(request, f"{added} suppliers of {earlier.name} put in scope as draft requests.")
        return redirect("campaign", instance.pk)
    return render(request, "staff/campaign_edit.html", {"form": form, "campaign": campaign})


@require_safe
@staff_required
def campaign_template(request, pk: int):
    campaign = _get_campaign(pk)
    data = campaign.blank_template_bytes()
    if data is None:
        raise Http404("No blank template was imported for this campaign.")
    return attachment(
        data,
        campaign.blank_template_name or "template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- smelters --------------------------------------------------------------------------------------
@require_safe
@staff_required
def smelters(request, pk: int):
    campaign = _get_campaign(pk)
    rows = results_smelter_rows(campaign).exclude(smelter_id="")
    if metal := request.GET.get("metal"):
        rows = rows.filter(metal=metal)
    if request.GET.get("status") in SmelterStatus.values:
        rows = rows.filter(status=request.GET["status"])
    if q := request.GET.get("q", "").strip():
        matching = Facility.objects.filter(
            Q(name__icontains=q) | Q(smelter_id__icontains=q) | Q(country__icontains=q)
        ).values("smelter_id")
        rows = rows.filter(smelter_id__in=matching)
    # Grouped on the covering index; names and countries come from the facility list afterwards.
    grouped = smelter_groups(rows)
    if fmt := _export_format(request):
        everything = list(grouped)
        add_facilities(everything)
        return export(
            fmt,
            f"smelters-{campaign.pk}",
            [
                "Metal",
                "Smelter ID",
                "Smelter name",
                "Country",
                "Audit status",
                "Suppliers reporting it",
                "Listed by RMI",
                "Reference list",
            ],
            (
                (
                    g["metal"],
                    g["smelter_id"],
                    g["name"],
                    g["country"],
                    SmelterStatus(g["status"]).label,
                    g["suppliers"],
                    g["listing"],
                    g["release"],
                )
                for g in everything
            ),
        )
    # Page over the distinct smelters first (index only), then count suppliers for that page alone.
    keys = rows.values("metal", "smelter_id", "status").distinct().order_by("metal", "smelter_id", "status")
    page = _page(request, keys)
    page.object_list = entries = list(page.object_list)
    suppliers = {
        (g["metal"], g["smelter_id"], g["status"]): g["suppliers"]
        for g in grouped.filter(smelter_id__in={e["smelter_id"] for e in entries}).order_by()
    }
    for entry in entries:
        entry["suppliers"] = suppliers.get((entry["metal"], entry["smelter_id"], entry["status"]), 0)
    add_facilities(entries)
    return render(
        request,
        "staff/smelters.html",
        {
            "campaign": campaign,
            "page": page,
            "metals": Facility.objects.values_list("metal", flat=True).distinct().order_by("metal"),
            "statuses": SmelterStatus.audit_groups(),
            "qs": _query_without_page(request),
            "reference_sample": reference_data.sample_release(),
            "mines": _mines(campaign, metal),
        },
    )


def _mines(campaign: Campaign, mineral: str | None):
    """The mines of the suppliers' Mine Lists (EMRT 2.x, AMRT), per mineral, as the core's roll-up
    counts them; only the metal filter applies, the others ask about smelters."""
    rollup = campaign_rollup(campaign).rollup
    return rollup.mines_for(mineral) if mineral else rollup.mines


# --- suppliers -------------------------------------------------------------------------------------
SUPPLIER_SORTS = {
    "name": Lower("name"),
    "-name": Lower("name").desc(),
    "key": "key",
    "-key": "-key",
    "country": "country",
    "-country": "-country",
    "tier": "tier",
    "-tier": "-tier",
}


@require_safe
@staff_required
def suppliers(request):
    campaign = Campaign.objects.order_by("-reporting_year__year", "-created_at").first()
    rows = Supplier.objects.select_related("internal_owner")
    if q := request.GET.get("q", "").strip():
        rows = rows.filter(Q(name__icontains=q) | Q(key__icontains=q) | Q(country__icontains=q))
    if request.GET.get("tier") in Tier.values:
        rows = rows.filter(tier=request.GET["tier"])
    if country := request.GET.get("country", "").strip():
        rows = rows.filter(country__iexact=country)
    state = request.GET.get("state", "")
    if campaign and state in State.values:
        rows = rows.filter(requests__campaign=campaign, requests__state=state)
    elif campaign and state == "not_in_scope":
        rows = rows.exclude(requests__campaign=campaign)
    sort = request.GET.get("sort", "name")
    rows = rows.order_by(SUPPLIER_SORTS.get(sort, Lower("name")), "pk")
    if fmt := _export_format(request):
        return export(
            fmt,
            "suppliers",
            ["Supplier number", "Name", "Tier", "Country", "Internal owner", "Active", "Notes"],
            (
                (
                    s.key,
                    s.name,
                    s.tier,
                    s.country,
                    s.internal_owner.username if s.internal_owner else "",
                    s.active,
                    s.notes,
                )
                for s in rows.iterator(chunk_size=1000)
            ),
        )
    page = _page(request, rows)
    states = {}
    if campaign:
        states = dict(
            Request.objects.filter(campaign=campaign, supplier__in=[s.pk for s in page]).values_list(
                "supplier_id", "state"
            )
        )
    for supplier in page:
        supplier.campaign_state = states.get(supplier.pk, "")
        supplier.campaign_state_label = State(states[supplier.pk]).label if supplier.pk in states else ""
    countries = (
        Supplier.objects.exclude(country="").values_list("country", flat=True).distinct().order_by("country")
    )
    return render(
        request,
        "staff/suppliers.html",
        {
            "page": page,
            "campaign": campaign,
            "states": State.choices,
            "countries": countries,
            "sort": sort,
            "qs": _query_without_page(request),
        },
    )


@editor_required
def supplier_edit(request, pk: int | None = None):
    supplier = _get_supplier(pk) if pk else None
    form = SupplierForm(request.POST or None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            AuditEntry.record(request.user, "supplier.saved", saved, ", ".join(form.changed_data))
        messages.success(request, "Supplier saved.")
        return redirect("supplier", saved.pk)
    return render(request, "staff/supplier_edit.html", {"form": form, "supplier": supplier})


@require_safe
@staff_required
def supplier(request, pk: int):
    supplier = _get_supplier(pk)
    history = supplier.requests.select_related(
        "campaign", "campaign__reporting_year", "latest_submission"
    ).order_by("-campaign__reporting_year__year", "-campaign__created_at")
    parts = supplier.supplier_parts.select_related("part").order_by("part__number")
    if fmt := _export_format(request):
        return export(
            fmt,
            f"supplier-{supplier.key}-history",
            ["Reporting year", "Campaign", "State", "Responded", "File version", "Template", "Findings"],
            (
                (
                    r.campaign.reporting_year.year,
                    r.campaign.name,
                    r.get_state_display(),
                    r.responded_at,
                    r.latest_submission.version if r.latest_submission else "",
                    f"{r.latest_submission.template_kind} {r.latest_submission.template_version}"
                    if r.latest_submission
                    else "",
                    r.latest_submission.findings_count if r.latest_submission else "",
                )
                for r in history
            ),
        )
    return render(
        request,
        "staff/supplier.html",
        {
            "supplier": supplier,
            "history": history,
            "parts": parts,
            "contacts": supplier.contacts.all(),
            "contact_form": ContactForm(),
            "holds": supplier.legal_holds.active(),
            **_since_last_year(supplier, history),
        },
    )


def _since_last_year(supplier: Supplier, history) -> dict:
    """The core's changes for this supplier between its latest campaign and the one a year before."""
    latest = next(iter(history), None)
    changes = years.year_changes(latest.campaign) if latest else None
    if changes is None:
        return {}
    return {"changes": changes, "change": changes.supplier(supplier.name), "latest_campaign": latest.campaign}


@require_POST
@editor_required
def contact_add(request, pk: int):
    supplier = _get_supplier(pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        if supplier.contacts.filter(email__iexact=form.cleaned_data["email"]).exists():
            messages.error(request, "This supplier already has a contact with that e-mail address.")
        else:
            with transaction.atomic():
                contact = form.save(commit=False)
                contact.supplier = supplier
                contact.save()
                AuditEntry.record(request.user, "contact.added", contact, str(supplier))
            messages.success(request, "Contact added.")
    else:
        messages.error(
            request,
            "The contact was not added: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
        )
    return redirect("supplier", supplier.pk)


@require_POST
@editor_required
def contact_remove(request, pk: int, contact_pk: int):
    supplier = _get_supplier(pk)
    contact = get_object_or_404(Contact, pk=contact_pk, supplier=supplier)
    with transaction.atomic():
        AuditEntry.record(request.user, "contact.removed", contact, str(supplier))
        contact.delete()
    messages.success(request, "Contact removed.")
    return redirect("supplier", supplier.pk)


# --- import ---------------------------------------------------------------------------------------
IMPORTS_DIR_NAME = "imports"


def _imports_dir() -> Path:
    return settings.VAR_DIR / IMPORTS_DIR_NAME


@editor_required
def supplier_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if problem := storage.upload_size_problem(upload.size):
            form.add_error("file", problem)
        else:
            data = upload.read()
            try:
                imports.read_rows(data, upload.name)
            except OretraceError as error:
                form.add_error("file", error.message)
            else:
                digest = storage.store_bytes(_imports_dir(), data)
                request.session[f"import:{digest}"] = upload.name
                return redirect("supplier_import_preview", digest)
    return render(request, "staff/import_upload.html", {"form": form, "fields": imports.FIELDS})


@editor_required
def supplier_import_preview(request, digest: str):
    filename = request.session.get(f"import:{digest}")
    if filename is None or len(digest) != 64:
        raise Http404("This import is not known; upload the file again.")
    table = imports.read_rows(storage.read_bytes(_imports_dir(), digest), filename)
    mapping = imports.guess_mapping(table.headers)
    source = request.POST if request.method == "POST" else request.GET
    if any(key.startswith("map_") for key in source):  # the analyst's own mapping, else the guess
        for field_name in imports.FIELDS:
            value = source.get(f"map_{field_name}", "")
            mapping[field_name] = int(value) if value.isdigit() and int(value) < len(table.headers) else None
    try:
        rows = imports.check_rows(table, mapping)
        problem = ""
    except ValueError as error:
        rows, problem = [], str(error)
    plan = imports.Plan.of(rows)
    if request.method == "POST" and not problem:
        if source.get("plan") != plan.digest:
            # Suppliers changed since the preview (another import, an edit): the counts the button
            # showed are no longer what would happen, so nothing is imported until they are seen.
            problem = (
                "The suppliers changed since this preview was made, and the rows check differently now: "
                "nothing was imported. Look at the counts below and import again."
            )
        else:
            try:
                summary = imports.apply_rows(rows, request.user, filename)
            except DatabaseError:
                problem = "The database refused the import, and nothing was imported. Try again."
            else:
                messages.success(request, f"Import of {filename}: {summary}.")
                return render(
                    request,
                    "staff/import_done.html",
                    {"summary": summary, "filename": filename, **_import_problems(rows, table, mapping)},
                )
    mapped = [(name, label) for name, (label, _) in imports.FIELDS.items() if mapping.get(name) is not None]
    return render(
        request,
        "staff/import_preview.html",
        {
            "filename": filename,
            "digest": digest,
            "headers": list(enumerate(table.headers)),
            "fields": [(name, label, mapping.get(name)) for name, (label, _) in imports.FIELDS.items()],
            "mapped": mapped,
            "preview": [_preview_cells(r, mapped) for r in rows[: imports.PREVIEW_ROWS]],
            "plan": plan,
            "total": len(rows),
            "shown": min(len(rows), imports.PREVIEW_ROWS),
            "problem": problem,
            **_import_problems(rows, table, mapping),
        },
    )


IMPORT_PROBLEMS_SHOWN = 500  # rows with problems listed on a page; the counts cover them all


def _import_problems(rows, table, mapping) -> dict:
    """Every problem of every row (up to IMPORT_PROBLEMS_SHOWN rows), each under its field and column."""
    column = {name: table.headers[i] for name, i in mapping.items() if i is not None}
    listed = [(row, [(p, column.get(p.field, "")) for p in row.problems]) for row in rows if row.problems]
    return {"problem_rows": listed[:IMPORT_PROBLEMS_SHOWN], "problem_rows_total": len(listed)}


def _preview_cells(row, mapped) -> tuple:
    """A previewed row: each mapped field's value (a country with the name it will be stored as) and
    the problems found in it."""
    cells = []
    for name, _label in mapped:
        value = row.values[name]
        if name == "country" and row.country and row.country != value:
            value = f"{value} → {row.country}"
        cells.append((value, " ".join(p.message for p in row.problems if p.field == name)))
    return row, cells


# --- requests -------------------------------------------------------------------------------------
@require_safe
@staff_required
def request_page(request, pk: int):
    req = _get_request(pk)
    submissions = req.submissions.select_related("uploaded_by").defer(*FILE_JSON).order_by("-version")
    latest = req.latest_submission
    if (fmt := _export_format(request)) and latest:
        return export(
            fmt,
            f"findings-{req.pk}-v{latest.version}",
            ["Severity", "Code", "Mineral", "Sheet", "Cell", "Finding", "Question to the supplier"],
            (
                (
                    f.get("severity"),
                    f.get("code"),
                    f.get("mineral"),
                    f.get("sheet"),
                    f.get("cell"),
                    f.get("message"),
                    f.get("question"),
                )
                for f in latest.findings
            ),
        )
    emails = []
    if "outbox" in settings.OPTIONAL_APPS:
        emails = list(req.emails.order_by("-created")[:20])
    return render(
        request,
        "staff/request.html",
        {
            "req": req,
            "latest": latest,
            "submissions": submissions,
            "events": req.events.select_related("by"),
            "follow_ups": req.follow_ups.all(),
            "emails": emails,
            "parts": req.parts()[:50],
            "finding_lines": finding_lines(latest.findings) if latest else [],
            "identity": identity_finding(latest.findings) if latest else None,
            "upload_form": UploadForm(),
            "decline_form": DeclineForm(),
            "can_accept": req.can_move_to(State.ACCEPTED) and req.state != State.DECLINED,
            "can_follow_up": req.can_move_to(State.FOLLOW_UP) and latest is not None,
            "can_send": req.state in (State.DRAFT,),
            # A declined request reopens through "Do not accept this decline" (a message, the decline cleared).
            "can_resend": req.state == State.NO_RESPONSE,
            "can_mark_no_response": req.can_move_to(State.NO_RESPONSE),
            "can_decline": req.can_move_to(State.DECLINED),
            "links": req.valid_links().aggregate(valid=Count("id"), expires=Max("expires_at")),
            "links_revoked": req.links.filter(revoked=True).count(),
            "can_send_new_link": req.state != State.DRAFT,
        },
    )


@require_POST
@editor_required
def request_action(request, pk: int, action: str):
    req = _get_request(pk)
    note = clean_text(request.POST.get("note", "")).strip()
    # The file the analyst looked at: a newer one arriving meanwhile must be reviewed before a decision.
    shown = request.POST.get("file", "")
    seen = int(shown) if shown.isdigit() else req.latest_submission_id
    try:
        if action == "follow-up":
            # A line of the page may stand for several findings ("3,7,9": staff.findings).
            chosen = {
                int(i) for value in request.POST.getlist("finding") for i in value.split(",") if i.isdigit()
            }
            findings = [
                f
                for i, f in enumerate(req.latest_submission.findings if req.latest_submission else [])
                if i in chosen
            ]
            req.request_follow_up(by=request.user, findings=findings, message=note, expected_file=seen)
            messages.success(
                request,
                ngettext(
                    "Follow-up with %(n)d question queued for %(supplier)s.",
                    "Follow-up with %(n)d questions queued for %(supplier)s.",
                    len(findings),
                )
                % {"n": len(findings), "supplier": str(req.supplier).rstrip(".")},
            )
        elif action == "reject":
            if not note:
                raise InvalidTransition("Say why the file is rejected; the supplier receives this text.")
            req.request_follow_up(by=request.user, findings=[], message=f"We cannot accept your file: {note}")
            messages.success(request, "The supplier was told why the file is rejected.")
        elif action == "send":
            req.send(request.user)
            messages.success(request, "The request is in the outbox.")
        elif action == "resend":
            req.send_again(request.user, note)
            messages.success(request, "The request was sent again.")
        elif action == "revoke-links":
            _revoke_links(request, req)
        elif action == "new-link":
            email = req.send_new_link(request.user)
            messages.success(
                request, f"The invitation with a new link to {', '.join(email.to)} is in the outbox."
            )
        elif action == "no-response":
            req.transition(State.NO_RESPONSE, request.user, note)
            messages.success(request, "Marked as no response.")
        elif action == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                raise InvalidTransition(
                    "A decline needs the name and title of the person and their statement."
                )
            req.decline(**form.cleaned_data, by=request.user)
            messages.success(request, "The supplier's statement is recorded.")
        else:
            raise Http404("Unknown action.")
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect("request", req.pk)


def _revoke_links(request, req: Request) -> None:
    revoked = req.revoke_links(by=request.user)
    if not revoked:
        messages.info(request, "No link was left to revoke.")
        return
    messages.success(
        request,
        f"{revoked} link{'s' if revoked != 1 else ''} revoked: the links in earlier e-mails to "
        f"{req.supplier} no longer open the request. The next e-mail to the supplier (a reminder, or "
        "“Send a new link” below) carries a new link.",
    )
    if "outbox" in settings.OPTIONAL_APPS:
        # An e-mail queued before the revocation still carries an old link; the worker will send it
        # as written, so the analyst should know the supplier gets a link that no longer opens.
        waiting = req.emails.filter(status__in=("queued", "sending")).count()
        if waiting:
            messages.warning(
                request,
                f"{waiting} e-mail{'s' if waiting != 1 else ''} still waiting in the outbox "
                f"{'carry' if waiting != 1 else 'carries'} an old link, which will not open the request.",
            )


@require_POST
@editor_required
def request_upload(request, pk: int):
    """An analyst uploads a file the supplier sent by e-mail: the same checks as the portal."""
    req = _get_request(pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to upload.")
        return redirect("request", req.pk)
    upload = form.cleaned_data["file"]
    if problem := storage.upload_size_problem(upload.size):
        messages.error(request, f"{problem} Nothing was stored.")
        return redirect("request", req.pk)
    if not req.can_move_to(State.SUBMITTED):
        messages.error(
            request, f"A request that is {req.get_state_display().lower()} cannot take a file; send it first."
        )
        return redirect("request", req.pk)
    submission, error = intake.store_file(req, upload.read(), upload.name, request.user)
    if error:
        messages.error(request, f"{upload.name}: {error} Nothing was stored.")
    else:
        messages.success(
            request,
            f"Version {submission.version} stored with "
            + ngettext("%(n)d finding.", "%(n)d findings.", submission.findings_count)
            % {"n": submission.findings_count},
        )
    return redirect("request", req.pk)


@require_safe
@staff_required
def submission_download(request, pk: int):
    submission = _get_submission(pk)
    path = storage.path_for(settings.SUBMISSIONS_DIR, submission.sha256)
    if not path.exists():
        raise Http404("The stored file is missing from the submissions folder.")
    return attachment(path.open("rb"), submission.filename)


# --- audit, settings, users -----------------------------------------------------------------------
@require_safe
@audit_reader_required
def audit(request):
    rows = AuditEntry.objects.all()
    if q := request.GET.get("q", "").strip():
        rows = rows.filter(
            Q(action__icontains=q)
            | Q(object_label__icontains=q)
            | Q(actor_label__icontains=q)
            | Q(detail__icontains=q)
        )
    if fmt := _export_format(request):
        return export(
            fmt,
            "audit-log",
            ["When", "Who", "Action", "Object", "Detail"],
            (
                (e.at, e.actor_label, e.action, e.object_label, e.detail)
                for e in rows.iterator(chunk_size=1000)
            ),
        )
    return render(
        request, "staff/audit.html", {"page": _page(request, rows), "qs": _query_without_page(request)}
    )


@admin_required
def organisation(request):
    org = Organisation.current()
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            AuditEntry.record(request.user, "organisation.saved", org, ", ".join(form.changed_data))
        messages.success(request, "Settings saved.")
        return redirect("organisation")
    return render(request, "staff/organisation.html", {"form": form})


@admin_required
def users(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and request.POST.get("user"):
        user = get_object_or_404(get_user_model(), pk=request.POST["user"])
        role = request.POST.get("role")
        if role not in Role.values or user == request.user:
            messages.error(request, "Choose a role (you cannot change your own).")
        elif is_single_sign_on(user):
            messages.error(request, f"{user.username}'s role comes from the identity provider's groups.")
        else:
            with transaction.atomic():
                Profile.objects.update_or_create(user=user, defaults={"role": role})
                AuditEntry.record(request.user, "user.role_changed", user, role)
            messages.success(request, f"{user.username} is now {role}.")
        return redirect("users")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                form.cleaned_data["username"], form.cleaned_data["email"], form.cleaned_data["password"]
            )
            Profile.objects.create(user=user, role=form.cleaned_data["role"])
            AuditEntry.record(request.user, "user.created", user, form.cleaned_data["role"])
        messages.success(request, f"User {user.username} created.")
        return redirect("users")
    return render(request, "staff/users.html", {"form": form, "rows": user_rows(), "roles": Role.choices})
