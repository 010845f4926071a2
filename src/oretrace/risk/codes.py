"""Every kind of red flag oretrace raises: a stable code, who it is about, a title, its default weight
and where the practice comes from.

One registry, so that thresholds can validate a weight's key, the web app can offer a filter per kind,
and the corrective actions can be tested to cover every kind. The codes are stable: a reporting year's
stored thresholds and the risk register refer to them.

Default weights sit on one scale with the rating cut-offs of ``RiskThresholds`` (medium from 6, high
from 12): a weight of 12 makes a subject high risk on its own, 6 medium, below 6 only adds up. A kind
that repeats on one subject (each non-conformant smelter a supplier names) adds less each time
(``RiskThresholds.repeat_weight_pct``). The weights follow the OECD Guidance's red flags: a smelter in a
conflict-affected or high-risk area that is not conformant is the strongest (8, high from the second
one), a non-conformant one elsewhere or a "No" to company-level policy questions medium (7, high from
the third), a supplier's own Yes to sourcing from CAHRAs medium (6), an unaudited or unidentified smelter weaker (2); flaws of the file itself (errors,
warnings, an older template) weigh little, since a corrected file settles them, not risk management.
docs/risk-scoring.md prints them all (``python -m oretrace.risk.docs``).
"""

from __future__ import annotations

from dataclasses import dataclass

from oretrace.batteries.categories import CATEGORIES, CONFLICT_CATEGORY

SUPPLIER = "supplier"
SMELTER = "smelter"


@dataclass(frozen=True)
class FlagKind:
    code: str
    subject: str  # SUPPLIER or SMELTER
    title: str  # what a filter on the risk page is called
    weight: int  # the default weight
    source: str  # the guidance or practice the flag follows
    repeats: bool = False  # may hold several times for one subject (one per smelter or question)

    @property
    def family(self) -> str:
        """Kinds that say the same thing about a subject count as repeats of one another."""
        return FAMILIES.get(self.code, self.code)


