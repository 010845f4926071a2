"""The case register of the evidence package: one row per case, without the reporters' personal data
(the GDPR's data minimisation: an auditor checks how cases were handled, not who raised them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from oretrace.grievances.cases import GrievanceCase, category_label
from oretrace.tabular import Table

REGISTER_HEADERS = (
    "reference",
    "received",
    "category",
    "severity",
    "country",
    "suppliers",
    "smelters",
    "closed",
    "days to close",
    "outcome",
)


def cases_in_period(cases: Iterable[GrievanceCase], start: dt.date, end: dt.date) -> list[GrievanceCase]:
    """The cases the period saw: received in it, or received before and still open at its start."""
    return sorted(
        (
            c
            for c in cases
            if c.received_on <= end and (c.received_on >= start or c.open_on(start - dt.timedelta(days=1)))
        ),
        key=lambda c: (c.received_on, c.reference),
    )


def case_register(cases: Iterable[GrievanceCase]) -> Table:
    rows = [
        [
            c.reference,
            c.received_on.isoformat(),
            category_label(c.category),
            c.severity or "not yet assessed",
            c.country,
            "; ".join(c.suppliers),
            "; ".join(c.smelters),
            c.closed_on.isoformat() if c.closed_on else "open",
            "" if c.days_to_close is None else c.days_to_close,
            c.outcome,
        ]
        for c in cases
    ]
    return Table("Grievance cases", list(REGISTER_HEADERS), rows)
