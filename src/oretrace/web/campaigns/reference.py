"""The reference data the core checks supplier files against, as the app keeps it.

Facilities come from the Smelter Look-up of the blank templates imported, audit statuses from the
status lists imported (every list kept whole, for the status history), old CFSI v2 IDs from the
translation table imported, names an analyst confirmed from SmelterAlias, and names recorded as not
a smelter or not 3TG from SmelterExclusion. ``analysis_settings`` hands all of it to the core as one
``AnalysisSettings``: the same settings ``oretrace report`` builds from files, so a file analysed here
gives the record the command line gives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oretrace.errors import BadInput
from oretrace.refdata import ListKind, RefList, read_list
from oretrace.refdata.importing import reference_as_list
from oretrace.rollup.analyse import AnalysisSettings
from oretrace.smelters import (
    AuditStatus,
    Identifier,
    ReferenceList,
    StatusHistory,
    StatusList,
    StatusRecord,
    read_v2_translation,
    reference_from_template,
    status_group,
)
from oretrace.smelters import Facility as ReferenceFacility
from oretrace.smelters.legacy import V2Table
from oretrace.smelters.sample import SAMPLE_RELEASE
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import status_changes, storage
from oretrace.web.campaigns.models import (
    AuditStatusList,
    AuditStatusRecord,
    Campaign,
    Facility,
    ReferenceFile,
    ReportedSmelter,
    SmelterAlias,
    SmelterExclusion,
)


@dataclass(frozen=True)
class HeldReference:
    """The reference data the app holds, as the core's objects, with the identifier built over them."""

    reference: ReferenceList | None
    v2: V2Table | None
    confirmed: dict[str, str]
    excluded: dict[str, str]  # names recorded as not a smelter / not 3TG, to the core's Exclusion
    identifier: Identifier | None


# The last HeldReference this process built, with the rows it was built from. Every upload is checked
# against it, and building it (the facilities as the core's objects, the v2 table read from its file,
# the identifier's index of every name) cost more than reading the upload; the identifier also keeps
# the fuzzy matches it made, and a campaign's files repeat the same names. The key is the rows
# themselves, read again at each use (three small queries), not a marker a writer must remember to
# change: a list loaded by any process (another gunicorn worker, a command) is in the next upload's
# key, and a key never stands for rows other than those it was built from (a rolled-back load too).
_HELD: tuple[tuple, HeldReference] | None = None
FACILITY_FIELDS = (
    "smelter_id",
    "metal",
    "name",
    "country",
    "aliases",
    "listed_by_rmi",
    "id_programme",
    "source",
    "source_url",
    "release",
)


def held_reference() -> HeldReference:
    """The reference data as it is in the database now, built again only when it changed."""
    global _HELD
    facilities = tuple(
        Facility.objects.filter(retired_at__isnull=True).order_by("pk").values_list(*FACILITY_FIELDS)
    )  # as the templates listed them, then those added by hand
    v2_file = (
        ReferenceFile.objects.filter(kind=ReferenceFile.Kind.V2_TABLE)
        .order_by("-imported_at", "-pk")
        .values_list("sha256", "filename")  # the file is kept under its SHA-256: the digest is its content
        .first()
    )
    aliases = tuple(SmelterAlias.objects.order_by("pk").values_list("name", "smelter_id"))
    exclusions = tuple(SmelterExclusion.objects.order_by("pk").values_list("name", "outcome"))
    key = (facilities, v2_file, aliases, exclusions)
    held = _HELD
    if held is not None and held[0] == key:
        return held[1]
    built = _build_reference(facilities, v2_file, dict(aliases), dict(exclusions))
    _HELD = (key, built)
    return built


