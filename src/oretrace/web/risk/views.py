"""The risk pages: the assessment of a campaign, the risk register and its actions, the management summary,
and the admin's thresholds and reporting lines. Thin views: decorators, an access helper, a form, a model
method, a redirect. Every rating, flag, suggestion and the summary itself come from oretrace.risk."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from oretrace.batteries.categories import CATEGORIES
from oretrace.errors import BadInput, OretraceError
from oretrace.reports.figures import whole_percent
from oretrace.risk import FLAG_KINDS, OpenAction, actions_for, render_summary
from oretrace.risk.actions import ANALYST, BUYER, MANAGER
from oretrace.risk.docs import render as render_scoring
from oretrace.risk.summary import ACTIONS_PER_RISK
from oretrace.risk.summary import FORMATS as SUMMARY_FORMATS
from oretrace.survey import FIGURES
from oretrace.web.accounts.access import (
    admin_required,
    editor_required,
    read_only_for_viewers,
    staff_required,
)
from oretrace.web.accounts.models import can_edit
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign, Request
from oretrace.web.downloads import attachment
from oretrace.web.forms import clean_text
from oretrace.web.risk.assessment import CampaignRisk, campaign_risk
from oretrace.web.risk.forms import (
    ActionEditForm,
    ActionForm,
    AnnexCategoryForm,
    CahraListForm,
    EvidenceForm,
    NoteForm,
    ThresholdsForm,
    staff_users,
)
from oretrace.web.risk.models import (
    OPEN_STATUSES,
    ActionEvidence,
    ActionStatus,
    CahraList,
    CannotEscalate,
    ReportingLine,
    RiskAction,
    ScreeningDecision,
    StaleEdit,
    YearThresholds,
)
from oretrace.web.risk.screening import campaign_screening, find_hit
from oretrace.web.staff.exports import FORMATS, export
from oretrace.web.suppliers.models import Organisation, ReportingYear

PAGE_SIZE = 50
RATINGS = ("high", "medium", "low")
SORTS = {
    "": "Worst first",
    "score": "Highest score",
    "name": "Name A–Z",
    "flags": "Most red flags",
}


# --- access helpers: one per object type ----------------------------------------------------------
def _get_campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)


def _get_action(pk: int) -> RiskAction:
    return get_object_or_404(
        RiskAction.objects.select_related("campaign", "campaign__reporting_year", "owner", "created_by"),
        pk=pk,
    )


def _get_year(year: int) -> ReportingYear:
    return get_object_or_404(ReportingYear, year=year)


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in ("page", "format", *names):
        params.pop(name, None)
    return params.urlencode()


# --- the risk page ---------------------------------------------------------------------------------
@require_safe
@staff_required
def risk_home(request):
    campaign = Campaign.objects.filter(closed=False).order_by("-reporting_year__year", "-created_at").first()
    campaign = campaign or Campaign.objects.order_by("-reporting_year__year", "-created_at").first()
    if campaign is None:
        messages.info(
            request, "Create a campaign first: its suppliers' files are what the risk page assesses."
        )
        return redirect("campaigns")
    return redirect("risk", campaign.pk)


def _filtered(request, risk: CampaignRisk) -> list:
    """The ratings the page's filters, search and sort choose, from the core's assessment."""
    a = risk.assessment
    rows = list(a.ratings)
    g = request.GET
    if g.get("rating") in RATINGS:
        rows = [r for r in rows if r.rating == g["rating"]]
    if g.get("kind") in ("supplier", "smelter"):
        rows = [r for r in rows if r.subject_kind == g["kind"]]
    if g.get("flag") in FLAG_KINDS:
        rows = [r for r in rows if any(f.code == g["flag"] for f in r.flags)]
    if metal := g.get("metal"):
        rows = [
            r
            for r in rows
            if r.metal == metal
            or (r.subject_kind == "supplier" and metal in risk.metals_by_supplier.get(r.key, ()))
        ]
    if status := g.get("status"):
        rows = [r for r in rows if r.status == status]
    if q := g.get("q", "").strip().casefold():
        rows = [
            r
            for r in rows
            if q in r.subject.casefold()
            or q in r.key.casefold()
            or q in (r.country or "").casefold()
            or any(q in f.explanation.casefold() for f in r.flags)
        ]
    sort = g.get("sort", "")
    if sort == "score":
        rows.sort(key=lambda r: -r.score)
    elif sort == "name":
        rows.sort(key=lambda r: (r.subject.casefold(), r.key))
    elif sort == "flags":
        rows.sort(key=lambda r: -len(r.flags))
    return rows


@require_safe
@staff_required
def risk_page(request, pk: int):
    campaign = _get_campaign(pk)
    risk = campaign_risk(campaign)
    a = risk.assessment
    rows = _filtered(request, risk)
    if (fmt := request.GET.get("format")) in FORMATS:
        return export(
            fmt,
            f"risk-{campaign.pk}",
            ["Kind", "Subject", "Key", "Metal", "Country", "Audit status", "Rating", "Score", "Flags", "Why"],
            (
                (
                    r.subject_kind,
                    r.subject,
                    r.key,
                    r.metal or "",
                    r.country or "",
                    r.status or "",
                    r.rating,
                    r.score,
                    "; ".join(f.title for f in r.flags),
                    "\n".join(f.explanation for f in r.flags),
                )
                for r in rows
            ),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    open_counts: dict[str, int] = {}
    for key in RiskAction.objects.filter(campaign=campaign).open().values_list("subject_key", flat=True):
        open_counts[key] = open_counts.get(key, 0) + 1
    shown = [
        {
            "r": r,
            "request_pk": risk.request_for.get(r.key) if r.subject_kind == "supplier" else None,
            "open_actions": open_counts.get(r.key, 0),
            "suggestions": [
                (flag, i, s)
                for flag in r.flags
                if not flag.mitigated
                for i, s in enumerate(actions_for(flag))
            ],
        }
        for r in page
    ]
    actions = RiskAction.objects.filter(campaign=campaign)
    return render(
        request,
        "risk/risk.html",
        {
            "campaign": campaign,
            "a": a,
            "risk": risk,
            "page": page,
            "rows": shown,
            "qs": _query_without(request),
            "supplier_counts": a.supplier_counts(),
            "distribution": _distribution(a),
            "awaiting": [(w, risk.request_for.get(w.name)) for w in a.awaiting],
            "response_rate": whole_percent(a.survey.response_rate),
            "rule_label": campaign.get_results_rule_display().lower(),
            "definitions": FIGURES,
            "smelter_counts": a.smelter_counts(),
            "open_actions": actions.open().count(),
            "overdue_actions": actions.overdue().count(),
            "high_subjects": sum(1 for r in a.ratings if r.rating == "high"),
            "flag_kinds": [
                (code, kind.title, n)
                for code, kind in FLAG_KINDS.items()
                if (n := a.flags_by_code().get(code))
            ],
            "statuses": sorted({r.status for r in a.smelters if r.status}),
            "ratings": RATINGS,
            "sorts": SORTS,
            "thresholds_saved": YearThresholds.objects.filter(reporting_year=campaign.reporting_year).first(),
        },
    )


def _distribution(a) -> list[dict]:
    """Counts of high, medium and low for suppliers and smelters, each with its share for the page's bar."""
    rows = []
    for kind, label, counts in (
        ("supplier", "Suppliers", a.supplier_counts()),
        ("smelter", "Smelters", a.smelter_counts()),
    ):
        total = sum(counts.values())
        rows.append(
            {
                "kind": kind,
                "label": label,
                "total": total,
                "parts": [
                    (rating, n, round(100 * n / total, 1) if total else 0)
                    for rating, n in ((r, counts[r]) for r in RATINGS)
                ],
            }
        )
    return rows