_KINDS = (
    # --- suppliers -----------------------------------------------------------------------------
    FlagKind(
        "supplier-no-response",
        SUPPLIER,
        "No CMRT returned",
        12,
        "OECD DDG Step 2 (identify the smelters in the supply chain); SEC Rule 13p-1 RCOI: an inquiry "
        "that ignores warning signs is not made in good faith",
    ),
    FlagKind(
        "supplier-sanctions-listed",
        SUPPLIER,
        "Named on a sanctions list",
        12,
        "OECD DDG Annex II (no support to public or private security forces or parties under sanctions); "
        "OFAC, EU and UK financial sanctions: a confirmed hit on a sanctions list, decided by an analyst",
    ),
    FlagKind(
        "supplier-file-unreadable",
        SUPPLIER,
        "CMRT could not be read",
        6,
        "OECD DDG Step 2: a file that cannot be read gives no information on the supply chain",
    ),
    FlagKind(
        "supplier-covered-countries-yes",
        SUPPLIER,
        "Sources from the Covered Countries",
        6,
        "OECD DDG 3T supplement, location red flags; SEC Rule 13p-1 Item 1.01(c)",
    ),
    FlagKind(
        "supplier-covered-countries-unknown",
        SUPPLIER,
        "Does not know whether it sources from the Covered Countries",
        1,
        "SEC Rule 13p-1 Item 1.01(c): 'reason to believe' the minerals may have originated there",
    ),
    FlagKind(
        "supplier-cahra-yes",
        SUPPLIER,
        "Sources from conflict-affected and high-risk areas",
        6,
        "OECD DDG 3T supplement, location red flags (minerals originate from or transit a CAHRA)",
    ),
    FlagKind(
        "supplier-cahra-unknown",
        SUPPLIER,
        "Does not know whether it sources from CAHRAs",
        1,
        "OECD DDG Step 2: the origin is to be determined, not assumed",
    ),
    FlagKind(
        "supplier-many-open-errors",
        SUPPLIER,
        "Many unresolved errors in its CMRT",
        3,
        "OECD DDG Step 2; RMI practice: a CMRT that fails validation is sent back for correction",
    ),
    FlagKind(
        "supplier-open-errors",
        SUPPLIER,
        "Unresolved errors in its CMRT",
        1,
        "OECD DDG Step 2; RMI practice: a CMRT that fails validation is sent back for correction",
    ),
    FlagKind(
        "supplier-open-warnings",
        SUPPLIER,
        "Unanswered questions about its CMRT",
        1,
        "OECD DDG Step 2: inconsistencies are clarified with the supplier",
    ),
    FlagKind(
        "supplier-names-cahra-red-flag-smelter",
        SUPPLIER,
        "Names smelters in a CAHRA that are not conformant",
        8,
        "OECD DDG 3T supplement, location red flags, and Step 3: a smelter in a conflict-affected or "
        "high-risk area whose due diligence is not audited conformant calls for enhanced due diligence",
        repeats=True,
    ),
    FlagKind(
        "supplier-names-red-flag-smelter",
        SUPPLIER,
        "Names non-conformant or suspended smelters",
        7,
        "OECD DDG Step 3 (risk management plan for suppliers sourcing from unaudited smelters); "
        "IntegrityNext turns a supplier red when a smelter is not active or conformant",
        repeats=True,
    ),
    FlagKind(
        "supplier-names-unaudited-smelter",
        SUPPLIER,
        "Names smelters not enrolled in RMAP",
        2,
        "OECD DDG Step 4: smelters are expected to undergo an independent third-party audit; one that has "
        "not (yet) is a weaker flag than one found non-conformant",
        repeats=True,
    ),
    FlagKind(
        "supplier-names-unidentified-smelter",
        SUPPLIER,
        "Names smelters that could not be identified",
        2,
        "RMI Smelter Reference List: a name that is not an eligible smelter cannot be assessed",
        repeats=True,
    ),
    FlagKind(
        "supplier-low-response-coverage",
        SUPPLIER,
        "Few of its own suppliers answered (Q6)",
        2,
        "IntegrityNext and the CFSI 3.01 validator flag fewer than 50% of relevant suppliers responding",
    ),
    FlagKind(
        "supplier-policy-no",
        SUPPLIER,
        "Answered No to company-level policy questions",
        7,
        "OECD DDG Step 1 (a supply chain policy, a management system, supplier engagement) as asked by the "
        "CMRT's company-level questions A-G; EU Regulation 2017/821 Art 4",
        repeats=True,
    ),
    FlagKind(
        "supplier-outdated-template",
        SUPPLIER,
        "Older CMRT version than RMI recommends",
        1,
        "RMI recommends the latest template release for the reporting year (CMRT Revision tab)",
    ),
    # --- smelters ------------------------------------------------------------------------------
    FlagKind(
        "smelter-non-conformant",
        SMELTER,
        "RMAP Non-Conformant",
        6,
        "RMI: the Independent Review Committee found the facility not conformant with the RMAP standard",
    ),
    FlagKind(
        "smelter-suspended",
        SMELTER,
        "RMAP Suspended",
        6,
        "RMI facility lists: participation in the assessment programme is suspended",
    ),
    FlagKind(
        "smelter-not-enrolled",
        SMELTER,
        "Not enrolled in RMAP",
        4,
        "OECD DDG Step 4: smelters are expected to undergo an independent third-party audit",
    ),
    FlagKind(
        "smelter-active",
        SMELTER,
        "RMAP Active, not yet conformant",
        2,
        "RMI: Active means committed to an assessment that has not concluded",
    ),
    FlagKind(
        "smelter-progressing",
        SMELTER,
        "CFSI Progressing, not yet compliant",
        2,
        "CFSI 2014 lists: 'Progressing' had no later equivalent; treated like Active",
    ),
    FlagKind(
        "smelter-status-unknown",
        SMELTER,
        "No audit status",
        4,
        "OECD DDG Step 4: without a status there is no evidence the smelter was audited",
    ),
    FlagKind(
        "smelter-conformance-expired",
        SMELTER,
        "RMAP conformance expired",
        4,
        "RMI: a facility not re-assessed at the end of its cycle (1 year RMAP, 3 years risk-based) is removed",
    ),
    FlagKind(
        "smelter-status-outdated",
        SMELTER,
        "Audit status from an old list",
        1,
        "RMI publishes its facility lists continuously; a status is only true as of its list's date",
    ),
    FlagKind(
        "smelter-covered-country",
        SMELTER,
        "Located in a Covered Country (RMI level 3)",
        8,
        "SEC Rule 13p-1 Covered Countries; RMI country risk level 3",
    ),
    FlagKind(
        "smelter-cahra-country",
        SMELTER,
        "Located in a CAHRA (RMI level 3)",
        8,
        "EU Regulation 2017/821 Art 14 indicative CAHRA list; RMI country risk level 3",
    ),
    FlagKind(
        "smelter-sanctions-listed",
        SMELTER,
        "Named on a sanctions list",
        12,
        "OECD DDG Annex II; OFAC, EU and UK financial sanctions: a facility confirmed by an analyst to be "
        "a listed entity",
    ),
    FlagKind(
        "smelter-transit-country",
        SMELTER,
        "Located in a CAHRA transit country (RMI level 2)",
        2,
        "RMI country risk level 2: known CAHRA transit countries (Kenya, Mozambique, South Africa)",
    ),
)

