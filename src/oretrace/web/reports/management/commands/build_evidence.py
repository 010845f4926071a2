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

import time

from django.utils.translation import ngettext

from oretrace.web.reports.models import EvidenceBuild
from oretrace.web.workers import QueueWorkerCommand


class Command(QueueWorkerCommand):
    help = "Build the evidence packages staff asked for (--once: build what is queued now, then exit)."
    running_message = "build_evidence is running; SIGTERM puts the package under way back in the queue."
    stopping_message = "Stopping: the package under way goes back in the queue."

    def before_each(self, **options) -> None:
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
