"""Reminders and escalations for suppliers who have not answered, queued on each campaign's schedule.

Run as often as you like: every message has an idempotency key ("reminder:<request>:<day>",
"escalation:<request>"), so a repeated or overlapping run never queues the same one twice. Only the
latest reminder that is due goes out: a worker that was down for a month sends one reminder, not a pile.
Requests that were submitted or declined are no longer waiting, so nothing more is sent to them.

A supplier never gets two of these e-mails within MINIMUM_GAP: a worker that starts late (or a campaign
sent weeks ago) finds a reminder and the escalation due together, sends the reminder, and escalates on a
later run. The escalation goes to the supplier's escalation contacts with its personal link, and
separately to our internal owner with the link to the request's staff page: the supplier's link opens
the supplier's portal, which is not for our staff to answer in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import AWAITING, Request
from oretrace.web.outbox.mail import is_english, send_campaign_email, send_email
from oretrace.web.outbox.models import OutboundEmail

WORKER = "reminder worker"
# The least time between two e-mails of this worker to one supplier (a reminder, the escalation).
MINIMUM_GAP = dt.timedelta(days=2)


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
        # A reminder queued now defers the escalation to a later run (MINIMUM_GAP).
        queued += remind(request, now) or escalate(request, now)
    return queued


def _too_soon(request: Request, now: dt.datetime) -> bool:
    """Whether this worker wrote to the supplier less than MINIMUM_GAP before ``now``."""
    last = [moment for moment in (request.last_reminder_at, request.escalated_at) if moment]
    return any(now - moment < MINIMUM_GAP for moment in last)


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
        if _too_soon(locked, now):
            return 0
        email = send_campaign_email(locked, "reminder", recipients, key=key, today=timezone.localdate(now))
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
    key, staff_key = f"escalation:{request.pk}", f"escalation:{request.pk}:staff"
    contacts = [c for c in request.supplier.contacts.all() if c.is_escalation]
    owner = request.supplier.internal_owner
    staff = [owner.email] if owner and owner.email else []
    if not (contacts or staff) or OutboundEmail.objects.filter(key__in=[key, staff_key]).exists():
        return 0
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        if locked.state not in AWAITING or OutboundEmail.objects.filter(key__in=[key, staff_key]).exists():
            return 0
        if _too_soon(locked, now):
            return 0
        sent_to = []
        if contacts:
            # One message to all of them: in Chinese (with the English below) when any of them reads it.
            language = next((c.language for c in contacts if not is_english(c.language)), "en")
            email = send_campaign_email(
                locked,
                "escalation",
                [c.email for c in contacts],
                key=key,
                language=language,
                today=timezone.localdate(now),
            )
            sent_to += email.to
        if staff:
            email = send_email(
                "escalation-staff",
                staff,
                {
                    "request": locked,
                    "supplier": locked.supplier,
                    "campaign": locked.campaign,
                    "contacts": [c.email for c in contacts],
                    "staff_link": settings.SITE_URL + reverse("request", args=[locked.pk]),
                },
                request=locked,
                key=staff_key,
                language="en",
            )
            sent_to += email.to
        locked.escalated_at = now
        locked.save(update_fields=["escalated_at"])
        AuditEntry.record(WORKER, "request.escalation_queued", locked, f"escalation to {', '.join(sent_to)}")
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