@require_safe
@staff_required
def scoring(request, year: int):
    """How the score is computed, with the reporting year's own weights and cut-offs: the page
    docs/risk-scoring.md is generated from, rendered by the core."""
    reporting_year = _get_year(year)
    thresholds = YearThresholds.for_year(reporting_year)
    return render(
        request,
        "risk/scoring.html",
        {
            "year": reporting_year,
            "page": render_scoring(thresholds, year=reporting_year.year),
            "saved": YearThresholds.objects.filter(reporting_year=reporting_year).exists(),
        },
    )


def _find_rating(risk: CampaignRisk, kind: str, key: str):
    chosen = risk.assessment.suppliers if kind == "supplier" else risk.assessment.smelters
    return next((r for r in chosen if r.key == key), None)


def _suggested_owner(user, risk: CampaignRisk, rating, owner_role: str):
    """Who the standard response's role is here: the supplier's buyer, the user's manager, or the user."""
    if owner_role == BUYER and rating.subject_kind == "supplier" and (pk := risk.request_for.get(rating.key)):
        owner = Request.objects.select_related("supplier__internal_owner").get(pk=pk).supplier.internal_owner
        if owner is not None:
            return owner
    if owner_role == MANAGER and (manager := ReportingLine.manager_of(user)):
        return manager
    return user if owner_role in (ANALYST, BUYER, MANAGER) else None


