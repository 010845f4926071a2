"""Reminders and escalations for suppliers who have not answered, queued on each campaign's schedule.

Run as often as you like: every message has an idempotency key ("reminder:<request>:<day>",
"escalation:<request>"), so a repeated or overlapping run never queues the same one twice. Only the
latest reminder that is due goes out: a worker that was down for a month sends one reminder, not a pile.
Requests that were submitted or declined are no longer waiting, so nothing more is sent to them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import AWAITING, Request
from oretrace.web.outbox.mail import send_campaign_email
from oretrace.web.outbox.models import OutboundEmail

WORKER = "reminder worker"


def queue_due_reminders(now: dt.datetime | None = None) -> int:
    """Queue every reminder and escalation due at ``now`` in open campaigns; returns how many were queued."""
    now = now or timezone.now()
    waiting = (
        Request.objects.filter(campaign__closed=False, state__in=AWAITING, sent_at__isnull=False)
        .select_related("campaign", "campaign__reporting_year", "supplier", "supplier__internal_owner")
        .prefetch_related("supplier__contacts")
        .order_by("id")
    )
    queued = 0
    for request in waiting.iterator(chunk_size=500):
        queued += remind(request, now) + escalate(request, now)
    return queued


def due_reminder_day(request: Request, now: dt.datetime) -> int | None:
    """The latest schedule day (days after sending) that has passed, or None."""
    passed = [
        int(d)
        for d in request.campaign.reminder_days or []
        if now >= request.sent_at + dt.timedelta(days=int(d))
    ]
    return max(passed) if passed else None


def remind(request: Request, now: dt.datetime) -> int:
    day = due_reminder_day(request, now)
    if day is None:
        return 0
    key = f"reminder:{request.pk}:{day}"
    recipients = request.supplier.recipients()
    if not recipients or OutboundEmail.objects.filter(key=key).exists():
        return 0
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if locked.state not in AWAITING or OutboundEmail.objects.filter(key=key).exists():
            return 0  # the supplier answered, or another worker queued it, while we looked
        email = send_campaign_email(locked, "reminder", recipients, key=key)
        locked.reminders_sent += 1
        locked.last_reminder_at = now
        locked.save(update_fields=["reminders_sent", "last_reminder_at"])
        AuditEntry.record(
            WORKER, "request.reminder_queued", locked, f"day {day} reminder to {', '.join(email.to)}"
        )
    return 1


def escalate(request: Request, now: dt.datetime) -> int:
    days = request.campaign.escalation_days
    if days is None or now < request.sent_at + dt.timedelta(days=days):
        return 0
    key = f"escalation:{request.pk}"
    recipients = request.supplier.escalation_recipients()
    if not recipients or OutboundEmail.objects.filter(key=key).exists():
        return 0
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if locked.state not in AWAITING or OutboundEmail.objects.filter(key=key).exists():
            return 0
        email = send_campaign_email(locked, "escalation", recipients, key=key)
        locked.escalated_at = now
        locked.save(update_fields=["escalated_at"])
        AuditEntry.record(WORKER, "request.escalation_queued", locked, f"escalation to {', '.join(email.to)}")
    return 1


# A reminder by hand is refused within this time of the last one, so that a double click, or two
# analysts at once, never send a supplier two reminders in a row.
MANUAL_REMINDER_GAP = dt.timedelta(hours=20)


def reminder_refusal(request: Request, now: dt.datetime | None = None) -> str | None:
    """Why ``request`` cannot be reminded now, in words; None when it can."""
    now = now or timezone.now()
    if request.state not in AWAITING:
        return f"not waiting for the supplier ({request.get_state_display().lower()})"
    if request.campaign.closed:
        return "the campaign is closed"
    if not any(address.strip() for address in request.supplier.recipients()):
        return "no contact with an e-mail address"
    if request.last_reminder_at and now - request.last_reminder_at < MANUAL_REMINDER_GAP:
        return f"reminded already at {timezone.localtime(request.last_reminder_at):%Y-%m-%d %H:%M}"
    return None


class ReminderRefused(ValueError):
    """This request cannot be reminded now (the message says why)."""


def remind_now(request: Request, by, now: dt.datetime | None = None) -> OutboundEmail:
    """Queue the campaign's reminder at once, on an analyst's word: counted and logged as a reminder.

    Race-free: decided on the locked row, and the count moves by a conditional update on the count
    read, so two clicks at once queue one reminder (the second is refused, saying when the first went).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Request.objects.select_for_update()
            .select_related("campaign", "campaign__reporting_year", "supplier")
            .get(pk=request.pk)
        )
        if problem := reminder_refusal(locked, now):
            raise ReminderRefused(f"{locked.supplier} cannot be reminded: {problem}.")
        moved = Request.objects.filter(
            pk=locked.pk, state__in=AWAITING, reminders_sent=locked.reminders_sent
        ).update(reminders_sent=locked.reminders_sent + 1, last_reminder_at=now)
        if moved != 1:
            raise ReminderRefused(f"{locked.supplier}'s request changed meanwhile; reload it and try again.")
        email = send_campaign_email(
            locked, "reminder", key=f"reminder:{locked.pk}:now:{locked.reminders_sent + 1}"
        )
        AuditEntry.record(by, "request.reminder_queued", locked, f"reminder now to {', '.join(email.to)}")
    request.reminders_sent, request.last_reminder_at = locked.reminders_sent + 1, now
    return email
