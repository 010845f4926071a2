"""The loop the background workers share: work through a queue table until stopped.

Each worker (deliver_outbox, build_evidence, reidentify) is a management command that takes one item at
a time (``handle_one``), sleeps when there is nothing to do, and stops cleanly on SIGTERM or SIGINT,
so a service manager can restart it without losing what it was doing: what a worker does with the item
under way when stopped (finish it, or put it back in the queue) is its own to say.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections


class QueueWorkerCommand(BaseCommand):
    """``--once``: what is due now, then exit (cron, tests); otherwise run until stopped.

    A worker defines ``handle_one(self) -> bool``: work on one item, False when none is due (the loop
    then sleeps); and may define ``before_each`` for its housekeeping.
    """

    running_message = ""  # printed when it starts as a service: what SIGTERM does
    stopping_message = ""  # printed on SIGTERM

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Work through what is due now, then exit.")
        parser.add_argument("--idle-sleep", type=float, default=2.0, metavar="SECONDS")

    def handle(self, *args, once=False, idle_sleep=2.0, **options):
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.on_sigterm)
            signal.signal(signal.SIGINT, self.on_sigterm)
            self.stdout.write(self.running_message)
        while not self.stopping:
            self.before_each(**options)
            worked = self.handle_one()
            if once and not worked:
                break
            if not worked:
                # An idle worker may wait for hours: a connection the database closed meanwhile is
                # dropped here, not discovered by the next query.
                close_old_connections()
                self.sleep(idle_sleep)

    def before_each(self, **options) -> None:
        """Housekeeping before each item: put back what a dead worker left behind, and the like."""

    def on_sigterm(self, signum, frame):
        self.stdout.write(self.stopping_message)
        self.stopping = True

    def sleep(self, seconds: float) -> None:
        """Sleep in short steps, so that SIGTERM stops the worker within a fraction of a second."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
