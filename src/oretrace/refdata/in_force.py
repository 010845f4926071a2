"""Which list applies on a day, and how old the lists are.

A list is in force from its "as of" day until a newer list of the same kind: a campaign for 2024
is screened against the sanctions lists that applied in 2024, not against today's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from oretrace.refdata.kinds import ListKind

DEFAULT_MAX_AGE_DAYS = 90


class Dated(Protocol):
    """Anything with a kind and an as-of day: the core's RefList, or a list a web model describes."""

    kind: ListKind
    as_of: dt.date


T = TypeVar("T", bound=Dated)


def in_force(lists: Iterable[T], kind: ListKind, on: dt.date) -> T | None:
    """The list of ``kind`` in force on ``on``: the latest as of that day or before (of two with the
    same day, the one given later)."""
    best = None
    for candidate in lists:
        applies = candidate.kind == kind and candidate.as_of <= on  # a str kind (a model field) too
        if applies and (best is None or candidate.as_of >= best.as_of):
            best = candidate
    return best


def all_in_force(lists: Iterable[T], on: dt.date) -> dict[ListKind, T]:
    """Every kind's list in force on ``on``; kinds without one are left out."""
    lists = list(lists)
    found = {kind: in_force(lists, kind, on) for kind in ListKind}
    return {kind: chosen for kind, chosen in found.items() if chosen is not None}


@dataclass(frozen=True)
class Age:
    """How old a list is on a day, and whether that is older than the organisation allows."""

    days: int
    max_days: int

    @property
    def outdated(self) -> bool:
        return self.days > self.max_days

    def describe(self) -> str:
        when = "today" if self.days == 0 else f"{self.days} day{'s' if self.days != 1 else ''} old"
        return f"{when}: older than {self.max_days} days, download a new one" if self.outdated else when


def age_of(as_of: dt.date, today: dt.date, max_days: int = DEFAULT_MAX_AGE_DAYS) -> Age:
    return Age(days=(today - as_of).days, max_days=max_days)
