"""Every kind of red flag oretrace raises: a stable code, who it is about, a title, its default weight
and where the practice comes from.

One registry, so that thresholds can validate a weight's key, the web app can offer a filter per kind,
and the corrective actions can be tested to cover every kind. The codes are stable: a reporting year's
stored thresholds and the risk register refer to them.

Default weights sit on one scale with the rating cut-offs of ``RiskThresholds`` (medium from 4, high
from 10): a weight of 10 makes a subject high risk on its own, 4 medium, below 4 only adds up.
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPLIER = "supplier"
SMELTER = "smelter"


@dataclass(frozen=True)
class FlagKind:
    code: str
    subject: str  # SUPPLIER or SMELTER
    title: str  # what a filter on the risk page is called
    weight: int  # the default weight
    source: str  # the guidance or practice the flag follows


_KINDS = (
    # --- suppliers -----------------------------------------------------------------------------
    FlagKind(
        "supplier-no-response",
        SUPPLIER,
        "No CMRT returned",
        10,
        "OECD DDG Step 2 (identify the smelters in the supply chain); SEC Rule 13p-1 RCOI: an inquiry "
        "that ignores warning signs is not made in good faith",
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
        10,
        "OECD DDG 3T supplement, location red flags; SEC Rule 13p-1 Item 1.01(c)",
    ),
    FlagKind(
        "supplier-covered-countries-unknown",
        SUPPLIER,
        "Does not know whether it sources from the Covered Countries",
        4,
        "SEC Rule 13p-1 Item 1.01(c): 'reason to believe' the minerals may have originated there",
    ),
    FlagKind(
        "supplier-cahra-yes",
        SUPPLIER,
        "Sources from conflict-affected and high-risk areas",
        10,
        "OECD DDG 3T supplement, location red flags (minerals originate from or transit a CAHRA)",
    ),
    FlagKind(
        "supplier-cahra-unknown",
        SUPPLIER,
        "Does not know whether it sources from CAHRAs",
        4,
        "OECD DDG Step 2: the origin is to be determined, not assumed",
    ),
    FlagKind(
        "supplier-many-open-errors",
        SUPPLIER,
        "Many unresolved errors in its CMRT",
        10,
        "OECD DDG Step 2; RMI practice: a CMRT that fails validation is sent back for correction",
    ),
    FlagKind(
        "supplier-open-errors",
        SUPPLIER,
        "Unresolved errors in its CMRT",
        4,
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
        "supplier-names-red-flag-smelter",
        SUPPLIER,
        "Names non-conformant or suspended smelters",
        10,
        "OECD DDG Step 3 (risk management plan for suppliers sourcing from unaudited smelters); "
        "IntegrityNext turns a supplier red when a smelter is not active or conformant",
    ),
    FlagKind(
        "supplier-names-unidentified-smelter",
        SUPPLIER,
        "Names smelters that could not be identified",
        3,
        "RMI Smelter Reference List: a name that is not an eligible smelter cannot be assessed",
    ),
    FlagKind(
        "supplier-low-response-coverage",
        SUPPLIER,
        "Few of its own suppliers answered (Q6)",
        4,
        "IntegrityNext and the CFSI 3.01 validator flag fewer than 50% of relevant suppliers responding",
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
        10,
        "RMI: the Independent Review Committee found the facility not conformant with the RMAP standard",
    ),
    FlagKind(
        "smelter-suspended",
        SMELTER,
        "RMAP Suspended",
        10,
        "RMI facility lists: participation in the assessment programme is suspended",
    ),
    FlagKind(
        "smelter-not-enrolled",
        SMELTER,
        "Not enrolled in RMAP",
        6,
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
        6,
        "OECD DDG Step 4: without a status there is no evidence the smelter was audited",
    ),
    FlagKind(
        "smelter-conformance-expired",
        SMELTER,
        "RMAP conformance expired",
        6,
        "RMI: a facility not re-assessed at the end of its cycle (1 year RMAP, 3 years risk-based) is removed",
    ),
    FlagKind(
        "smelter-status-outdated",
        SMELTER,
        "Audit status from an old list",
        2,
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
        "smelter-transit-country",
        SMELTER,
        "Located in a CAHRA transit country (RMI level 2)",
        3,
        "RMI country risk level 2: known CAHRA transit countries (Kenya, Mozambique, South Africa)",
    ),
)

FLAG_KINDS: dict[str, FlagKind] = {kind.code: kind for kind in _KINDS}
SUPPLIER_CODES = tuple(k.code for k in _KINDS if k.subject == SUPPLIER)
SMELTER_CODES = tuple(k.code for k in _KINDS if k.subject == SMELTER)
