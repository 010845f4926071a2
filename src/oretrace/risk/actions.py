"""The standard responses to each red flag (OECD DDG Step 3, "design and implement a strategy to respond
to identified risks"), as data the web app turns into risk-register entries.

OECD's Step 3 asks for one of three responses to an identified risk: continue trade while mitigating it,
suspend trade temporarily while mitigating, or disengage after failed attempts at mitigation; mitigation
should show "significant measurable improvement" within six months of the risk management plan (DDG
Annex II and Step 3, C). The defaults below start with the mildest measure that addresses the flag,
with due dates an analyst would set; the analyst edits them in the register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from oretrace.batteries.categories import CATEGORIES
from oretrace.risk.assess import RiskAssessment
from oretrace.risk.codes import SMELTER, SUPPLIER, annex_x_code
from oretrace.risk.flags import RedFlag

ANALYST = "Compliance analyst"
BUYER = "Buyer responsible for the supplier"
MANAGER = "Compliance manager"
SIX_MONTHS = 180  # OECD DDG Step 3: measurable improvement within six months


@dataclass(frozen=True)
class Response:
    """A standard response to one kind of flag. ``what`` may name the subject as {subject}."""

    what: str
    owner_role: str
    due_in_days: int
    escalation: bool = False  # goes to someone above the analyst (OECD Step 3: report to senior management)


@dataclass(frozen=True)
class SuggestedAction:
    """A corrective action proposed for one flag: what the register entry starts from."""

    flag: RedFlag
    what: str
    owner_role: str
    due_in_days: int
    escalation: bool = False

    def due_on(self, opened: dt.date) -> dt.date:
        return opened + dt.timedelta(days=self.due_in_days)

    def as_dict(self) -> dict:
        return {
            "flag_code": self.flag.code,
            "subject_kind": self.flag.subject_kind,
            "subject": self.flag.subject,
            "key": self.flag.key,
            "what": self.what,
            "owner_role": self.owner_role,
            "due_in_days": self.due_in_days,
            "escalation": self.escalation,
            "reason": self.flag.explanation,
        }


RESPONSES: dict[str, tuple[Response, ...]] = {
    "supplier-no-response": (
        Response("Remind {subject} to return its CMRT", ANALYST, 14),
        Response("Escalate the missing CMRT to {subject}'s management through the buyer", BUYER, 30, True),
    ),
    "supplier-sanctions-listed": (
        Response(
            "Suspend trade with {subject} and report the sanctions hit to senior management", MANAGER, 7, True
        ),
        Response("Keep the screening decision and the list entry of {subject} on file", ANALYST, 14),
    ),
    "supplier-file-unreadable": (
        Response("Ask {subject} to send its CMRT again as a readable file", ANALYST, 14),
    ),
    "supplier-covered-countries-yes": (
        Response(
            "Ask {subject} which smelters source from the Covered Countries and for their RMAP status",
            ANALYST,
            30,
        ),
        Response("Report the Covered-Country sourcing of {subject} to senior management", MANAGER, 30, True),
    ),
    "supplier-covered-countries-unknown": (
        Response(
            "Ask {subject} to complete its inquiry and answer the Covered-Country question", ANALYST, 30
        ),
    ),
    "supplier-cahra-yes": (
        Response(
            "Ask {subject} which smelters source from CAHRAs and for their due-diligence evidence",
            ANALYST,
            30,
        ),
    ),
    "supplier-cahra-unknown": (
        Response("Ask {subject} to complete its inquiry and answer the CAHRA question", ANALYST, 30),
    ),
    "supplier-many-open-errors": (
        Response("Ask {subject} for a corrected CMRT", ANALYST, 30),
        Response("Escalate to {subject}'s management if no corrected CMRT arrives", BUYER, 60, True),
    ),
    "supplier-open-errors": (Response("Ask {subject} for a corrected CMRT", ANALYST, 30),),
    "supplier-open-warnings": (
        Response("Ask {subject} to explain the open questions on its CMRT", ANALYST, 30),
    ),
    "supplier-names-cahra-red-flag-smelter": (
        Response(
            "Agree a risk management plan with {subject} for the CAHRA smelters it names and report it to "
            "senior management",
            MANAGER,
            90,
        ),
        Response("Suspend orders from {subject} until its CAHRA smelters are conformant", MANAGER, 30, True),
    ),
    "supplier-names-red-flag-smelter": (
        Response("Ask {subject} to move off the non-conformant smelters it names", BUYER, SIX_MONTHS),
        Response(
            "Agree a risk management plan with {subject} and report it to senior management",
            MANAGER,
            90,
            True,
        ),
    ),
    "supplier-names-unaudited-smelter": (
        Response("Ask {subject} whether the smelters it names have committed to an RMAP audit", ANALYST, 60),
    ),
    "supplier-policy-no": (
        Response("Ask {subject} to adopt a responsible minerals policy and due diligence", BUYER, SIX_MONTHS),
    ),
    "supplier-names-unidentified-smelter": (
        Response("Ask {subject} to correct the smelter names or give their smelter IDs", ANALYST, 30),
    ),
    "supplier-low-response-coverage": (
        Response("Ask {subject} how and by when it will reach its remaining suppliers", ANALYST, 60),
    ),
    "supplier-outdated-template": (
        Response("Ask {subject} to use RMI's current CMRT next time", ANALYST, 60),
    ),
    "smelter-non-conformant": (
        Response("Ask the suppliers naming {subject} to move off it", BUYER, SIX_MONTHS),
        Response("Ask {subject} for its RMAP corrective action plan", ANALYST, 60),
    ),
    "smelter-suspended": (
        Response(
            "Ask the suppliers naming {subject} to move off it while it is suspended", BUYER, SIX_MONTHS
        ),
    ),
    "smelter-not-enrolled": (
        Response("Ask {subject} to enrol in RMAP via RMI's smelter outreach", ANALYST, 90),
        Response("Ask the suppliers naming {subject} to prefer RMAP-conformant smelters", BUYER, SIX_MONTHS),
    ),
    "smelter-active": (
        Response("Check the RMAP list again for the outcome of {subject}'s assessment", ANALYST, 90),
    ),
    "smelter-progressing": (Response("Check a current RMAP list for {subject}'s status", ANALYST, 30),),
    "smelter-status-unknown": (
        Response("Look up {subject} on RMI's current facility lists and import the list", ANALYST, 14),
        Response("Ask {subject} to enrol in RMAP via RMI's smelter outreach", ANALYST, 90),
    ),
    "smelter-conformance-expired": (
        Response("Confirm with RMI whether {subject} is being re-assessed", ANALYST, 30),
    ),
    "smelter-status-outdated": (
        Response("Import a current RMAP facility list to confirm {subject}'s status", ANALYST, 14),
    ),
    "smelter-covered-country": (
        Response(
            "Keep the RMAP audit evidence of {subject} on file for the Conflict Minerals Report", ANALYST, 60
        ),
    ),
    "smelter-cahra-country": (
        Response("Keep the RMAP audit evidence of {subject} on file for the annual report", ANALYST, 60),
    ),
    "smelter-sanctions-listed": (
        Response("Ask the suppliers naming {subject} to stop sourcing from it", BUYER, 30, True),
        Response("Report the sanctions hit on {subject} to senior management", MANAGER, 7, True),
    ),
    "smelter-transit-country": (
        Response("Ask the suppliers naming {subject} about its mines of origin", ANALYST, 60),
    ),
}

# An Annex X risk (Regulation (EU) 2023/1542, Article 50(2)): the subject is asked for its own due
# diligence on the category, the mildest measure that addresses it; an analyst's own risk action already
# on the register is the flag's source and stays the one to follow.
for _subject in (SMELTER, SUPPLIER):
    for _category in CATEGORIES.values():
        RESPONSES[annex_x_code(_subject, _category.code)] = (
            Response(
                "Ask {subject} for evidence of its due diligence on the risk of " + _category.title.lower(),
                ANALYST,
                60,
            ),
        )


def actions_for(flag: RedFlag) -> tuple[SuggestedAction, ...]:
    """The standard responses to one flag, mildest first."""
    return tuple(
        SuggestedAction(flag, r.what.format(subject=flag.subject), r.owner_role, r.due_in_days, r.escalation)
        for r in RESPONSES[flag.code]
    )


def suggested_actions(
    source: RiskAssessment | Iterable[RedFlag], *, include_mitigated: bool = False, minimum: str = "low"
) -> tuple[SuggestedAction, ...]:
    """Actions for every flag of an assessment (worst subject first) or of the flags given.

    Mitigated location flags need no action of their own unless ``include_mitigated``; ``minimum``
    ("high", "medium", "low") leaves out flags of lower severity.
    """
    flags = source.flags if isinstance(source, RiskAssessment) else tuple(source)
    allowed = {"high": ("high",), "medium": ("high", "medium"), "low": ("high", "medium", "low")}[minimum]
    return tuple(
        action
        for flag in flags
        if (include_mitigated or not flag.mitigated) and flag.severity in allowed
        for action in actions_for(flag)
    )


def proposed_register(assessment: RiskAssessment, *, opened: dt.date) -> list[dict]:
    """The standard corrective action for every red flag, as register rows marked "proposed": the
    register an analyst starts from when none was kept."""
    rows = []
    for action in suggested_actions(assessment):
        row = action.as_dict()
        row.update(opened=opened.isoformat(), due=action.due_on(opened).isoformat(), status="proposed")
        rows.append(row)
    return rows
