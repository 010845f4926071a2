"""A facility's standing on a day, from the lists in force then, and how it changed between two days.

A file that passed the Checker in March can name a smelter that is no longer conformant in
September: its audit lapsed, RMI suspended it, or a sanctions list named it. The standing is what the
lists in force on a day say together: the audit status from the newest RMI list of any kind that names
the facility (a Conformant page that no longer names it says nothing of it), read with its audit cycle
(smelters.cycles), and every sanctions list in force whose entry has exactly the facility's name. A
fuzzy name match is not a sanction: it is a candidate for an analyst (refdata.screening).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from oretrace.refdata.in_force import all_in_force
from oretrace.refdata.kinds import Family
from oretrace.refdata.model import RefList
from oretrace.refdata.screening import EXACT, FACILITY, SanctionsIndex, Subject
from oretrace.smelters.cycles import Ending, lapsed
from oretrace.smelters.names import normalise_cid
from oretrace.smelters.reference import Facility
from oretrace.smelters.status import AuditStatus, StatusRecord


@dataclass(frozen=True)
class Standing:
    """What the lists in force on ``on`` say of one facility."""

    smelter_id: str
    name: str
    on: dt.date
    record: StatusRecord | None = None  # the newest RMI list's row naming it, with its dates
    list_label: str | None = None  # that list: "RMI Conformant … as of 2025-05-01, file conformant.csv"
    lapse: Ending | None = None  # the conformance ended by its audit cycle before ``on``
    sanctions: tuple[str, ...] = ()  # "OFAC Specially Designated Nationals (SDN) list as of …: entry 36"
    audit_lists: int = 0  # RMI lists in force that day: with none, nothing is known to change from

    @property
    def status(self) -> AuditStatus | None:
        return self.record.status if self.record else None

    @property
    def conformant(self) -> bool:
        return bool(self.status and self.status.counts_as_conformant and self.lapse is None)

    @property
    def sanctioned(self) -> bool:
        return bool(self.sanctions)

    def describe(self) -> str:
        """The standing in one clause: "Conformant (RMI … as of 2025-05-01)"."""
        if self.record is None:
            said = "on no RMI list in force"
        else:
            word = self.record.raw_status or (self.status.value if self.status else "no status")
            said = f"{word} ({self.list_label})"
        if self.lapse:
            said += f", its conformance {self.lapse.why}"
        if self.sanctions:
            said += "; named on the " + "; the ".join(self.sanctions)
        return said


class ChangeKind(StrEnum):
    LAPSED = "lapsed"
    SUSPENDED = "suspended"
    NON_CONFORMANT = "non-conformant"
    NO_LONGER_LISTED = "no-longer-listed"
    NO_LONGER_CONFORMANT = "no-longer-conformant"
    NEWLY_CONFORMANT = "newly-conformant"
    SANCTIONED = "sanctioned"
    NO_LONGER_SANCTIONED = "no-longer-sanctioned"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def worsens(self) -> bool:
        """A change that raises the risk of every supplier naming the facility."""
        return self not in (ChangeKind.NEWLY_CONFORMANT, ChangeKind.NO_LONGER_SANCTIONED)


_LABELS = {
    ChangeKind.LAPSED: "Conformance lapsed",
    ChangeKind.SUSPENDED: "Suspended",
    ChangeKind.NON_CONFORMANT: "Non-Conformant",
    ChangeKind.NO_LONGER_LISTED: "No longer on RMI's lists",
    ChangeKind.NO_LONGER_CONFORMANT: "No longer conformant",
    ChangeKind.NEWLY_CONFORMANT: "Newly conformant",
    ChangeKind.SANCTIONED: "Sanctioned",
    ChangeKind.NO_LONGER_SANCTIONED: "No longer sanctioned",
}


@dataclass(frozen=True)
class StatusChange:
    """One change of a facility's standing between two days, typed, with what it was and what it is."""

    kind: ChangeKind
    before: Standing
    after: Standing

    @property
    def smelter_id(self) -> str:
        return self.after.smelter_id

    @property
    def on(self) -> dt.date:
        """The day the change shows: the day of the list that shows it, or the lapse's."""
        if self.kind is ChangeKind.LAPSED and self.after.lapse:
            return self.after.lapse.on
        return self.after.record.as_of if self.after.record else self.after.on

    @property
    def since(self) -> dt.date | None:
        """The day of the list that showed the standing before."""
        return self.before.record.as_of if self.before.record else None

    def detail(self) -> str:
        return f"{self.after.name} ({self.smelter_id}) was {self.before.describe()}; it is now {self.after.describe()}."


