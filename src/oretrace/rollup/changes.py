"""What changed from one year's roll-up to the next: per supplier and per smelter.

Per supplier (by the roll-up's label, the supplier's name in the app): the facilities it names that it
did not name last year and those it no longer names, and the Declaration answers (Q1-Q8 per metal,
company questions A-H) that differ. Per smelter: whether any supplier names it this year and last
year, its audit status in each roll-up, and which suppliers started or stopped naming it. A supplier
or smelter in one year only is new or dropped, not "changed". The report's process improvements, the
supplier and smelter pages and the compare view all read this one result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from oretrace.rollup.model import Rollup, SmelterSummary, SupplierSummary
from oretrace.smelters.status import StatusHistory


@dataclass(frozen=True)
class FacilityRef:
    metal: str
    smelter_id: str
    name: str


@dataclass(frozen=True)
class AnswerChange:
    question: str  # "Q3", or "A".."H" for the company questions
    metal: str | None  # None for a company question
    before: str | None
    after: str | None


@dataclass(frozen=True)
class SupplierChanges:
    supplier: str
    answered_last_year: bool
    answered_this_year: bool
    new_smelters: tuple[FacilityRef, ...] = ()
    dropped_smelters: tuple[FacilityRef, ...] = ()
    answers_changed: tuple[AnswerChange, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.new_smelters or self.dropped_smelters or self.answers_changed)

    @property
    def in_both_years(self) -> bool:
        return self.answered_last_year and self.answered_this_year


@dataclass(frozen=True)
class SmelterChanges:
    metal: str
    smelter_id: str
    name: str
    named_last_year: bool
    named_this_year: bool
    status_before: str | None
    status_after: str | None
    suppliers_added: tuple[str, ...] = ()
    suppliers_dropped: tuple[str, ...] = ()

    @property
    def new(self) -> bool:
        return self.named_this_year and not self.named_last_year

    @property
    def dropped(self) -> bool:
        return self.named_last_year and not self.named_this_year

    @property
    def status_changed(self) -> bool:
        return self.named_last_year and self.named_this_year and self.status_before != self.status_after


@dataclass(frozen=True)
class YearChanges:
    last_year: int
    this_year: int
    suppliers: tuple[SupplierChanges, ...]
    smelters: tuple[SmelterChanges, ...]

    def supplier(self, label: str) -> SupplierChanges | None:
        return next((s for s in self.suppliers if s.supplier == label), None)

    def smelter(self, smelter_id: str) -> SmelterChanges | None:
        return next((s for s in self.smelters if s.smelter_id == smelter_id), None)

    @property
    def new_smelters(self) -> tuple[SmelterChanges, ...]:
        return tuple(s for s in self.smelters if s.new)

    @property
    def dropped_smelters(self) -> tuple[SmelterChanges, ...]:
        return tuple(s for s in self.smelters if s.dropped)

    @property
    def status_changes(self) -> tuple[SmelterChanges, ...]:
        return tuple(s for s in self.smelters if s.status_changed)

    @property
    def suppliers_in_both_years(self) -> tuple[SupplierChanges, ...]:
        return tuple(s for s in self.suppliers if s.in_both_years)

    @property
    def suppliers_with_changed_answers(self) -> tuple[SupplierChanges, ...]:
        return tuple(s for s in self.suppliers_in_both_years if s.answers_changed)


def compare_years(
    last: Rollup,
    this: Rollup,
    *,
    last_year: int,
    this_year: int,
    statuses: StatusHistory | None = None,
    last_as_of: dt.date | None = None,
) -> YearChanges:
    """The changes from last year's roll-up to this year's.

    A roll-up built today gives every facility today's status, last year's too; with ``statuses`` and
    ``last_as_of`` (the day last year's inquiry closed) the status before is the one that held then.
    """
    before, after = _by_label(last.suppliers), _by_label(this.suppliers)
    named_before, named_after = _facilities_named(last.smelters), _facilities_named(this.smelters)
    suppliers = tuple(
        _supplier_changes(label, before.get(label), after.get(label), named_before, named_after)
        for label in sorted(before.keys() | after.keys(), key=str.casefold)
    )
    return YearChanges(
        last_year=last_year,
        this_year=this_year,
        suppliers=suppliers,
        smelters=_smelter_changes(last.smelters, this.smelters, _status_then(statuses, last_as_of)),
    )


def _status_then(
    statuses: StatusHistory | None, as_of: dt.date | None
) -> Callable[[SmelterSummary], str | None]:
    """How last year's status of a facility is read: from the history on that day, or the roll-up's."""
    if statuses is None or as_of is None:
        return lambda smelter: smelter.audit_status

    def then(smelter: SmelterSummary) -> str | None:
        status = statuses.status_on(smelter.smelter_id, as_of)
        return str(status) if status else None

    return then


def _by_label(suppliers: Iterable[SupplierSummary]) -> dict[str, SupplierSummary]:
    return {s.label: s for s in suppliers if s.readable}


def _facilities_named(smelters: Iterable[SmelterSummary]) -> dict[str, dict[tuple[str, str], FacilityRef]]:
    """Supplier label -> the facilities it names, by (metal, CID)."""
    named: dict[str, dict[tuple[str, str], FacilityRef]] = {}
    for smelter in smelters:
        ref = FacilityRef(smelter.metal, smelter.smelter_id, smelter.name)
        for supplier in smelter.suppliers:
            named.setdefault(supplier, {})[(smelter.metal, smelter.smelter_id)] = ref
    return named


def _supplier_changes(
    label: str,
    before: SupplierSummary | None,
    after: SupplierSummary | None,
    named_before: dict[str, dict[tuple[str, str], FacilityRef]],
    named_after: dict[str, dict[tuple[str, str], FacilityRef]],
) -> SupplierChanges:
    if before is None or after is None:  # in one year only: nothing to compare it with
        return SupplierChanges(label, before is not None, after is not None)
    old, new = named_before.get(label, {}), named_after.get(label, {})
    return SupplierChanges(
        label,
        True,
        True,
        new_smelters=tuple(new[k] for k in sorted(new.keys() - old.keys())),
        dropped_smelters=tuple(old[k] for k in sorted(old.keys() - new.keys())),
        answers_changed=_answer_changes(before, after),
    )


def _answer_changes(before: SupplierSummary, after: SupplierSummary) -> tuple[AnswerChange, ...]:
    changes = []
    for metal in sorted(before.answers.keys() | after.answers.keys()):
        old, new = before.answers.get(metal, {}), after.answers.get(metal, {})
        for question in sorted(old.keys() | new.keys()):
            if _same(old.get(question), new.get(question)):
                continue
            changes.append(AnswerChange(question, metal, old.get(question), new.get(question)))
    old, new = before.company_answers, after.company_answers
    for letter in sorted(old.keys() | new.keys()):
        if not _same(old.get(letter), new.get(letter)):
            changes.append(AnswerChange(letter, None, old.get(letter), new.get(letter)))
    return tuple(changes)


def _same(a: str | None, b: str | None) -> bool:
    """Answers compare as the supplier chose them: a change of case or spacing is no change."""
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def _smelter_changes(
    last: Iterable[SmelterSummary],
    this: Iterable[SmelterSummary],
    status_before: Callable[[SmelterSummary], str | None],
) -> tuple[SmelterChanges, ...]:
    before = {(s.metal, s.smelter_id): s for s in last}
    after = {(s.metal, s.smelter_id): s for s in this}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        either = new or old
        suppliers_old = set(old.suppliers) if old else set()
        suppliers_new = set(new.suppliers) if new else set()
        changes.append(
            SmelterChanges(
                metal=either.metal,
                smelter_id=either.smelter_id,
                name=either.name,
                named_last_year=old is not None,
                named_this_year=new is not None,
                status_before=status_before(old) if old else None,
                status_after=new.audit_status if new else None,
                suppliers_added=tuple(sorted(suppliers_new - suppliers_old, key=str.casefold)),
                suppliers_dropped=tuple(sorted(suppliers_old - suppliers_new, key=str.casefold)),
            )
        )
    return tuple(changes)
