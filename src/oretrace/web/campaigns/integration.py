"""Where the web layer calls the core: review a response, identify its smelters, load reference data.

One function per integration point, so the web never grows a second copy of a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oretrace.rmi.model import TemplateResponse, is_special_lookup
from oretrace.smelters.names import canonical_metal, clean_text

FINDING_FIELDS = ("code", "severity", "mineral", "sheet", "cell", "message", "question")


def review_response(response: TemplateResponse, campaign) -> tuple[list[dict[str, Any]], int | None]:
    """The core review's findings as plain dicts, and how many required fields the Checker misses.

    The review judges the file for the campaign's reporting year (which template RMI recommends, an
    effective date before the year), not for the year of the file's own effective date.
    """
    from oretrace.review import review

    report = review(response, reporting_year=campaign.reporting_year.year)
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
    from oretrace.web.campaigns.models import (
        AuditStatusList,
        AuditStatusRecord,
        Facility,
        ReportedSmelter,
        SmelterStatus,
    )

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


def status_history(smelter_ids=None):
    """The core's StatusHistory over every imported audit-status list, oldest first.

    ``smelter_ids``: only the records of these facilities (a roll-up's), so an assessment reads a few
    thousand rows, not every list in full. Every list is named even when none of its records is read:
    a flag says which lists a facility is missing from.
    """
    from oretrace.smelters import AuditStatus, StatusHistory, StatusList, StatusRecord
    from oretrace.web.campaigns.models import AuditStatusList, AuditStatusRecord

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


@dataclass(frozen=True)
class CampaignRollup:
    """A campaign's files as the core's Rollup, with what the web needs to link a rating back to a request."""

    rollup: Any  # oretrace.rollup.Rollup
    in_scope: tuple[str, ...]  # the suppliers asked, by our name; those that declined are left out
    request_for: dict[str, int]  # a supplier rating's key (file label or supplier name) -> Request pk
    declined: int  # suppliers that stated they have nothing to report (no 3TG): answered, not assessed
    statuses: Any = None  # oretrace.smelters.StatusHistory of the roll-up's facilities
    cahra: Any = None  # oretrace.rollup.countries.CountryList of the CAHRA list that applies, or None
    cahra_list: Any = None  # the CahraList row it came from (name and date, for the pages), or None

    def assess(self, *, thresholds=None, as_of):
        """The core's assessment of this roll-up: the one place the web calls ``assess``, so the risk
        page, the summary and the documents judge the same status history and CAHRA list."""
        from oretrace.risk import assess

        return assess(
            self.rollup,
            thresholds=thresholds,
            statuses=self.statuses,
            as_of=as_of,
            in_scope_suppliers=self.in_scope,
            cahra=self.cahra,
        )


# Our Facility status for a facility whose list gave no word we can read (demo data, older imports):
# the inverse of apply_status_list's mapping. "not_audited" means no status on file.
_AUDIT_STATUS = {"conformant": "Conformant", "active": "Active", "non_conformant": "Non-Conformant"}


def campaign_rollup(campaign) -> CampaignRollup:
    """The core's Rollup for a campaign, from the latest file of each request and the current smelter rows.

    The one place the web builds a roll-up: the risk page, the management summary and any report read
    it, so their figures agree. Each supplier is named by our supplier record (the CMRT's own company
    block can spell it differently), so the in-scope list and the files match one to one. Findings count
    while the request is not accepted (accepting a file resolves them, Request.transition).
    """
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    from oretrace.rollup.countries import covered_country
    from oretrace.rollup.model import FindingRow, Rollup, SmelterSummary, SupplierSummary, UnidentifiedName
    from oretrace.smelters.names import name_key
    from oretrace.smelters.status import parse_status
    from oretrace.web.campaigns.models import Facility, ReportedSmelter, Request, SmelterStatus, State

    requests = list(
        Request.objects.filter(campaign=campaign)
        .select_related("supplier", "latest_submission")
        .order_by("supplier__name", "pk")
    )
    names = [r.latest_submission.filename for r in requests if r.latest_submission]
    suppliers, findings, in_scope, request_for = [], [], [], {}
    label_of: dict[int, str] = {}  # Request pk -> the label its smelters are named by
    declined = 0
    for req in requests:
        sub = req.latest_submission
        if req.state == State.DECLINED and sub is None:
            declined += 1
            continue
        in_scope.append(req.supplier.name)
        if sub is None:
            request_for[req.supplier.name] = req.pk
            continue
        # Two suppliers may both send "CMRT.xlsx": the file label must tell them apart.
        file_name = (
            sub.filename if names.count(sub.filename) == 1 else f"{sub.filename} ({req.supplier.name})"
        )
        request_for[file_name] = req.pk
        label_of[req.pk] = req.supplier.name
        open_findings = sub.findings if req.open_findings else []
        counts: dict[str, int] = {}
        for finding in open_findings:
            counts[finding.get("severity") or ""] = counts.get(finding.get("severity") or "", 0) + 1
        company = sub.data.get("company", {})
        effective = company.get("effective_date")
        try:
            effective = dt.date.fromisoformat(effective[:10]) if isinstance(effective, str) else None
        except ValueError:
            effective = None
        suppliers.append(
            SupplierSummary(
                file_name=file_name,
                sha256=sub.sha256,
                company_name=req.supplier.name,
                kind=sub.template_kind,
                version=sub.template_version,
                scope=sub.declaration_scope or None,
                effective_date=effective,
                answers={
                    mineral: {q: (None if a is None else str(a)) for q, a in answers.items()}
                    for mineral, answers in sub.data.get("answers", {}).items()
                },
                findings_by_severity=counts,
                checker_missing=sub.checker_missing,
                smelter_rows=len(sub.data.get("smelters", [])),
            )
        )
        findings.extend(
            FindingRow(
                file_name=file_name,
                company_name=req.supplier.name,
                code=f.get("code") or "",
                severity=f.get("severity") or "",
                mineral=f.get("mineral"),
                sheet=f.get("sheet"),
                cell=f.get("cell"),
                message=f.get("message") or "",
                question=f.get("question"),
            )
            for f in open_findings
        )

    rows = ReportedSmelter.objects.filter(campaign=campaign, current=True).filter(Q(request_id__in=label_of))
    named_by: dict[str, dict[str, None]] = {}
    reported: dict[str, tuple[str, str, str]] = {}
    unidentified: dict[tuple, dict] = {}
    for (
        request_id,
        metal,
        smelter_id,
        smelter_name,
        smelter_country,
        status,
        name,
        country,
    ) in rows.values_list(
        "request_id",
        "metal",
        "smelter_id",
        "smelter_name",
        "smelter_country",
        "status",
        "reported_name",
        "reported_country",
    ).order_by("request_id", "row"):
        label = label_of[request_id]
        if status == SmelterStatus.UNIDENTIFIED or not smelter_id:
            key = (metal, name_key(name or ""), (country or "").casefold())
            entry = unidentified.setdefault(key, {"metal": metal, "name": name, "country": country, "by": {}})
            entry["by"][label] = None
            continue
        named_by.setdefault(smelter_id, {})[label] = None
        reported.setdefault(smelter_id, (metal, smelter_name, smelter_country))
    facilities = {f.smelter_id: f for f in Facility.objects.filter(smelter_id__in=named_by)}
    statuses = status_history(named_by)
    cahra_list = current_cahra()
    cahra = cahra_list.country_list() if cahra_list else None
    today = timezone.localdate()
    smelters, lists = [], {}
    for cid, labels in named_by.items():
        facility = facilities.get(cid)
        metal, name, country = reported[cid]
        status, as_of = None, None
        if facility is not None:
            metal, name, country = facility.metal or metal, facility.name or name, facility.country or country
        record = statuses.record_on(cid, today)
        if record is not None:
            # The status history, as the core's build_rollup reads it: the latest list on or before today.
            status = str(record.status) if record.status else None
            as_of = record.as_of
            lists[record.source] = None
        elif facility is not None:
            # A status set before lists were kept (or by the demo): the facility's latest word.
            parsed = parse_status(facility.status_text)
            status = str(parsed) if parsed else _AUDIT_STATUS.get(facility.status)
            as_of = facility.status_as_of
            if status and facility.status_source:
                lists[facility.status_source] = None
        smelters.append(
            SmelterSummary(
                metal=metal,
                smelter_id=cid,
                name=name or cid,
                country=country or None,
                audit_status=status,
                status_as_of=as_of,
                covered_country=covered_country(country) is not None,
                cahra=covered_country(country) is not None or (cahra is not None and country in cahra),
                suppliers=tuple(labels),
            )
        )
    return CampaignRollup(
        rollup=Rollup(
            generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            reference_release=None,
            status_lists=tuple(lists),
            suppliers=tuple(suppliers),
            findings=tuple(findings),
            smelters=tuple(sorted(smelters, key=lambda s: (s.metal, s.name.casefold()))),
            unidentified=tuple(
                UnidentifiedName(
                    metal=e["metal"] or None,
                    name=e["name"] or None,
                    country=e["country"] or None,
                    suppliers=tuple(e["by"]),
                    reason="not identified",
                )
                for e in sorted(
                    unidentified.values(), key=lambda e: (e["metal"], (e["name"] or "").casefold())
                )
            ),
        ),
        in_scope=tuple(in_scope),
        request_for=request_for,
        declined=declined,
        statuses=statuses,
        cahra=cahra,
        cahra_list=cahra_list,
    )
