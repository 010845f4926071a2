"""The pages where staff keep smelter identification right: the reference data (loading a list
identifies every stored file again) and the queue of names no facility matched, with its outcomes:
confirm a candidate, confirm every exact-ID match at once, record a name as not a smelter or not 3TG,
or ask the suppliers who reported it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oretrace.errors import OretraceError
from oretrace.rollup.compute import unidentified_question
from oretrace.smelters import CONFIDENT_CANDIDATE, Exclusion
from oretrace.smelters.names import normalise_cid
from oretrace.web.accounts.access import editor_required, read_only_for_viewers
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import intake, refdata, reidentify
from oretrace.web.campaigns import reference as reference_data
from oretrace.web.campaigns.models import (
    AuditStatusList,
    Campaign,
    Facility,
    InvalidTransition,
    ReferenceFile,
    ReportedSmelter,
    Request,
    SmelterAlias,
    SmelterExclusion,
    SmelterStatus,
)
from oretrace.web.staff.exports import FORMATS, export
from oretrace.web.staff.forms import ReferenceListForm, ReferenceTemplateForm, StatusListForm, V2TableForm

# How often the reference page looks again while a re-identification is queued or running.
REFRESH_SECONDS = 3
NAMES_PER_PAGE = 20


def _get_campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- the unidentified names -------------------------------------------------------------------------
def _unidentified_rows(campaign: Campaign):
    return ReportedSmelter.objects.filter(campaign=campaign, current=True, status=SmelterStatus.UNIDENTIFIED)


@read_only_for_viewers
def unidentified(request, pk: int):
    """The names no facility matched, grouped as the roll-up groups them (ReportedSmelter.name_group), each
    with the core's reason and candidates; a candidate is offered already chosen only when the core
    calls it confident (rollup.compute.preselected)."""
    campaign = _get_campaign(pk)
    rows = _unidentified_rows(campaign)
    if metal := request.GET.get("metal"):
        rows = rows.filter(metal=metal)
    grouped = (
        rows.values("metal", "name_group")
        .annotate(
            reported_name=Min("reported_name"),
            country=Max("reported_country"),
            suppliers=Count("request", distinct=True),
            example=Min("pk"),
        )
        .order_by("-suppliers", "metal", "name_group")
    )
    if request.method == "POST":
        _act_on_name(request, campaign)
        return redirect(f"{request.path}?{_query_without_page(request)}")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        everything = list(grouped)
        _add_reasons(everything)
        return export(
            fmt,
            f"unidentified-smelters-{campaign.pk}",
            [
                "Metal",
                "Name as reported",
                "Country as reported",
                "Suppliers reporting it",
                "Why not identified",
            ],
            ((g["metal"], g["reported_name"], g["country"], g["suppliers"], g["reason"]) for g in everything),
        )
    page = Paginator(grouped, NAMES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = entries = list(page.object_list)
    _add_reasons(entries)
    for entry in entries:
        # "Not 3TG" leaves out a name reported under a 3TG metal only (a cobalt refiner under gold).
        entry["can_be_not_3tg"] = Exclusion.NOT_3TG.applies_to(entry["metal"])
    exact = exact_id_matches(campaign)
    return render(
        request,
        "staff/unidentified.html",
        {
            "campaign": campaign,
            "page": page,
            "metals": rows.values_list("metal", flat=True).distinct().order_by("metal"),
            "qs": _query_without_page(request),
            "exact_names": len({(m.metal, m.name_group) for m in exact}),
            "exact_files": len({m.submission_id for m in exact}),
            "confident": CONFIDENT_CANDIDATE,
            "excluded": SmelterExclusion.objects.order_by("-recorded_at")[:20],
            "running": reidentify.running(),
            "reference_sample": reference_data.sample_release(),
        },
    )


def _add_reasons(groups: list[dict]) -> None:
    """Each name's reason and candidates, as the core gave them for one of its rows, and the candidate
    to offer already chosen (None below the core's confident score)."""
    examples = ReportedSmelter.objects.in_bulk([g["example"] for g in groups])
    offered = {c["smelter_id"] for e in examples.values() for c in e.candidates}
    metals = dict(Facility.objects.filter(smelter_id__in=offered).values_list("smelter_id", "metal"))
    for group in groups:
        example = examples[group["example"]]
        group["reason"] = example.reason
        group["reported_id"] = example.reported_id
        group["candidates"] = example.candidates
        # "Add as a new facility" opens the form prefilled with what the supplier reported.
        group["add_facility"] = urlencode(
            {
                key: value
                for key, value in (
                    ("name", example.reported_name),
                    ("mineral", example.metal),
                    ("country", example.reported_country),
                    ("smelter_id", "" if normalise_cid(example.reported_id) else example.reported_id),
                )
                if value
            }
        )
        # The core marked the candidate it is confident of (rollup.compute.preselected); only a facility
        # of the row's metal on the list loaded can be confirmed for it, so no other is ever chosen.
        group["preselected"] = next(
            (
                c["smelter_id"]
                for c in example.candidates
                if c.get("preselected") and metals.get(c["smelter_id"]) == example.metal
            ),
            None,
        )


def _act_on_name(request, campaign: Campaign) -> None:
    """One outcome for one name: confirm a facility, record it as no 3TG smelter, or ask its suppliers."""
    metal, name = request.POST.get("metal", ""), request.POST.get("name", "")
    action = request.POST.get("action", "confirm")
    if not metal or not name:
        messages.error(request, "The name to act on is missing; reload the page and try again.")
        return
    if action == Exclusion.NOT_3TG and not Exclusion.NOT_3TG.applies_to(metal):
        messages.error(
            request,
            f'"{name}" is reported as a {metal} smelter, and {metal} is no 3TG metal: recording it as not 3TG '
            "would leave nothing out. Confirm its CID, record it as not a smelter, or ask the supplier.",
        )
        return
    if action in SmelterExclusion.Outcome.values:
        _exclusion, outcome = intake.exclude_name(metal=metal, name=name, outcome=action, by=request.user)
        label = SmelterExclusion.Outcome(action).label.lower()
        messages.success(
            request,
            f'"{name}" is recorded as {label}: {_count(outcome.now_excluded, "row")} left the unidentified '
            "names, here and in the roll-up.",
        )
        return
    if action == "ask":
        _ask_suppliers(request, campaign, metal, name)
        return
    typed = request.POST.get("typed_id", "").strip()
    chosen = typed or request.POST.get("smelter_id", "").strip()
    if not chosen or chosen == "none":
        messages.info(
            request,
            f'Nothing recorded for "{name}": no candidate was chosen. Type its CID, record it as not a smelter '
            "or not 3TG, or ask the supplier.",
        )
        return
    # A CID as RMI writes it, or the ID of a facility an analyst added (staff.facilities) as typed.
    facility = Facility.objects.filter(
        smelter_id__iexact=normalise_cid(chosen) or chosen, metal=metal, retired_at__isnull=True
    ).first()
    if facility is None:
        messages.error(
            request,
            f'"{chosen}" is not a {metal} smelter ID in the reference list. Choose a candidate or type a CID.',
        )
        return
    _alias, outcome = intake.confirm_alias(
        metal=metal, name=name, smelter_id=facility.smelter_id, by=request.user
    )
    messages.success(
        request,
        f'"{name}" is now known as {facility.smelter_id} {facility.name}; '
        f"{_count(outcome.now_identified, 'row')} identified.",
    )


def _ask_suppliers(request, campaign: Campaign, metal: str, name: str) -> None:
    """A follow-up question about each row reporting the name, to each supplier that reported it, through
    the request's own follow-up (Request.request_follow_up): the e-mail, the thread and the state."""
    example = _unidentified_rows(campaign).filter(metal=metal, reported_name=name).first()
    if example is None:
        messages.error(request, f'No supplier file reports "{name}" unidentified any more.')
        return
    rows = (
        _unidentified_rows(campaign)
        .filter(metal=metal, name_group=example.name_group)
        .order_by("request", "row")
    )
    by_request: dict[int, list[ReportedSmelter]] = {}
    for row in rows:
        by_request.setdefault(row.request_id, []).append(row)
    asked, refused = [], []
    for req in Request.objects.filter(pk__in=by_request).select_related("supplier", "campaign"):
        found = by_request[req.pk]
        questions = [unidentified_question(metal, r.reported_name or name, r.row) for r in found]
        try:
            req.request_follow_up(
                by=request.user, findings=questions, message="", expected_file=found[0].submission_id
            )
        except InvalidTransition as problem:
            refused.append(f"{req.supplier.name}: {problem}")
        else:
            asked.append(req.supplier.name)
    if asked:
        messages.success(
            request, f'Asked {_count(len(asked), "supplier")} about "{name}": {", ".join(asked)}.'
        )
    for problem in refused:
        messages.warning(request, f"Not asked. {problem}")


def exact_id_matches(campaign: Campaign) -> list[ReportedSmelter]:
    """The unidentified rows whose file gives a smelter ID that is, exactly, a facility of the row's
    metal on the reference list loaded: confirmed together in one click."""
    rows = list(
        _unidentified_rows(campaign)
        .exclude(reported_id="")
        .only("pk", "metal", "name_group", "reported_name", "reported_id", "submission_id")
    )
    ids = {row.reported_id.strip().upper() for row in rows}
    facilities = dict(Facility.objects.filter(smelter_id__in=ids).values_list("smelter_id", "metal"))
    return [row for row in rows if facilities.get(row.reported_id.strip().upper()) == row.metal]


@require_POST
@editor_required
def confirm_exact_ids(request, pk: int):
    """Confirm every name whose file's own smelter ID is a facility of its metal: each named row becomes an
    alias of that facility, and the files reporting it are identified again."""
    campaign = _get_campaign(pk)
    matches = exact_id_matches(campaign)
    expected = request.POST.get("expected", "")
    names = len({(m.metal, m.name_group) for m in matches})
    if not matches:
        messages.info(request, "No unidentified name has a smelter ID on the reference list.")
        return redirect("unidentified", campaign.pk)
    if expected != str(names):
        messages.warning(
            request,
            f"The names changed since the page was shown: {_count(names, 'name')} now match by ID. Check "
            "them and confirm again.",
        )
        return redirect("unidentified", campaign.pk)
    pairs = {(m.metal, m.reported_name, m.reported_id.strip().upper()) for m in matches if m.reported_name}
    confirmed = identified = 0
    for metal, name, cid in sorted(pairs):
        _alias, outcome = intake.confirm_alias(metal=metal, name=name, smelter_id=cid, by=request.user)
        confirmed += 1
        identified += outcome.now_identified
    # Rows with an ID and no name: identified by the ID itself once their files are identified again.
    nameless = {m.submission_id for m in matches if not m.reported_name}
    if nameless:
        identified += intake.reidentify_files(
            intake.Submission.objects.filter(pk__in=nameless), intake.identifier()
        ).now_identified
    AuditEntry.record(
        request.user, "smelter.exact_ids_confirmed", campaign, f"{confirmed} names, {identified} rows"
    )
    messages.success(
        request,
        f"{_count(confirmed, 'name')} confirmed by the smelter ID their file gives; "
        f"{_count(identified, 'row')} identified.",
    )
    return redirect("unidentified", campaign.pk)


# --- the reference data -----------------------------------------------------------------------------
def _reidentified(request, because: str) -> None:
    """Identify every stored file again after ``because``, and say what changed or that it runs."""
    run = reidentify.after_change(because, request.user)
    if run is None:
        return
    if run.status == run.Status.DONE:
        messages.success(request, run.summary())
    elif run.status == run.Status.FAILED:
        messages.error(request, f"The stored files were not identified again: {run.error}")
    else:
        messages.info(
            request,
            "Every stored file is being identified again in the background; this page shows the progress.",
        )


@read_only_for_viewers
def reference(request):
    """The facility reference list and audit statuses every identification and chart relies on."""
    status_form = StatusListForm(request.POST or None, request.FILES or None, prefix="status")
    template_form = ReferenceTemplateForm(request.POST or None, request.FILES or None, prefix="template")
    v2_form = V2TableForm(request.POST or None, request.FILES or None, prefix="v2")
    list_form = ReferenceListForm(request.POST or None, request.FILES or None, prefix="list")
    if request.method == "POST" and "status-file" in request.FILES and status_form.is_valid():
        upload = status_form.cleaned_data["file"]
        try:
            updated, unknown, notes = reference_data.apply_status_list(
                upload.read(),
                upload.name,
                status_form.cleaned_data["as_of"],
                request.user,
                kind=status_form.cleaned_data["kind"],
                status=status_form.cleaned_data["status"],
            )
        except OretraceError as error:
            messages.error(request, f"{upload.name}: {error.message} Nothing was changed.")
        else:
            messages.success(request, f"{updated} facilities updated from {upload.name}.")
            if unknown:
                messages.warning(
                    request,
                    f"{unknown} IDs on the list are not in the reference list; load a newer template.",
                )
            for note in notes:
                messages.info(request, note)
            _reidentified(request, f"status list {upload.name}")
        return redirect("reference")
    if request.method == "POST" and "list-file" in request.FILES and list_form.is_valid():
        upload = list_form.cleaned_data["file"]
        try:
            imported = refdata.import_reference_list(
                upload.read(),
                upload.name,
                kind=list_form.cleaned_data["kind"],
                as_of=list_form.cleaned_data["as_of"],
                by=request.user,
            )
        except OretraceError as error:
            messages.error(request, f"{upload.name}: {error.message} Nothing was changed.")
        else:
            messages.success(request, imported.summary())
            for note in imported.notes:
                messages.info(request, note)
        return redirect("reference")
    if request.method == "POST" and "template-template" in request.FILES and template_form.is_valid():
        upload = template_form.cleaned_data["template"]
        try:
            loaded = reference_data.load_reference_from_template(upload.read(), upload.name, request.user)
        except OretraceError as error:
            messages.error(request, f"{upload.name}: {error.message} Nothing was changed.")
        else:
            AuditEntry.record(
                request.user, "smelters.reference_loaded", None, f"{upload.name}: {loaded} facilities"
            )
            messages.success(request, f"{loaded} facilities loaded from {upload.name}.")
            _reidentified(request, f"reference list of {upload.name}")
        return redirect("reference")
    if request.method == "POST" and "v2-table" in request.FILES and v2_form.is_valid():
        upload = v2_form.cleaned_data["table"]
        try:
            translated = reference_data.import_v2_table(upload.read(), upload.name, request.user)
        except OretraceError as error:
            messages.error(request, f"{upload.name}: {error.message} Nothing was changed.")
        else:
            messages.success(request, f"{upload.name}: {translated} old CFSI v2 IDs are translated.")
            _reidentified(request, f"v2-to-CID table {upload.name}")
        return redirect("reference")
    if request.method == "POST":
        messages.error(request, "Choose a file (and for a status list, its date).")
        return redirect("reference")
    summary = Facility.objects.values("metal", "status").annotate(n=Count("id")).order_by("metal", "status")
    table: dict[str, dict[str, int]] = {}
    for row in summary:
        table.setdefault(row["metal"], {})[row["status"]] = row["n"]
    statuses = SmelterStatus.audit_groups()
    sources = (
        Facility.objects.exclude(status_source="")
        .values("status_source", "status_as_of")
        .annotate(n=Count("id"))
        .order_by("-status_as_of")
    )
    running = reidentify.running()
    return render(
        request,
        "staff/reference.html",
        {
            "status_form": status_form,
            "template_form": template_form,
            "v2_form": v2_form,
            "list_form": list_form,
            "list_ages": refdata.list_ages(),
            "max_age_days": settings.REFDATA_MAX_AGE_DAYS,
            "v2_tables": ReferenceFile.objects.filter(kind=ReferenceFile.Kind.V2_TABLE).select_related(
                "imported_by"
            )[:5],
            "rows": [
                (m, [table[m].get(s.value, 0) for s in statuses], sum(table[m].values()))
                for m in sorted(table)
            ],
            "statuses": statuses,
            "reference_sample": reference_data.sample_release(),
            "releases": Facility.objects.filter(listed_by_rmi=True)
            .values("release")
            .annotate(n=Count("id"))
            .order_by("release"),
            "unlisted_count": Facility.objects.filter(listed_by_rmi=False, retired_at__isnull=True).count(),
            "sources": sources,
            "status_lists": AuditStatusList.objects.select_related("imported_by")
            .annotate(n=Count("records"))
            .order_by("-as_of", "-imported_at", "-pk")[:20],
            "aliases": SmelterAlias.objects.select_related("confirmed_by").order_by("-confirmed_at")[:50],
            "exclusions": SmelterExclusion.objects.select_related("recorded_by").order_by("-recorded_at")[
                :50
            ],
            "running": running,
            "last_run": reidentify.latest() if running is None else None,
            "refresh": REFRESH_SECONDS if running else None,
        },
    )
