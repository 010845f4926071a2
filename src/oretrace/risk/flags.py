"""Red flags (OECD DDG Step 2) on suppliers and smelters, each explained in words a manager understands.

A flag is data: a stable code from ``risk.codes``, the subject it is about, its weight under the year's
thresholds, how many times it holds (the non-conformant smelters a supplier names), the points that
count adds to the subject's score, and one sentence naming the supplier or facility, the answer or
status and its date. The
risk page, the register and the management summary all print that sentence as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from oretrace.batteries.categories import CATEGORIES, CONFLICT_CATEGORY, ROLLUP_METALS, raw_material_name
from oretrace.refdata.kinds import ListKind
from oretrace.refdata.screening import FACILITY, Decision
from oretrace.risk.codes import FLAG_KINDS, SMELTER, SUPPLIER, annex_x_code
from oretrace.risk.thresholds import RiskThresholds
from oretrace.rmi.layouts import CMRT6, Layout, layout_for
from oretrace.rmi.model import TemplateKind
from oretrace.rollup.countries import CountryList, country_key, covered_country
from oretrace.rollup.model import MineSummary, Rollup, SmelterSummary, SupplierSummary, UnidentifiedName
from oretrace.smelters.cycles import lapsed
from oretrace.smelters.status import AuditStatus, StatusHistory, StatusRecord, parse_status

# RMI country risk level 2: known CAHRA transit countries (RMI FAQ "How are country risk levels
# determined?"), with the spellings of RMI's lists and ISO 3166.
TRANSIT_COUNTRIES = {
    "Kenya": ("kenya", "ke", "ken"),
    "Mozambique": ("mozambique", "mz", "moz"),
    "South Africa": ("south africa", "za", "zaf"),
}
_TRANSIT_BY_KEY = {key: name for name, keys in TRANSIT_COUNTRIES.items() for key in keys}

# Answers to the covered-country and CAHRA questions that mean "yes, some of it": the EMRT's cobalt may
# answer "DRC only", its mica "India and/or Madagascar only", the CRT "DRC or adjoining countries only".
YES_ANSWERS = frozenset(
    {"Yes", "DRC only", "India and/or Madagascar only", "DRC or adjoining countries only"}
)
UNKNOWN_ANSWERS = frozenset({"Unknown", "Uncertain or Unknown"})  # CMRT 1.x-2.x say "Uncertain or Unknown"
# Answers to Q1 under which the other questions do not apply to the mineral.
NOT_USED = frozenset({"No", "Not applicable for this declaration"})

# The share of relevant suppliers each response-rate answer guarantees (its floor), across versions:
# CMRT 6.x / EMRT / CRT / AMRT, CMRT 3.x-5.x ("Yes, 100%"), CMRT 2.x ("No but > 75%").
RESPONSE_FLOORS = {
    "100%": 100,
    "Greater than 90%": 90,
    "Greater than 75%": 75,
    "Greater than 50%": 50,
    "50% or less": 0,
    "None": 0,
    "Unknown": 0,
    "Did not survey": 0,
    "Yes, 100%": 100,
    "No, but greater than 75%": 75,
    "No, but greater than 50%": 50,
    "No, but greater than 25%": 25,
    "No, but less than 25%": 0,
    "Yes": 100,
    "No but > 75%": 75,
    "No but > 50%": 50,
    "No but > 25%": 25,
    "No but < 25%": 0,
    "No - none": 0,
}

# Audit status -> the flag it raises when the thresholds count it as a red flag.
STATUS_CODES = {
    AuditStatus.NON_CONFORMANT: "smelter-non-conformant",
    AuditStatus.SUSPENDED: "smelter-suspended",
    AuditStatus.NOT_ENROLLED: "smelter-not-enrolled",
    AuditStatus.ACTIVE: "smelter-active",
    AuditStatus.PROGRESSING: "smelter-progressing",
}
_STATUS_MEANING = {
    AuditStatus.NON_CONFORMANT: "its assessment found that it does not meet the RMAP standard",
    AuditStatus.SUSPENDED: "its participation in RMAP is suspended",
    AuditStatus.NOT_ENROLLED: "it has not committed to an RMAP assessment",
    AuditStatus.ACTIVE: "its RMAP assessment has not concluded yet",
    AuditStatus.PROGRESSING: "its assessment had not concluded when the list was published",
}
LISTED_NAMES = 3  # names spelled out in a flag before "and N more"


@dataclass(frozen=True)
class RedFlag:
    code: str  # a key of risk.codes.FLAG_KINDS
    subject_kind: str  # "supplier" or "smelter"
    subject: str  # the supplier's company name (or file name), or the facility's name
    key: str  # the file name, the in-scope supplier name, or the smelter's CID
    explanation: str
    weight: int  # one occurrence's weight under the year's thresholds
    severity: str  # "high", "medium" or "low": the points against the rating cut-offs
    metal: str | None = None
    mitigated: bool = False  # a location flag on a conformant smelter
    count: int = 1  # occurrences on the subject: each further one adds less (repeat_weight_pct)
    points: float = 0.0  # what the flag adds to the subject's score
    family_rank: int = 0  # heavier flags of its family on the subject before it (codes.FAMILIES)
    # What raised it when not the subject itself: "Mine List: <mine> (<mineral>, <country>)"
    source: str | None = None

    @property
    def title(self) -> str:
        return FLAG_KINDS[self.code].title

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "subject_kind": self.subject_kind,
            "subject": self.subject,
            "key": self.key,
            "metal": self.metal,
            "explanation": self.explanation,
            "weight": self.weight,
            "count": self.count,
            "points": self.points,
            "family_rank": self.family_rank,
            "severity": self.severity,
            "mitigated": self.mitigated,
            "source": self.source,
        }


@dataclass(frozen=True)
class SmelterStatus:
    """A facility's audit status on the assessment date, with the list it came from."""

    status: AuditStatus | None
    raw: str | None  # the list's own word
    list_date: dt.date | None
    record: StatusRecord | None = None

    @property
    def conformant(self) -> bool:
        return self.status is not None and self.status.counts_as_conformant


