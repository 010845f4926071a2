"""Deleting what has expired: each supplier answer and each evidence package in its own transaction,
logged to the audit log, never one that a legal hold keeps.

The rows go in the transaction; a stored file goes once the transaction has committed and only when
no row still names its SHA-256 (files are kept once per content: next year's "nothing changed" answer
is the same bytes). A file left behind by a crash between the two is unreachable, never a row without
its file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from oretrace.retention import RetentionPolicy
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign, Request, Submission
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.reports.models import EvidenceBuild, packages_dir
from oretrace.web.retention import schedule as schedules
from oretrace.web.retention.models import LegalHold
from oretrace.web.suppliers.models import Supplier

log = logging.getLogger(__name__)
PURGE_WORKER = "retention purge"


@dataclass
class PurgeResult:
    applied: bool
    answers: int = 0
    files: int = 0
    packages: int = 0
    # One line per record deleted (or, in a dry run, that would be).
    lines: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if not (self.answers or self.packages):
            return "Nothing has expired that no legal hold keeps: nothing to delete."
        verb = "Deleted" if self.applied else "Would delete"
        return (
            f"{verb} {self.answers} supplier answer(s) with {self.files} file version(s) "
            f"and {self.packages} evidence package(s)."
        )


def purge(
    policy: RetentionPolicy,
    today: dt.date,
    apply: bool = False,
    actor=PURGE_WORKER,
    say: Callable[[str], None] = lambda line: None,
) -> PurgeResult:
    """Delete (with ``apply``) or list what has expired by ``today`` under ``policy``."""
    result = PurgeResult(applied=apply)
    for line in schedules.schedule(policy):
        why = _why(line, line.answers_expire_on)
        for pk in schedules.expired_requests(line, today).values_list("pk", flat=True):
            done = purge_answer(pk, why, actor) if apply else describe_answer(pk, why)
            if done:
                result.answers += 1
                result.files += done[0]
                _say(result, say, done[1])
        why = _why(line, line.packages_expire_on)
        for pk in schedules.expired_packages(line, today).values_list("pk", flat=True):
            done = purge_package(pk, why, actor) if apply else describe_package(pk, why)
            if done:
                result.packages += 1
                _say(result, say, done)
    return result


def _say(result: PurgeResult, say: Callable[[str], None], text: str) -> None:
    result.lines.append(text)
    say(text)


def _why(line: schedules.CampaignSchedule, expired_on: dt.date) -> str:
    regimes = "; ".join(line.regime_titles) or "no regulation's minimum"
    return f"records dated {line.dated:%Y-%m-%d}, kept under {regimes}, expired on {expired_on:%Y-%m-%d}"


def describe_answer(request_pk: int, why: str) -> tuple[int, str] | None:
    request = Request.objects.select_related("supplier", "campaign").filter(pk=request_pk).first()
    if request is None:
        return None
    files = request.submissions.count()
    return files, f"would delete {_answer_label(request)}: {files} file version(s) ({why})"


def describe_package(build_pk: int, why: str) -> str | None:
    build = EvidenceBuild.objects.select_related("campaign").filter(pk=build_pk).first()
    return f"would delete {build} ({why})" if build else None


def _answer_label(request: Request) -> str:
    return f"the answer of {request.supplier} to {request.campaign} (request {request.pk})"


def purge_answer(request_pk: int, why: str, actor=PURGE_WORKER) -> tuple[int, str] | None:
    """Delete one supplier's answer to one campaign: its request, file versions, follow-ups, state
    history, links and e-mails; None when it is gone already or a hold keeps it."""
    with transaction.atomic():
        request = (
            Request.objects.select_for_update()
            .select_related("supplier", "campaign")
            .filter(pk=request_pk)
            .first()
        )
        if request is None:
            return None
        # The rows a hold is placed on (LegalHold.place locks them too): a hold placed while this runs
        # waits for it, and one placed before it is seen here.
        Campaign.objects.select_for_update().get(pk=request.campaign_id)
        Supplier.objects.select_for_update().get(pk=request.supplier_id)
        if LegalHold.objects.covering(request.campaign_id, request.supplier_id).exists():
            return None
        digests = set(request.submissions.values_list("sha256", flat=True))
        files = request.submissions.count()
        follow_ups = request.follow_ups.count()
        emails, _ = OutboundEmail.objects.filter(request=request).delete()
        label = _answer_label(request)
        detail = (
            f"deleted {label}: {files} file version(s), {follow_ups} follow-up(s), {emails} e-mail(s); {why}"
        )
        AuditEntry.record(actor, "retention.purged", request, detail)
        request.delete()
        transaction.on_commit(
            lambda: _delete_unused_files(settings.SUBMISSIONS_DIR, digests, _submission_uses)
        )
    return files, detail


def purge_package(build_pk: int, why: str, actor=PURGE_WORKER) -> str | None:
    """Delete one built evidence package, row and file; None when it is gone or a hold keeps it."""
    with transaction.atomic():
        build = (
            EvidenceBuild.objects.select_for_update().select_related("campaign").filter(pk=build_pk).first()
        )
        if build is None or build.is_running:
            return None
        Campaign.objects.select_for_update().get(pk=build.campaign_id)
        if schedules.is_held(build.campaign_id):
            return None
        detail = f"deleted {build} ({build.filename or 'no file'}, sha256 {build.sha256 or '-'}); {why}"
        AuditEntry.record(actor, "retention.purged", build, detail)
        digests = {build.sha256} - {""}
        build.delete()
        transaction.on_commit(lambda: _delete_unused_files(packages_dir(), digests, _package_uses))
    return detail


def _submission_uses(digest: str) -> bool:
    return Submission.objects.filter(sha256=digest).exists()


def _package_uses(digest: str) -> bool:
    return EvidenceBuild.objects.filter(sha256=digest).exists()


def _delete_unused_files(folder: Path, digests: set[str], still_used: Callable[[str], bool]) -> None:
    for digest in sorted(digests):
        if still_used(digest):
            continue
        path = storage.path_for(folder, digest)
        try:
            path.unlink(missing_ok=True)
        except OSError as error:  # logged for the operator; the rows are gone already, as intended
            log.error("retention purge could not delete %s: %s", path, error)