@editor_required
def action_new(request, pk: int):
    """Open an action, prefilled from one of the core's suggested responses to a flag."""
    campaign = _get_campaign(pk)
    risk = campaign_risk(campaign)
    source = request.POST if request.method == "POST" else request.GET
    kind, key, code = source.get("kind", ""), source.get("key", ""), source.get("flag", "")
    rating = _find_rating(risk, kind, key)
    if rating is None:
        messages.error(request, "That supplier or smelter is not in the campaign's assessment any more.")
        return redirect("risk", campaign.pk)
    flag = next((f for f in rating.flags if f.code == code), None)
    suggestion = None
    if flag is not None:
        options = actions_for(flag)
        try:
            suggestion = options[int(source.get("n", 0))]
        except (ValueError, IndexError):
            suggestion = options[0] if options else None
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            action = RiskAction.open_for(
                campaign,
                by=request.user,
                subject_kind=rating.subject_kind,
                subject_key=rating.key,
                subject_label=rating.subject,
                flag_code=flag.code if flag else "",
                **form.cleaned_data,
            )
            messages.success(request, f"Action #{action.pk} opened for {rating.subject.rstrip('.')}.")
            return redirect("risk_action", action.pk)
    else:
        initial = {"what": f"Follow up on the risks of {rating.subject}"}
        if suggestion is not None:
            initial = {
                "what": suggestion.what,
                "owner_role": suggestion.owner_role,
                "owner": _suggested_owner(request.user, risk, rating, suggestion.owner_role),
                "due_date": suggestion.due_on(timezone.localdate()),
            }
        form = ActionForm(initial=initial)
    return render(
        request,
        "risk/action_new.html",
        {
            "campaign": campaign,
            "rating": rating,
            "flag": flag,
            "n": source.get("n", "0"),
            "suggestion": suggestion,
            "form": form,
        },
    )