def _build_reference(
    facilities: tuple,
    v2_file: tuple[str, str] | None,
    confirmed: dict[str, str],
    excluded: dict[str, str],
) -> HeldReference:
    reference = None
    if facilities:
        built = [_core_facility(*row) for row in facilities]
        releases = sorted(
            {
                row[-1]
                for row, facility in zip(facilities, built, strict=True)
                if facility.listed_by_rmi and row[-1]
            }
        )
        reference = ReferenceList(
            release=", ".join(releases)
            or ("imported templates" if any(f.listed_by_rmi for f in built) else ""),
            date=None,
            facilities=tuple(f for f in built if f.listed_by_rmi),
        ).with_facilities(f for f in built if not f.listed_by_rmi)
    v2 = None
    if v2_file is not None:
        digest, filename = v2_file
        v2 = read_v2_translation(storage.read_bytes(settings.REFERENCE_DIR, digest), name=filename)
    identifier = AnalysisSettings(
        reference=reference, v2=v2, confirmed=confirmed, excluded=excluded
    ).identifier()
    return HeldReference(
        reference=reference, v2=v2, confirmed=confirmed, excluded=excluded, identifier=identifier
    )


def _core_facility(
    smelter_id, metal, name, country, aliases, listed_by_rmi, id_programme, source, source_url, _release
) -> ReferenceFacility:
    return ReferenceFacility(
        smelter_id=smelter_id,
        metal=metal,
        name=name,
        country=country or None,
        aliases=tuple(aliases),
        listed_by_rmi=listed_by_rmi,
        id_programme=id_programme or None,
        source=source or None,
        source_url=source_url or None,
    )


def reference_list() -> ReferenceList | None:
    """The facilities of every template imported, as the core's reference list; None before any."""
    return held_reference().reference


def reference_release() -> str | None:
    """The releases of the templates the facilities came from ("CMRT 6.5"), or None before any."""
    releases = sorted(
        set(Facility.objects.filter(listed_by_rmi=True).exclude(release="").values_list("release", flat=True))
    )
    return ", ".join(releases) or None


def sample_release() -> str | None:
    """The sample's release when the facilities held include the sample of RMI's list (the demo's on a
    machine without RMI's templates), so every page showing them says so; None when they are RMI's."""
    return SAMPLE_RELEASE if Facility.objects.filter(release=SAMPLE_RELEASE).exists() else None


def v2_table() -> V2Table | None:
    """The CFSI v2-to-CID table imported last, or None."""
    return held_reference().v2


def confirmed_names() -> dict[str, str]:
    """Names analysts confirmed, to the CID each means (the core's Identifier reads them first)."""
    return dict(held_reference().confirmed)


@dataclass(frozen=True)
class HeldSettings(AnalysisSettings):
    """AnalysisSettings whose identifier is the one this process holds for the same reference data,
    rather than one built anew for each file."""

    held: Identifier | None = field(default=None, compare=False, repr=False)

    def identifier(self) -> Identifier | None:
        return self.held


def excluded_names() -> dict[str, str]:
    """Names analysts recorded as no 3TG smelter, to the core's Exclusion value."""
    return dict(held_reference().excluded)


def analysis_settings(campaign: Campaign, *, today: dt.date | None = None) -> AnalysisSettings:
    """What a file sent for ``campaign`` is reviewed and identified against.

    Without the audit-status lists: the per-file pipeline (review and identification) does not read
    them; the roll-up and the risk assessment read the status history themselves (campaigns.rollup).
    Reading every list imported for each upload cost more, the more lists were kept.
    """
    held = held_reference()
    return HeldSettings(
        reference=held.reference,
        v2=held.v2,
        confirmed=held.confirmed,
        excluded=held.excluded,
        reporting_year=campaign.reporting_year.year,
        minimum_version=campaign.minimum_version or None,
        minerals=campaign.minerals_in_scope() or None,
        today=today or timezone.localdate(),
        held=held.identifier,
    )


def load_reference_from_template(data: bytes, filename: str, by=None) -> int:
    """Load the smelter reference list carried by a blank RMI template into Facility; returns how many.
    The template is kept as a ReferenceFile (as of its release date), so the reference page shows its age."""
    reference = reference_from_template(data)
    listed = reference_as_list(reference, data, filename, today=timezone.localdate())
    with transaction.atomic():
        count = load_reference_list(reference)
        keep_reference_file(data, listed, by)
    return count


