"""Reading one published file as a RefList of the kind the user declared.

Each kind has one reader, chosen from a plain registry. The day a list is "as of" is, in order:
the day the user declared, the day the file states (OFAC's Publish_Date, the EU's generationDate,
the UK's "Last Updated", a template's release date), or the day of the import, said in a note:
a list downloaded today is the list in force today.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oretrace.errors import BadInput
from oretrace.refdata import certified, eu, ofac, rmi, uk
from oretrace.refdata.kinds import Family, ListKind
from oretrace.refdata.model import Entry, RefList, sha256_of
from oretrace.refdata.source import load_bytes, looks_like_xml
from oretrace.smelters.reference import ReferenceList, reference_from_template
from oretrace.smelters.status import AuditStatus, StatusList


@dataclass(frozen=True)
class _Read:
    entries: tuple[Entry, ...]
    stated_date: dt.date | None = None  # the day the file itself gives
    notes: tuple[str, ...] = ()
    columns: dict[str, str] | None = None
    statuses: StatusList | None = None


def read_list(
    source: str | Path | bytes,
    *,
    kind: ListKind,
    status: AuditStatus | None = None,
    as_of: dt.date | None = None,
    name: str | None = None,
    today: dt.date | None = None,
) -> RefList:
    """The list in ``source`` as data; BadInput, naming the problem, when it is not a list of ``kind``."""
    data, name = load_bytes(source, name)
    today = today or dt.date.today()
    if as_of is not None and as_of > today:
        raise BadInput(f"A list cannot be as of a day still to come ({as_of:%Y-%m-%d}).", file=name)
    if status is not None and kind.family is not Family.AUDIT_STATUS:
        raise BadInput(
            f"A status is declared only for RMI facility lists, not for the {kind.label}.", file=name
        )
    read = _READERS[kind](data, name, status, as_of or today)
    return _as_list(read, data, name, kind, status, as_of, today)


def _as_list(
    read: _Read,
    data: bytes,
    name: str,
    kind: ListKind,
    status: AuditStatus | None,
    as_of: dt.date | None,
    today: dt.date | None,
) -> RefList:
    today = today or dt.date.today()
    notes = list(read.notes)
    if as_of is None:
        as_of = read.stated_date if read.stated_date and read.stated_date <= today else today
        if read.stated_date is None:
            notes.append(
                f"The file gives no date; the list is taken as of the day it was imported ({today:%Y-%m-%d})."
            )
    if not read.entries:
        raise BadInput(f"The file holds no entries of the {kind.label}.", file=name)
    statuses = read.statuses
    if statuses is not None and statuses.as_of != as_of:
        statuses = _restamped(statuses, as_of)
    return RefList(
        kind=kind,
        publisher=kind.about.publisher,
        as_of=as_of,
        sha256=sha256_of(data),
        filename=name,
        entries=read.entries,
        notes=tuple(notes),
        declared_status=status,
        columns=read.columns or {},
        statuses=statuses,
    )


def _restamped(listed: StatusList, as_of: dt.date) -> StatusList:
    return dataclasses.replace(
        listed, as_of=as_of, records=tuple(dataclasses.replace(r, as_of=as_of) for r in listed.records)
    )


def _audit_statuses(kind: ListKind) -> Callable[..., _Read]:
    def read(data: bytes, name: str, status: AuditStatus | None, as_of: dt.date) -> _Read:
        listed = rmi.read_audit_statuses(data, name, kind=kind, as_of=as_of, declared=status)
        return _Read(
            rmi.audit_status_entries(listed),
            notes=listed.notes,
            columns=dict(listed.columns),
            statuses=listed,
        )

    return read


def _template(data: bytes, name: str, status, as_of) -> _Read:
    reference = reference_from_template(data)
    return _template_read(reference)


def _template_read(reference: ReferenceList) -> _Read:
    return _Read(
        rmi.template_entries(reference), stated_date=reference.date, notes=(f"Release: {reference.release}.",)
    )


def reference_as_list(
    reference: ReferenceList, data: bytes, name: str, *, today: dt.date | None = None
) -> RefList:
    """A template's reference list, already read, as a RefList of its file (no second reading)."""
    return _as_list(_template_read(reference), data, name, ListKind.TEMPLATE_REFERENCE, None, None, today)


def _certified(metal: str | None) -> Callable[..., _Read]:
    def read(data: bytes, name: str, status, as_of) -> _Read:
        entries, columns = certified.certified_entries(data, name)
        if metal:
            entries = tuple(dataclasses.replace(e, metal=metal) for e in entries)
        return _Read(entries, columns=columns)

    return read


def _ofac(data: bytes, name: str, status, as_of) -> _Read:
    if looks_like_xml(data):
        entries, published = ofac.sdn_from_xml(data, name)
        return _Read(entries, stated_date=published)
    return _Read(ofac.sdn_from_csv(data, name), notes=(ofac.CSV_ALIAS_NOTE,))


def _eu(data: bytes, name: str, status, as_of) -> _Read:
    if not looks_like_xml(data):
        raise BadInput(
            "The EU consolidated list is read from its XML file (xmlFullSanctionsList_1_1); this file is not XML.",
            file=name,
        )
    entries, generated = eu.eu_from_xml(data, name)
    return _Read(entries, stated_date=generated)


def _uk(data: bytes, name: str, status, as_of) -> _Read:
    entries, stated = uk.uk_from_xml(data, name) if looks_like_xml(data) else uk.uk_from_csv(data, name)
    return _Read(entries, stated_date=stated)


_READERS: dict[ListKind, Callable[[bytes, str, AuditStatus | None, dt.date], _Read]] = {
    ListKind.RMI_CONFORMANT: _audit_statuses(ListKind.RMI_CONFORMANT),
    ListKind.RMI_ACTIVE: _audit_statuses(ListKind.RMI_ACTIVE),
    ListKind.RMI_ELIGIBLE: _audit_statuses(ListKind.RMI_ELIGIBLE),
    ListKind.RMI_SUSPENDED: _audit_statuses(ListKind.RMI_SUSPENDED),
    ListKind.TEMPLATE_REFERENCE: _template,
    ListKind.LBMA_GOLD: _certified("Gold"),
    ListKind.LBMA_SILVER: _certified("Silver"),
    ListKind.RJC_MEMBERS: _certified(None),
    ListKind.OFAC_SDN: _ofac,
    ListKind.EU_SANCTIONS: _eu,
    ListKind.UK_SANCTIONS: _uk,
}