def standing_on(facility: Facility, on: dt.date, lists: Iterable[RefList]) -> Standing:
    """The facility's standing on ``on`` from the lists given that are in force that day."""
    cid = normalise_cid(facility.smelter_id) or facility.smelter_id
    in_force = all_in_force(lists, on)
    audit = [x for x in in_force.values() if x.family is Family.AUDIT_STATUS]
    record, label = _newest_record(cid, audit)
    ending = None
    if record and record.status and record.status.counts_as_conformant:
        ending = lapsed(record, on)
    subject = Subject(FACILITY, facility.name, cid, facility.aliases, facility.country)
    sanctions = tuple(
        f"{hit.list_label}: entry {hit.entry_key}"
        for listed in in_force.values()
        if listed.family is Family.SANCTIONS
        for hit in SanctionsIndex(listed).screen(subject)
        if hit.match == EXACT
    )
    return Standing(cid, facility.name, on, record, label, ending, sanctions, len(audit))


def _newest_record(cid: str, lists: Sequence[RefList]) -> tuple[StatusRecord | None, str | None]:
    best: tuple[StatusRecord | None, str | None] = (None, None)
    for listed in sorted(lists, key=lambda x: x.as_of):  # of two of the same day, the one given later
        record = listed.status_list().get(cid)
        if record is not None:
            best = (
                record,
                f"{listed.label}, file {listed.filename}",
            )  # the file says "sample" when it is one
    return best


def status_changes(before: Standing, after: Standing) -> tuple[StatusChange, ...]:
    """The typed changes from one standing of a facility to a later one; none when it stands as it did."""
    kinds = []
    if after.sanctioned and not before.sanctioned:
        kinds.append(ChangeKind.SANCTIONED)
    elif before.sanctioned and not after.sanctioned:
        kinds.append(ChangeKind.NO_LONGER_SANCTIONED)
    kinds.extend(_audit_change(before, after))
    return tuple(StatusChange(kind, before, after) for kind in kinds)


def _audit_change(before: Standing, after: Standing) -> Iterable[ChangeKind]:
    if not before.audit_lists:
        return  # the first RMI list says what a facility is, not what it became
    if after.status is AuditStatus.SUSPENDED and before.status is not AuditStatus.SUSPENDED:
        yield ChangeKind.SUSPENDED
    elif after.status is AuditStatus.NON_CONFORMANT and before.status is not AuditStatus.NON_CONFORMANT:
        yield ChangeKind.NON_CONFORMANT
    elif after.conformant and not before.conformant:
        yield ChangeKind.NEWLY_CONFORMANT
    elif before.conformant and after.lapse is not None:
        yield ChangeKind.LAPSED
    elif before.conformant and after.record is None:
        yield ChangeKind.NO_LONGER_LISTED
    elif before.conformant and not after.conformant:
        yield ChangeKind.NO_LONGER_CONFORMANT


def changes_between(
    facilities: Iterable[Facility], lists: Sequence[RefList], before: dt.date, after: dt.date
) -> list[StatusChange]:
    """Every change of standing of ``facilities`` from ``before`` to ``after``, by facility ID."""
    found = []
    for facility in facilities:
        found.extend(
            status_changes(standing_on(facility, before, lists), standing_on(facility, after, lists))
        )
    return sorted(found, key=lambda c: (c.smelter_id, c.kind.value))


__all__ = ["ChangeKind", "Standing", "StatusChange", "changes_between", "standing_on", "status_changes"]
