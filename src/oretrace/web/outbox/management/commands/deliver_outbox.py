"""The worker: deliver queued e-mails one at a time, retrying with back-off; optionally run reminders.

Several workers may run at once: each claims a row with a conditional UPDATE (queued -> sending) and
only the one whose UPDATE changed the row sends it. A delivery error never stops the loop; it is kept
on the row, which is tried again later and, after ``OUTBOX_MAX_ATTEMPTS`` attempts, marked failed,
where staff see it on the request page and the outbox page.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
import traceback

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from oretrace.web.outbox.models import OutboundEmail, max_attempts
from oretrace.web.outbox.reminders import queue_due_reminders

# A row left "sending" this long means its worker died mid-send (power cut, kill -9): we cannot know
# whether the mail server took it, so it is marked failed for a person to check rather than sent twice.
STALE_SENDING_AFTER_SECONDS = 15 * 60


class Command(BaseCommand):
    help = "Deliver queued e-mails from the outbox, with retries and back-off (and, with --reminders, queue reminders)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Deliver what is due now, then exit.")
        parser.add_argument(
            "--reminders",
            action="store_true",
            help="Also queue due reminders and escalations (what send_reminders does) every --reminders-every seconds.",
        )
        parser.add_argument("--reminders-every", type=int, default=300, metavar="SECONDS")
        parser.add_argument("--idle-sleep", type=float, default=2.0, metavar="SECONDS")

    def handle(self, *args, once=False, reminders=False, reminders_every=300, idle_sleep=2.0, **options):
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.on_sigterm)
            signal.signal(signal.SIGINT, self.on_sigterm)
            self.stdout.write("deliver_outbox is running; SIGTERM stops it after the current message.")
        next_reminders = 0.0
        while not self.stopping:
            if reminders and time.monotonic() >= next_reminders:
                queued = queue_due_reminders()
                if queued:
                    self.stdout.write(f"Queued {queued} reminder(s) and escalation(s).")
                next_reminders = time.monotonic() + reminders_every
            self.give_up_on_stale_sends()
            worked = self.handle_one()
            if once and not worked:
                break
            if not worked:
                close_old_connections()
                self.sleep(idle_sleep)
        return None

    def on_sigterm(self, signum, frame):
        self.stdout.write("Stopping after the current message.")
        self.stopping = True

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def handle_one(self) -> bool:
        """Send one due e-mail. False when nothing is due (the loop may sleep)."""
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
            OutboundEmail.objects.filter(pk=due.pk).update(
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
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=email.to,
            # A stable Message-ID: should a message ever reach a server twice, mail clients show it once.
            headers={"Message-ID": f"<outbox-{email.pk}@{domain}>"},
            connection=get_connection(fail_silently=False),
        )
        if email.html:
            message.attach_alternative(email.html, "text/html")
        message.send(fail_silently=False)

    def record_failure(self, email: OutboundEmail, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}".strip()
        if settings.DEBUG:
            error += "\n" + traceback.format_exc(limit=3)
        if email.attempts >= max_attempts():
            status, next_attempt = OutboundEmail.Status.FAILED, email.next_attempt_at
            error = f"Gave up after {email.attempts} attempts. Last error: {error}"
        else:
            status, next_attempt = OutboundEmail.Status.QUEUED, timezone.now() + email.retry_delay()
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=status, next_attempt_at=next_attempt, last_error=error[:4000]
        )
        self.stderr.write(f"Could not send e-mail {email.pk} to {', '.join(email.to)}: {error}")

    def give_up_on_stale_sends(self) -> None:
        cutoff = timezone.now() - dt.timedelta(seconds=STALE_SENDING_AFTER_SECONDS)
        OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, claimed_at__lt=cutoff).update(
            status=OutboundEmail.Status.FAILED,
            last_error=(
                "The worker stopped while sending this message, so it may or may not have been delivered. "
                "Check with the recipient before queueing it again."
            ),
        )
