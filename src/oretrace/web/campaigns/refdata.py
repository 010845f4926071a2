"""Reference lists of every kind as the app keeps them: imported through the core's oretrace.refdata,
each file kept under its SHA-256 with its kind, publisher and as-of day, and the list in force on a day.

RMI facility lists also update the facilities' statuses (reference.apply_status_list), a template's
reference list the facilities themselves (reference.load_reference_from_template); the other lists
(LBMA, RJC, sanctions) are kept as files and read again by the core when a page or a check needs them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oretrace.refdata import (
    Age,
    Family,
    ListKind,
    RefList,
    age_of,
    all_in_force,
    dropped_files,
    in_force,
    read_list,
)
from oretrace.smelters import AuditStatus
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference, status_changes, storage
from oretrace.web.campaigns.models import AuditStatusList, ReferenceFile


@dataclass(frozen=True)
class Imported:
    """What importing one file did, in the analyst's words."""

    kind: ListKind
    filename: str
    as_of: dt.date | None
    entries: int
    notes: tuple[str, ...] = ()
    already: bool = False  # the same file of the same kind was imported before: nothing was done
    facilities_updated: int = 0
    unknown_ids: int = 0

    def summary(self) -> str:
        if self.already:
            return f"{self.filename}: this file was imported before as the {self.kind.label}; nothing was changed."
        text = f"{self.filename}: {self.kind.label} as of {self.as_of:%Y-%m-%d}, {_count(self.entries, 'entry', 'entries')}"
        if self.kind.family is Family.AUDIT_STATUS:
            text += f", {_count(self.facilities_updated, 'facility', 'facilities')} updated"
        return text + "."


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def already_imported(sha256: str, kind: ListKind) -> bool:
    return ReferenceFile.objects.filter(sha256=sha256, kind=kind.value).exists()


def import_reference_list(
    data: bytes,
    filename: str,
    *,
    kind: ListKind,
    by,
    status: AuditStatus | None = None,
    as_of: dt.date | None = None,
    once: bool = False,
) -> Imported:
    """Import one published file as a list of ``kind``; BadInput (nothing stored) when it is not one.

    ``once``: a file whose SHA-256 was imported before as the same kind is left alone (the import
    folder); an analyst uploading the same list again with a later day is taken at their word.
    """
    digest = storage.sha256_of(data)
    if once and already_imported(digest, kind):
        return Imported(kind, filename, None, 0, already=True)
    if kind.family is Family.AUDIT_STATUS:
        updated, unknown, notes = reference.apply_status_list(
            data, filename, as_of, by, kind=kind, status=status
        )
        kept = ReferenceFile.objects.filter(kind=kind.value, sha256=digest).order_by("-pk").first()
        return Imported(
            kind,
            filename,
            kept.as_of,
            kept.entries,
            tuple(notes),
            facilities_updated=updated,
            unknown_ids=unknown,
        )
    listed = read_list(data, kind=kind, status=status, as_of=as_of, name=filename, today=timezone.localdate())
    with transaction.atomic():
        if kind is ListKind.TEMPLATE_REFERENCE:
            reference.load_reference_from_template(data, filename, by)  # keeps the file too
        else:
            kept = reference.keep_reference_file(data, listed, by)
            # A facility a newer sanctions list names waits in the analysts' queue.
            status_changes.changes_from_import(kept)
        AuditEntry.record(by, "refdata.list_imported", None, _audit_detail(listed))
    return Imported(kind, filename, listed.as_of, len(listed.entries), listed.notes)


def _audit_detail(listed: RefList) -> str:
    return f"{listed.filename}: {listed.kind.label} as of {listed.as_of:%Y-%m-%d}, {len(listed.entries)} entries, SHA-256 {listed.sha256}"


@dataclass(frozen=True)
class FolderRun:
    """What one pass over the import folder did: imported lists, and files that could not be."""

    imported: list[Imported] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def import_folder(folder: Path, by=None) -> FolderRun:
    """Import every file in ``folder`` not imported before (by SHA-256), each as the kind it declares.

    A file that cannot be imported is named with its reason and the others go on; nothing of it is
    stored, so it is tried again at the next pass (once fixed, or its sidecar added).
    """
    from oretrace.errors import OretraceError

    known = set(
        ReferenceFile.objects.exclude(kind=ReferenceFile.Kind.V2_TABLE).values_list("sha256", flat=True)
    )
    run = FolderRun()
    for dropped in dropped_files(folder, known):
        if dropped.problem or dropped.kind is None:
            run.problems.append((dropped.path.name, dropped.problem or "no kind declared"))
            continue
        try:
            run.imported.append(
                import_reference_list(
                    dropped.path.read_bytes(),
                    dropped.path.name,
                    kind=dropped.kind,
                    by=by,
                    status=dropped.status,
                    as_of=dropped.as_of,
                    once=True,
                )
            )
        except OretraceError as error:
            run.problems.append((dropped.path.name, error.message))
    return run


@dataclass(frozen=True)
class ListAge:
    """The newest list of one kind and how old it is, for the reference data page."""

    kind_label: str
    filename: str
    as_of: dt.date
    age: Age
    imported_at: dt.datetime | None


def list_ages(today: dt.date | None = None) -> list[ListAge]:
    """Each kind's newest list with its age; the audit statuses also from lists kept before files were."""
    today = today or timezone.localdate()
    max_days = settings.REFDATA_MAX_AGE_DAYS
    # The core says which list is in force; a few hundred rows at most, oldest import first so that of
    # two lists of the same day the one imported later wins, as everywhere.
    dated = ReferenceFile.objects.filter(as_of__isnull=False).order_by("imported_at", "pk")
    newest = all_in_force(dated, today)
    rows = [
        ListAge(kind.label, kept.filename, kept.as_of, age_of(kept.as_of, today, max_days), kept.imported_at)
        for kind, kept in newest.items()
    ]
    newest_statuses = AuditStatusList.objects.order_by("-as_of", "-pk").first()
    if newest_statuses is not None and not newest_statuses.files.exists():
        rows.append(
            ListAge(
                "Audit-status list",
                newest_statuses.name,
                newest_statuses.as_of,
                age_of(newest_statuses.as_of, today, max_days),
                newest_statuses.imported_at,
            )
        )
    return rows


def list_in_force(kind: ListKind, on: dt.date) -> RefList | None:
    """The list of ``kind`` in force on ``on``, read again by the core from the file kept; None if none."""
    kept = in_force(
        ReferenceFile.objects.filter(kind=kind.value, as_of__isnull=False).order_by("imported_at", "pk"),
        kind,
        on,
    )
    return None if kept is None else read_kept(kept)


def read_kept(kept: ReferenceFile) -> RefList:
    """A kept list file read again by the core, with the kind, status and date it was imported with."""
    return read_list(
        storage.read_bytes(settings.REFERENCE_DIR, kept.sha256),
        kind=ListKind(kept.kind),
        status=AuditStatus(kept.status) if kept.status else None,
        as_of=kept.as_of,
        name=kept.filename,
        today=max(kept.as_of, timezone.localdate()),
    )