def load_reference_list(reference: ReferenceList) -> int:
    """Keep a reference list's facilities in Facility, each marked with the list's release (which says
    when it is the sample, not RMI's list); returns how many."""
    existing = {f.smelter_id: f for f in Facility.objects.all()}
    new, changed = [], []
    for facility in reference.facilities:
        known = existing.get(facility.smelter_id)
        fields = {
            "metal": facility.metal,
            "name": facility.name[:300],
            "country": (facility.country or "")[:100],
            "aliases": list(facility.aliases),
            "release": reference.release[:60],
        }
        if known is None:
            new.append(Facility(smelter_id=facility.smelter_id, **fields))
        else:
            for key, value in fields.items():
                setattr(known, key, value)
            changed.append(known)
    with transaction.atomic():
        Facility.objects.bulk_create(new, batch_size=500)
        Facility.objects.bulk_update(
            changed, ["metal", "name", "country", "aliases", "release"], batch_size=500
        )
    return len(new) + len(changed)


def import_v2_table(data: bytes, filename: str, by) -> int:
    """Keep a CFSI v2-to-CID table (read by the core first, so a file that is none is refused with the
    reason); returns how many IDs it translates."""
    table = read_v2_translation(data, name=filename)
    with transaction.atomic():
        ReferenceFile.objects.create(
            kind=ReferenceFile.Kind.V2_TABLE,
            filename=filename[:255],
            sha256=storage.store_bytes(settings.REFERENCE_DIR, data),
            size=len(data),
            imported_by=by if getattr(by, "is_authenticated", False) else None,
        )
        AuditEntry.record(by, "smelters.v2_table_imported", None, f"{filename}: {len(table)} IDs")
    return len(table)


def apply_status_list(
    data: bytes,
    filename: str,
    as_of: dt.date | None,
    by,
    *,
    kind: ListKind = ListKind.RMI_ELIGIBLE,
    status: AuditStatus | None = None,
) -> tuple[int, int, list[str]]:
    """Import an RMI facility status list (the core's oretrace.refdata reader) into Facility and the
    current reported rows, and keep the file (ReferenceFile) with its kind and day.

    ``kind`` says which list it is: RMI's Conformant or Active page (every facility holds that status,
    the pages have no status column) or a facility export whose status column says it; ``status``
    is the status the user declared for rows the file gives none. ``as_of`` None: the day the file
    states, else today.

    Returns (facilities updated, CIDs on the list we do not know, the reader's notes). A list older
    than the status already on file does not overwrite it, and a facility's status is what the newest
    list says of it, a blank included: Facility.status is then the group of the status the core's
    StatusHistory gives for today, which is what the roll-up counts.
    """
    today = timezone.localdate()
    if as_of is not None and as_of > today:
        raise BadInput(f"A status list cannot be of a day still to come ({as_of:%Y-%m-%d}).")
    read = read_list(data, kind=kind, status=status, as_of=as_of, name=filename, today=today)
    listed = read.status_list()
    as_of = listed.as_of
    records = {r.smelter_id: r for r in listed.records}
    facilities = {f.smelter_id: f for f in Facility.objects.filter(smelter_id__in=records)}
    changed = []
    for cid, record in records.items():
        facility = facilities.get(cid)
        if facility is None or (facility.status_as_of and facility.status_as_of > as_of):
            continue
        facility.status = status_group(record.status).value
        facility.status_text = (record.raw_status or "")[:60]
        facility.status_as_of = as_of
        facility.status_source = listed.name[:200]
        changed.append(facility)
    with transaction.atomic():
        # The whole list, every record as read, for the status history the risk assessment asks.
        kept = AuditStatusList.objects.create(
            name=listed.name[:200],
            as_of=as_of,
            imported_by=by if getattr(by, "is_authenticated", False) else None,
            columns=dict(listed.columns),
            notes=list(listed.notes),
        )
        AuditStatusRecord.objects.bulk_create(
            [
                AuditStatusRecord(
                    status_list=kept,
                    smelter_id=r.smelter_id[:40],
                    status=str(r.status) if r.status else "",
                    raw_status=(r.raw_status or "")[:100],
                    last_audit=r.last_audit,
                    cycle=(r.cycle or "")[:60],
                    next_audit=r.next_audit,
                    next_audit_text=(r.next_audit_text or "")[:100],
                    row=r.row,
                )
                for r in listed.records
            ],
            batch_size=1000,
        )
        kept_file = keep_reference_file(data, read, by, status_list=kept)
        Facility.objects.bulk_update(
            changed, ["status", "status_text", "status_as_of", "status_source"], batch_size=500
        )
        for group in {f.status for f in changed}:
            ids = [f.smelter_id for f in changed if f.status == group]
            ReportedSmelter.objects.filter(current=True, smelter_id__in=ids).exclude(status=group).update(
                status=group
            )
        AuditEntry.record(
            by,
            "smelters.status_list_imported",
            None,
            f"{listed.name} ({kind.label}) as of {as_of}: {len(changed)} facilities",
        )
        # A status that changed (a suspension, a lapse the new list shows) waits in the analysts' queue.
        status_changes.changes_from_import(kept_file)
    return len(changed), len(set(records) - set(facilities)), list(listed.notes)


