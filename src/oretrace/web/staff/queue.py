"""The work that waits for us: the "waiting for us" queue, reminders on an analyst's word (one request
or many, after a preview), and each staff member's choice of notification e-mails.

Who is waiting for us is the core's rule (oretrace.survey, SurveyedSupplier.waiting_for_us), counted
over each campaign's survey, so the queue lists exactly the requests the dashboard counts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from oretrace.survey import QUEUE_FIGURES, members
from oretrace.web.accounts.access import editor_required, staff_required
from oretrace.web.accounts.models import Notify, Profile
from oretrace.web.campaigns.models import Campaign, InvalidTransition, Request
from oretrace.web.campaigns.rollup import campaign_survey
from oretrace.web.staff import status_changes
from oretrace.web.staff.views import _get_campaign, _get_request, filtered_requests

# The most requests one bulk reminder takes: a whole campaign of the size the benchmark runs.
BULK_LIMIT = 20000


def waiting_refs(campaign: Campaign) -> list[int]:
    built = campaign_survey(campaign)
    return [s.ref for s in members(built.survey, "waiting_for_us", today=built.as_of)]


@require_safe
@staff_required
def queue(request):
    """Requests waiting for us, oldest first: every open campaign, or the one chosen."""
    chosen = request.GET.get("campaign", "")
    campaigns = list(Campaign.objects.filter(closed=False).select_related("reporting_year"))
    if chosen:
        if not chosen.isdigit():
            raise Http404("No such campaign.")
        campaigns = [_get_campaign(int(chosen))]
    refs = [ref for campaign in campaigns for ref in waiting_refs(campaign)]
    rows = list(
        Request.objects.filter(pk__in=refs)
        .select_related("supplier", "campaign", "latest_submission")
        .order_by("supplier_acted_at", "pk")
    )
    profile = Profile.objects.filter(user=request.user).first()
    changes = status_changes.open_changes()
    if chosen:
        changes = changes.filter(links__request__campaign=campaigns[0]).distinct()
    return render(
        request,
        "staff/queue.html",
        {
            "rows": rows,
            "changes": list(changes),
            "campaign": campaigns[0] if chosen else None,
            "campaigns": Campaign.objects.filter(closed=False).order_by("-created_at"),
            "definition": QUEUE_FIGURES["waiting_for_us"],
            "notify": profile.notify if profile else Notify.OFF,
            "notify_choices": Notify.choices,
            "has_email": bool(request.user.email),
            "outbox": "outbox" in settings.OPTIONAL_APPS,
        },
    )


@require_POST
@staff_required
def queue_notify(request):
    """A staff member's own choice of e-mails about suppliers' uploads, replies and declines."""
    choice = request.POST.get("notify", "")
    if choice not in Notify.values:
        messages.error(request, "Choose no e-mails, an e-mail for each, or a daily digest.")
        return redirect("queue")
    Profile.objects.update_or_create(user=request.user, defaults={"notify": choice})
    message = f"E-mails: {Notify(choice).label.lower()}."
    if choice != Notify.OFF and not request.user.email:
        messages.warning(request, message + " Your account has no e-mail address, so none can be sent.")
    else:
        messages.success(request, message)
    return redirect("queue")


@require_POST
@editor_required
def request_handled(request, pk: int):
    """Staff read the reply or reviewed the decline, with nothing more to do: out of the queue."""
    req = _get_request(pk)
    shown = request.POST.get("seen", "")
    try:
        seen = dt.datetime.fromisoformat(shown) if shown else None
    except ValueError:
        messages.error(request, "The page was out of date; look at the request again.")
        return redirect("request", req.pk)
    try:
        req.mark_handled(request.user, seen=seen)
        messages.success(request, f"{req.supplier} is no longer waiting for us.")
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect("request", req.pk)


@require_POST
@editor_required
def request_remind(request, pk: int):
    """Queue the campaign's reminder to this supplier now."""
    from oretrace.web.outbox.reminders import ReminderRefused, remind_now

    req = _get_request(pk)
    try:
        email = remind_now(req, request.user)
        messages.success(request, f"A reminder to {', '.join(email.to)} is in the outbox.")
    except ReminderRefused as error:
        messages.error(request, str(error))
    return redirect("request", req.pk)


@require_POST
@editor_required
def bulk_remind(request, pk: int):
    """Remind many: the ticked requests or all the list's filter shows. First a preview (how many get
    a reminder, who cannot and why), then, confirmed, the reminders go out."""
    from oretrace.web.outbox.reminders import ReminderRefused, remind_now, reminder_refusal

    campaign = _get_campaign(pk)
    back = redirect("campaign_requests", campaign.pk)
    if request.POST.get("all"):
        chosen = filtered_requests(campaign, request.POST)
    else:
        ids = [int(i) for i in request.POST.getlist("request") if i.isdigit()]
        chosen = Request.objects.filter(campaign=campaign, pk__in=ids).select_related("supplier")
    chosen = list(
        chosen.select_related("campaign", "supplier").prefetch_related("supplier__contacts")[: BULK_LIMIT + 1]
    )
    if not chosen:
        messages.error(request, "Tick the requests to remind, or filter the list and remind all it shows.")
        return back
    if len(chosen) > BULK_LIMIT:
        messages.error(request, f"At most {BULK_LIMIT:,} requests at once; narrow the filter.")
        return back
    if request.POST.get("confirm"):
        sent, refused = 0, []
        for req in chosen:
            try:
                remind_now(req, request.user)
                sent += 1
            except ReminderRefused as error:
                refused.append(str(error))
        messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} queued.")
        if refused:
            messages.warning(
                request,
                f"{len(refused)} not reminded: "
                + " ".join(refused[:10])
                + (" …" if len(refused) > 10 else ""),
            )
        return back
    can, cannot = [], []
    for req in chosen:
        problem = reminder_refusal(req)
        (cannot if problem else can).append((req, problem))
    return render(
        request,
        "staff/bulk_remind.html",
        {"campaign": campaign, "can": [r for r, _ in can], "cannot": cannot},
    )
