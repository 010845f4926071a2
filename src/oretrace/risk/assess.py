"""A rating per supplier and per smelter (OECD DDG Step 2, "assess risks"), worst first.

A subject's score is the sum of its flags' points (a flag's weight, and less for each repeat of its kind:
``RiskThresholds.points``); the year's cut-offs turn it into high, medium or low. Summing keeps the rating
explainable: the flags that drove it are listed with it, heaviest first. A supplier asked that has not
answered is "awaiting response", not rated, until its due date plus the year's grace days have passed.
docs/risk-scoring.md describes the rules with the default weights (``oretrace.risk.docs``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from oretrace.refdata.screening import FACILITY, Decision
from oretrace.risk.codes import FLAG_KINDS, SMELTER, SUPPLIER
from oretrace.risk.flags import (
    AnnexXRisk,
    Context,
    RedFlag,
    annex_x_flag,
    no_response_flag,
    sanctions_flag,
    smelter_flags,
    supplier_flags,
    supplier_label,
)
from oretrace.risk.thresholds import RATINGS, RiskThresholds
from oretrace.rollup.countries import CountryList
from oretrace.rollup.model import Rollup
from oretrace.smelters.status import StatusHistory
from oretrace.survey import Figures, RequestState, Survey, SurveyedSupplier, survey_figures
from oretrace.survey.folder import rollup_survey

_RANK = {rating: i for i, rating in enumerate(RATINGS)}


@dataclass(frozen=True)
class RiskRating:
    subject_kind: str  # "supplier" or "smelter"
    subject: str  # company name (or file name) / facility name
    key: str  # file name, in-scope supplier name, or CID
    rating: str  # "high", "medium" or "low"
    score: float  # the sum of the flags' points, to one decimal
    flags: tuple[RedFlag, ...]  # heaviest first
    metal: str | None = None
    country: str | None = None
    status: str | None = None  # a smelter's audit status on the assessment date ("Unknown" when none)
    # For a facility RMI does not list (an analyst added it by hand): where it comes from, shown with it.
    not_rmi_listed: str | None = None

    @property
    def explanation(self) -> str:
        """The heaviest flag's sentence: what a one-line list shows."""
        return self.flags[0].explanation if self.flags else "No red flags."

    def as_dict(self) -> dict:
        return {
            "subject_kind": self.subject_kind,
            "subject": self.subject,
            "key": self.key,
            "metal": self.metal,
            "country": self.country,
            "status": self.status,
            "not_rmi_listed": self.not_rmi_listed,
            "rating": self.rating,
            "score": self.score,
            "flags": [f.as_dict() for f in self.flags],
        }


@dataclass(frozen=True)
class AwaitingResponse:
    """A supplier asked that has not answered yet, before its due date plus the grace days: not a flag."""

    name: str
    due: dt.date  # the date its answer is due
    flagged_from: dt.date  # the first day it counts as not responded (due + grace days + 1)

    def as_dict(self) -> dict:
        return {"name": self.name, "due": self.due.isoformat(), "flagged_from": self.flagged_from.isoformat()}


@dataclass(frozen=True)
class RiskAssessment:
    as_of: dt.date
    thresholds: RiskThresholds
    suppliers: tuple[RiskRating, ...]  # worst first
    smelters: tuple[RiskRating, ...]  # worst first
    survey: Figures  # the survey's figures (oretrace.survey), as every other page counts them
    status_lists: tuple[str, ...] = ()
    awaiting: tuple[AwaitingResponse, ...] = ()  # asked, not answered, not overdue past the grace days

    @property
    def suppliers_in_scope(self) -> int:
        return self.survey.surveyed

    @property
    def suppliers_responded(self) -> int:
        return self.survey.responded

    @property
    def ratings(self) -> tuple[RiskRating, ...]:
        """Suppliers and smelters together, worst first."""
        return _sorted((*self.suppliers, *self.smelters))

    @property
    def flags(self) -> tuple[RedFlag, ...]:
        return tuple(flag for rating in self.ratings for flag in rating.flags)

    def supplier_counts(self) -> dict[str, int]:
        return _by_rating(self.suppliers)

    def smelter_counts(self) -> dict[str, int]:
        return _by_rating(self.smelters)

    def smelters_by_status(self) -> dict[str, int]:
        counts = Counter(r.status or "Unknown" for r in self.smelters)
        return dict(counts.most_common())

    def flags_by_code(self) -> dict[str, int]:
        """Flags per kind, most frequent first, in the registry's order among equals."""
        counts = Counter(f.code for f in self.flags)
        order = list(FLAG_KINDS)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0]))))

    def flagged(self, code: str) -> tuple[RiskRating, ...]:
        """The subjects carrying a flag of kind ``code``, worst first: what a filter on the kind shows."""
        return tuple(r for r in self.ratings if any(f.code == code for f in r.flags))

    @property
    def response_rate(self) -> float | None:
        return self.survey.response_rate if self.survey.surveyed else None

    def top(self, n: int = 10, *, at_least: str = "medium") -> tuple[RiskRating, ...]:
        """The worst ``n`` subjects rated ``at_least`` medium (or high, or low for all)."""
        cut = _RANK[at_least]
        return tuple(r for r in self.ratings if _RANK[r.rating] <= cut)[:n]

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "thresholds": self.thresholds.as_dict(),
            "survey": self.survey.as_dict(),
            "status_lists": list(self.status_lists),
            "suppliers": [r.as_dict() for r in self.suppliers],
            "awaiting": [w.as_dict() for w in self.awaiting],
            "smelters": [r.as_dict() for r in self.smelters],
        }


