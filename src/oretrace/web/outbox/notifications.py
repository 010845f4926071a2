"""E-mails to our own staff about what suppliers did: a new file, a reply to a follow-up, a decline.

Each staff member chooses on the queue page (accounts.Profile.notify): no e-mails, one for each action,
or a daily digest. A message for each action is queued in the transaction that records the action, so
the two never disagree. The digest is queued by the worker (``queue_due_digests``, run with the
reminders) once a day for the days since the last one, under the key "digest:<user>:<day>": a pass
repeated, or a worker that died and started again, never queues it twice, and a worker that was down
for days sends one digest covering them all (at most DIGEST_MAX_DAYS).

Staff e-mails link to the staff page of the request, never to the supplier's personal link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from oretrace.web.accounts.models import Notify
from oretrace.web.campaigns.models import FollowUp, RequestEvent, State, SupplierAction
from oretrace.web.outbox.mail import send_email
from oretrace.web.outbox.models import OutboundEmail

DIGEST_MAX_DAYS = 7  # a digest after a long silence covers the last week, not months


@dataclass(frozen=True)
class Notice:
    """One supplier action as a staff e-mail tells it."""

    at: dt.datetime
    action: str  # SupplierAction
    what: str
    supplier: str
    campaign: str
    url: str  # the staff request page
    excerpt: str = ""


def staff_request_url(request_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('request', args=[request_id])}"


def _recipients(choice: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__notify=choice)
        .exclude(email="")
        .order_by("pk")
    )


def _notice(request, action: str, at: dt.datetime, excerpt: str = "") -> Notice:
    return Notice(
        at=at,
        action=action,
        what=SupplierAction(action).label,
        supplier=request.supplier.name,
        campaign=request.campaign.name,
        url=staff_request_url(request.pk),
        excerpt=excerpt[:300],
    )


def notify_at_once(request, action: str, about) -> int:
    """Queue one e-mail to each staff member who wants one for each action; ``about`` is the
    RequestEvent (a file, a decline) or the FollowUp (a reply). Returns how many were queued."""
    at = getattr(about, "at", None) or getattr(about, "created_at", None) or timezone.now()
    excerpt = getattr(about, "message", "") if isinstance(about, FollowUp) else ""
    notice = _notice(request, action, at, excerpt)
    queued = 0
    for user in _recipients(Notify.AT_ONCE):
        send_email(
            "staff-notice",
            [user.email],
            {"notice": notice, "user": user},
            request=request,
            key=f"notice:{user.pk}:{action}:{about.pk}",
        )
        queued += 1
    return queued


def notices_between(start: dt.datetime, end: dt.datetime) -> list[Notice]:
    """What suppliers did in [start, end), in open campaigns, oldest first: files and declines they
    sent through their link (not those an analyst entered for them) and their replies."""
    notices = []
    events = RequestEvent.objects.filter(
        at__gte=start,
        at__lt=end,
        by__isnull=True,
        to_state__in=(State.SUBMITTED, State.DECLINED),
        request__campaign__closed=False,
    ).select_related("request__supplier", "request__campaign")
    for event in events:
        action = SupplierAction.UPLOAD if event.to_state == State.SUBMITTED else SupplierAction.DECLINE
        notices.append(_notice(event.request, action, event.at))
    replies = FollowUp.objects.filter(
        created_at__gte=start, created_at__lt=end, from_supplier=True, request__campaign__closed=False
    ).select_related("request__supplier", "request__campaign")
    for reply in replies:
        notices.append(_notice(reply.request, SupplierAction.REPLY, reply.created_at, reply.message))
    return sorted(notices, key=lambda n: n.at)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def queue_due_digests(now: dt.datetime | None = None) -> int:
    """Queue each daily digest that is due: for every staff member who chose one, what suppliers did
    from the end of the last digest (or the day before) to the start of today. None when nothing
    happened. Returns how many were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    end = _midnight(today)
    queued = 0
    for user in _recipients(Notify.DAILY):
        key = f"digest:{user.pk}:{today.isoformat()}"
        if OutboundEmail.objects.filter(key=key).exists():
            continue
        start = end - dt.timedelta(days=1)
        last = (
            OutboundEmail.objects.filter(key__startswith=f"digest:{user.pk}:")
            .order_by("-key")
            .values_list("key", flat=True)
            .first()
        )
        if last:
            last_end = _midnight(dt.date.fromisoformat(last.rsplit(":", 1)[1]))
            start = max(last_end, end - dt.timedelta(days=DIGEST_MAX_DAYS))
        notices = notices_between(start, end)
        if not notices:
            continue
        with transaction.atomic():
            send_email(
                "staff-digest",
                [user.email],
                {
                    "notices": notices,
                    "user": user,
                    "start": timezone.localtime(start),
                    "end": timezone.localtime(end),
                    "queue_url": f"{settings.SITE_URL}{reverse('queue')}",
                },
                key=key,
            )
        queued += 1
    return queued


def notify_status_changes(changes) -> int:
    """One e-mail to each staff member who chose e-mails (each, or the digest: a status change does not
    wait for tomorrow) about the facility status changes just kept, in the caller's transaction; keyed
    by the first change, so a repeated pass never sends it twice. Returns how many were queued."""
    changes = list(changes)
    if not changes:
        return 0
    for change in changes:
        change.url = f"{settings.SITE_URL}{reverse('status_change', args=[change.pk])}"
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__notify__in=(Notify.AT_ONCE, Notify.DAILY))
        .exclude(email="")
        .order_by("pk")
    )
    queued = 0
    for user in users:
        send_email(
            "status-changes",
            [user.email],
            {
                "changes": changes,
                "user": user,
                "seen_in": changes[0].seen_in,
                "queue_url": f"{settings.SITE_URL}{reverse('queue')}",
            },
            key=f"status-changes:{user.pk}:{changes[0].pk}",
        )
        queued += 1
    return queued
