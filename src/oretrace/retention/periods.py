"""How long a due-diligence record is kept, and the day it may be deleted.

A record's period is the longest of its kind's own period and the periods of the regimes that apply
to it: a record two regulations require is kept as long as the longer one asks. Every period is
configurable (``RetentionPolicy.with_years``): a company may keep records longer than the law asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from oretrace.errors import BadInput


class Regime(StrEnum):
    """A regulation that tells the company how long to keep its due-diligence records."""

    # Regulation (EU) 2017/821 Art 4(b): Union importers "maintain records of those systems for a
    # minimum of five years" (the management system and its supply-chain due diligence); it covers
    # tin, tantalum, tungsten and gold (Art 1, Annex I).
    EU_CONFLICT_MINERALS = "eu-2017-821"
    # Regulation (EU) 2023/1542 (batteries) Art 49, the battery due-diligence management system: its
    # records are kept for 10 years (after the last battery the policy covers is placed on the market);
    # the raw materials it covers are cobalt, natural graphite, lithium and nickel (Annex X point 1).
    EU_BATTERIES = "eu-2023-1542"

    @property
    def title(self) -> str:
        return REGIME_TITLES[self]


REGIME_TITLES = {
    Regime.EU_CONFLICT_MINERALS: "EU Regulation 2017/821 (3TG), Art 4(b)",
    Regime.EU_BATTERIES: "EU Batteries Regulation 2023/1542, Art 49",
}

# The minerals each regime covers, spelled as the RMI templates spell them (oretrace.rmi.minerals).
# The templates' "Graphite" is the Batteries Regulation's natural graphite as far as a supplier's
# answer can tell.
REGIME_MINERALS = {
    Regime.EU_CONFLICT_MINERALS: frozenset({"tin", "tantalum", "tungsten", "gold"}),
    Regime.EU_BATTERIES: frozenset({"cobalt", "graphite", "lithium", "nickel"}),
}


class RecordKind(StrEnum):
    """What the purge deletes, one unit at a time."""

    # One supplier's answer to one campaign: its request, every file version (the stored bytes too),
    # its follow-ups, state history, portal links and e-mails.
    SUPPLIER_ANSWER = "supplier-answer"
    # A campaign's built evidence packages: each holds copies of every supplier file.
    EVIDENCE_PACKAGE = "evidence-package"

    @property
    def title(self) -> str:
        return KIND_TITLES[self]


KIND_TITLES = {
    RecordKind.SUPPLIER_ANSWER: "Supplier answers (request, files, follow-ups, e-mails)",
    RecordKind.EVIDENCE_PACKAGE: "Evidence packages",
}

DEFAULT_REGIME_YEARS = {Regime.EU_CONFLICT_MINERALS: 5, Regime.EU_BATTERIES: 10}
# A record under no regime (an AMRT campaign about zinc) is kept as long as the EU Regulation asks
# of 3TG records: the OECD Guidance's Step 1 is commonly read the same way (five years).
DEFAULT_KIND_YEARS = {RecordKind.SUPPLIER_ANSWER: 5, RecordKind.EVIDENCE_PACKAGE: 5}
LONGEST_YEARS = 100  # a period beyond a century is a typing mistake


def regimes_for(minerals: Iterable[str]) -> frozenset[Regime]:
    """The regimes that cover records about ``minerals``."""
    wanted = {str(mineral).strip().casefold() for mineral in minerals}
    return frozenset(regime for regime, covered in REGIME_MINERALS.items() if wanted & covered)


@dataclass(frozen=True)
class RetentionPolicy:
    """The years each record kind and each regime keeps a record."""

    kind_years: Mapping[RecordKind, int] = field(default_factory=lambda: dict(DEFAULT_KIND_YEARS))
    regime_years: Mapping[Regime, int] = field(default_factory=lambda: dict(DEFAULT_REGIME_YEARS))

    @classmethod
    def from_settings(cls, years: Mapping[str, int]) -> RetentionPolicy:
        """The defaults, with the periods a company set (keyed by a kind's or a regime's value)."""
        policy = cls()
        for key, value in years.items():
            policy = policy.with_years(key, value)
        return policy

    def with_years(self, key: str, years: int) -> RetentionPolicy:
        """This policy with one period changed; a period that is not a whole number of years from 1 to
        100, or a key that is neither a record kind nor a regime, is refused by name."""
        if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= LONGEST_YEARS:
            raise BadInput(
                f"A retention period is a whole number of years from 1 to {LONGEST_YEARS}, not {years!r}."
            )
        if key in {kind.value for kind in RecordKind}:
            return RetentionPolicy({**self.kind_years, RecordKind(key): years}, self.regime_years)
        if key in {regime.value for regime in Regime}:
            return RetentionPolicy(self.kind_years, {**self.regime_years, Regime(key): years})
        known = ", ".join([kind.value for kind in RecordKind] + [regime.value for regime in Regime])
        raise BadInput(f"No record kind or regime is called {key!r}; there are {known}.")

    def years_for(self, kind: RecordKind, regimes: Iterable[Regime] = ()) -> int:
        """How many years a record of ``kind`` under ``regimes`` is kept: the longest period applies."""
        return max([self.kind_years[kind], *(self.regime_years[regime] for regime in regimes)])

    def expires_on(self, kind: RecordKind, dated: dt.date, regimes: Iterable[Regime] = ()) -> dt.date:
        """The first day a record of ``kind`` dated ``dated`` may be deleted (no legal hold aside)."""
        return add_years(dated, self.years_for(kind, regimes)) + dt.timedelta(days=1)

    def dated_before(self, kind: RecordKind, today: dt.date, regimes: Iterable[Regime] = ()) -> dt.date:
        """Records of ``kind`` dated before this day have expired by ``today``: one cut-off per kind and
        set of regimes, so a database selects them all with one comparison instead of row by row."""
        return subtract_years(today, self.years_for(kind, regimes))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` ``years`` later; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def subtract_years(day: dt.date, years: int) -> dt.date:
    """The earliest day whose record, kept ``years`` years, is still kept on ``day``; records dated
    before it have expired (the inverse of ``expires_on``)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: a record of 28 February that many years ago expires on 1 March
        return day.replace(year=day.year - years, month=3, day=1)


def records_date(reporting_year: int, due_date: dt.date | None = None) -> dt.date:
    """The day a campaign's records count from: the end of the reporting year they cover, or the day
    the answers were due when that is later (a 2025 campaign collects its answers in 2026). The
    regulations name no start day; counting from the last of them keeps a record at least as long as
    any reading asks."""
    year_end = dt.date(reporting_year, 12, 31)
    return max(year_end, due_date) if due_date else year_end
