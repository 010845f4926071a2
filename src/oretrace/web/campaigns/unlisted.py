"""Facilities RMI does not list, as the app keeps them: added, edited and retired by an analyst.

The core checks what the analyst typed (smelters.unlisted.unlisted_facility) and gives the local ID;
this module keeps the result in Facility with ``listed_by_rmi`` false, race-free, and in the audit
log. The caller identifies the stored files again afterwards (campaigns.reidentify.after_change), as
after loading a list or confirming a name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from oretrace.errors import BadInput
from oretrace.smelters import Facility as CoreFacility
from oretrace.smelters.unlisted import LOCAL_ID_PREFIX, next_local_id
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Facility

# Two analysts adding a facility at once both compute the same next local ID; the unique smelter_id
# refuses the second, which takes the next one. A few tries cover any number of people at one desk.
_LOCAL_ID_TRIES = 5


def _fields(facility: CoreFacility) -> dict:
    return {
        "metal": facility.metal,
        "name": facility.name[:300],
        "country": (facility.country or "")[:100],
        "aliases": list(facility.aliases),
        "id_programme": (facility.id_programme or "")[:100],
        "source": facility.source or "",
        "source_url": (facility.source_url or "")[:500],
    }


def _document_fields(document: tuple[str, bytes] | None) -> dict:
    if document is None:
        return {}
    name, data = document
    return {
        "source_document": name[:255],
        "source_document_sha256": storage.store_bytes(settings.REFERENCE_DIR, data),
    }


def add(facility: CoreFacility, *, document: tuple[str, bytes] | None = None, by) -> Facility:
    """Keep a facility the core built from the analyst's input. Without an ID (``smelter_id`` "") it
    gets the next oretrace-local one. BadInput when its ID is taken (by any facility, retired too)."""
    fields = _fields(facility) | _document_fields(document)
    user = by if getattr(by, "is_authenticated", False) else None
    for _attempt in range(_LOCAL_ID_TRIES):
        smelter_id = facility.smelter_id or _next_local_id()
        taken = Facility.objects.filter(smelter_id__iexact=smelter_id).first()
        if taken is not None and facility.smelter_id:
            raise BadInput(_taken_message(smelter_id, taken))
        try:
            with transaction.atomic():
                row = Facility.objects.create(
                    smelter_id=smelter_id,
                    listed_by_rmi=False,
                    added_by=user,
                    added_at=timezone.now(),
                    **fields,
                )
                AuditEntry.record(by, "facility.added", row, _describe(row))
            return row
        except IntegrityError:
            if facility.smelter_id:
                raise BadInput(
                    _taken_message(smelter_id, Facility.objects.get(smelter_id=smelter_id))
                ) from None
    raise BadInput("Another analyst was adding facilities at the same time; add it again.")


def _next_local_id() -> str:
    return next_local_id(
        Facility.objects.filter(smelter_id__istartswith=LOCAL_ID_PREFIX).values_list("smelter_id", flat=True)
    )


def _taken_message(smelter_id: str, taken: Facility) -> str:
    retired = " (retired)" if taken.retired_at else ""
    return f"The ID {smelter_id} is already {taken.smelter_id} {taken.name}{retired}; give another ID."


def edit(pk: int, facility: CoreFacility, *, document: tuple[str, bytes] | None = None, by) -> Facility:
    """Change what is known of a facility added by hand (its ID stays: files and aliases refer to it).
    The row is locked while it changes, so two analysts' edits are applied one after the other."""
    with transaction.atomic():
        row = Facility.objects.select_for_update().get(pk=pk, listed_by_rmi=False)
        before = _describe(row)
        for key, value in (_fields(facility) | _document_fields(document)).items():
            setattr(row, key, value)
        row.save()
        AuditEntry.record(by, "facility.edited", row, f"was: {before}; now: {_describe(row)}")
    return row


def retire(pk: int, *, by) -> bool:
    """Take a facility added by hand out of identification; False when it was retired already. The row
    stays, so its ID is never given to another facility."""
    with transaction.atomic():
        done = Facility.objects.filter(pk=pk, listed_by_rmi=False, retired_at__isnull=True).update(
            retired_at=timezone.now()
        )
        if done:
            row = Facility.objects.get(pk=pk)
            AuditEntry.record(by, "facility.retired", row, _describe(row))
    return bool(done)


def _describe(row: Facility) -> str:
    aliases = f"; aliases: {', '.join(row.aliases)}" if row.aliases else ""
    programme = f" ({row.id_programme})" if row.id_programme else ""
    document = f"; document: {row.source_document}" if row.source_document else ""
    url = f" {row.source_url}" if row.source_url else ""
    return (
        f"{row.metal}: {row.smelter_id}{programme} {row.name}, {row.country}; not RMI-listed; "
        f"source: {row.source}{url}{document}{aliases}"
    )
