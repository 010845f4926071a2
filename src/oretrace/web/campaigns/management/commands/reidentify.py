"""The re-identification worker: identify every stored file again after the reference data changed.

A campaign of a few hundred suppliers holds thousands of files; identifying them all again takes longer
than a page should wait, so the reference page queues a Reidentification (campaigns.reidentify) and this
loop runs it, noting its progress on the row for the page to show. Several workers may run: each claims
a run with a conditional UPDATE (queued -> running), and only the one whose UPDATE changed the row runs
it. SIGTERM stops the run under way and puts it back in the queue.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from oretrace.web.campaigns import reidentify
from oretrace.web.campaigns.models import Reidentification


class Command(BaseCommand):
    help = "Identify stored files again after the reference data changed (--once: what is queued now, then exit)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is queued now, then exit.")
        parser.add_argument("--idle-sleep", type=float, default=2.0, metavar="SECONDS")

    def handle(self, *args, once=False, idle_sleep=2.0, **options):
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.on_sigterm)
            signal.signal(signal.SIGINT, self.on_sigterm)
            self.stdout.write("reidentify is running; SIGTERM puts the run under way back in the queue.")
        while not self.stopping:
            requeued = reidentify.requeue_stale()
            if requeued:
                self.stdout.write(f"{requeued} run(s) a stopped worker left behind handled again.")
            worked = self.handle_one()
            if once and not worked:
                break
            if not worked:
                close_old_connections()
                self.sleep(idle_sleep)

    def on_sigterm(self, signum, frame):
        self.stdout.write("Stopping: the run under way goes back in the queue.")
        self.stopping = True

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def handle_one(self) -> bool:
        """Run one queued re-identification. False when none is queued (the loop may sleep)."""
        run = reidentify.next_queued()
        if run is None:
            return False
        if not reidentify.claim(run):
            return True  # another worker got there first
        self.stdout.write(f"Identifying every stored file again ({run.because}) …")
        reidentify.execute(run, stop=lambda: self.stopping)
        if run.status == Reidentification.Status.DONE:
            self.stdout.write(f"Re-identification {run.pk}: {run.summary()}")
        elif run.status == Reidentification.Status.FAILED:
            self.stderr.write(f"Re-identification {run.pk} failed: {run.error}")
        else:
            self.stdout.write(f"Re-identification {run.pk}: {run.get_status_display().lower()}.")
        return True
