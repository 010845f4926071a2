"""Where the web layer calls the core: review a response, identify its smelters, load reference data.

One function per integration point, so the web never grows a second copy of a rule.
"""

from __future__ import annotations

from typing import Any

from oretrace.rmi.model import TemplateResponse, is_special_lookup
from oretrace.smelters.names import canonical_metal, clean_text

FINDING_FIELDS = ("code", "severity", "mineral", "sheet", "cell", "message", "question")


def review_response(response: TemplateResponse, campaign) -> tuple[list[dict[str, Any]], int | None]:
    """The core review's findings as plain dicts, and how many required fields the Checker misses."""
    from oretrace.review import review

    report = review(response)
    findings = [_finding_dict(f) for f in report.findings]
    if not campaign.accepts_version(response.version):
        findings.insert(
            0,
            {
                "code": "older-template-than-requested",
                "severity": "error",
                "mineral": None,
                "sheet": "Declaration",
                "cell": "J3",
                "message": (
                    f"The file is {response.kind} {response.version}; this campaign asks for "
                    f"{campaign.minimum_version} or later."
                ),
                "question": (
                    f"Could you copy your answers into the {campaign.template_kind} "
                    f"{campaign.minimum_version} (or later) template and send it again?"
                ),
            },
        )
    return findings, report.checker_missing


def _finding_dict(finding) -> dict[str, Any]:
    if isinstance(finding, dict):
        return {key: finding.get(key) for key in FINDING_FIELDS}
    return {key: _plain(getattr(finding, key, None)) for key in FINDING_FIELDS}


def _plain(value):
    return value if value is None or isinstance(value, int | float | bool) else str(value)


def identifier():
    """The core's smelter Identifier over our Facility table and the names analysts confirmed."""
    from oretrace.smelters import Facility as ReferenceFacility
    from oretrace.smelters import Identifier, ReferenceList
    from oretrace.web.campaigns.models import Facility, SmelterAlias

    facilities = tuple(
        ReferenceFacility(
            smelter_id=f.smelter_id,
            metal=f.metal,
            name=f.name,
            country=f.country or None,
            aliases=tuple(f.aliases),
        )
        for f in Facility.objects.all()
    )
    confirmed = dict(SmelterAlias.objects.values_list("name", "smelter_id"))
    return Identifier(
        ReferenceList(release="oretrace facilities", date=None, facilities=facilities), confirmed=confirmed
    )


def identify_smelters(response: TemplateResponse) -> list[dict[str, Any]]:
    """One ReportedSmelter field dict per Smelter List row, identified by the core's Identifier."""
    from oretrace.web.campaigns.models import Facility, SmelterStatus

    if not response.smelters:
        return []
    found = identifier().identify_all(response.smelters)
    ids = {f.smelter_id for f in found if f.identified}
    statuses = dict(Facility.objects.filter(smelter_id__in=ids).values_list("smelter_id", "status"))
    rows = []
    for row, identification in zip(response.smelters, found, strict=True):
        metal = canonical_metal(row.metal) or ""
        lookup = row.lookup_name if not is_special_lookup(row.lookup_name) else None
        fields = {
            "row": row.row,
            "metal": metal[:30],
            "reported_name": (clean_text(row.display_name or lookup) or "")[:300],
            "reported_country": (clean_text(row.country) or "")[:100],
            "reported_id": (clean_text(row.smelter_id or row.id_input) or "")[:40],
            "status": SmelterStatus.UNIDENTIFIED,
        }
        if identification.identified:
            facility = identification.facility
            fields.update(
                smelter_id=facility.smelter_id,
                smelter_name=facility.name[:300],
                smelter_country=(facility.country or "")[:100],
                status=statuses.get(facility.smelter_id, SmelterStatus.NOT_AUDITED),
            )
        rows.append(fields)
    return rows


