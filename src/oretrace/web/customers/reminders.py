"""Reminders to ourselves before a customer's due date, queued through the outbox to the request's owner.

Which reminder is due is the core's rule (oretrace.customers.due_reminder: 14, 7 and 1 days before, and
on the due day). Each has an idempotency key ("customer-due:<request>:<days>"), so a repeated or
overlapping run never queues one twice, and a run after a long pause sends only the latest.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from oretrace.customers import due_reminder
from oretrace.web.audit.models import AuditEntry
from oretrace.web.customers.answers import staff_link
from oretrace.web.customers.models import CustomerRequest
from oretrace.web.outbox.mail import send_email
from oretrace.web.outbox.models import OutboundEmail

WORKER = "reminder worker"


def queue_due_customer_reminders(now: dt.datetime | None = None) -> int:
    """Queue every due-date reminder due at ``now``; how many were queued."""
    today = timezone.localdate(now or timezone.now())
    queued = 0
    open_requests = CustomerRequest.objects.filter(
        status__in=CustomerRequest.OPEN, owner__isnull=False
    ).exclude(owner__email="")
    for request in open_requests.select_related("customer", "owner").order_by("pk"):
        days = due_reminder(request.due_date, today)
        if days is not None:
            queued += _remind(request, days, today)
    return queued


def _remind(request: CustomerRequest, days: int, today: dt.date) -> int:
    key = f"customer-due:{request.pk}:{days}"
    if OutboundEmail.objects.filter(key=key).exists():
        return 0
    with transaction.atomic():
        locked = (
            CustomerRequest.objects.select_for_update(of=("self",))
            .select_related("customer", "owner")
            .get(pk=request.pk)
        )
        if locked.status not in CustomerRequest.OPEN or OutboundEmail.objects.filter(key=key).exists():
            return 0  # answered, or queued by another worker, while we looked
        email = send_email(
            "customer-due",
            [locked.owner.email],
            {
                "customer_request": locked,
                "days": (locked.due_date - today).days,
                "staff_link": staff_link(locked),
            },
            key=key,
            language="en",
        )
        AuditEntry.record(
            WORKER, "customers.reminder_queued", locked, f"{days} days before, to {', '.join(email.to)}"
        )
    return 1
