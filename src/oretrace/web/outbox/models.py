"""An e-mail waiting to go out, going out, gone, or given up on: one row each, never deleted.

The row is written in the same transaction as the change that causes it (a request sent, a reminder
due), so an e-mail is never lost when the mail server is down; the worker claims a row with a
conditional UPDATE, so two workers never send the same message.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

# Back-off between attempts: 1, 2, 4, 8 ... minutes, never more than 6 hours apart.
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(hours=6)


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)


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
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

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

    def retry_delay(self) -> dt.timedelta:
        """How long to wait after the attempt just made (``attempts`` already counts it)."""
        return min(RETRY_BASE * 2 ** max(self.attempts - 1, 0), RETRY_CAP)

    def queue_again(self) -> bool:
        """Give a failed message a fresh set of attempts (staff saw the error and fixed the cause)."""
        updated = OutboundEmail.objects.filter(pk=self.pk, status=self.Status.FAILED).update(
            status=self.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        if updated:
            self.refresh_from_db()
        return bool(updated)
