"""Which reminder of a customer's due date is due on a given day."""

from __future__ import annotations

import datetime as dt

from oretrace.customers import due_reminder

DUE = dt.date(2026, 6, 30)


def test_nothing_is_due_before_the_first_reminder():
    assert due_reminder(DUE, dt.date(2026, 6, 15)) is None


def test_the_latest_passed_reminder_is_the_one_due():
    assert due_reminder(DUE, dt.date(2026, 6, 16)) == 14
    assert due_reminder(DUE, dt.date(2026, 6, 25)) == 7
    assert due_reminder(DUE, dt.date(2026, 6, 29)) == 1


def test_on_the_due_day_and_after_it_the_last_reminder_is_due():
    assert due_reminder(DUE, DUE) == 0
    assert due_reminder(DUE, dt.date(2026, 7, 20)) == 0
