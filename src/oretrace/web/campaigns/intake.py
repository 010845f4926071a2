"""A supplier file arriving, and the records of stored files kept current.

``store_file`` runs the core's one per-file pipeline (``analyse_response``: read, review, identify)
with the reference data the app holds (campaigns.reference), keeps the record it returns on the
Submission, and indexes its smelter rows as ReportedSmelter for the pages that count them. When an
analyst confirms a name, ``confirm_alias`` identifies the stored records again with the core: the
pages and the roll-up never hold a second opinion of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from oretrace.errors import OretraceError
from oretrace.rmi.model import is_special_lookup
from oretrace.rmi.serialise import response_to_dict
from oretrace.rollup.analyse import FileAnalysis, analyse_file, analyse_response
from oretrace.rollup.compute import candidates, unidentified_key
from oretrace.smelters import Identifier, status_group
from oretrace.smelters.names import clean_text, name_key
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference, storage
from oretrace.web.campaigns.models import (
    Facility,
    ReportedSmelter,
    Request,
    SmelterAlias,
    SmelterStatus,
    State,
    Submission,
)

SUPPLIER = "supplier via link"


def store_file(request: Request, data: bytes, filename: str, uploaded_by) -> tuple[Submission | None, str]:
    """Read, review and keep one uploaded file as the request's next version.

    Returns (submission, "") or (None, a message for the uploader). On any problem nothing is stored
    and nothing stored before changes. The file is written under its hash before the rows that point
    to it, so a row never points to a missing file. A request that holds MAX_VERSIONS_PER_REQUEST
    files takes no more: that is checked first, before the file is read.
    """
    filename = (filename or "upload.xlsx").replace("/", "_").replace("\\", "_")[:255]
    if problem := version_limit_problem(request, uploaded_by):
        return None, problem
    if problem := storage.upload_size_problem(len(data)):
        return None, problem
    if not data:
        return None, "The file is empty."
    campaign = request.campaign
    settings_now = reference.analysis_settings(campaign)
    try:
        response = settings_now.read(data, name=filename)
    except OretraceError as error:
        return None, error.message
    if str(response.kind) != campaign.template_kind:
        return None, (
            f"This file is a {response.kind} {response.version}, but this request asks for the "
            f"{campaign.template_kind}. Please upload the {campaign.template_kind}."
        )
    analysis = analyse_response(response, settings_now).with_supplier(request.supplier.name)
    parsed = response_to_dict(response)

    digest = storage.store_bytes(settings.SUBMISSIONS_DIR, data)
    user = uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None
    with transaction.atomic():
        locked = Request.objects.select_for_update().get(pk=request.pk)
        # Again under the row lock: two uploads racing past the first check cannot both be stored.
        # (The bytes of the one refused here stay in the content-addressed store, referenced by nothing.)
        if problem := version_limit_problem(locked, uploaded_by):
            return None, problem
        version = (locked.submissions.aggregate(v=Max("version"))["v"] or 0) + 1
        submission = Submission.objects.create(
            request=locked,
            version=version,
            sha256=digest,
            filename=filename,
            size=len(data),
            uploaded_by=user,
            uploaded_by_label=user.get_username() if user else str(uploaded_by or SUPPLIER),
            template_kind=str(response.kind),
            template_version=response.version,
            company_name=(response.company.name.value or "")[:300],
            declaration_scope=(response.scope or "")[:1],
            data=parsed,
        )
        submission.keep_record(analysis)
        ReportedSmelter.objects.filter(request=locked, current=True).update(current=False)
        _index_smelters(submission, analysis, current=True)
        locked.latest_submission = submission
        locked.save(update_fields=["latest_submission"])
        locked.transition(State.SUBMITTED, uploaded_by or SUPPLIER, note=f"version {version}")
    request.refresh_from_db()
    return submission, ""


def version_limit_problem(request: Request, uploaded_by) -> str | None:
    """What to tell the uploader when the request holds the most files it takes, else None: the supplier
    in the portal's language, staff with the setting to change."""
    limit = settings.MAX_VERSIONS_PER_REQUEST
    if request.submissions.count() < limit:
        return None
    if getattr(uploaded_by, "is_authenticated", False):
        return (
            f"This request already holds {limit} files, the most one request takes "
            "(ORETRACE_MAX_VERSIONS_PER_REQUEST)."
        )
    return gettext(
        "This request already holds %(limit)d files, the most it accepts. If your answers must change "
        "again, please write to the person who sent you this request."
    ) % {"limit": limit}


