"""Audit-status lists (RMAP facility exports, CFSI-era compliant lists) and which status held when.

RMI's look-up sheets carry no status (templates.md §1.5); statuses come from the facility lists
a user downloads from RMI, whose column names changed over the years ("New Smelter ID" in 2014,
"Facility ID" and "Assessment Status" later). A status is only true as of the day the list was
published, so every record keeps that date and the name of the list it came from.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from oretrace.errors import BadInput
from oretrace.rmi import normalise
from oretrace.smelters.names import canonical_metal, clean_text, normalise_cid
from oretrace.smelters.tables import Table, columns_by_header, header_key, read_table


class AuditStatus(StrEnum):
    CONFORMANT = "Conformant"
    ACTIVE = "Active"
    NON_CONFORMANT = "Non-Conformant"
    SUSPENDED = "Suspended"
    CROSS_RECOGNIZED = "Cross-Recognized"
    NOT_ENROLLED = "Not enrolled"
    # CFSI's 2014 words: "Compliant" became "Conformant"; "Progressing" had no later equivalent.
    COMPLIANT = "Compliant"
    PROGRESSING = "Progressing"

    @property
    def counts_as_conformant(self) -> bool:
        """Conformant for risk purposes: RMI treats cross-recognised standards (LBMA, RJC) as equivalent,
        and the 2014 "Compliant" is the same finding under its older name."""
        return self in (AuditStatus.CONFORMANT, AuditStatus.COMPLIANT, AuditStatus.CROSS_RECOGNIZED)

    @property
    def group(self) -> StatusGroup:
        return STATUS_GROUPS[self]


class StatusGroup(StrEnum):
    """The four groups a dashboard shows audit statuses in; ``status_group`` says which is which."""

    CONFORMANT = "conformant"
    ACTIVE = "active"
    NON_CONFORMANT = "non_conformant"
    NOT_AUDITED = "not_audited"

    @property
    def label(self) -> str:
        return {
            StatusGroup.CONFORMANT: "Conformant",
            StatusGroup.ACTIVE: "Active",
            StatusGroup.NON_CONFORMANT: "Non-Conformant",  # RMI's own spelling of the status
            StatusGroup.NOT_AUDITED: "Not enrolled, or no status on file",
        }[self]


STATUS_GROUPS = {
    # Conformant as AuditStatus.counts_as_conformant has it; an audit under way counts as active; a
    # suspension is a non-conformance until RMI lifts it.
    AuditStatus.CONFORMANT: StatusGroup.CONFORMANT,
    AuditStatus.COMPLIANT: StatusGroup.CONFORMANT,
    AuditStatus.CROSS_RECOGNIZED: StatusGroup.CONFORMANT,
    AuditStatus.ACTIVE: StatusGroup.ACTIVE,
    AuditStatus.PROGRESSING: StatusGroup.ACTIVE,
    AuditStatus.NON_CONFORMANT: StatusGroup.NON_CONFORMANT,
    AuditStatus.SUSPENDED: StatusGroup.NON_CONFORMANT,
    AuditStatus.NOT_ENROLLED: StatusGroup.NOT_AUDITED,
}


def status_group(status: AuditStatus | str | None) -> StatusGroup:
    """The group of a status (an AuditStatus or its word); no status on file is "not audited"."""
    parsed = status if isinstance(status, AuditStatus) else parse_status(status)
    return parsed.group if parsed is not None else StatusGroup.NOT_AUDITED


def _status_key(value: str) -> str:
    return header_key(value).replace(" ", "")


_STATUS_WORDS = {
    _status_key(word): status
    for status, words in {
        AuditStatus.CONFORMANT: ("Conformant", "RMAP Conformant", "Conformant (RMAP)"),
        AuditStatus.ACTIVE: ("Active", "RMAP Active", "In progress", "Active (RMAP)"),
        AuditStatus.NON_CONFORMANT: ("Non-Conformant", "Non Conformant", "Nonconformant", "Not conformant"),
        AuditStatus.SUSPENDED: ("Suspended", "RMAP Suspended"),
        AuditStatus.CROSS_RECOGNIZED: ("Cross-Recognized", "Cross Recognised", "Cross-recognition"),
        AuditStatus.NOT_ENROLLED: ("Not enrolled", "Not participating", "Non-participating"),
        AuditStatus.COMPLIANT: ("Compliant", "CFSI Compliant"),
        AuditStatus.PROGRESSING: ("Progressing",),
    }.items()
    for word in words
}


def parse_status(value: str | None) -> AuditStatus | None:
    """The status a list's wording means; None for blanks and for words no list has defined."""
    cleaned = clean_text(value)
    return _STATUS_WORDS.get(_status_key(cleaned)) if cleaned else None


