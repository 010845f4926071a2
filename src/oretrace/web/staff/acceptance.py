"""Accepting a supplier's file with evidence: a confirmation step, a reason for an acceptance with review
errors open (accepted with exceptions), bulk acceptance with the same controls, staff rejecting a
supplier's decline, and the rule choosing which responses our CMRT and the report are built from.

The rules are the model's (``Request.accept``, ``Request.reject_decline``) and the core's
(``oretrace.survey.ResultsRule``); these views ask, confirm and report what happened.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oretrace.survey import ResultsRule
from oretrace.web.accounts.access import editor_required
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign, InvalidTransition, Request, State, Submission
from oretrace.web.forms import clean_text

# The states a file can be accepted from by an analyst (a decline is rejected, not accepted).
ACCEPTABLE = (State.SUBMITTED, State.FOLLOW_UP)


def _get_request(pk: int) -> Request:
    return get_object_or_404(
        Request.objects.select_related(
            "campaign", "campaign__reporting_year", "supplier", "latest_submission"
        ),
        pk=pk,
    )


def _file_id(request) -> int | None:
    shown = request.POST.get("file", "")
    return int(shown) if shown.isdigit() else None


def _by_severity(submission) -> list[tuple[str, int]]:
    """The file's findings per severity, errors first (the core's counts)."""
    counts = submission.findings_by_severity() if submission is not None else {}
    order = {"error": 0, "warning": 1}
    return sorted(((s, n) for s, n in counts.items() if n), key=lambda item: (order.get(item[0], 2), item[0]))


@editor_required
def request_accept(request, pk: int):
    """GET: the confirmation (the file's version and its open findings by severity); POST: accept it."""
    req = _get_request(pk)
    latest = req.latest_submission
    if request.method == "POST":
        reason = clean_text(request.POST.get("reason", "")).strip()
        try:
            if req.state == State.DECLINED:
                raise InvalidTransition(
                    "The supplier declined: there is no file to accept. Review the decline on this page."
                )
            req.accept(request.user, expected_file=_file_id(request), reason=reason)
        except InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("request_accept", req.pk)
        if req.exceptions_reason:
            messages.success(
                request,
                f"{req.supplier}'s file is accepted with exceptions ({req.accepted_open_errors} open "
                f"error{'s' if req.accepted_open_errors != 1 else ''}); the supplier is told it was accepted.",
            )
        else:
            messages.success(request, f"{req.supplier}'s file is accepted; the supplier is told.")
        return redirect("request", req.pk)
    if req.state not in ACCEPTABLE or latest is None:
        messages.error(request, f"A request that is {req.get_state_display().lower()} has no file to accept.")
        return redirect("request", req.pk)
    errors = req.open_errors(latest)
    return render(
        request,
        "staff/accept_confirm.html",
        {
            "req": req,
            "latest": latest,
            "by_severity": _by_severity(latest),
            "errors": errors,
            "error_findings": [f for f in latest.findings if f.get("severity") == "error"],
        },
    )


@require_POST
@editor_required
def reject_decline(request, pk: int):
    """Staff do not accept a supplier's decline: the request reopens for it, with the message e-mailed."""
    req = _get_request(pk)
    try:
        req.reject_decline(request.user, clean_text(request.POST.get("message", "")))
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The decline is not accepted: the request is open again for {req.supplier}, and your message "
            "with their link is in the outbox.",
        )
    return redirect("request", req.pk)


