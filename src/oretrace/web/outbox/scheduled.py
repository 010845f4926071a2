"""The scheduled pass the worker runs: everything that falls due with time rather than with a click,
our customers' answers that no longer hold among it (a status list imported, a campaign's new results).

``send_reminders`` runs it on its own and ``deliver_outbox --reminders`` runs it between deliveries;
both call ``queue_everything_due`` so the two can never drift apart.
"""

from __future__ import annotations

from oretrace.review.wording import plural
from oretrace.web.customers.answers import SCHEDULED_CHECK, mark_stale_answers
from oretrace.web.customers.reminders import queue_due_customer_reminders
from oretrace.web.outbox.notifications import queue_due_digests
from oretrace.web.outbox.reminders import queue_due_reminders


def queue_everything_due() -> list[tuple[int, str]]:
    """Queue what is due now: how many of each kind, with the line the worker logs for it."""
    reminders = queue_due_reminders()
    digests = queue_due_digests()
    customers_due = queue_due_customer_reminders()
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
    ]
