"""Compare every answer we sent a customer with the one we would send now, and mark those that no longer
hold as needing an update (the worker's scheduled pass does the same; customers.answers.stale_answers).

Each request is printed with the core's reasons; with --dry-run nothing is marked.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from oretrace.review.wording import plural
from oretrace.web.customers.answers import SCHEDULED_CHECK, mark_needs_update, stale_answers


class Command(BaseCommand):
    help = (
        "List the customers whose sent answer differs from what we would send now, with the reasons, and "
        "mark their requests as needing an update."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them; mark nothing.")

    def handle(self, *args, dry_run=False, **options):
        stale, unchecked = stale_answers()
        marked = 0
        for item in stale:
            note = " (judged to still hold)" if item.still_holds else ""
            self.stdout.write(f"{item.request}: {item.request.get_status_display().lower()}{note}")
            for reason in item.changes:
                self.stdout.write(f"  - {reason}")
            if item.to_mark and not dry_run:
                marked += mark_needs_update(item.request, item.changes, SCHEDULED_CHECK)
        for request, reason in unchecked:
            self.stdout.write(f"{request}: not checked, {reason}")
        if dry_run:
            self.stdout.write(f"{plural(sum(i.to_mark for i in stale), 'request')} would be marked.")
        else:
            self.stdout.write(f"Marked {plural(marked, 'request')} as needing an update.")