@require_POST
@editor_required
def bulk_accept(request, pk: int):
    """The chosen requests' preview (each with its version and open errors), then, confirmed, each
    accepted with the same controls as one by one; a file that changed since the preview is skipped."""
    campaign = get_object_or_404(Campaign, pk=pk)
    ids = [int(i) for i in request.POST.getlist("request") if i.isdigit()]
    chosen = list(
        Request.objects.filter(campaign=campaign, pk__in=ids)
        .select_related("supplier", "latest_submission")
        .order_by("supplier__name", "pk")
    )
    back = reverse("campaign_requests", args=[campaign.pk])
    if not chosen:
        messages.error(request, "Choose at least one request to accept.")
        return redirect(back)
    reason = clean_text(request.POST.get("reason", "")).strip()
    if request.POST.get("confirm"):
        return _bulk_accept_confirmed(request, campaign, chosen, reason, back)
    rows = [_preview_row(req) for req in chosen]
    return render(
        request,
        "staff/bulk_accept.html",
        {
            "campaign": campaign,
            "rows": rows,
            "acceptable": sum(1 for r in rows if r["acceptable"]),
            "with_errors": sum(1 for r in rows if r["acceptable"] and r["errors"]),
            "reason": reason,
        },
    )


def _preview_row(req: Request) -> dict:
    latest = req.latest_submission
    acceptable = req.state in ACCEPTABLE and latest is not None
    return {
        "req": req,
        "latest": latest,
        "acceptable": acceptable,
        "errors": req.open_errors(latest) if acceptable else 0,
        "by_severity": _by_severity(latest) if acceptable else [],
        "why_not": "" if acceptable else f"{req.get_state_display().lower()}, no file to accept",
    }


def _bulk_accept_confirmed(request, campaign: Campaign, chosen: list[Request], reason: str, back: str):
    # Decided on the files the preview showed: a request's file that changed since is skipped.
    seen = {req.pk: _int(request.POST.get(f"file-{req.pk}")) for req in chosen}
    shown = {s.pk: s for s in Submission.objects.filter(pk__in=[f for f in seen.values() if f])}
    needs_reason = [req for req in chosen if req.open_errors(shown.get(seen[req.pk]))]
    if needs_reason and not reason:
        messages.error(
            request,
            f"{len(needs_reason)} of the selected files have open review errors: accepting them is an "
            "acceptance with exceptions, which needs your reason (applied to each of them). Nothing was "
            "accepted.",
        )
        return redirect(back)
    accepted, exceptions, skipped = 0, 0, []
    for req in chosen:
        file_id = seen.get(req.pk)
        if file_id is None:
            skipped.append(f"{req.supplier}: not in the preview")
            continue
        if req.state not in ACCEPTABLE:
            skipped.append(f"{req.supplier}: {req.get_state_display().lower()}")
            continue
        try:
            # The errors of the file the preview showed: the reason goes to those that had some.
            errors = req.open_errors(shown.get(file_id))
            req.accept(request.user, expected_file=file_id, reason=reason if errors else "")
        except InvalidTransition as error:
            skipped.append(f"{req.supplier}: {error}")
            continue
        accepted += 1
        exceptions += bool(req.exceptions_reason)
    AuditEntry.record(
        request.user,
        "campaign.bulk_accept",
        campaign,
        f"{accepted} accepted ({exceptions} with exceptions), {len(skipped)} skipped"
        + (f"; reason: {reason}" if exceptions else ""),
    )
    if accepted:
        messages.success(
            request,
            f"{accepted} of {len(chosen)} accepted ({exceptions} with exceptions); each supplier is told.",
        )
    if skipped:
        messages.warning(request, f"{len(skipped)} skipped: " + "; ".join(skipped))
    return redirect(back)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_POST
@editor_required
def results_rule(request, pk: int):
    """Change which responses our CMRT and the report are built from; logged."""
    campaign = get_object_or_404(Campaign, pk=pk)
    chosen = request.POST.get("rule", "")
    if chosen not in {rule.value for rule in ResultsRule}:
        messages.error(request, f"“{chosen}” is not a rule; choose one of the listed ones.")
    elif chosen != campaign.results_rule:
        was = ResultsRule(campaign.results_rule)
        Campaign.objects.filter(pk=campaign.pk).update(results_rule=chosen)
        AuditEntry.record(
            request.user,
            "campaign.results_rule",
            campaign,
            f"our CMRT and the report built from: {ResultsRule(chosen).label} (was: {was.label})",
        )
        messages.success(request, f"Our CMRT and the report are now built from: {ResultsRule(chosen).label}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("report_declaration", args=[campaign.pk])
    return redirect(target)