def _by_rating(ratings: Iterable[RiskRating]) -> dict[str, int]:
    counts = Counter(r.rating for r in ratings)
    return {rating: counts.get(rating, 0) for rating in RATINGS}


def _sorted(ratings: Iterable[RiskRating]) -> tuple[RiskRating, ...]:
    return tuple(sorted(ratings, key=lambda r: (_RANK[r.rating], -r.score, r.subject.casefold(), r.key)))


def _rate(
    subject_kind: str, subject: str, key: str, flags: list[RedFlag], thresholds: RiskThresholds, **extra
) -> RiskRating:
    flags = sorted(flags, key=lambda f: -f.points)  # stable: equal points keep the order they were found
    flags = _within_families(flags, thresholds)
    flags = sorted(flags, key=lambda f: -f.points)
    score = round(sum(f.points for f in flags), 1)
    return RiskRating(subject_kind, subject, key, thresholds.rating(score), score, tuple(flags), **extra)


def _within_families(flags: list[RedFlag], thresholds: RiskThresholds) -> list[RedFlag]:
    """The flags with the points they add after their family's heavier ones (codes.FAMILIES): the
    second of a family counts ``repeat_weight_pct`` of its points, the third that share again."""
    ratio = thresholds.repeat_weight_pct / 100
    seen: Counter[str] = Counter()
    adjusted = []
    for flag in flags:  # heaviest first
        family = FLAG_KINDS[flag.code].family
        if seen[family]:
            points = round(flag.points * ratio ** seen[family], 1)
            flag = replace(flag, points=points, severity=thresholds.rating(points), family_rank=seen[family])
        seen[family] += 1
        adjusted.append(flag)
    return adjusted


class _Sanctioned:
    """The confirmed sanctions hits, handed out to the subjects they name; what no subject claims is
    rated alone (a supplier awaiting its answer is still a sanctioned party)."""

    def __init__(self, decisions: Iterable[Decision], context: Context):
        self._context = context
        self._open: dict[tuple[str, str], list[Decision]] = {}
        for decision in decisions:
            if decision.confirmed:
                kind = SMELTER if decision.subject_kind == FACILITY else SUPPLIER
                self._open.setdefault((kind, decision.subject_key), []).append(decision)

    def flags(self, kind: str, subject: str, key: str, *names: str | None) -> list[RedFlag]:
        found = []
        for name in dict.fromkeys(n for n in names if n):
            for decision in self._open.pop((kind, name), ()):
                found.append(sanctions_flag(decision, subject, key, self._context))
        return found

    def unclaimed(self) -> list[tuple[str, str, str, list[RedFlag]]]:
        return [
            (kind, ds[0].subject, key, [sanctions_flag(d, ds[0].subject, key, self._context) for d in ds])
            for (kind, key), ds in self._open.items()
        ]


class _Tagged:
    """The Annex X risks analysts identified, handed out to the subjects their actions were opened on;
    one whose subject the roll-up no longer has is rated alone, as a confirmed sanctions hit is."""

    def __init__(self, risks: Iterable[AnnexXRisk], context: Context):
        self._context = context
        self._open: dict[tuple[str, str], list[AnnexXRisk]] = {}
        for risk in risks:
            self._open.setdefault((risk.subject_kind, risk.subject_key), []).append(risk)

    def flags(self, kind: str, subject: str, key: str) -> list[RedFlag]:
        return [annex_x_flag(r, subject, key, self._context) for r in self._open.pop((kind, key), ())]

    def unclaimed(self) -> list[tuple[str, str, str, list[RedFlag]]]:
        return [
            (kind, rs[0].subject, key, [annex_x_flag(r, rs[0].subject, key, self._context) for r in rs])
            for (kind, key), rs in self._open.items()
        ]


