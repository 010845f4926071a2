"""What many supplier files add up to: the typed result of a roll-up.

Reports, risk assessment, exports and the dashboard all read this one shape, so a figure in the
annual report and the same figure on the dashboard cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

# SEC Rule 13p-1: the Democratic Republic of the Congo and its nine adjoining countries.
COVERED_COUNTRIES = (
    "Democratic Republic of the Congo",
    "Republic of the Congo",
    "Central African Republic",
    "South Sudan",
    "Uganda",
    "Rwanda",
    "Burundi",
    "Tanzania",
    "Zambia",
    "Angola",
)

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class SupplierSummary:
    """One supplier file: who answered what, and how good the answer is."""

    file_name: str
    sha256: str | None
    company_name: str | None
    kind: str | None
    version: str | None
    scope: str | None
    effective_date: dt.date | None
    answers: dict[str, dict[str, str | None]] = field(default_factory=dict)  # mineral -> Q -> answer
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    checker_missing: int | None = None
    smelter_rows: int = 0
    read_error: str | None = None  # the error code when the file could not be read
    read_error_message: str | None = None
    supplier: str | None = None  # who sent the file, when known (FileAnalysis.supplier)
    company_answers: dict[str, str | None] = field(default_factory=dict)  # "A".. -> answer

    @property
    def readable(self) -> bool:
        return self.read_error is None

    @property
    def label(self) -> str:
        """How the roll-up names this supplier (SmelterSummary.suppliers, FindingRow.company_name)."""
        return self.supplier or self.company_name or self.file_name


@dataclass(frozen=True)
class FindingRow:
    """A review finding with the file it belongs to (the Findings sheet of the roll-up)."""

    file_name: str
    company_name: str | None
    code: str
    severity: str
    mineral: str | None
    sheet: str | None
    cell: str | None
    message: str
    question: str | None


@dataclass(frozen=True)
class SmelterSummary:
    """One identified facility across all suppliers who named it."""

    metal: str
    smelter_id: str
    name: str
    country: str | None
    audit_status: str | None  # smelters.status.AuditStatus value, or None when no status list was given
    status_as_of: dt.date | None
    covered_country: bool  # located in a Covered Country (SEC)
    cahra: bool  # located in a conflict-affected or high-risk area per the imported list
    suppliers: tuple[str, ...]  # the companies (or file names) that name it
    methods: tuple[
        str, ...
    ] = ()  # how it was identified: "cid", "v2-id", "name", "alias", "fuzzy", "confirmed"
    # What the suppliers naming it answered in Smelter List column P (CMRT 6.x "Does 100% of the
    # smelter's feedstock originate from recycled or scrap sources?"), each distinct answer once.
    recycled_answers: tuple[str, ...] = ()
    # False for a facility an analyst added by hand (smelters.unlisted), which every table marks;
    # ``provenance`` says where it comes from ("not RMI-listed; ID of LBMA; source: ...").
    listed_by_rmi: bool = True
    provenance: str | None = None

    @property
    def listing(self) -> str:
        """The "Listed by RMI" cell of every table: "Yes", or "No" with the source."""
        from oretrace.smelters.reference import listing_cell

        return listing_cell(self.listed_by_rmi, self.provenance)

    @property
    def supplier_count(self) -> int:
        return len(self.suppliers)

    @property
    def recycler(self) -> bool | None:
        """True when every supplier that answered column P said Yes, False when one said No, else None."""
        answers = {a.casefold() for a in self.recycled_answers}
        if "no" in answers:
            return False
        if answers == {"yes"}:
            return True
        return None


@dataclass(frozen=True)
class Candidate:
    smelter_id: str
    name: str
    country: str | None
    score: float
    listed_by_rmi: bool = True

    def describe(self) -> str:
        mark = "" if self.listed_by_rmi else " [not RMI-listed]"
        return f"{self.smelter_id} {self.name}{mark} ({self.score:.0f})"


@dataclass(frozen=True)
class UnidentifiedName:
    """A smelter name no reference facility could be matched to, with the best guesses."""

    metal: str | None
    name: str | None
    country: str | None
    suppliers: tuple[str, ...]
    reason: str
    candidates: tuple[Candidate, ...] = ()


MINE_LIST = "from the Mine List"  # how a country of origin reported only as a mine's country is marked
SMELTER_LOCATION = "smelter location"


@dataclass(frozen=True)
class MineSummary:
    """One mine of the suppliers' Mine Lists (EMRT 2.x, AMRT), once per mineral however many report it.

    A mine's country is where the mineral was extracted, which a smelter's location is not: it is a
    country of origin in its own right, and a mine in a Covered Country or CAHRA is a red flag."""

    mineral: str
    name: str
    mine_id: str | None
    country: str | None
    covered_country: bool
    cahra: bool  # in a Covered Country or on the imported CAHRA list
    suppliers: tuple[str, ...]  # the suppliers (labels, as SmelterSummary.suppliers) reporting it
    smelters: tuple[str, ...] = ()  # the smelters the suppliers say it supplies, as written

    @property
    def supplier_count(self) -> int:
        return len(self.suppliers)

    @property
    def location_flag(self) -> str | None:
        """The location red flag the mine raises on its suppliers (risk.flags), as a table names it."""
        if self.covered_country:
            return "Covered Country"
        return "CAHRA" if self.cahra else None


@dataclass(frozen=True)
class OriginCountry:
    """A country of origin of one mineral and where the roll-up learnt it: smelter locations, the
    Mine List, or both."""

    mineral: str
    country: str
    sources: tuple[str, ...]  # SMELTER_LOCATION and/or MINE_LIST

    @property
    def from_mine_list_only(self) -> bool:
        return self.sources == (MINE_LIST,)


@dataclass(frozen=True)
class Rollup:
    generated_at: dt.datetime
    reference_release: str | None
    status_lists: tuple[str, ...]
    suppliers: tuple[SupplierSummary, ...]
    findings: tuple[FindingRow, ...]
    smelters: tuple[SmelterSummary, ...]
    unidentified: tuple[UnidentifiedName, ...]
    # Names an analyst recorded as not a smelter or not 3TG (smelters.Exclusion): out of both lists above.
    excluded: tuple[UnidentifiedName, ...] = ()
    mines: tuple[MineSummary, ...] = ()  # the Mine Lists of EMRT 2.x / AMRT files

    @property
    def readable_suppliers(self) -> tuple[SupplierSummary, ...]:
        return tuple(s for s in self.suppliers if s.readable)

    def smelters_for(self, metal: str) -> tuple[SmelterSummary, ...]:
        return tuple(s for s in self.smelters if s.metal == metal)

    @property
    def metals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.metal for s in self.smelters))

    def status_counts(self, metal: str | None = None) -> Counter:
        """Facilities per audit status ("Unknown" where no status is known), for one metal or all."""
        chosen = self.smelters if metal is None else self.smelters_for(metal)
        return Counter(s.audit_status or "Unknown" for s in chosen)

    def countries(self, metal: str | None = None) -> Counter:
        chosen = self.smelters if metal is None else self.smelters_for(metal)
        return Counter(s.country or "Unknown" for s in chosen)

    def mines_for(self, mineral: str) -> tuple[MineSummary, ...]:
        return tuple(m for m in self.mines if m.mineral == mineral)

    @property
    def mine_minerals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.mineral for m in self.mines))

    def origin_countries(self, mineral: str | None = None) -> tuple[OriginCountry, ...]:
        """The countries of origin per mineral: the smelters' locations and the Mine Lists' mine
        countries, each country once per mineral with every source it comes from."""
        from oretrace.rollup.countries import country_name

        sources: dict[tuple[str, str], dict[str, None]] = {}
        for smelter in self.smelters:
            if smelter.country and mineral in (None, smelter.metal):
                # RMI writes "CHINA", a supplier "China": one country, whichever way it came
                country = country_name(smelter.country) or smelter.country
                sources.setdefault((smelter.metal, country), {})[SMELTER_LOCATION] = None
        for mine in self.mines:
            if mine.country and mineral in (None, mine.mineral):
                sources.setdefault((mine.mineral, mine.country), {})[MINE_LIST] = None
        return tuple(
            OriginCountry(found_mineral, country, tuple(found))
            for (found_mineral, country), found in sorted(
                sources.items(), key=lambda i: (i[0][0], i[0][1].casefold())
            )
        )

    def findings_by_severity(self) -> Counter:
        return Counter(f.severity for f in self.findings)