def keep_reference_file(data: bytes, listed: RefList, by, *, status_list=None) -> ReferenceFile:
    """Keep the file of a list the core read, under its SHA-256, with its kind, publisher and day."""
    return ReferenceFile.objects.create(
        kind=listed.kind.value,
        filename=listed.filename[:255],
        sha256=storage.store_bytes(settings.REFERENCE_DIR, data),
        size=len(data),
        imported_by=by if getattr(by, "is_authenticated", False) else None,
        as_of=listed.as_of,
        publisher=listed.publisher[:200],
        status=listed.declared_status.value if listed.declared_status else "",
        entries=len(listed.entries),
        notes=list(listed.notes),
        status_list=status_list,
    )


def status_history(smelter_ids=None) -> StatusHistory:
    """The core's StatusHistory over every imported audit-status list, oldest first.

    ``smelter_ids``: only the records of these facilities (a roll-up's), so an assessment reads a few
    thousand rows, not every list in full. Every list is named even when none of its records is read:
    a flag says which lists a facility is missing from.
    """
    statuses = {s.value: s for s in AuditStatus}
    lists = list(AuditStatusList.objects.all())
    records = AuditStatusRecord.objects.filter(status_list__in=[x.pk for x in lists])
    if smelter_ids is not None:
        records = records.filter(smelter_id__in=list(smelter_ids))
    by_list: dict[int, list] = {x.pk: [] for x in lists}
    for r in records.order_by("status_list_id", "pk").iterator(chunk_size=2000):
        by_list[r.status_list_id].append(r)
    return StatusHistory(
        tuple(
            StatusList(
                name=x.name,
                as_of=x.as_of,
                records=tuple(
                    StatusRecord(
                        smelter_id=r.smelter_id,
                        status=statuses.get(r.status),
                        raw_status=r.raw_status or None,
                        as_of=x.as_of,
                        source=x.name,
                        last_audit=r.last_audit,
                        cycle=r.cycle or None,
                        next_audit=r.next_audit,
                        next_audit_text=r.next_audit_text or None,
                        row=r.row,
                    )
                    for r in by_list[x.pk]
                ),
                columns=dict(x.columns),
                encoding=None,
                notes=tuple(x.notes),
            )
            for x in lists
        )
    )


def current_cahra():
    """The CAHRA list that applies (the newest imported), or None; the risk app keeps the lists."""
    from django.apps import apps

    if not apps.is_installed("oretrace.web.risk"):
        return None
    from oretrace.web.risk.models import CahraList

    return CahraList.current()
