"""What the battery due-diligence report is written from: the Conflict Minerals Report's inputs (the
survey's figures and the roll-up, never counted twice), the battery settings of the year, and the risk
actions tagged with an Annex X category.

Plain dataclasses: the web fills them from its models, ``oretrace report`` from a settings file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType

from oretrace.batteries.categories import CATEGORIES
from oretrace.batteries.scope import Turnover
from oretrace.errors import BadInput
from oretrace.reports.inputs import ReportInputs
from oretrace.risk.assess import RiskAssessment

# The battery categories of Article 3 of Regulation (EU) 2023/1542, in its order.
BATTERY_CATEGORIES = MappingProxyType(
    {
        "portable": "Portable batteries",
        "lmt": "LMT batteries (light means of transport)",
        "sli": "SLI batteries (starting, lighting and ignition)",
        "industrial": "Industrial batteries",
        "ev": "Electric vehicle batteries",
    }
)


@dataclass(frozen=True)
class BatterySettings:
    """The year's settings the report needs beyond the CMR's; what a user typed, printed as stated."""

    battery_categories: tuple[str, ...] = ()  # keys of BATTERY_CATEGORIES placed on the market
    batteries_described: str = ""  # the batteries concerned, in the company's words (Article 52(3))
    policy_url: str = ""  # where the battery due-diligence policy is published
    notified_body: str = ""  # the notified body that verified the policy (Article 51); blank for none
    verification_date: dt.date | None = None
    guidelines: str = ""  # the Commission guidelines relied on, once published; blank while they are not
    turnover: Turnover = field(default_factory=lambda: Turnover(None))

    def __post_init__(self) -> None:
        unknown = sorted(set(self.battery_categories) - set(BATTERY_CATEGORIES))
        if unknown:
            raise BadInput(
                f"Unknown battery categories: {', '.join(unknown)}; choose from {', '.join(BATTERY_CATEGORIES)}."
            )


@dataclass(frozen=True)
class RiskAction:
    """A risk action of the year's register tagged with an Annex X category (Article 52(3): the adverse
    impacts identified and how they were addressed)."""

    category: str  # a key of oretrace.batteries.categories.CATEGORIES
    subject: str  # the supplier or facility it concerns
    what: str
    closed: bool

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise BadInput(f"Unknown Annex X risk category {self.category!r}.")


@dataclass(frozen=True)
class BatteryInputs:
    report: ReportInputs  # the Conflict Minerals Report's inputs of the same campaign
    settings: BatterySettings
    actions: tuple[RiskAction, ...] = ()
    # The campaign's risk assessment, for the red flags it raises per Annex X category; None when the
    # report is written without one (it then says nothing of them).
    risk: RiskAssessment | None = None

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.report.year, 12, 31)
