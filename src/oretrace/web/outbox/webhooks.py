"""Outgoing webhooks: an integration (an ERP, a ticket system) is told when a supplier's request
changes, instead of asking the API over and over.

An admin registers a URL, the events it wants and gets a secret. Each event is a ``WebhookDelivery``
row written in the same transaction as the change (Request.transition), so none is lost when the
receiver is down; the outbox worker (``deliver_outbox``) claims a row with a conditional UPDATE and
POSTs it, retrying with the e-mails' back-off (1, 2, 4 ... minutes, at most 30 apart) for
``OUTBOX_RETRY_DAYS``, then marks it failed. Delivery is at least once: a receiver tells a repeat by
the ``X-Oretrace-Delivery`` id.

Each POST is signed: ``X-Oretrace-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" under
the webhook's secret>``. The receiver recomputes it and refuses an old ``t`` (a replay).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone


class Event(models.TextChoices):
    RESPONSE_RECEIVED = "request.response_received", "A supplier sent a file or declined"
    ACCEPTED = "request.accepted", "A supplier's file was accepted"
    STATE_CHANGED = "request.state_changed", "A request changed state (every change)"


# A receiver that takes longer than this is treated as down for this attempt.
TIMEOUT_SECONDS = 10
# A row left "sending" this long means its worker died mid-POST: it is sent again (at least once).
STALE_SENDING_AFTER = dt.timedelta(minutes=5)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    url = models.URLField(
        max_length=500, verbose_name="URL", help_text="Where oretrace POSTs each event (https)."
    )
    description = models.CharField(max_length=200, blank=True, help_text='e.g. "SAP Ariba supplier sync"')
    events = models.JSONField(default=list)  # Event values
    # Kept in clear: the signature is an HMAC, which needs the secret itself. Shown once, on creation.
    secret = models.CharField(max_length=100, default=new_secret)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self) -> str:
        return self.description or self.url

    def event_labels(self) -> list[str]:
        return [Event(e).label for e in self.events if e in Event.values]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # The webhook may be removed later; its deliveries stay, with the URL they went to.
    webhook = models.ForeignKey(
        Webhook, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    url = models.URLField(max_length=500)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True)
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.url} ({self.status})"

    @property
    def retry_ends_at(self) -> dt.datetime:
        from oretrace.web.outbox.models import retry_days

        return self.queued_at + dt.timedelta(days=retry_days())


# --- queueing ---------------------------------------------------------------------------------------
def events_of_transition(from_state: str, to_state: str) -> list[str]:
    """The events a request's move from ``from_state`` to ``to_state`` is."""
    from oretrace.web.campaigns.models import State

    events = [Event.STATE_CHANGED.value]
    if to_state in (State.SUBMITTED, State.DECLINED):
        events.append(Event.RESPONSE_RECEIVED.value)
    if to_state == State.ACCEPTED:
        events.append(Event.ACCEPTED.value)
    return events


def queue_transition(request, from_state: str, to_state: str, at: dt.datetime, by_label: str) -> int:
    """Queue a delivery for each webhook that wants one of the move's events; call it inside the
    transaction of the move. How many were queued."""
    hooks = list(Webhook.objects.all())
    if not hooks:
        return 0
    supplier = request.supplier
    data = {
        "request": {
            "id": request.pk,
            "campaign": request.campaign_id,
            "supplier": supplier.pk,
            "supplier_key": supplier.key,
            "supplier_name": supplier.name,
            "from_state": from_state,
            "state": to_state,
            "changed_at": at.isoformat(),
            "changed_by": by_label,
            "latest_submission": request.latest_submission_id,
            "url": f"{settings.SITE_URL}/api/v1/requests/{request.pk}/",
        }
    }
    rows = [
        WebhookDelivery(
            webhook=hook,
            url=hook.url,
            event=event,
            payload={"event": event, "occurred_at": at.isoformat(), "data": data},
        )
        for event in events_of_transition(from_state, to_state)
        for hook in hooks
        if event in hook.events
    ]
    WebhookDelivery.objects.bulk_create(rows)
    return len(rows)


# --- delivering -------------------------------------------------------------------------------------
def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps({"id": str(delivery.delivery_id), **delivery.payload}, sort_keys=True).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: urllib would repeat a POST as a GET without its body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery, secret: str) -> int:
    """POST the delivery; its HTTP status. Raises for no answer or an answer other than 2xx."""
    body = body_of(delivery)
    message = urllib.request.Request(
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "oretrace-webhooks/1",
            "X-Oretrace-Event": delivery.event,
            "X-Oretrace-Delivery": str(delivery.delivery_id),
            "X-Oretrace-Signature": signature(secret, int(time.time()), body),
        },
    )
    try:
        with urllib.request.urlopen(message, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        raise DeliveryRefused(error.code, f"the receiver answered HTTP {error.code} {error.reason}") from None


class DeliveryRefused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def next_due() -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.QUEUED, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "id")
        .first()
    )


def deliver_one() -> tuple[bool, str]:
    """Claim and POST one due delivery: (whether there was one, an error line for the log or "")."""
    due = next_due()
    if due is None:
        return False, ""
    claimed = WebhookDelivery.objects.filter(
        pk=due.pk, status=WebhookDelivery.Status.QUEUED, attempts=due.attempts
    ).update(status=WebhookDelivery.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
    if claimed != 1:
        return True, ""  # another worker got there first
    due.refresh_from_db()
    secret = Webhook.objects.filter(pk=due.webhook_id).values_list("secret", flat=True).first()
    if secret is None:
        _finish(
            due, WebhookDelivery.Status.FAILED, error="The webhook was removed before this event went out."
        )
        return True, ""
    try:
        status = post(due, secret)
    except Exception as exc:
        return True, _retry_or_fail(due, exc)
    _finish(due, WebhookDelivery.Status.SENT, response_status=status, sent_at=timezone.now())
    return True, ""


def _finish(delivery: WebhookDelivery, status: str, *, error: str = "", **more) -> None:
    # Only our own claim: a claim given up as stale and taken again records its own outcome.
    WebhookDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
        status=status, last_error=error, **more
    )


def _retry_or_fail(delivery: WebhookDelivery, exc: Exception) -> str:
    from oretrace.web.outbox.models import backoff, retry_days

    error = str(exc) if isinstance(exc, DeliveryRefused) else f"{type(exc).__name__}: {exc}"
    now, ends = timezone.now(), delivery.retry_ends_at
    if now >= ends:
        status, next_attempt = WebhookDelivery.Status.FAILED, delivery.next_attempt_at
        error = f"Gave up after {retry_days()} days ({delivery.attempts} attempts). Last error: {error}"
    else:
        status, next_attempt = WebhookDelivery.Status.QUEUED, min(now + backoff(delivery.attempts), ends)
    WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.SENDING, attempts=delivery.attempts
    ).update(
        status=status,
        next_attempt_at=next_attempt,
        last_error=error[:4000],
        response_status=getattr(exc, "status", None),
    )
    return f"Could not deliver webhook event {delivery.delivery_id} to {delivery.url}: {error}"


def requeue_stale() -> int:
    """Deliveries a dead worker left "sending" go back to the queue, due now (at least once)."""
    cutoff = timezone.now() - STALE_SENDING_AFTER
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=cutoff
    ).update(status=WebhookDelivery.Status.QUEUED, next_attempt_at=timezone.now())
