"""Queue the reminders and escalations that are due in every open campaign (the worker delivers them).

Without --once it keeps running and checks every --every seconds; SIGTERM stops it between passes.
``deliver_outbox --reminders`` runs the same pass inside the delivery worker, so one process does both.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from oretrace.web.outbox.scheduled import queue_everything_due


class Command(BaseCommand):
    help = (
        "Queue due reminders and escalations for suppliers who have not submitted or declined, the "
        "staff's daily digests, and reminders of our customers' due dates to the requests' owners."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue what is due now, then exit.")
        parser.add_argument("--every", type=int, default=300, metavar="SECONDS")

    def handle(self, *args, once=False, every=300, **options):
        self.stopping = False
        if once:
            self.handle_one()
            return None
        signal.signal(signal.SIGTERM, self.on_sigterm)
        signal.signal(signal.SIGINT, self.on_sigterm)
        while not self.stopping:
            self.handle_one()
            close_old_connections()
            deadline = time.monotonic() + every
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.5)
        return None

    def on_sigterm(self, signum, frame):
        self.stopping = True

    def handle_one(self) -> bool:
        queued = queue_everything_due()
        # The reminders' line is always written, so a run by hand says it found nothing due.
        for i, (n, line) in enumerate(queued):
            if n or i == 0:
                self.stdout.write(line)
        return sum(n for n, _ in queued) > 0
