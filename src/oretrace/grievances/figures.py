"""The grievance figures of one reporting period, the ones the Conflict Minerals Report states."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from oretrace.errors import BadInput
from oretrace.grievances.cases import CATEGORIES, UNCATEGORISED, GrievanceCase, category_label


@dataclass(frozen=True)
class GrievanceFigures:
    """Counted over [start, end], as known on ``as_of`` (the end, or an earlier day while the period
    is still running): what was received, about what, what was closed and how fast, what is open."""

    start: dt.date
    end: dt.date
    as_of: dt.date
    received: int
    by_category: tuple[tuple[str, int], ...]  # (report wording, count), most first, "not yet" last
    closed: int  # closed within the period, whenever received
    open: int  # open at as_of
    median_days_to_close: float | None  # of the cases closed within the period

    @property
    def period_complete(self) -> bool:
        return self.as_of >= self.end

    @property
    def any(self) -> bool:
        return bool(self.received or self.closed or self.open)


def grievance_figures(
    cases: Iterable[GrievanceCase], start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> GrievanceFigures:
    """The figures of the period [start, end] (both days included). ``today`` (default: the current
    date) stops the count at a day inside a period that has not ended yet."""
    if end < start:
        raise BadInput(f"The reporting period ends ({end}) before it starts ({start}).")
    as_of = min(end, today or dt.date.today())
    if as_of < start:
        raise BadInput(f"The reporting period starting {start} has not begun on {as_of}.")
    cases = list(cases)
    received = [c for c in cases if start <= c.received_on <= as_of]
    closed = [c for c in cases if c.closed_on is not None and start <= c.closed_on <= as_of]
    return GrievanceFigures(
        start=start,
        end=end,
        as_of=as_of,
        received=len(received),
        by_category=_by_category(received),
        closed=len(closed),
        open=sum(1 for c in cases if c.open_on(as_of)),
        median_days_to_close=statistics.median(c.days_to_close for c in closed) if closed else None,
    )


def _by_category(cases: list[GrievanceCase]) -> tuple[tuple[str, int], ...]:
    counts = Counter(category_label(c.category) for c in cases)
    order = list(CATEGORIES.values())
    # Most cases first; equal counts in the order of CATEGORIES; the cases not yet triaged last.
    return tuple(
        sorted(
            counts.items(),
            key=lambda item: (
                item[0] == UNCATEGORISED,
                -item[1],
                order.index(item[0]) if item[0] in order else len(order),
            ),
        )
    )