# The risk categories of Annex X of the Batteries Regulation (and the OECD Annex II risks it names), one
# kind per category and subject, its title and source taken from batteries.categories. An analyst raises
# one by tagging an open risk action with the category; the data raises the conflict category for a
# battery raw-material facility (or mine) in a CAHRA. 6: an identified adverse-impact risk calls for a
# risk-management measure (Article 50(2)), medium on its own, high with any other medium flag.
ANNEX_X_WEIGHT = 6


def annex_x_code(subject: str, category: str) -> str:
    """The flag code of an Annex X category on a supplier or smelter: ``supplier-annex-x-child-labour``."""
    return f"{subject}-annex-x-{category}"


def annex_x_title(subject: str, category_title: str) -> str:
    """A kind's title names its subject: the thresholds page lists the supplier and smelter kinds together."""
    return f"Annex X risk ({subject}): {category_title}"


_ANNEX_X_KINDS = tuple(
    FlagKind(
        annex_x_code(subject, category.code),
        subject,
        annex_x_title(subject, category.title),
        ANNEX_X_WEIGHT,
        category.source,
    )
    for subject in (SUPPLIER, SMELTER)
    for category in CATEGORIES.values()
)

# Kinds that tell the same thing twice: an error-ridden file usually also has warnings and an old
# template; the Covered Countries are CAHRAs, so a Yes (or Unknown) to Q3 mostly repeats the one to Q4;
# and a supplier that cannot say where its minerals come from usually has few answers of its own
# suppliers. Within a family the heaviest flag counts in full and each
# further one as a repeat (``RiskThresholds.repeat_weight_pct``), so weak flags of one family cannot
# add up to a high rating on their own.
FAMILIES = {
    "supplier-many-open-errors": "file-quality",
    "supplier-open-errors": "file-quality",
    "supplier-open-warnings": "file-quality",
    "supplier-outdated-template": "file-quality",
    "supplier-covered-countries-yes": "sources-from-cahras",
    "supplier-cahra-yes": "sources-from-cahras",
    "supplier-covered-countries-unknown": "origin-unknown",
    "supplier-cahra-unknown": "origin-unknown",
    "supplier-low-response-coverage": "origin-unknown",
    # A battery facility in a CAHRA has the conflict category of Annex X because of where it is: the
    # location flags already say so.
    annex_x_code(SUPPLIER, CONFLICT_CATEGORY): "sources-from-cahras",
    "smelter-covered-country": "cahra-location",
    "smelter-cahra-country": "cahra-location",
    annex_x_code(SMELTER, CONFLICT_CATEGORY): "cahra-location",
}

FLAG_KINDS: dict[str, FlagKind] = {kind.code: kind for kind in (*_KINDS, *_ANNEX_X_KINDS)}
SUPPLIER_CODES = tuple(code for code, kind in FLAG_KINDS.items() if kind.subject == SUPPLIER)
SMELTER_CODES = tuple(code for code, kind in FLAG_KINDS.items() if kind.subject == SMELTER)
ANNEX_X_CODES = tuple(k.code for k in _ANNEX_X_KINDS)
# The Annex X category each of its kinds stands for (batteries.categories.CATEGORIES key).
ANNEX_X_CATEGORY_OF = {
    annex_x_code(subject, category): category for subject in (SUPPLIER, SMELTER) for category in CATEGORIES
}