@require_POST
@editor_required
def open_high(request, pk: int):
    """Open the first standard response to every red flag of every high-risk subject, once each.

    Escalating responses (the second step of several) are left out: they are what "Escalate" on an
    action does when the first step did not work. Flags of low severity on their own (an older template,
    one unanswered warning) wait for an analyst to open them one by one.
    """
    campaign = _get_campaign(pk)
    risk = campaign_risk(campaign)
    existing = set(
        RiskAction.objects.filter(campaign=campaign)
        .exclude(status=ActionStatus.CANCELLED)
        .values_list("subject_key", "flag_code", "what")
    )
    today = timezone.localdate()
    opened = 0
    with transaction.atomic():
        for rating in risk.assessment.ratings:
            if rating.rating != "high":
                continue
            for flag in rating.flags:
                if flag.mitigated or flag.severity == "low":
                    continue
                first = next((s for s in actions_for(flag) if not s.escalation), None)
                if first is None or (rating.key, flag.code, first.what) in existing:
                    continue
                RiskAction.open_for(
                    campaign,
                    by=request.user,
                    subject_kind=rating.subject_kind,
                    subject_key=rating.key,
                    subject_label=rating.subject,
                    flag_code=flag.code,
                    what=first.what,
                    owner=_suggested_owner(request.user, risk, rating, first.owner_role),
                    owner_role=first.owner_role,
                    due_date=first.due_on(today),
                )
                existing.add((rating.key, flag.code, first.what))
                opened += 1
    if opened:
        messages.success(
            request, f"{opened} action{'s' if opened != 1 else ''} opened for the high-risk subjects."
        )
    else:
        messages.info(
            request, "Every red flag of the high-risk subjects already has its action in the register."
        )
    return redirect("risk_register", campaign.pk)


# --- the register ------------------------------------------------------------------------------------
@require_safe
@staff_required
def register(request, pk: int):
    campaign = _get_campaign(pk)
    rows = RiskAction.objects.filter(campaign=campaign).select_related("owner")
    g = request.GET
    status = g.get("status", "unfinished")  # open and in progress
    if status == "unfinished":
        rows = rows.open()
    elif status == "closed":  # done or cancelled: what the battery report counts as closed
        rows = rows.exclude(status__in=OPEN_STATUSES)
    elif status in ActionStatus.values:
        rows = rows.filter(status=status)
    owner = g.get("owner", "")
    if owner == "me":
        rows = rows.filter(owner=request.user)
    elif owner == "none":
        rows = rows.filter(owner__isnull=True)
    elif owner.isdigit():
        rows = rows.filter(owner_id=int(owner))
    if g.get("overdue"):
        rows = rows.overdue()
    if g.get("kind") in ("supplier", "smelter"):
        rows = rows.filter(subject_kind=g["kind"])
    annex = g.get("annex", "")
    if annex == "any":  # tagged with any Annex X risk category (the battery report's figures)
        rows = rows.exclude(annex_x_category="")
    elif annex in CATEGORIES:
        rows = rows.filter(annex_x_category=annex)
    if q := g.get("q", "").strip():
        rows = rows.filter(Q(subject_label__icontains=q) | Q(subject_key__icontains=q) | Q(what__icontains=q))
    rows = rows.order_by("due_date", "pk")
    if (fmt := g.get("format")) in FORMATS:
        return export(
            fmt,
            f"risk-register-{campaign.pk}",
            [
                "#",
                "Kind",
                "Subject",
                "Key",
                "Red flag",
                "What",
                "Owner",
                "Owner's role",
                "Due",
                "Status",
                "Overdue",
                "Escalation level",
                "Escalated",
                "Opened",
                "Closed",
            ],
            (
                (
                    a.pk,
                    a.subject_kind,
                    a.subject_label,
                    a.subject_key,
                    a.flag_title,
                    a.what,
                    a.owner.get_username() if a.owner else "",
                    a.owner_role,
                    a.due_date,
                    a.get_status_display(),
                    "yes" if a.is_overdue else "",
                    a.escalation_level,
                    a.escalated_at,
                    a.created_at,
                    a.closed_at,
                )
                for a in rows
            ),
        )
    everything = RiskAction.objects.filter(campaign=campaign)
    return render(
        request,
        "risk/register.html",
        {
            "campaign": campaign,
            "page": Paginator(rows, PAGE_SIZE).get_page(g.get("page")),
            "qs": _query_without(request),
            "status": status,
            "statuses": ActionStatus.choices,
            "owners": staff_users(),
            "counts": {
                "open": everything.open().count(),
                "overdue": everything.overdue().count(),
                "done": everything.filter(status=ActionStatus.DONE).count(),
                "all": everything.count(),
            },
        },
    )


