"""Whether Chapter VII of Regulation (EU) 2023/1542 (battery due diligence) applies to a company for a
reporting period, and what the report's basis section says about it.

Where the facts come from (checked against the regulation's text and the amending act's summary):
- Chapter VII was to apply from 18 August 2025. Regulation (EU) 2025/1561 ("stop the clock", published
  in the Official Journal on 30 July 2025, in force the next day) postponed it to 18 August 2027 and
  the Commission's guidelines on battery due diligence from 18 February 2025 to 26 July 2026.
- Article 47: Chapter VII does not apply to an economic operator whose net turnover was below EUR 40
  million in the financial year preceding the last financial year and that is not part of a group of
  parent and subsidiary undertakings exceeding that limit on a consolidated basis; nor to batteries
  prepared for re-use or repurposing, repurposed or remanufactured after being placed on the market.
- Article 52(3): the operator reviews its battery due-diligence policy every year and publishes a report
  on it, including on the internet, in a form end-users easily understand, naming the batteries
  concerned: the steps taken to meet Articles 49 and 50, the significant adverse impacts found in the
  risk categories of Annex X point 2 and how they were addressed, and a summary of the third-party
  verifications under Article 51 with the name of the notified body.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

APPLIES_FROM = dt.date(2027, 8, 18)  # Regulation (EU) 2025/1561, postponing Chapter VII of 2023/1542
GUIDELINES_DUE = dt.date(2026, 7, 26)  # the Commission's guidelines, as postponed by 2025/1561
TURNOVER_LIMIT_EUR = 40_000_000  # Article 47


@dataclass(frozen=True)
class Turnover:
    """What the report settings state about the company's size, for Article 47."""

    net_turnover_eur: int | None  # the financial year preceding the last one; None when not stated
    group_turnover_eur: int | None = None  # consolidated, when part of a group; None when not in one

    def __post_init__(self) -> None:
        for value in (self.net_turnover_eur, self.group_turnover_eur):
            if value is not None and value < 0:
                raise ValueError("a turnover cannot be negative")


@dataclass(frozen=True)
class Applicability:
    in_application: bool  # whether Chapter VII applies at all on the date
    exempt: bool | None  # Article 47's exemption: None when the turnover is not stated
    on: dt.date

    @property
    def obliged(self) -> bool | None:
        """Whether the company must report for the period: None when that cannot be said."""
        if not self.in_application:
            return False
        if self.exempt is None:
            return None
        return not self.exempt


def exempt_by_turnover(turnover: Turnover) -> bool | None:
    if turnover.net_turnover_eur is None:
        return None
    if turnover.net_turnover_eur >= TURNOVER_LIMIT_EUR:
        return False
    group = turnover.group_turnover_eur
    return group is None or group < TURNOVER_LIMIT_EUR


def applicability(period_end: dt.date, turnover: Turnover) -> Applicability:
    """Chapter VII's application to the company at the end of the reporting period."""
    return Applicability(
        in_application=period_end >= APPLIES_FROM, exempt=exempt_by_turnover(turnover), on=period_end
    )