# Header wordings per field, best first. Compared after header_key(); "status" alone is accepted
# only as a whole header, so "Facility Operational Status" is never read as the audit status.
_HEADERS: dict[str, tuple[str, ...]] = {
    "smelter_id": (
        "smelter id",
        "facility id",
        "new smelter id",
        "smelter identification number",
        "smelter identification",
        "cid",
        "rmi id",
        "v3 smelter id",
    ),
    "metal": ("metal", "mineral", "metal mineral"),
    "name": (
        "standard smelter name",
        "standard facility name",
        "smelter name",
        "facility name",
        "smelter refiner name",
        "name",
    ),
    "country": ("country", "location", "country location", "smelter country", "facility country"),
    "status": (
        "assessment status",
        "rmap status",
        "assessment program status",
        "audit status",
        "conformance status",
        "status",
    ),
    "last_audit": (
        "last on site assessment date",
        "last audit date",
        "last assessment date",
        "last audit",
    ),
    "cycle": ("audit cycle", "assessment cycle", "cycle"),
    "next_audit": (
        "next audit",
        "next audit date",
        "next assessment",
        "next assessment date",
        "reassessment",
        "reassessment date",
        "reassessment in progress",
        "re assessment date",
    ),
}


def locate_columns(headers: Sequence[str]) -> dict[str, int]:
    """Field -> column index, matching whole headers first, then headers that contain the wording."""
    keys = [header_key(h) for h in headers]
    found = columns_by_header(headers, _HEADERS)
    for field_name, wordings in _HEADERS.items():
        if field_name in found or field_name == "status":
            continue
        for wording in wordings:
            hits = [i for i, k in enumerate(keys) if wording in k and "old" not in k.split()]
            if hits and wording not in ("cid", "name", "cycle"):
                found[field_name] = hits[0]
                break
    return found


def _has_id_column(headers: Sequence[str]) -> bool:
    return "smelter_id" in locate_columns(headers)


@dataclass(frozen=True)
class StatusRecord:
    """What one list said about one facility."""

    smelter_id: str
    status: AuditStatus | None
    raw_status: str | None  # the list's own word, kept: "Compliant" is not "Conformant" in a 2014 file
    as_of: dt.date
    source: str  # the list's name
    metal: str | None = None
    name: str | None = None
    country: str | None = None
    last_audit: dt.date | None = None
    cycle: str | None = None
    next_audit: dt.date | None = None
    next_audit_text: str | None = (
        None  # when the list says something other than a date ("Yes", "In progress")
    )
    row: int | None = None


