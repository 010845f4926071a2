"""Delete the records whose retention period has ended: a dry run unless --apply.

Each supplier answer and evidence package goes in its own transaction, logged to the audit log; a
record a legal hold keeps is never touched. The periods are the retention page's (oretrace.retention's
defaults unless an admin changed them).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from oretrace.web.retention import schedule
from oretrace.web.retention.models import RetentionPeriod
from oretrace.web.retention.purge import purge


class Command(BaseCommand):
    help = "Delete the supplier answers and evidence packages whose retention period has ended (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Delete; without it, only list what would go."
        )
        parser.add_argument(
            "--today",
            help="Count expiry as of this day (YYYY-MM-DD) instead of today, to see what a later run deletes.",
        )

    def handle(self, *args, **options):
        today = schedule.today()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today takes a day as YYYY-MM-DD, not {options['today']!r}.") from error
            if options["apply"] and today > schedule.today():
                raise CommandError("--apply deletes as of today only; a later --today is for a dry run.")
        result = purge(RetentionPeriod.policy(), today, apply=options["apply"], say=self.stdout.write)
        self.stdout.write(result.summary)
        if not options["apply"] and (result.answers or result.packages):
            self.stdout.write("Dry run: nothing was deleted. Run with --apply to delete.")
