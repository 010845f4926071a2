"""The outbox as staff see it: what went out, what waits for a retry, what failed and why.

In the demo (ORETRACE_DEMO) no mail leaves the building, so the page also shows each message as the
supplier would read it, links included, so that a person can open a supplier's portal from it. Outside
the demo message bodies stay hidden: they carry suppliers' personal links.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oretrace.web.accounts.access import editor_required, staff_required
from oretrace.web.accounts.models import can_edit
from oretrace.web.audit.models import AuditEntry
from oretrace.web.outbox.models import RETRY_CAP, OutboundEmail, retry_days
from oretrace.web.staff.exports import FORMATS, export

PAGE_SIZE = 50


def bodies_visible() -> bool:
    return settings.DEMO or getattr(settings, "OUTBOX_SHOW_BODIES", False)


@staff_required
def outbox(request):
    emails = OutboundEmail.objects.select_related("request__supplier")
    status = request.GET.get("status", "")
    if status in OutboundEmail.Status.values:
        emails = emails.filter(status=status)
    if q := request.GET.get("q", "").strip():
        emails = emails.filter(Q(subject__icontains=q) | Q(to__icontains=q))
    if (fmt := request.GET.get("format")) in FORMATS:
        return export(
            fmt,
            "outbox",
            ["Queued", "To", "Subject", "Kind", "Status", "Attempts", "Sent", "Next attempt", "Last error"],
            (
                (
                    e.created,
                    ", ".join(e.to),
                    e.subject,
                    e.template,
                    e.status,
                    e.attempts,
                    e.sent_at,
                    e.next_attempt_at,
                    e.last_error,
                )
                for e in emails.iterator(chunk_size=1000)
            ),
        )
    counts = dict(OutboundEmail.objects.values_list("status").annotate(n=Count("id")).order_by())
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "outbox/outbox.html",
        {
            "page": Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page")),
            "qs": query.urlencode(),
            "status": status,
            "counts": [(s, label, counts.get(s, 0)) for s, label in OutboundEmail.Status.choices],
            "total": sum(counts.values()),
            "retry_days": retry_days(),
            "retry_cap_minutes": int(RETRY_CAP.total_seconds() // 60),
            "failed": counts.get(OutboundEmail.Status.FAILED, 0),
            "demo": settings.DEMO,
            "bodies_visible": bodies_visible(),
            "can_edit": can_edit(request.user),
        },
    )


@staff_required
def email(request, pk: int):
    message = get_object_or_404(OutboundEmail.objects.select_related("request__supplier"), pk=pk)
    return render(
        request,
        "outbox/email.html",
        {
            "email": message,
            "bodies_visible": bodies_visible(),
            "demo": settings.DEMO,
            "can_edit": can_edit(request.user),
        },
    )


@require_POST
@editor_required
def queue_again(request, pk: int):
    message = get_object_or_404(OutboundEmail, pk=pk)
    if message.queue_again():
        AuditEntry.record(request.user, "email.queued_again", message, f"to {', '.join(message.to)}")
        messages.success(request, "The e-mail is queued again; the worker sends it within a minute.")
    else:
        messages.error(request, "Only a failed e-mail can be queued again.")
    return redirect("outbox_email", pk=message.pk)


@editor_required
def queue_again_failed(request):
    """Every failed e-mail queued again, after a page that says how many and shows the latest error.

    The form carries the newest failure the person saw: one that fails in the meantime stays failed
    until it is looked at, rather than being sent on a confirmation given before it existed.
    """
    failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    if request.method == "POST":
        try:
            up_to = int(request.POST.get("up_to", ""))
        except ValueError:
            messages.error(request, "Open the outbox again and confirm from there.")
            return redirect("outbox")
        with transaction.atomic():
            count = OutboundEmail.queue_failed_again(failed.filter(pk__lte=up_to))
            if count:
                AuditEntry.record(request.user, "email.queued_again_all", None, f"{count} failed e-mails")
        if count:
            messages.success(
                request, f"{count} failed e-mails are queued again; the worker sends them from now on."
            )
        else:
            messages.info(request, "No e-mail has failed: there is nothing to queue again.")
        return redirect("outbox")
    newest = failed.order_by("-pk").first()
    if newest is None:
        messages.info(request, "No e-mail has failed: there is nothing to queue again.")
        return redirect("outbox")
    return render(
        request,
        "outbox/queue_again_failed.html",
        {"count": failed.count(), "newest": newest, "retry_days": retry_days()},
    )
