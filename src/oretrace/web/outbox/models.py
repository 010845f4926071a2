"""An e-mail waiting to go out, going out, gone, or given up on: one row each, never deleted.

The row is written in the same transaction as the change that causes it (a request sent, a reminder
due), so an e-mail is never lost when the mail server is down; the worker claims a row with a
conditional UPDATE, so two workers never send the same message. While the server is down a message is
tried again with growing pauses for ``OUTBOX_RETRY_DAYS`` (ORETRACE_OUTBOX_RETRY_DAYS, 7 by default)
from when it was queued, then marked failed for a person to queue again.

Each row carries the Message-ID it is sent with, set once when it is queued: a message sent a second
time (its worker died after the server took it, before the row said so) is the same message to the
recipient's mail client.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

# Back-off between attempts: 1, 2, 4, 8, 16 minutes, then every half hour, so that mail flows again
# within half an hour of the server's return however long it was away.
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(minutes=30)


def backoff(attempts: int) -> dt.timedelta:
    """The pause after ``attempts`` attempts: 1, 2, 4 ... minutes, at most RETRY_CAP (e-mails and webhooks)."""
    exponent = min(max(attempts - 1, 0), 16)  # 2**16 minutes is far beyond the cap already
    return min(RETRY_BASE * 2**exponent, RETRY_CAP)


def retry_days() -> int:
    return getattr(settings, "OUTBOX_RETRY_DAYS", 7)


def site_domain() -> str:
    """The host of ORETRACE_SITE_URL: the right-hand side of our Message-IDs."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    template = models.CharField(max_length=64)  # "invitation", "reminder" ... (templates/emails/<name>-*)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    request = models.ForeignKey(
        "campaigns.Request", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    # "reminder:<request>:<day>": the same reminder can never be queued twice.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When this round of attempts began (queued, or queued again by a person): retries end
    # OUTBOX_RETRY_DAYS after it.
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    message_id = models.CharField(max_length=255, blank=True)
    # Files sent with the message, each kept under its SHA-256 where the feature that queued it keeps its
    # files: [{"filename", "path", "sha256", "content_type"}]. Read when the message goes out, and only
    # when the bytes still have that hash: a message never carries another file than the one recorded.
    attachments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_waiting_to_retry(self) -> bool:
        return self.status == self.Status.QUEUED and self.attempts > 0

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.message_id:
            # Derived from the row (its id and the moment it was queued), so never reused even when a
            # database is started afresh; written once and never changed, whatever SITE_URL becomes.
            self.message_id = f"<outbox-{self.pk}.{self.created:%Y%m%d%H%M%S%f}@{site_domain()}>"
            OutboundEmail.objects.filter(pk=self.pk, message_id="").update(message_id=self.message_id)

    def retry_delay(self) -> dt.timedelta:
        """How long to wait after the attempt just made (``attempts`` already counts it)."""
        return backoff(self.attempts)

    @property
    def retry_ends_at(self) -> dt.datetime:
        return self.queued_at + dt.timedelta(days=retry_days())

    def queue_again(self) -> bool:
        """Give a failed message a fresh set of attempts (staff saw the error and fixed the cause)."""
        updated = OutboundEmail.queue_failed_again(OutboundEmail.objects.filter(pk=self.pk))
        if updated:
            self.refresh_from_db()
        return bool(updated)

    @classmethod
    def queue_failed_again(cls, emails: models.QuerySet) -> int:
        """Queue the failed ones among ``emails`` again, each for a fresh retry period; how many."""
        now = timezone.now()
        return emails.filter(status=cls.Status.FAILED).update(
            status=cls.Status.QUEUED, attempts=0, next_attempt_at=now, queued_at=now
        )


# Outgoing webhooks live in their own module; imported here so that Django finds the models.
from oretrace.web.outbox.webhooks import Webhook, WebhookDelivery  # noqa: E402, F401