def ensure_record(submission: Submission) -> FileAnalysis:
    """The submission's record; a file stored before records were kept is analysed now, from its bytes,
    with today's reference data, and its record and smelter rows kept."""
    if submission.record is not None:
        return submission.analysis()
    campaign = submission.request.campaign
    analysis = analyse_file(
        submission.file_bytes(), reference.analysis_settings(campaign), name=submission.filename
    ).with_supplier(submission.request.supplier.name)
    with transaction.atomic():
        submission.keep_record(analysis)
        current = (
            submission.request.latest_submission_id == submission.pk
            and submission.request.state != State.DECLINED
        )
        ReportedSmelter.objects.filter(submission=submission).delete()
        _index_smelters(submission, analysis, current=current)
    return analysis


def _index_smelters(submission: Submission, analysis: FileAnalysis, *, current: bool) -> None:
    """One ReportedSmelter per smelter row of the record, every value as the core computed it."""
    found_by_row = {found.row: found for found in analysis.identifications}
    ids = {f.smelter_id for f in analysis.identifications if f.identified}
    statuses = dict(Facility.objects.filter(smelter_id__in=ids).values_list("smelter_id", "status"))
    request = submission.request
    rows = []
    for row in analysis.smelters:
        found = found_by_row.get(row.row)
        lookup = row.lookup_name if not is_special_lookup(row.lookup_name) else None
        name = clean_text(row.display_name or lookup) or ""
        fields = {
            "row": row.row,
            "metal": ((found.metal if found else None) or "")[:30],
            "reported_name": name[:300],
            "reported_country": (clean_text(row.country) or "")[:100],
            "reported_id": (clean_text(row.smelter_id or row.id_input) or "")[:40],
            "status": SmelterStatus.UNIDENTIFIED,
            "method": str(found.method) if found else "",
            "reason": found.reason if found else "",
        }
        if found is not None and found.identified:
            facility = found.facility
            fields.update(
                smelter_id=facility.smelter_id,
                smelter_name=facility.name[:300],
                smelter_country=(facility.country or "")[:100],
                status=statuses.get(facility.smelter_id, status_group(None).value),
            )
        elif found is not None:
            fields.update(
                name_group=unidentified_key(found.metal, row.display_name or found.query, row.country)[:500],
                candidates=[
                    {
                        "smelter_id": c.smelter_id,
                        "name": c.name,
                        "country": c.country,
                        "score": round(c.score),
                    }
                    for c in candidates(found)
                ],
            )
        rows.append(
            ReportedSmelter(
                submission=submission,
                request=request,
                campaign_id=request.campaign_id,
                current=current,
                **fields,
            )
        )
    ReportedSmelter.objects.bulk_create(rows, batch_size=1000)


def reidentify(submissions: Iterable[Submission], identifier: Identifier) -> int:
    """Identify the smelter rows of these stored files again; returns how many rows changed facility."""
    changed = 0
    for submission in submissions:
        before = ensure_record(submission)
        after = before.reidentified(identifier)
        moved = sum(
            1
            for a, b in zip(before.identifications, after.identifications, strict=True)
            if a.smelter_id != b.smelter_id
        )
        if not moved:
            continue
        changed += moved
        with transaction.atomic():
            current = ReportedSmelter.objects.filter(submission=submission, current=True).exists()
            submission.keep_record(after)
            ReportedSmelter.objects.filter(submission=submission).delete()
            _index_smelters(submission, after, current=current)
    return changed


def confirm_alias(*, metal: str, name: str, smelter_id: str, by) -> tuple[SmelterAlias, int]:
    """Record that suppliers' ``name`` means facility ``smelter_id`` and identify again every current
    file that reports the name unidentified; returns the alias and how many rows it identified."""
    facility = Facility.objects.get(smelter_id=smelter_id)
    with transaction.atomic():
        alias, _ = SmelterAlias.objects.update_or_create(
            metal=metal,
            name_key=name_key(name),
            defaults={
                "name": name,
                "smelter_id": facility.smelter_id,
                "smelter_name": facility.name,
                "confirmed_by": by if getattr(by, "is_authenticated", False) else None,
                "confirmed_at": timezone.now(),
            },
        )
        # The rows the roll-up counts as this name, whatever their country (rollup.compute.unidentified_key).
        same_name = f"{unidentified_key(metal, name, None).rsplit('|', 1)[0]}|"
        affected = Submission.objects.filter(
            pk__in=ReportedSmelter.objects.filter(
                current=True, status=SmelterStatus.UNIDENTIFIED, name_group__startswith=same_name
            ).values("submission_id")
        ).select_related("request__campaign", "request__supplier")
        identified = reidentify(affected, identifier())
        AuditEntry.record(
            by,
            "smelter.alias_confirmed",
            alias,
            f"{metal}: {name} → {facility.smelter_id} ({identified} rows)",
        )
    return alias, identified


def identifier() -> Identifier | None:
    """The core's identifier over the reference data the app holds now (built once per process for the
    same data: campaigns.reference.held_reference)."""
    return reference.held_reference().identifier
