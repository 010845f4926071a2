"""The evidence worker: build the evidence packages staff asked for, one at a time, into stored files.

A package holds every version of every supplier file (hundreds of megabytes for a campaign of a few
hundred suppliers), so it is never built in a web request: the reports page queues an EvidenceBuild and
this loop builds it, noting its progress on the row for the page to show.

Several workers may run at once: each claims a build with a conditional UPDATE (queued -> building) and
only the one whose UPDATE changed the row builds it. A build a dead worker left "building" goes back to
the queue once it has shown no progress for STALE_BUILD_AFTER. SIGTERM stops the build under way and
puts it back in the queue, so a restart loses nothing but the time spent on it.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.translation import ngettext

from oretrace.web.reports.models import EvidenceBuild


class Command(BaseCommand):
    help = "Build the evidence packages staff asked for (--once: build what is queued now, then exit)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Build what is queued now, then exit.")
        parser.add_argument("--idle-sleep", type=float, default=2.0, metavar="SECONDS")

    def handle(self, *args, once=False, idle_sleep=2.0, **options):
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.on_sigterm)
            signal.signal(signal.SIGINT, self.on_sigterm)
            self.stdout.write(
                "build_evidence is running; SIGTERM puts the package under way back in the queue."
            )
        while not self.stopping:
            requeued = EvidenceBuild.requeue_stale()
            if requeued:
                self.stdout.write(
                    ngettext(
                        "%(n)d build a stopped worker left behind handled again.",
                        "%(n)d builds a stopped worker left behind handled again.",
                        requeued,
                    )
                    % {"n": requeued}
                )
            worked = self.handle_one()
            if once and not worked:
                break
            if not worked:
                close_old_connections()
                self.sleep(idle_sleep)
        return None

    def on_sigterm(self, signum, frame):
        self.stdout.write("Stopping: the package under way goes back in the queue.")
        self.stopping = True

    def sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))

    def handle_one(self) -> bool:
        """Build one queued package. False when none is queued (the loop may sleep)."""
        build = EvidenceBuild.next_queued()
        if build is None:
            return False
        if not build.claim():
            return True  # another worker got there first
        self.stdout.write(f"Building evidence package {build.pk} of {build.campaign} …")
        started = time.monotonic()
        build.build(stop=lambda: self.stopping)
        took = time.monotonic() - started
        if build.status == EvidenceBuild.Status.DONE:
            self.stdout.write(
                f"Evidence package {build.pk}: {build.size:,} bytes in {took:.0f} s, {build.filename}."
            )
        elif build.status == EvidenceBuild.Status.FAILED:
            self.stderr.write(f"Evidence package {build.pk} failed: {build.error}")
        else:
            self.stdout.write(f"Evidence package {build.pk}: {build.get_status_display().lower()}.")
        return True
