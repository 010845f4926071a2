"""RMI's lists: a facility page or export (statuses by CID), and a template's smelter reference list.

RMI's Conformant and Active pages, saved as CSV or XLSX, have no status column: each page is one
status. Before, such a file imported with no status at all. The status now comes from the file
when it has a status column, and otherwise from the kind (Conformant page, Active page) or from the
status the user declared; a declared status also fills rows the file left blank.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from oretrace.errors import BadInput
from oretrace.refdata.kinds import ListKind
from oretrace.refdata.model import Entry
from oretrace.smelters.reference import ReferenceList
from oretrace.smelters.status import AuditStatus, StatusList, read_status_list


def status_for(kind: ListKind, declared: AuditStatus | None) -> AuditStatus | None:
    """The status a row without one holds: the declared one, else the one the kind implies."""
    return declared or kind.about.implied_status


def read_audit_statuses(
    data: bytes, name: str, *, kind: ListKind, as_of: dt.date, declared: AuditStatus | None = None
) -> StatusList:
    """The facility list with every row's status: from the file, else the declared or implied one."""
    listed = read_status_list(data, as_of=as_of, name=name)
    fill = status_for(kind, declared)
    has_column = "status" in listed.columns
    if fill is None:
        if not has_column:
            raise BadInput(
                f"The list has no status column (columns: {', '.join(listed.columns.values())}). "
                "Declare the status every facility on it holds (for example Conformant), or import it "
                "as the RMI Conformant or Active list.",
                file=name,
            )
        return listed
    blanks = sum(1 for r in listed.records if r.status is None and not r.raw_status)
    if not blanks:
        return listed
    records = tuple(
        dataclasses.replace(r, status=fill, raw_status=fill.value)
        if r.status is None and not r.raw_status
        else r
        for r in listed.records
    )
    notes = [n for n in listed.notes if not n.startswith("No status column")]
    source = "declared" if declared else f"implied by the {kind.label}"
    if has_column:
        notes.append(f"{blanks} row(s) had no status; they hold {fill.value} ({source}).")
    else:
        notes.append(f"The file has no status column; every facility holds {fill.value} ({source}).")
    return dataclasses.replace(listed, records=records, notes=tuple(notes))


def audit_status_entries(listed: StatusList) -> tuple[Entry, ...]:
    return tuple(
        Entry(
            name=r.name or "",
            key=r.smelter_id,
            country=r.country,
            metal=r.metal,
            status=r.status,
            raw_status=r.raw_status,
            row=r.row,
        )
        for r in listed.records
    )


def template_entries(reference: ReferenceList) -> tuple[Entry, ...]:
    """The facilities of a template's Smelter Look-up as entries."""
    return tuple(
        Entry(name=f.name, aliases=f.aliases, key=f.smelter_id, country=f.country, metal=f.metal)
        for f in reference.facilities
    )