def assess(
    rollup: Rollup,
    *,
    thresholds: RiskThresholds | None = None,
    statuses: StatusHistory | None = None,
    as_of: dt.date,
    survey: Survey | None = None,
    cahra: CountryList | None = None,
    screening: Iterable[Decision] = (),
    annex_x: Iterable[AnnexXRisk] = (),
) -> RiskAssessment:
    """Rate every supplier file, every supplier asked that has not responded, and every identified smelter.

    ``statuses``: the status history, for audit dates and cycles (the roll-up keeps only the status);
    ``survey``: the suppliers asked (oretrace.survey), so that one who has not answered by the survey's due
    date plus ``thresholds.no_response_grace_days`` is flagged (before that it is awaiting response; with
    no due date, or once its request was closed as not responded, at once) and the response figures are
    the survey's; without it, each file in the roll-up stands for one supplier;
    ``cahra``: an imported EU CAHRA list (CountryList), else the roll-up's own CAHRA marks are used;
    ``screening``: the decisions on sanctions hits (refdata.screening); each confirmed one flags its
    supplier (by company name, label or file name) or facility (by CID), rated alone when the roll-up
    has no such subject;
    ``annex_x``: the open risk actions tagged with an Annex X category (AnnexXRisk); each flags the subject
    it was opened on with the category's kind.
    """
    thresholds = thresholds or RiskThresholds()
    context = Context(rollup, thresholds, as_of, statuses, cahra)
    sanctioned = _Sanctioned(screening, context)
    tagged = _Tagged(annex_x, context)
    suppliers = [
        _rate(
            SUPPLIER,
            supplier_label(s),
            s.file_name,
            supplier_flags(s, context)
            + sanctioned.flags(SUPPLIER, supplier_label(s), s.file_name, supplier_label(s), s.company_name)
            + tagged.flags(SUPPLIER, supplier_label(s), s.file_name),
            thresholds,
        )
        for s in rollup.suppliers
    ]
    survey = survey or rollup_survey(rollup)
    awaiting = []
    for supplier in survey.suppliers:
        if not supplier.surveyed or supplier.responded:
            continue
        waiting = awaiting_response(supplier, survey.due, as_of, thresholds)
        if waiting is not None:
            awaiting.append(waiting)
            continue
        suppliers.append(
            _rate(
                SUPPLIER,
                supplier.name,
                supplier.name,
                [
                    no_response_flag(supplier.name, context, due=survey.due),
                    *sanctioned.flags(SUPPLIER, supplier.name, supplier.name, supplier.name),
                    *tagged.flags(SUPPLIER, supplier.name, supplier.name),
                ],
                thresholds,
            )
        )
    smelters = []
    for smelter in rollup.smelters:
        status = context.smelter_status(smelter)
        smelters.append(
            _rate(
                SMELTER,
                smelter.name,
                smelter.smelter_id,
                smelter_flags(smelter, context)
                + sanctioned.flags(SMELTER, smelter.name, smelter.smelter_id, smelter.smelter_id)
                + tagged.flags(SMELTER, smelter.name, smelter.smelter_id),
                thresholds,
                metal=smelter.metal,
                country=smelter.country,
                status=str(status.status) if status.status else (status.raw or "Unknown"),
                not_rmi_listed=None if smelter.listed_by_rmi else smelter.provenance,
            )
        )
    for kind, subject, key, flags in (*sanctioned.unclaimed(), *tagged.unclaimed()):
        (smelters if kind == SMELTER else suppliers).append(_rate(kind, subject, key, flags, thresholds))
    return RiskAssessment(
        as_of=as_of,
        thresholds=thresholds,
        suppliers=_sorted(suppliers),
        smelters=_sorted(smelters),
        survey=survey_figures(survey, today=as_of),
        status_lists=rollup.status_lists
        or (tuple(s.name for s in statuses.lists) if statuses is not None else ()),
        awaiting=tuple(awaiting),
    )


def awaiting_response(
    supplier: SurveyedSupplier, due: dt.date | None, today: dt.date, thresholds: RiskThresholds
) -> AwaitingResponse | None:
    """Whether a supplier asked that has not answered is still within its time (the due date plus the
    year's grace days), or None when its silence is a red flag: past that day, with no due date to wait
    for (a folder of files at the end of the year), or once its request was closed as not responded."""
    if due is None or supplier.state == RequestState.NO_RESPONSE:
        return None
    last = due + dt.timedelta(days=thresholds.no_response_grace_days)
    if today > last:
        return None
    return AwaitingResponse(supplier.name, due, last + dt.timedelta(days=1))