@dataclass(frozen=True)
class StatusList:
    """One audit-status list as published on one date."""

    name: str
    as_of: dt.date
    records: tuple[StatusRecord, ...]
    columns: dict[str, str]  # field -> the header it was read from
    encoding: str | None
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Records per status as the list worded it."""
        result: dict[str, int] = {}
        for record in self.records:
            key = record.raw_status or ""
            result[key] = result.get(key, 0) + 1
        return result

    def get(self, smelter_id: str) -> StatusRecord | None:
        cid = normalise_cid(smelter_id)
        return next((r for r in self.records if r.smelter_id == cid), None)


def read_status_list(source: str | Path | bytes, *, as_of: dt.date, name: str | None = None) -> StatusList:
    """Import an RMI (or CFSI-era) facility status export, CSV or workbook.

    ``as_of`` is the date the list was downloaded or published: the lists do not say so themselves,
    and a status without a date cannot be compared with a supplier's reporting period.
    """
    table = read_table(
        source, name=name, recognise=_has_id_column, expected="a smelter or facility ID column"
    )
    columns = locate_columns(table.headers)
    list_name = name or table.name
    records, notes = _records(table, columns, as_of, list_name)
    if not records:
        raise BadInput(
            f"The list has a header row ({_header_list(table.headers)}) but no row with a CID under "
            f'"{table.headers[columns["smelter_id"]]}".',
            file=table.name,
        )
    if "status" not in columns:
        notes.append(
            f"No status column was recognised among {_header_list(table.headers)}; "
            "the facilities were imported without a status."
        )
    return StatusList(
        name=list_name,
        as_of=as_of,
        records=tuple(records),
        columns={f: table.headers[i] for f, i in columns.items()},
        encoding=table.encoding,
        notes=tuple(notes),
    )


def _header_list(headers: Sequence[str]) -> str:
    return ", ".join(f'"{h}"' for h in headers if h)


def _records(
    table: Table, columns: dict[str, int], as_of: dt.date, source: str
) -> tuple[list[StatusRecord], list[str]]:
    records: list[StatusRecord] = []
    bad_ids: list[str] = []
    unknown_words: dict[str, int] = {}
    replaced = 0
    repaired: list[str] = []

    def cell(row: tuple[Any, ...], field_name: str) -> Any:
        index = columns.get(field_name)
        return row[index] if index is not None and index < len(row) else None

    for offset, row in enumerate(table.rows):
        row_number = table.header_row + 1 + offset
        raw_id = clean_text(normalise.text(cell(row, "smelter_id")))
        if not raw_id:
            continue  # blank lines and footers
        cid = normalise_cid(raw_id)
        if cid is None:
            bad_ids.append(f"row {row_number}: {raw_id!r}")
            continue
        if cid != raw_id:
            repaired.append(f"row {row_number}: {raw_id!r} as {cid}")
        raw_status = clean_text(normalise.text(cell(row, "status")))
        status = parse_status(raw_status)
        if raw_status and status is None:
            unknown_words[raw_status] = unknown_words.get(raw_status, 0) + 1
        name = clean_text(normalise.text(cell(row, "name")))
        if name and "\ufffd" in name:
            replaced += 1
        next_raw = cell(row, "next_audit")
        next_date = normalise.date(next_raw)
        records.append(
            StatusRecord(
                smelter_id=cid,
                status=status,
                raw_status=raw_status,
                as_of=as_of,
                source=source,
                metal=canonical_metal(normalise.text(cell(row, "metal"))),
                name=name,
                country=clean_text(normalise.text(cell(row, "country"))),
                last_audit=normalise.date(cell(row, "last_audit")),
                cycle=clean_text(normalise.text(cell(row, "cycle"))),
                next_audit=next_date,
                next_audit_text=None if next_date else clean_text(normalise.text(next_raw)),
                row=row_number,
            )
        )
    notes = []
    if bad_ids:
        notes.append(f"{len(bad_ids)} row(s) skipped: the ID is not a CID ({'; '.join(bad_ids[:5])}).")
    if repaired:
        notes.append(
            f"{len(repaired)} ID(s) were not written as CIDs and were read as: {'; '.join(repaired[:5])}."
        )
    if unknown_words:
        words = ", ".join(f'"{w}" ({n})' for w, n in sorted(unknown_words.items()))
        notes.append(f"Status words with no defined meaning were kept as written, without a status: {words}.")
    if replaced:
        # Seen in the 2014 CFSI list: accented letters were already lost (U+FFFD) before the file was
        # saved, so no decoding can restore them; the reference list's spelling should be shown instead.
        notes.append(
            f"{replaced} facility name(s) contain U+FFFD replacement characters: accented letters were "
            "lost before this file was saved. Match by CID and show the reference list's name."
        )
    return records, notes


@dataclass(frozen=True)
class StatusHistory:
    """Which status each facility held on which date, across every list imported."""

    lists: tuple[StatusList, ...] = ()
    _by_id: dict[str, list[StatusRecord]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, list[StatusRecord]] = {}
        for status_list in self.lists:
            for record in status_list.records:
                by_id.setdefault(record.smelter_id, []).append(record)
        for records in by_id.values():
            # Stable sort: of two lists with the same date, the one given later wins.
            records.sort(key=lambda r: r.as_of)
        object.__setattr__(self, "_by_id", by_id)

    def with_list(self, status_list: StatusList) -> StatusHistory:
        return StatusHistory((*self.lists, status_list))

    def history(self, smelter_id: str) -> tuple[StatusRecord, ...]:
        """Every record for the facility, oldest first."""
        cid = normalise_cid(smelter_id)
        return tuple(self._by_id.get(cid, ())) if cid else ()

    def record_on(self, smelter_id: str, date: dt.date) -> StatusRecord | None:
        """The record from the latest list published on or before ``date``."""
        records = self.history(smelter_id)
        position = bisect.bisect_right([r.as_of for r in records], date)
        return records[position - 1] if position else None

    def status_on(self, smelter_id: str, date: dt.date) -> AuditStatus | None:
        """The status the facility held on ``date``, as the latest list before it said."""
        record = self.record_on(smelter_id, date)
        return record.status if record else None

    def latest(self, smelter_id: str) -> StatusRecord | None:
        records = self.history(smelter_id)
        return records[-1] if records else None

    @property
    def smelter_ids(self) -> frozenset[str]:
        return frozenset(self._by_id)


def status_history(lists: Iterable[StatusList]) -> StatusHistory:
    return StatusHistory(tuple(lists))