def candidates_for(names: list[tuple[str, str, str]]) -> list[list[tuple[Any, float]]]:
    """For each (metal, name, country): the facilities it may be, best first, with the core's score."""
    from oretrace.web.campaigns.models import Facility

    core = identifier()
    found = [core.identify_name(name, metal, country or None) for metal, name, country in names]
    wanted = {c.facility.smelter_id for f in found for c in _near(f)}
    ours = {f.smelter_id: f for f in Facility.objects.filter(smelter_id__in=wanted)}
    return [
        [(ours[c.facility.smelter_id], c.score) for c in _near(f) if c.facility.smelter_id in ours]
        for f in found
    ]


def _near(found) -> list:
    from oretrace.smelters import Candidate

    near = []
    if found.facility is not None:
        near.append(Candidate(found.facility, found.score, found.query or ""))
    if found.runner_up is not None and found.runner_up.facility != found.facility:
        near.append(found.runner_up)
    return near


def load_reference_from_template(data: bytes, filename: str) -> int:
    """Load the smelter reference list carried by a blank RMI template into Facility; returns how many."""
    from oretrace.smelters.reference import reference_from_template
    from oretrace.web.campaigns.models import Facility

    reference = reference_from_template(data)
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
    Facility.objects.bulk_create(new, batch_size=500)
    Facility.objects.bulk_update(changed, ["metal", "name", "country", "aliases", "release"], batch_size=500)
    return len(new) + len(changed)


def apply_status_list(data: bytes, filename: str, as_of, by) -> tuple[int, int, list[str]]:
    """Import an RMI facility status list (core reader) into Facility and the current reported rows.

    Returns (facilities updated, CIDs on the list we do not know, the reader's notes). A list older
    than the status already on file does not overwrite it.
    """
    from django.db import transaction

    from oretrace.smelters import AuditStatus, read_status_list
    from oretrace.web.audit.models import AuditEntry
    from oretrace.web.campaigns.models import Facility, ReportedSmelter, SmelterStatus

    ours = {
        AuditStatus.CONFORMANT: SmelterStatus.CONFORMANT,
        AuditStatus.COMPLIANT: SmelterStatus.CONFORMANT,
        AuditStatus.CROSS_RECOGNIZED: SmelterStatus.CONFORMANT,
        AuditStatus.ACTIVE: SmelterStatus.ACTIVE,
        AuditStatus.PROGRESSING: SmelterStatus.ACTIVE,
        AuditStatus.NON_CONFORMANT: SmelterStatus.NON_CONFORMANT,
        AuditStatus.SUSPENDED: SmelterStatus.NON_CONFORMANT,
        AuditStatus.NOT_ENROLLED: SmelterStatus.NOT_AUDITED,
    }
    listed = read_status_list(data, as_of=as_of, name=filename)
    records = {r.smelter_id: r for r in listed.records if r.status is not None}
    facilities = {f.smelter_id: f for f in Facility.objects.filter(smelter_id__in=records)}
    changed = []
    for cid, record in records.items():
        facility = facilities.get(cid)
        if facility is None or (facility.status_as_of and facility.status_as_of > as_of):
            continue
        facility.status = ours[record.status]
        facility.status_text = (record.raw_status or "")[:60]
        facility.status_as_of = as_of
        facility.status_source = listed.name[:200]
        changed.append(facility)
    with transaction.atomic():
        Facility.objects.bulk_update(
            changed, ["status", "status_text", "status_as_of", "status_source"], batch_size=500
        )
        for status in {f.status for f in changed}:
            ids = [f.smelter_id for f in changed if f.status == status]
            ReportedSmelter.objects.filter(current=True, smelter_id__in=ids).exclude(status=status).update(
                status=status
            )
        AuditEntry.record(
            by,
            "smelters.status_list_imported",
            None,
            f"{listed.name} as of {as_of}: {len(changed)} facilities",
        )
    return len(changed), len(set(records) - set(facilities)), list(listed.notes)
