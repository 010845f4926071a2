"""A supplier file arriving, and the records of stored files kept current.

``store_file`` runs the core's one per-file pipeline (``analyse_response``: read, review, identify)
with the reference data the app holds (campaigns.reference), keeps the record it returns on the
Submission, and indexes its smelter rows as ReportedSmelter for the pages that count them. When an
analyst confirms a name, ``confirm_alias`` identifies the stored records again with the core: the
pages and the roll-up never hold a second opinion of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from oretrace.errors import OretraceError
from oretrace.review import ExpectedSupplier
from oretrace.rmi.model import is_special_lookup
from oretrace.rmi.serialise import response_to_dict
from oretrace.rollup.analyse import FileAnalysis, analyse_file, analyse_response
from oretrace.rollup.compute import candidates, preselected, unidentified_key
from oretrace.smelters import Identifier, Method, status_group
from oretrace.smelters.names import clean_text, name_key
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference, storage
from oretrace.web.campaigns.models import (
    Facility,
    ReportedSmelter,
    Request,
    SmelterAlias,
    SmelterExclusion,
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
        return None, gettext("The file is empty.")
    campaign = request.campaign
    settings_now = reference.analysis_settings(campaign)
    staff = getattr(uploaded_by, "is_authenticated", False)
    try:
        response = settings_now.read(data, name=filename)
    except OretraceError as error:
        # The core's message is the analyst's ("ask the supplier …"); the supplier reads what to do.
        return None, error.message if staff else gettext(error.for_supplier)
    if str(response.kind) != campaign.template_kind:
        return None, gettext(
            "This file is a %(kind)s %(version)s, but this request asks for the %(wanted)s. "
            "Please upload the %(wanted)s."
        ) % {"kind": response.kind, "version": response.version, "wanted": campaign.template_kind}
    analysis = analyse_response(
        response, settings_now, expected_supplier=expected_supplier(request.supplier)
    ).with_supplier(request.supplier.name)
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


def expected_supplier(supplier) -> ExpectedSupplier:
    """The supplier a file is checked against (review.identity): its name, its supplier number (some
    firms key suppliers by DUNS) and its contacts' mail domains."""
    return ExpectedSupplier.of(
        supplier.name, unique_ids=[supplier.key], emails=[c.email for c in supplier.contacts.all()]
    )


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
        submission.file_bytes(),
        reference.analysis_settings(campaign),
        name=submission.filename,
        expected_supplier=expected_supplier(submission.request.supplier),
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
        elif found is not None and found.method == Method.EXCLUDED:
            fields.update(
                status=SmelterStatus.EXCLUDED,
                name_group=unidentified_key(found.metal, row.display_name or found.query, row.country)[:500],
            )
        elif found is not None:
            chosen = preselected(found)
            fields.update(
                name_group=unidentified_key(found.metal, row.display_name or found.query, row.country)[:500],
                candidates=[
                    {
                        "smelter_id": c.smelter_id,
                        "name": c.name,
                        "country": c.country,
                        "score": round(c.score),
                        "listed_by_rmi": c.listed_by_rmi,
                        # The core's word on whether to offer it already chosen (CONFIDENT_CANDIDATE).
                        "preselected": chosen is not None and c.smelter_id == chosen.smelter_id,
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


def confirm_alias(*, metal: str, name: str, smelter_id: str, by) -> tuple[SmelterAlias, Outcome]:
    """Record that suppliers' ``name`` means facility ``smelter_id`` and identify again every current
    file that reports the name unidentified; returns the alias and what that changed."""
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
        outcome = reidentify_files(files_reporting(metal, name), identifier())
        AuditEntry.record(
            by,
            "smelter.alias_confirmed",
            alias,
            f"{metal}: {name} → {facility.smelter_id} ({outcome.now_identified} rows)",
        )
    return alias, outcome


def exclude_name(*, metal: str, name: str, outcome: str, by) -> tuple[SmelterExclusion, Outcome]:
    """Record that suppliers' ``name`` is no 3TG smelter (a smelters.Exclusion value) and identify again
    every current file that reports the name unidentified, which the core now gives Method.EXCLUDED."""
    with transaction.atomic():
        exclusion, _ = SmelterExclusion.objects.update_or_create(
            metal=metal,
            name_key=name_key(name),
            defaults={
                "name": name,
                "outcome": SmelterExclusion.Outcome(outcome),
                "recorded_by": by if getattr(by, "is_authenticated", False) else None,
                "recorded_at": timezone.now(),
            },
        )
        changed = reidentify_files(files_reporting(metal, name), identifier())
        AuditEntry.record(
            by,
            "smelter.name_excluded",
            exclusion,
            f"{metal}: {name} is {exclusion.get_outcome_display().lower()} ({changed.now_excluded} rows)",
        )
    return exclusion, changed


def files_reporting(metal: str, name: str):
    """The current files that report ``name`` unidentified, whatever the country (as the roll-up
    groups names: rollup.compute.unidentified_key)."""
    same_name = f"{unidentified_key(metal, name, None).rsplit('|', 1)[0]}|"
    return Submission.objects.filter(
        pk__in=ReportedSmelter.objects.filter(
            current=True, status=SmelterStatus.UNIDENTIFIED, name_group__startswith=same_name
        ).values("submission_id")
    ).select_related("request__campaign", "request__supplier")


def identifier() -> Identifier | None:
    """The core's identifier over the reference data the app holds now (built once per process for the
    same data: campaigns.reference.held_reference)."""
    return reference.held_reference().identifier


@dataclass
class Outcome:
    """What identifying stored files again changed, counted per smelter row."""

    files_total: int = 0
    files_changed: int = 0
    files_unidentified: int = 0  # files that had a name no facility matched
    rows_changed: int = 0
    were_unidentified: int = 0
    now_identified: int = 0  # of were_unidentified
    now_excluded: int = 0  # of were_unidentified: recorded as not a smelter / not 3TG
    other_facility: int = 0  # identified before, as another facility now
    lost: int = 0  # identified before, not now (its facility left the list)

    FIELDS = (
        "files_total",
        "files_changed",
        "files_unidentified",
        "rows_changed",
        "were_unidentified",
        "now_identified",
        "now_excluded",
        "other_facility",
        "lost",
    )

    @classmethod
    def of(cls, kept) -> Outcome:
        """The outcome a Reidentification row keeps."""
        return cls(**{name: getattr(kept, name) for name in cls.FIELDS})

    def as_fields(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @property
    def still_unidentified(self) -> int:
        return self.were_unidentified - self.now_identified - self.now_excluded

    def summary(self) -> str:
        """ "71 names in 40 files re-identified: 65 now identified, 6 still unidentified." """
        if not self.were_unidentified and not self.rows_changed:
            return f"{_count(self.files_total, 'stored file')} identified again: nothing changed."
        parts = [f"{self.now_identified} now identified"]
        if self.now_excluded:
            parts.append(f"{self.now_excluded} recorded as not a smelter or not 3TG")
        parts.append(f"{self.still_unidentified} still unidentified")
        text = (
            f"{_count(self.were_unidentified, 'unidentified name')} in "
            f"{_count(self.files_unidentified, 'file')} re-identified: {', '.join(parts)}."
        )
        if self.other_facility:
            text += f" {_count(self.other_facility, 'name')} now identified as another facility."
        if self.lost:
            text += (
                f" {_count(self.lost, 'name')} no longer identified: the facility is not on the "
                "reference list loaded."
            )
        return text

    def add(self, before: FileAnalysis, after: FileAnalysis) -> bool:
        """Count one file; True when its identifications changed (its record must be kept again)."""
        self.files_total += 1
        pairs = list(zip(before.identifications, after.identifications, strict=True))
        unidentified = [(a, b) for a, b in pairs if not a.identified and a.method != Method.EXCLUDED]
        self.were_unidentified += len(unidentified)
        self.files_unidentified += bool(unidentified)
        self.now_identified += sum(1 for _a, b in unidentified if b.identified)
        self.now_excluded += sum(1 for _a, b in unidentified if b.method == Method.EXCLUDED)
        for a, b in pairs:
            if a.identified and b.identified and a.smelter_id != b.smelter_id:
                self.other_facility += 1
            elif a.identified and not b.identified:
                self.lost += 1
        changed = sum(1 for a, b in pairs if a != b)
        self.rows_changed += changed
        self.files_changed += bool(changed)
        return bool(changed)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def reidentify_files(
    submissions: Iterable[Submission],
    identifier: Identifier | None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Identify the smelter rows of these stored files again with ``identifier``, keep each changed
    record with its ReportedSmelter rows, and count what changed. ``progress(files done)`` after each.

    Each file under its request's row lock (taken first, as store_file and a decline take it) and its
    own, read again inside them: a file whose record changed meanwhile is identified from what is stored
    now, and whether its rows count (the request's latest file, not declined since) is read under the
    same lock that a new upload or a decline changes it under.
    """
    outcome = Outcome()
    if identifier is None:  # no reference list: nothing can be identified
        return outcome
    for done, submission in enumerate(submissions, start=1):
        request_id = Submission.objects.values_list("request_id", flat=True).get(pk=submission.pk)
        with transaction.atomic():
            request = Request.objects.select_for_update().get(pk=request_id)
            locked = (
                Submission.objects.select_for_update()
                .select_related("request__campaign", "request__supplier")
                .get(pk=submission.pk)
            )
            before = ensure_record(locked)
            after = before.reidentified(identifier)
            if outcome.add(before, after):
                current = request.latest_submission_id == locked.pk and request.state != State.DECLINED
                locked.keep_record(after)
                ReportedSmelter.objects.filter(submission=locked).delete()
                _index_smelters(locked, after, current=current)
        if progress:
            progress(done)
    return outcome
