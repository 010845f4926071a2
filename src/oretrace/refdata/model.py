"""A reference list as data: what kind it is, who published it, as of which day, which file it was."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from oretrace.refdata.kinds import Family, ListKind
from oretrace.smelters.status import AuditStatus, StatusList


@dataclass(frozen=True)
class Entry:
    """One row of a list: a facility (by CID), a certified refiner, or a sanctioned person or entity.

    Fields a kind does not have stay empty: a sanctions entry has no CID, an RMI row no programme.
    """

    name: str
    aliases: tuple[str, ...] = ()
    key: str | None = None  # the publisher's own identifier: CID, OFAC uid, EU reference, UK unique ID
    country: str | None = None
    metal: str | None = None
    status: AuditStatus | None = None
    raw_status: str | None = None  # the list's own word, or the declared status
    programme: str | None = None  # sanctions regime(s), or the certification held
    subject_type: str | None = None  # "Entity", "Individual", "Vessel" as the publisher words it
    row: int | None = None  # where it is in the file: a spreadsheet row, or the position in the XML

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases) if self.name else self.aliases


@dataclass(frozen=True)
class RefList:
    """One list as published on one day, read from one file."""

    kind: ListKind
    publisher: str
    as_of: dt.date  # the day the list was published or downloaded: the list in force from then on
    sha256: str  # of the file as it was imported: the same file is imported once
    filename: str
    entries: tuple[Entry, ...]
    notes: tuple[str, ...] = ()
    declared_status: AuditStatus | None = None
    # Where the reader found each field (field -> the header or element), for the import report.
    columns: dict[str, str] = field(default_factory=dict)
    # For RMI kinds, the statuses as the status history reads them (with audit dates and cycles).
    statuses: StatusList | None = field(default=None, compare=False, repr=False)

    @property
    def family(self) -> Family:
        return self.kind.family

    @property
    def label(self) -> str:
        return f"{self.kind.label} as of {self.as_of:%Y-%m-%d}"

    def age_days(self, today: dt.date) -> int:
        return (today - self.as_of).days

    def is_outdated(self, today: dt.date, max_age_days: int) -> bool:
        return self.age_days(today) > max_age_days

    def status_list(self) -> StatusList:
        """The audit-status list the status history reads (RMI kinds only)."""
        if self.statuses is None:
            raise ValueError(f"{self.kind.label} carries no audit statuses")
        return self.statuses

    def summary(self) -> str:
        return f"{self.label}: {len(self.entries)} entries from {self.filename}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
