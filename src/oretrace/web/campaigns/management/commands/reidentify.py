"""The re-identification worker: identify every stored file again after the reference data changed.

A campaign of a few hundred suppliers holds thousands of files; identifying them all again takes longer
than a page should wait, so the reference page queues a Reidentification (campaigns.reidentify) and this
loop runs it, noting its progress on the row for the page to show. Several workers may run: each claims
a run with a conditional UPDATE (queued -> running), and only the one whose UPDATE changed the row runs
it. SIGTERM stops the run under way and puts it back in the queue.
"""

from __future__ import annotations

from django.utils.translation import ngettext

from oretrace.web.campaigns import reidentify
from oretrace.web.campaigns.models import Reidentification
from oretrace.web.workers import QueueWorkerCommand


class Command(QueueWorkerCommand):
    help = "Identify stored files again after the reference data changed (--once: what is queued now, then exit)."
    running_message = "reidentify is running; SIGTERM puts the run under way back in the queue."
    stopping_message = "Stopping: the run under way goes back in the queue."

    def before_each(self, **options) -> None:
        requeued = reidentify.requeue_stale()
        if requeued:
            self.stdout.write(
                ngettext(
                    "%(n)d run a stopped worker left behind handled again.",
                    "%(n)d runs a stopped worker left behind handled again.",
                    requeued,
                )
                % {"n": requeued}
            )

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
