"""The scheduled pass the worker runs: everything that falls due with time rather than with a click,
our customers' answers that no longer hold among it (a status list imported, a campaign's new results).

``send_reminders`` runs it on its own and ``deliver_outbox --reminders`` runs it between deliveries;
both call ``queue_everything_due`` so the two can never drift apart.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from oretrace.review.wording import plural
from oretrace.web.campaigns.status_changes import check_lapses
from oretrace.web.customers.answers import SCHEDULED_CHECK, mark_stale_answers
from oretrace.web.customers.reminders import queue_due_customer_reminders
from oretrace.web.outbox.notifications import queue_due_digests
from oretrace.web.outbox.reminders import queue_due_reminders

# The day this process last ran the status check: the pass runs every few minutes, the check reads every
# list in force (the sanctions lists are tens of megabytes) and a day is its unit, so once a day is enough.
_checked_on: dt.date | None = None


def _daily_status_check() -> int:
    """A conformance lapses with time, not with a new list: once a day, record the changes of standing
    (each is kept once, whichever process or pass sees it first)."""
    global _checked_on
    today = timezone.localdate()
    if _checked_on == today:
        return 0
    found = len(check_lapses(today))
    _checked_on = today
    return found


def queue_everything_due() -> list[tuple[int, str]]:
    """Queue what is due now: how many of each kind, with the line the worker logs for it."""
    reminders = queue_due_reminders()
    digests = queue_due_digests()
    customers_due = queue_due_customer_reminders()
    # Status changes first: a facility's new standing is one of the reasons a sent answer is out of date.
    changes = _daily_status_check()
    outdated = mark_stale_answers(SCHEDULED_CHECK)
    return [
        (
            reminders,
            f"Queued {reminders} reminders and escalations."
            if reminders != 1
            else "Queued 1 reminder or escalation.",
        ),
        (digests, f"Queued {plural(digests, 'staff digest')}."),
        (customers_due, f"Queued {plural(customers_due, 'reminder')} of customers' due dates."),
        (
            outdated,
            f"Marked {plural(outdated, 'customer request')} as needing an update: our answer changed.",
        ),
        (changes, f"Recorded {plural(changes, 'facility status change')}."),
    ]