@dataclass(frozen=True)
class Context:
    """What every flag is judged against: the roll-up, the year's thresholds and the assessment date."""

    rollup: Rollup
    thresholds: RiskThresholds
    as_of: dt.date
    statuses: StatusHistory | None = None
    cahra: CountryList | None = None
    # Each smelter's status once, and the smelters each supplier label names: a roll-up of thousands of
    # files would otherwise look every facility up again for every supplier.
    _status: dict[str, SmelterStatus] = field(init=False, repr=False, compare=False)
    _named_by: dict[str, tuple[SmelterSummary, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        named_by: dict[str, list[SmelterSummary]] = {}
        for smelter in self.rollup.smelters:
            for label in smelter.suppliers:
                named_by.setdefault(label, []).append(smelter)
        object.__setattr__(self, "_status", {})
        object.__setattr__(self, "_named_by", {k: tuple(v) for k, v in named_by.items()})

    def smelters_named_by(self, *labels: str) -> tuple[SmelterSummary, ...]:
        """The facilities a supplier names under any of its labels, each once, in roll-up order."""
        found = {id(s): s for label in labels for s in self._named_by.get(label, ())}
        return tuple(s for s in self.rollup.smelters if id(s) in found)

    def flag(
        self,
        code: str,
        subject: str,
        key: str,
        explanation: str,
        *,
        metal: str | None = None,
        mitigated: bool = False,
        count: int = 1,
        source: str | None = None,
    ) -> RedFlag:
        weight = self.thresholds.weight(code)
        if mitigated:  # rounded half up, in whole points
            weight = (weight * self.thresholds.mitigated_weight_pct + 50) // 100
        points = self.thresholds.points(weight, count)
        return RedFlag(
            code=code,
            subject_kind=FLAG_KINDS[code].subject,
            subject=subject,
            key=key,
            explanation=explanation,
            weight=weight,
            severity=self.thresholds.rating(points),
            metal=metal,
            mitigated=mitigated,
            count=count,
            points=points,
            source=source,
        )

    def in_cahra(self, smelter: SmelterSummary) -> bool:
        """Whether a facility is in a Covered Country or on the CAHRA list that applies (RMI level 3)."""
        where = smelter.country
        if smelter.covered_country or (where and covered_country(where)):
            return True
        return (where in self.cahra) if self.cahra is not None else smelter.cahra

    def mine_in_cahra(self, mine: MineSummary) -> bool:
        """Whether a mine is on the CAHRA list that applies (the roll-up's when none is given)."""
        return (mine.country in self.cahra) if self.cahra is not None else mine.cahra

    def smelter_status(self, smelter: SmelterSummary) -> SmelterStatus:
        """The status from the status history when one is given (it has audit dates), else the roll-up's."""
        key = f"{smelter.metal}|{smelter.smelter_id}"
        if key not in self._status:
            record = self.statuses.record_on(smelter.smelter_id, self.as_of) if self.statuses else None
            if record is not None:
                found = SmelterStatus(record.status, record.raw_status, record.as_of, record)
            else:
                found = SmelterStatus(
                    parse_status(smelter.audit_status), smelter.audit_status, smelter.status_as_of
                )
            self._status[key] = found
        return self._status[key]


# --- sanctions screening ---------------------------------------------------------------------------


def sanctions_flag(decision: Decision, subject: str, key: str, context: Context) -> RedFlag:
    """The flag of a screening hit an analyst confirmed (refdata.screening), naming the list, the entry
    and the analyst's reason, so the risk page shows where the flag comes from."""
    code = "smelter-sanctions-listed" if decision.subject_kind == FACILITY else "supplier-sanctions-listed"
    programme = f", programme {decision.entry_programme}," if decision.entry_programme else ""
    return context.flag(
        code,
        subject,
        key,
        f'{subject} is entry {decision.entry_key} "{decision.entry_name}"{programme} on the '
        f"{ListKind(decision.list_kind).label} as of {decision.list_as_of.isoformat()}, as {decision.decided_by} "
        f"confirmed on {decision.decided_on.isoformat()}: {decision.reason}",
    )


# --- Annex X risk categories (Regulation (EU) 2023/1542) -------------------------------------------


@dataclass(frozen=True)
class AnnexXRisk:
    """An analyst's open risk action tagged with an Annex X category: the risk identified on its subject.

    ``subject_kind`` SUPPLIER or SMELTER, ``subject_key`` the rating's key it was opened on (file name,
    supplier name or CID), ``action`` how the register names it ("risk action #12")."""

    subject_kind: str
    subject_key: str
    subject: str
    category: str  # a key of batteries.categories.CATEGORIES
    action: str
    opened_on: dt.date


def annex_x_flag(risk: AnnexXRisk, subject: str, key: str, context: Context) -> RedFlag:
    """The flag of an Annex X risk an analyst identified, naming the category, its source and the action."""
    category = CATEGORIES[risk.category]
    return context.flag(
        annex_x_code(risk.subject_kind, risk.category),
        subject,
        key,
        f"The open {risk.action}, opened on {risk.opened_on.isoformat()}, identifies on {subject} a risk of the "
        f"category \u201c{category.title}\u201d ({category.source}).",
        source=risk.action,
    )


def _conflict_risk() -> str:
    category = CATEGORIES[CONFLICT_CATEGORY]
    return f"the risk \u201c{category.title}\u201d ({category.source})"


def _annex_x_location_flags(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    """A supplier naming battery raw-material facilities, or reporting such mines, in a Covered Country
    or a CAHRA: the conflict category of Annex X applies to its battery supply chain."""
    labels = {name, summary.file_name}
    found = [
        f"{s.name} ({raw_material_name(s.metal)}, {s.country})"
        for s in context.smelters_named_by(*labels)
        if s.metal in ROLLUP_METALS and context.in_cahra(s)
    ]
    found += [
        f"the mine {m.name} ({raw_material_name(m.mineral)}, {m.country})"
        for m in context.rollup.mines
        if not labels.isdisjoint(m.suppliers)
        and m.mineral in ROLLUP_METALS
        and (m.covered_country or context.mine_in_cahra(m))
    ]
    if found:
        yield context.flag(
            annex_x_code(SUPPLIER, CONFLICT_CATEGORY),
            name,
            summary.file_name,
            f"{name} names {_count(len(found), 'battery raw-material source')} of Annex X point 1 in a Covered "
            f"Country or a conflict-affected or high-risk area: {_some(found)}; {_conflict_risk()} applies.",
        )


def _annex_x_location_flag(
    smelter: SmelterSummary, status: SmelterStatus, context: Context
) -> Iterable[RedFlag]:
    if smelter.metal not in ROLLUP_METALS or not context.in_cahra(smelter):
        return
    # Mitigated as its location flag is: a conformant facility's own OECD due diligence was audited.
    mitigated = status.conformant or (
        status.status is AuditStatus.ACTIVE and context.thresholds.active_counts_as_mitigated
    )
    note = f"; its RMAP status ({status.raw or status.status}) mitigates this" if mitigated else ""
    yield context.flag(
        annex_x_code(SMELTER, CONFLICT_CATEGORY),
        smelter.name,
        smelter.smelter_id,
        f"{_who(smelter)} processes {raw_material_name(smelter.metal).lower()}, a battery raw material of "
        f"Annex X point 1, in {smelter.country}, a Covered Country or conflict-affected or high-risk area: "
        f"{_conflict_risk()} applies{note}.",
        metal=smelter.metal,
        mitigated=mitigated,
    )


# --- suppliers ------------------------------------------------------------------------------------


def supplier_label(summary: SupplierSummary) -> str:
    """How the roll-up names a supplier in SmelterSummary.suppliers (SupplierSummary.label)."""
    return summary.label


def supplier_flags(summary: SupplierSummary, context: Context) -> list[RedFlag]:
    """Every red flag on one supplier file."""
    name = supplier_label(summary)
    if not summary.readable:
        reason = f" ({summary.read_error_message.rstrip('.')})" if summary.read_error_message else ""
        return [
            context.flag(
                "supplier-file-unreadable",
                name,
                summary.file_name,
                f"The file {summary.file_name} could not be read{reason}, so it tells nothing about the "
                "supplier's smelters; a readable CMRT is needed.",
            )
        ]
    flags = []
    flags.extend(_answer_flags(summary, name, context))
    flags.extend(_policy_flags(summary, name, context))
    flags.extend(_finding_flags(summary, name, context))
    flags.extend(_smelter_choice_flags(summary, name, context))
    flags.extend(_mine_flags(summary, name, context))
    flags.extend(_annex_x_location_flags(summary, name, context))
    flags.extend(_outdated_template(summary, name, context))
    return flags


def no_response_flag(supplier: str, context: Context, *, due: dt.date | None = None) -> RedFlag:
    """The flag of a supplier asked that has not answered; ``due``: the date it was due, when known."""
    if due is None:
        when = f"by {context.as_of.isoformat()}"
    else:
        grace = context.thresholds.no_response_grace_days
        when = (
            f"by {context.as_of.isoformat()}, {(context.as_of - due).days} days after it was due on "
            f"{due.isoformat()} (the year's grace is {grace} days)"
        )
    return context.flag(
        "supplier-no-response",
        supplier,
        supplier,
        f"{supplier} is in scope for the inquiry but had returned no CMRT {when}.",
    )


def _layout(summary: SupplierSummary) -> Layout:
    # Question numbers mean different things per template and version (CMRT 3.x asks about supplier
    # responses in Q5, 6.x in Q6), so each answer is read by its topic in the file's own layout.
    try:
        kind = TemplateKind(summary.kind) if summary.kind else None
    except ValueError:
        kind = None
    found = layout_for(kind, summary.version) if kind and summary.version else None
    return found or CMRT6


def _answers_on(summary: SupplierSummary, layout: Layout, topic: str) -> list[tuple[str, str, str]]:
    """(mineral, question id, answer) for each mineral used in the products that answered ``topic``."""
    spec = layout.question_by_topic(topic)
    if spec is None:
        return []
    used = layout.question_by_topic("intentionally_added")
    found = []
    for mineral, answers in summary.answers.items():
        if used is not None and answers.get(used.id) in NOT_USED:
            continue
        answer = answers.get(spec.id)
        if answer:
            found.append((mineral, spec.id, answer))
    return found


def _grouped(hits: list[tuple[str, str, str]]) -> dict[tuple[str, str], list[str]]:
    """(question, answer) -> the minerals that gave it, in the order of the file."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for mineral, question, answer in hits:
        grouped.setdefault((question, answer), []).append(mineral)
    return grouped


def _and(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _said(answer: str) -> str:
    return answer if answer in ("Yes", "Unknown") else f"\u201c{answer}\u201d"


def _answer_flags(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    layout = _layout(summary)
    location_questions = (
        (
            "covered_countries",
            "supplier-covered-countries-yes",
            "supplier-covered-countries-unknown",
            "the Covered Countries (the DRC and its nine neighbours)",
        ),
        ("cahra", "supplier-cahra-yes", "supplier-cahra-unknown", "conflict-affected and high-risk areas"),
    )
    for topic, yes_code, unknown_code, where in location_questions:
        hits = _answers_on(summary, layout, topic)
        yes = _grouped([h for h in hits if h[2] in YES_ANSWERS])
        if yes:
            said = "; ".join(f"{_said(a)} to {q} for {_and(ms)}" for (q, a), ms in yes.items())
            yield context.flag(
                yes_code,
                name,
                summary.file_name,
                f"{name} answered {said}: some of its smelters source from {where}.",
            )
        unknown = _grouped([h for h in hits if h[2] in UNKNOWN_ANSWERS])
        if unknown:
            said = "; ".join(f"{_said(a)} to {q} for {_and(ms)}" for (q, a), ms in unknown.items())
            yield context.flag(
                unknown_code,
                name,
                summary.file_name,
                f"{name} answered {said}: it cannot say whether its smelters source from {where}.",
            )
    minimum = context.thresholds.min_supplier_response_pct
    low = _grouped(
        [
            h
            for h in _answers_on(summary, layout, "supplier_response_rate")
            if RESPONSE_FLOORS.get(h[2], 100) < minimum
        ]
    )
    if low:
        said = "; ".join(f"{_said(a)} to {q} for {_and(ms)}" for (q, a), ms in low.items())
        yield context.flag(
            "supplier-low-response-coverage",
            name,
            summary.file_name,
            f"{name} answered {said}: it cannot show that more than {minimum}% of its own relevant "
            "suppliers have responded to it.",
        )


def _finding_flags(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    counts = summary.findings_by_severity
    errors, warnings = counts.get("error", 0), counts.get("warning", 0)
    if errors:
        code = (
            "supplier-many-open-errors"
            if errors >= context.thresholds.errors_for_high_risk
            else "supplier-open-errors"
        )
        yield context.flag(
            code,
            name,
            summary.file_name,
            f"{name}'s CMRT ({summary.file_name}) has {_count(errors, 'unresolved error')}: "
            "it must be corrected before it can be relied on.",
        )
    if warnings and warnings >= context.thresholds.warnings_for_flag:
        yield context.flag(
            "supplier-open-warnings",
            name,
            summary.file_name,
            f"{name}'s CMRT ({summary.file_name}) has {_count(warnings, 'unanswered warning')} "
            "the supplier has to explain.",
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _smelter_choice_flags(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    labels = {name, summary.file_name}
    # Each named smelter whose status is a red flag, by how strong a flag it is (OECD DDG 3T supplement):
    # in a CAHRA or a Covered Country, the strongest; found non-conformant or suspended elsewhere, medium;
    # only not (yet) audited, weaker.
    groups: dict[str, list[tuple[SmelterSummary, SmelterStatus]]] = {code: [] for code in _NAMES_WHAT}
    for smelter in context.smelters_named_by(*labels):
        status = context.smelter_status(smelter)
        if status.status is None or not context.thresholds.flags_status(status.status):
            continue
        if context.in_cahra(smelter):
            groups["supplier-names-cahra-red-flag-smelter"].append((smelter, status))
        elif status.status in (AuditStatus.NON_CONFORMANT, AuditStatus.SUSPENDED):
            groups["supplier-names-red-flag-smelter"].append((smelter, status))
        else:
            groups["supplier-names-unaudited-smelter"].append((smelter, status))
    for code, flagged in groups.items():
        if not flagged:
            continue
        dates = {status.list_date for _, status in flagged}
        # Where a smelter is matters only to the CAHRA flag: the others would repeat its country for nothing.
        where = _where if code == "supplier-names-cahra-red-flag-smelter" else (lambda s: s.metal)
        if len(dates) == 1:  # one list: its date once, not after every name
            date = dates.pop()
            standing = f"the RMAP list of {date.isoformat()} shows" if date else "RMAP lists"
            names = [f"{s.name} ({where(s)}, {st.raw or st.status})" for s, st in flagged]
        else:
            standing = "RMAP lists"
            names = [f"{s.name} ({where(s)}, {_listed(st)})" for s, st in flagged]
        yield context.flag(
            code,
            name,
            summary.file_name,
            f"{name} names {_count(len(flagged), 'smelter')} that {standing} {_NAMES_WHAT[code]}: "
            f"{_some(names)}.",
            count=len(flagged),
        )
    unknown = [u for u in context.rollup.unidentified if not labels.isdisjoint(u.suppliers)]
    if unknown:
        yield context.flag(
            "supplier-names-unidentified-smelter",
            name,
            summary.file_name,
            f"{name} names {_count(len(unknown), 'smelter')} that "
            f"{'matches' if len(unknown) == 1 else 'match'} no known facility: "
            f"{_some([_unidentified(u) for u in unknown])}.",
            count=len(unknown),
        )


def _mine_flags(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    """A mine the supplier reports in a Covered Country or a CAHRA: the mineral comes from there,
    whatever the supplier answered to the location questions (OECD DDG 3T supplement, location red
    flags). One flag per mine, so the mine is its source."""
    labels = {name, summary.file_name}
    for mine in context.rollup.mines:
        if labels.isdisjoint(mine.suppliers):
            continue
        if mine.covered_country:
            code, where = "supplier-covered-countries-yes", "a Covered Country under SEC Rule 13p-1"
        elif context.mine_in_cahra(mine):
            listed = "the imported CAHRA list" if context.cahra is None else "the imported EU CAHRA list"
            code, where = "supplier-cahra-yes", f"on {listed}"
        else:
            continue
        mine_id = f", {mine.mine_id}" if mine.mine_id and mine.mine_id != mine.name else ""
        yield context.flag(
            code,
            name,
            summary.file_name,
            f"{name} reports in its Mine List the {mine.mineral} mine {mine.name}{mine_id} in "
            f"{mine.country}, {where} (RMI country risk level 3).",
            metal=mine.mineral,
            source=f"Mine List: {mine.name} ({mine.mineral}, {mine.country})",
        )


_NAMES_WHAT = {
    "supplier-names-cahra-red-flag-smelter": "in a conflict-affected or high-risk area and not conformant",
    "supplier-names-red-flag-smelter": "out of good standing",
    "supplier-names-unaudited-smelter": "not audited",
}


def _where(smelter: SmelterSummary) -> str:
    return f"{smelter.metal}, {smelter.country}" if smelter.country else smelter.metal


# The company-level topics whose "No" is a red flag: the supply chain policy and the management system
# of OECD DDG Step 1 and Step 2 (CMRT 6.x A-G, and their equivalents in older CMRTs, the EMRT and CRT).
# Whether a company files an annual disclosure (CMRT H) says nothing about its due diligence.
POLICY_TOPICS = frozenset(
    {
        "policy",
        "policy_public",
        "policy_covers_annex_ii",
        "require_conflict_free_suppliers",
        "require_audited_smelters",
        "require_supplier_due_diligence",
        "require_supplier_annex_ii",
        "due_diligence",
        "supplier_survey",
        "request_smelter_names",
        "review_against_expectations",
        "corrective_action",
    }
)


def _policy_flags(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    said_no = []
    for spec in _layout(summary).company_questions:
        if spec.topic not in POLICY_TOPICS:
            continue
        # A per-mineral question (EMRT C) is kept as "C:Cobalt"; a "No" for any mineral counts once.
        keys = [k for k in summary.company_answers if k == spec.id or k.startswith(f"{spec.id}:")]
        if any(summary.company_answers.get(k) == "No" for k in keys):
            said_no.append(spec.id)
    if said_no:
        plural = "s" if len(said_no) > 1 else ""
        yield context.flag(
            "supplier-policy-no",
            name,
            summary.file_name,
            f"{name} answered No to company-level question{plural} {_and(said_no)} (its responsible "
            "minerals policy and due diligence).",
            count=len(said_no),
        )


def _unidentified(name: UnidentifiedName) -> str:
    where = ", ".join(p for p in (name.metal, name.country) if p)
    return f"\u201c{name.name or 'no name'}\u201d" + (f" ({where})" if where else "")


def _some(items: Sequence[str]) -> str:
    if len(items) <= LISTED_NAMES:
        return _and(items)
    return ", ".join(items[:LISTED_NAMES]) + f" and {len(items) - LISTED_NAMES} more"


def _listed(status: SmelterStatus) -> str:
    on = f" in the RMAP list of {status.list_date.isoformat()}" if status.list_date else ""
    return f"{status.raw or status.status}{on}"


def _outdated_template(summary: SupplierSummary, name: str, context: Context) -> Iterable[RedFlag]:
    for finding in context.rollup.findings:
        if finding.file_name == summary.file_name and finding.code == "template-outdated":
            yield context.flag(
                "supplier-outdated-template",
                name,
                summary.file_name,
                f"{name} used an older template than RMI recommends ({summary.file_name}). {finding.message}",
            )
            return


# --- smelters -------------------------------------------------------------------------------------


def smelter_flags(smelter: SmelterSummary, context: Context) -> list[RedFlag]:
    """Every red flag on one facility: its audit status, its dates, and where it is."""
    status = context.smelter_status(smelter)
    flags = list(_status_flags(smelter, status, context))
    flags.extend(_location_flags(smelter, status, context))
    flags.extend(_annex_x_location_flag(smelter, status, context))
    return flags


def _who(smelter: SmelterSummary) -> str:
    return f"{smelter.name} ({smelter.metal}, {smelter.smelter_id})"


def _status_flags(smelter: SmelterSummary, status: SmelterStatus, context: Context) -> Iterable[RedFlag]:
    def flag(code: str, text: str) -> RedFlag:
        return context.flag(code, smelter.name, smelter.smelter_id, text, metal=smelter.metal)

    who = _who(smelter)
    if status.status is None:
        if status.raw:
            text = (
                f"{who} is listed as \u201c{status.raw}\u201d in the RMAP list of "
                f"{status.list_date.isoformat()}, a status with no defined meaning: its audit status is unknown."
            )
        else:
            lists = context.rollup.status_lists or (
                tuple(s.name for s in context.statuses.lists) if context.statuses else ()
            )
            text = (
                f"{who} is on none of the status lists imported ({_and(lists)}): its audit status is unknown."
                if lists
                else f"{who} has no audit status: no RMAP status list was imported for the assessment."
            )
        yield flag("smelter-status-unknown", text)
        return
    if context.thresholds.flags_status(status.status) and status.status in STATUS_CODES:
        yield flag(
            STATUS_CODES[status.status],
            f"{who} is listed as {status.raw or status.status} in the RMAP list of "
            f"{status.list_date.isoformat() if status.list_date else 'unknown date'}: "
            f"{_STATUS_MEANING[status.status]}.",
        )
    if status.conformant and status.record is not None:
        expired = _expiry(status.record, context)
        if expired:
            yield flag("smelter-conformance-expired", f"The RMAP conformance of {who} {expired}.")
    max_age = context.thresholds.status_list_max_age_days
    if status.list_date and (context.as_of - status.list_date).days > max_age:
        days = (context.as_of - status.list_date).days
        yield flag(
            "smelter-status-outdated",
            f"The latest audit status of {who} comes from the RMAP list of {status.list_date.isoformat()}, "
            f"{days} days before {context.as_of.isoformat()} (more than {max_age}): it may have changed since.",
        )


def _expiry(record: StatusRecord, context: Context) -> str | None:
    """Why a conformance has lapsed on the assessment date (the one lapse rule, smelters.cycles), or None."""
    ending = lapsed(record, context.as_of, context.thresholds.expiry_grace_days)
    return ending.why if ending else None


def rmi_country_level(country: str | None, cahra: CountryList | None = None) -> int | None:
    """RMI country risk level of a location: 3 for the Covered Countries and listed CAHRAs, 2 for the known
    transit countries, 1 otherwise; None when the country is unknown."""
    if not country:
        return None
    if covered_country(country) or (cahra is not None and country in cahra):
        return 3
    if country_key(country) in _TRANSIT_BY_KEY:
        return 2
    return 1


def _location_flags(smelter: SmelterSummary, status: SmelterStatus, context: Context) -> Iterable[RedFlag]:
    # A location is a red flag whatever the status (OECD DDG 3T supplement, location red flags); a
    # smelter whose own due diligence was audited conformant has that risk mitigated, and so, when the
    # year's thresholds say so, has one in an assessment (Active).
    mitigated = status.conformant or (
        status.status is AuditStatus.ACTIVE and context.thresholds.active_counts_as_mitigated
    )
    note = f"; its RMAP status ({status.raw or status.status}) mitigates this" if mitigated else ""
    where = smelter.country
    covered = covered_country(where) if where else None
    on_list = (where in context.cahra) if context.cahra is not None else smelter.cahra

    def flag(code: str, text: str) -> RedFlag:
        return context.flag(
            code,
            smelter.name,
            smelter.smelter_id,
            text + note + ".",
            metal=smelter.metal,
            mitigated=mitigated,
        )

    if covered or smelter.covered_country:
        yield flag(
            "smelter-covered-country",
            f"{_who(smelter)} is located in {where}, a Covered Country under SEC Rule 13p-1 "
            "(RMI country risk level 3)",
        )
    elif on_list:
        listed = "the imported CAHRA list" if context.cahra is None else "the imported EU CAHRA list"
        yield flag(
            "smelter-cahra-country",
            f"{_who(smelter)} is located in {where}, on {listed} (RMI country risk level 3)",
        )
    elif where and country_key(where) in _TRANSIT_BY_KEY:
        yield flag(
            "smelter-transit-country",
            f"{_who(smelter)} is located in {where}, a known transit country for minerals from "
            "conflict-affected areas (RMI country risk level 2)",
        )


__all__ = [
    "SMELTER",
    "SUPPLIER",
    "AnnexXRisk",
    "Context",
    "RedFlag",
    "SmelterStatus",
    "annex_x_flag",
    "no_response_flag",
    "rmi_country_level",
    "smelter_flags",
    "supplier_flags",
    "supplier_label",
]