# --- one action ----------------------------------------------------------------------------------------
@read_only_for_viewers
def action_page(request, pk: int):
    action = _get_action(pk)
    form = ActionEditForm(
        request.POST or None,
        initial={
            "what": action.what,
            "owner": action.owner,
            "owner_role": action.owner_role,
            "due_date": action.due_date,
            "status": action.status,
            "seen_version": action.edit_version(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = action.change(request.user, **form.cleaned_data)
        except StaleEdit as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Saved: {', '.join(c.split(':')[0] for c in changed)}." if changed else "Nothing changed.",
            )
        return redirect("risk_action", action.pk)
    recipients, whom = action.escalation_recipients()
    return render(
        request,
        "risk/action.html",
        {
            "action": action,
            "campaign": action.campaign,
            "form": form,
            "note_form": NoteForm(),
            "category_form": AnnexCategoryForm(
                initial={"category": action.annex_x_category, "was": action.annex_x_category}
            ),
            "evidence_form": EvidenceForm(),
            "notes": action.notes.all(),
            "evidence": action.evidence.select_related("uploaded_by"),
            "escalate_to": whom if recipients else "",
            "history": AuditEntry.objects.filter(object_type="riskaction", object_id=str(action.pk)).order_by(
                "at", "id"
            ),
        },
    )


@require_POST
@editor_required
def action_category(request, pk: int):
    """Tag the action with an Annex X risk category, if nobody changed it since the page was shown."""
    action = _get_action(pk)
    form = AnnexCategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the Annex X risk categories offered.")
    elif action.set_annex_x_category(
        request.user, form.cleaned_data["category"], was=form.cleaned_data["was"]
    ):
        chosen = form.cleaned_data["category"]
        messages.success(request, f"Annex X risk category: {CATEGORIES[chosen].title if chosen else 'none'}.")
    else:
        messages.error(
            request,
            "Someone changed this action's Annex X risk category meanwhile; nothing was saved. "
            "Check the category shown now and choose again.",
        )
    return redirect("risk_action", action.pk)


@require_POST
@editor_required
def action_note(request, pk: int):
    action = _get_action(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        action.add_note(request.user, form.cleaned_data["text"])
        messages.success(request, "Note added.")
    else:
        messages.error(request, "Write a note first.")
    return redirect("risk_action", action.pk)


@require_POST
@editor_required
def action_evidence(request, pk: int):
    action = _get_action(pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, f"Not stored: {' '.join(problems) or 'choose a file to upload.'}")
        return redirect("risk_action", action.pk)
    upload = form.cleaned_data["file"]
    try:
        evidence = action.add_evidence(request.user, upload.read(), upload.name)
    except BadInput as error:
        messages.error(request, f"Not stored: {error.message}")
    else:
        messages.success(request, f"{evidence.filename} kept as evidence (SHA-256 {evidence.sha256[:12]}…).")
    return redirect("risk_action", action.pk)


@require_safe
@staff_required
def evidence_download(request, pk: int, evidence_pk: int):
    evidence = get_object_or_404(ActionEvidence, pk=evidence_pk, action_id=pk)
    # The name is a person's upload (证据.pdf): attachment() names it as RFC 6266 says.
    response = attachment(evidence.file_bytes(), evidence.filename, "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@editor_required
def action_escalate(request, pk: int):
    action = _get_action(pk)
    try:
        _, whom = action.escalate(request.user, clean_text(request.POST.get("note", "")))
    except CannotEscalate as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Escalated to level {action.escalation_level}: an e-mail to {whom} is in the outbox."
        )
    return redirect("risk_action", action.pk)


@require_POST
@editor_required
def action_close(request, pk: int):
    action = _get_action(pk)
    status = request.POST.get("status", ActionStatus.DONE)
    try:
        action.close(request.user, status, clean_text(request.POST.get("note", "")))
    except BadInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Action #{action.pk} closed as {action.get_status_display().lower()}.")
    return redirect("risk_action", action.pk)


# --- the management summary -------------------------------------------------------------------------------
def _summary_bytes(campaign: Campaign, fmt: str) -> bytes:
    risk = campaign_risk(campaign)
    open_actions = [
        OpenAction(
            key=a.subject_key,
            what=a.what,
            owner=a.owner.get_username() if a.owner else (a.owner_role or "no owner"),
            due=a.due_date,
            status=a.get_status_display(),
        )
        for a in RiskAction.objects.filter(campaign=campaign)
        .open()
        .select_related("owner")
        .order_by("due_date", "pk")
    ]
    # The page has room for the soonest-due few per subject, as many as the core suggests; the register
    # has the rest.
    per_subject: dict[str, int] = {}
    shown = []
    for action in open_actions:
        per_subject[action.key] = per_subject.get(action.key, 0) + 1
        if per_subject[action.key] <= ACTIONS_PER_RISK:
            shown.append(action)
    return render_summary(
        risk.assessment,
        fmt,
        organisation=Organisation.current().name,
        year=campaign.reporting_year.year,
        open_actions=shown,
    )


@require_safe
@staff_required
def summary(request, pk: int):
    campaign = _get_campaign(pk)
    fmt = request.GET.get("format")
    if fmt in ("pdf", "xlsx"):
        try:
            data = _summary_bytes(campaign, fmt)
        except BadInput as error:
            messages.error(request, f"The PDF could not be made here: {error.message}")
            return redirect("risk_summary", campaign.pk)
        content_type, suffix = SUMMARY_FORMATS[fmt]
        stamp = timezone.localdate().isoformat()
        return attachment(data, f"risk-summary-{campaign.reporting_year.year}-{stamp}{suffix}", content_type)
    from oretrace.reports.render_pdf import pdf_unavailable

    return render(request, "risk/summary.html", {"campaign": campaign, "pdf_unavailable": pdf_unavailable()})


@require_safe
@staff_required
@xframe_options_sameorigin
def summary_document(request, pk: int):
    """The one-page summary itself (the core's self-contained HTML), shown in a frame on the summary page."""
    campaign = _get_campaign(pk)
    response = HttpResponse(_summary_bytes(campaign, "html"), content_type="text/html; charset=utf-8")
    # The page is the core's own markup with inline styles; it loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response


# --- admin: thresholds and reporting lines ----------------------------------------------------------------
@require_safe
@admin_required
def thresholds_list(request):
    saved = {t.reporting_year_id: t for t in YearThresholds.objects.select_related("updated_by")}
    years = [(y, saved.get(y.pk)) for y in ReportingYear.objects.all()]
    return render(request, "risk/thresholds_list.html", {"years": years})


@admin_required
def thresholds_edit(request, year: int):
    reporting_year = _get_year(year)
    current = YearThresholds.for_year(reporting_year)
    form = ThresholdsForm(request.POST or None, initial_thresholds=current)
    if request.method == "POST" and form.is_valid():
        YearThresholds.save_for(reporting_year, form.thresholds, request.user)
        messages.success(
            request, f"Risk thresholds for {year} saved; assessments of {year} use them from now on."
        )
        return redirect("risk_thresholds_edit", year)
    return render(
        request,
        "risk/thresholds.html",
        {
            "year": reporting_year,
            "form": form,
            "saved": YearThresholds.objects.filter(reporting_year=reporting_year)
            .select_related("updated_by")
            .first(),
            "campaigns": reporting_year.campaigns.all(),
        },
    )


@admin_required
def reporting_lines(request):
    people = staff_users()
    if request.method == "POST":
        by_pk = {u.pk: u for u in people}
        changed = []
        with transaction.atomic():
            for user in people:
                chosen = request.POST.get(f"manager_{user.pk}", "")
                manager = by_pk.get(int(chosen)) if chosen.isdigit() else None
                if manager == user:
                    manager = None
                before = ReportingLine.manager_of(user)
                if manager == before:
                    continue
                if manager is None:
                    ReportingLine.objects.filter(user=user).delete()
                else:
                    ReportingLine.objects.update_or_create(user=user, defaults={"manager": manager})
                changed.append(f"{user.get_username()} → {manager.get_username() if manager else '–'}")
            if changed:
                AuditEntry.record(request.user, "risk.reporting_lines_saved", None, "; ".join(changed))
        messages.success(request, f"Reporting lines saved ({len(changed)} changed).")
        return redirect("risk_reporting_lines")
    lines = dict(ReportingLine.objects.values_list("user_id", "manager_id"))
    return render(
        request,
        "risk/reporting_lines.html",
        {
            "people": [(u, lines.get(u.pk)) for u in people],
        },
    )


@admin_required
def cahra(request):
    """Import a CAHRA country list; every import is kept and the newest by date applies."""
    form = CahraListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imported = CahraList.import_file(
                upload.read(),
                upload.name,
                name=form.cleaned_data["name"],
                as_of=form.cleaned_data["as_of"],
                by=request.user,
            )
        except OretraceError as error:
            messages.error(request, f"{upload.name}: {error.message} Nothing was changed.")
        else:
            current = CahraList.current()
            applies = (
                "it applies to every risk assessment from now on."
                if current == imported
                else f"{current} is newer and still applies."
            )
            messages.success(request, f"{imported} imported: {len(imported.countries)} countries; {applies}")
            return redirect("risk_cahra")
    return render(
        request,
        "risk/cahra.html",
        {
            "form": form,
            "lists": CahraList.objects.select_related("imported_by"),
            "current": CahraList.current(),
        },
    )


@require_safe
@staff_required
def cahra_download(request, pk: int):
    """A CAHRA list's file as imported, byte for byte. Importing is the admins' task, but every role may
    read the list the risk assessments apply, as they may read the evidence package holding it."""
    cahra_list = get_object_or_404(CahraList, pk=pk)
    if not cahra_list.has_file:
        raise Http404("This list was imported before oretrace kept the files themselves.")
    response = attachment(cahra_list.file_bytes(), cahra_list.filename, "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- sanctions screening ------------------------------------------------------------------------------------
def _screening_day(request) -> dt.date:
    """The day whose lists apply: ?on=YYYY-MM-DD, else today; a bad date is said, not a traceback."""
    text = (request.GET.get("on") or request.POST.get("on") or "").strip()
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f'"{text}" is not a date; write it as YYYY-MM-DD.') from None


@require_safe
@staff_required
def screening(request, pk: int):
    campaign = _get_campaign(pk)
    try:
        on = _screening_day(request)
    except BadInput as error:
        messages.error(request, error.message)
        on = timezone.localdate()
    result = campaign_screening(campaign, on)
    decisions = ScreeningDecision.objects.filter(campaign=campaign).select_related("decided_by")
    return render(
        request,
        "risk/screening.html",
        {
            "campaign": campaign,
            "tab": "screening",
            "result": result,
            "decisions": decisions,
            "can_decide": can_edit(request.user),
        },
    )


@require_POST
@editor_required
def screening_decide(request, pk: int):
    campaign = _get_campaign(pk)
    back = reverse("risk_screening", args=[campaign.pk])
    try:
        on = _screening_day(request)
        back = f"{back}?on={on.isoformat()}"
        hit = find_hit(
            campaign,
            on,
            request.POST.get("subject_kind", ""),
            request.POST.get("subject_key", ""),
            request.POST.get("list_kind", ""),
            request.POST.get("entry_key", ""),
        )
        if hit is None:
            raise BadInput("That hit is no longer on the screening: it was decided, or the lists changed.")
        row = ScreeningDecision.record(
            campaign,
            hit,
            request.POST.get("verdict", ""),
            clean_text(request.POST.get("reason", "")),
            request.user,
        )
    except BadInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{row.subject}: the hit on entry {row.entry_key} is {row.verdict}.")
    return redirect(back)
