"""The worker: deliver queued e-mails (and webhook events, outbox.webhooks) one at a time, retrying with
back-off; optionally run reminders.

Several workers may run at once: each claims a row with a conditional UPDATE (queued -> sending) and
only the one whose UPDATE changed the row sends it. A delivery error never stops the loop; it is kept
on the row, which is tried again with growing pauses (1, 2, 4 ... minutes, at most 30 apart) and,
``OUTBOX_RETRY_DAYS`` after it was queued, marked failed, where staff see it on the request page and
the outbox page and can queue it again.

Delivery is at least once: a row a dead worker left "sending" goes back to the queue, and is sent
under the Message-ID it always had, so a second copy is recognisable as the same message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from oretrace.web.outbox import webhooks
from oretrace.web.outbox.models import OutboundEmail, retry_days
from oretrace.web.outbox.scheduled import queue_everything_due
from oretrace.web.workers import QueueWorkerCommand

# A row left "sending" this long means its worker died mid-send (power cut, kill -9): a send takes at
# most EMAIL_TIMEOUT per step. We cannot know whether the mail server took it, so it is sent again
# (with the same Message-ID) rather than lost.
STALE_SENDING_AFTER_SECONDS = 15 * 60


def attached_bytes(attachment: dict) -> bytes:
    """The file recorded on the row, refused (an error kept on the row) when it is gone or changed."""
    data = Path(attachment["path"]).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment["sha256"]:
        raise ValueError(f"{attachment['filename']} is not the file this message was queued with")
    return data


class Command(QueueWorkerCommand):
    help = "Deliver queued e-mails from the outbox, with retries and back-off (and, with --reminders, queue reminders)."
    running_message = "deliver_outbox is running; SIGTERM stops it after the current message."
    stopping_message = "Stopping after the current message."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--reminders",
            action="store_true",
            help="Also queue due reminders, escalations, staff digests and customers' due-date reminders (what send_reminders does) every --reminders-every seconds.",
        )
        parser.add_argument("--reminders-every", type=int, default=300, metavar="SECONDS")

    def handle(self, *args, **options):
        self.next_reminders = 0.0
        return super().handle(*args, **options)

    def before_each(self, *, reminders=False, reminders_every=300, **options) -> None:
        if reminders and time.monotonic() >= self.next_reminders:
            for n, line in queue_everything_due():
                if n:
                    self.stdout.write(line)
            self.next_reminders = time.monotonic() + reminders_every
        self.requeue_stale_sends()
        webhooks.requeue_stale()

    def handle_one(self) -> bool:
        """Send one due e-mail and deliver one due webhook event. False when nothing is due (the loop
        may sleep)."""
        sent = self.send_one_email()
        delivered, error = webhooks.deliver_one()
        if error:
            self.stderr.write(error)
        return sent or delivered

    def send_one_email(self) -> bool:
        due = self.next_due()
        if due is None:
            return False
        claimed = OutboundEmail.objects.filter(
            pk=due.pk, status=OutboundEmail.Status.QUEUED, attempts=due.attempts
        ).update(status=OutboundEmail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
        if claimed != 1:
            return True  # another worker got there first
        due.refresh_from_db()
        try:
            self.deliver(due)
        except Exception as exc:
            self.record_failure(due, exc)
        else:
            # Only our own claim: if this send outlasted STALE_SENDING_AFTER_SECONDS and another worker
            # claimed the row again, that worker records its own outcome.
            OutboundEmail.objects.filter(pk=due.pk, attempts=due.attempts).update(
                status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
            )
        return True

    def next_due(self) -> OutboundEmail | None:
        return (
            OutboundEmail.objects.filter(
                status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=timezone.now()
            )
            .order_by("next_attempt_at", "id")
            .first()
        )

    def deliver(self, email: OutboundEmail) -> None:
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.to,
            # Set once when the row was queued: should a message reach a server twice, it is one message.
            headers={"Message-ID": email.message_id},
            connection=get_connection(fail_silently=False),
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        for attachment in email.attachments:
            message.attach(attachment["filename"], attached_bytes(attachment), attachment["content_type"])
        message.send(fail_silently=False)

    def record_failure(self, email: OutboundEmail, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}".strip()
        if settings.DEBUG:
            error += "\n" + traceback.format_exc(limit=3)
        now = timezone.now()
        ends = email.retry_ends_at
        if now >= ends:
            status, next_attempt = OutboundEmail.Status.FAILED, email.next_attempt_at
            days = retry_days()
            error = (
                f"Gave up: not delivered within {days} day{'s' if days != 1 else ''} "
                f"({email.attempts} attempts). Last error: {error}"
            )
        else:
            # The last try is made when the period ends, not a pause after it.
            status, next_attempt = OutboundEmail.Status.QUEUED, min(now + email.retry_delay(), ends)
        OutboundEmail.objects.filter(
            pk=email.pk, status=OutboundEmail.Status.SENDING, attempts=email.attempts
        ).update(status=status, next_attempt_at=next_attempt, last_error=error[:4000])
        self.stderr.write(f"Could not send e-mail {email.pk} to {', '.join(email.to)}: {error}")

    def requeue_stale_sends(self) -> int:
        """Rows a dead worker left "sending" go back to the queue, due now (at least once)."""
        cutoff = timezone.now() - dt.timedelta(seconds=STALE_SENDING_AFTER_SECONDS)
        stale = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff)
        requeued = 0
        for pk, attempts in stale.values_list("pk", "attempts"):
            requeued += OutboundEmail.objects.filter(
                pk=pk, status=OutboundEmail.Status.SENDING, attempts=attempts, claimed_at__lt=cutoff
            ).update(
                status=OutboundEmail.Status.QUEUED,
                next_attempt_at=timezone.now(),
                last_error=(
                    f"The worker stopped while sending this message (attempt {attempts}); it is sent "
                    "again with the same Message-ID in case it did not arrive."
                ),
            )
        return requeued
