"""When to remind ourselves of a customer's due date.

Customers' procurement systems mark a supplier late the day after the due date, so the last reminder
goes out on the due day itself; the earlier ones leave time to chase our own suppliers (14 days) and
to have the answer reviewed (7 days, 1 day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

REMINDER_DAYS_BEFORE = (14, 7, 1, 0)


def due_reminder(
    due: dt.date, today: dt.date, days_before: Sequence[int] = REMINDER_DAYS_BEFORE
) -> int | None:
    """The reminder due on ``today``: the latest of ``days_before`` that has passed (0 on the due day
    and after it), or None before the first. A run that missed a day sends the latest one only."""
    passed = [days for days in days_before if today >= due - dt.timedelta(days=days)]
    return min(passed) if passed else None
