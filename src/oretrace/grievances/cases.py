"""A grievance case as the core sees it: what it was about and when it was received and closed, never
who reported it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from oretrace.errors import BadInput

# The risks of Annex II of the OECD Guidance (the model supply chain policy), which a concern about a
# mineral supply chain usually raises, and two more a mechanism open to anyone receives. The value is
# how the report names the category after "about" ("2 about serious human rights abuses").
CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "human_rights": "serious human rights abuses",
        "armed_groups": "support to non-state armed groups or public or private security forces",
        "bribery_origin": "bribery or misrepresentation of the origin of minerals",
        "money_laundering": "money laundering or unpaid taxes, fees and royalties",
        "environment": "environmental harm",
        "other": "other matters",
        "not_supply_chain": "matters outside our mineral supply chain",
    }
)
UNCATEGORISED = "not yet categorised"
SEVERITIES = ("low", "medium", "high")


def category_label(key: str) -> str:
    return CATEGORIES.get(key, UNCATEGORISED) if key else UNCATEGORISED


@dataclass(frozen=True)
class GrievanceCase:
    """One case: its reference, category and severity (blank until triaged), dates and outcome, and
    the suppliers and smelters staff linked it to. No name, e-mail or text of the reporter."""

    reference: str
    received_on: dt.date
    category: str = ""
    severity: str = ""
    closed_on: dt.date | None = None
    outcome: str = ""
    country: str = ""
    suppliers: tuple[str, ...] = ()
    smelters: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.category and self.category not in CATEGORIES:
            raise BadInput(f"Case {self.reference}: unknown category {self.category!r}.")
        if self.severity and self.severity not in SEVERITIES:
            raise BadInput(f"Case {self.reference}: unknown severity {self.severity!r}.")
        if self.closed_on is not None and self.closed_on < self.received_on:
            raise BadInput(
                f"Case {self.reference} is closed on {self.closed_on} before it was received "
                f"({self.received_on})."
            )

    def open_on(self, day: dt.date) -> bool:
        """Received by the end of ``day`` and not closed by then."""
        return self.received_on <= day and (self.closed_on is None or self.closed_on > day)

    @property
    def days_to_close(self) -> int | None:
        return None if self.closed_on is None else (self.closed_on - self.received_on).days
