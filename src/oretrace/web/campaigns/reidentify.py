"""Identifying every stored file again when the reference data changes, inline or by the worker.

Loading a reference list or a v2 table, importing a status list or confirming a name changes what the
core's identification answers for files already stored. ``after_change`` identifies them all again:
in the request itself when the files are few (INLINE_UP_TO), else through a queued Reidentification
that the ``reidentify`` worker runs, noting its progress on the row for the reference page, as the
evidence worker builds a package. Either way the row keeps what changed, and the pages say it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from oretrace.errors import OretraceError
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import intake
from oretrace.web.campaigns.models import (
    MAX_REIDENTIFICATION_ATTEMPTS,
    STALE_REIDENTIFICATION_AFTER,
    Reidentification,
    Submission,
)

logger = logging.getLogger(__name__)

# Up to this many stored files are identified again in the request that changed the reference data (a
# few seconds); more go to the worker, so a page never waits on a campaign of thousands of files.
INLINE_UP_TO = 100
# The worker notes its progress at most this often.
PROGRESS_EVERY_SECONDS = 1.0


class Stopped(Exception):
    """The worker is stopping: the run goes back to the queue."""


class ClaimLost(Exception):
    """The run was given to another worker (this one was thought dead)."""


def after_change(because: str, by) -> Reidentification | None:
    """Identify every stored file again after ``because`` changed the reference data. Returns the
    run: done already when the files were few, else queued for the worker; None with no file stored."""
    total = Submission.objects.count()
    if not total:
        return None
    run = _queued_run(because, by)
    if total <= INLINE_UP_TO and claim(run):
        execute(run)
    return run


def _queued_run(because: str, by) -> Reidentification:
    """The queued run (one at most: it reads the reference data when it starts, so it covers this
    change too), or a new one."""
    queued = Reidentification.objects.filter(status=Reidentification.Status.QUEUED).first()
    if queued is not None:
        return queued
    user = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            return Reidentification.objects.create(
                because=because[:300],
                requested_by=user,
                requested_by_label=user.get_username() if user else str(by or "system"),
            )
    except IntegrityError:  # another change queued one in between: the constraint allows one
        return Reidentification.objects.get(status=Reidentification.Status.QUEUED)


def latest() -> Reidentification | None:
    return Reidentification.objects.order_by("-requested_at", "-pk").first()


def running() -> Reidentification | None:
    return (
        Reidentification.objects.filter(
            status__in=(Reidentification.Status.QUEUED, Reidentification.Status.RUNNING)
        )
        .order_by("requested_at", "pk")
        .first()
    )


# --- the worker's side -----------------------------------------------------------------------------
def next_queued() -> Reidentification | None:
    return Reidentification.objects.filter(status=Reidentification.Status.QUEUED).order_by("pk").first()


def claim(run: Reidentification) -> bool:
    """Take this queued run; False when another process took it first."""
    now = timezone.now()
    claimed = Reidentification.objects.filter(
        pk=run.pk, status=Reidentification.Status.QUEUED, attempts=run.attempts
    ).update(
        status=Reidentification.Status.RUNNING,
        attempts=F("attempts") + 1,
        heartbeat_at=now,
        files_done=0,
        files_total=0,
    )
    if claimed != 1:
        return False
    run.refresh_from_db()
    return True


def _ours(run: Reidentification):
    """The run, as long as this process's claim on it holds."""
    return Reidentification.objects.filter(
        pk=run.pk, status=Reidentification.Status.RUNNING, attempts=run.attempts
    )


def requeue_stale() -> int:
    """Runs a dead worker left "running" go back to the queue (after the one queued, if any), or fail
    after MAX_REIDENTIFICATION_ATTEMPTS."""
    now = timezone.now()
    cutoff = now - STALE_REIDENTIFICATION_AFTER
    moved = 0
    stale = Reidentification.objects.filter(status=Reidentification.Status.RUNNING, heartbeat_at__lt=cutoff)
    for pk, attempts in stale.values_list("pk", "attempts"):
        same = Reidentification.objects.filter(
            pk=pk, status=Reidentification.Status.RUNNING, attempts=attempts, heartbeat_at__lt=cutoff
        )
        note = f"The worker stopped during this re-identification (attempt {attempts})"
        if attempts >= MAX_REIDENTIFICATION_ATTEMPTS or next_queued() is not None:
            # A run queued since covers every file again with newer data: this one need not be redone.
            moved += same.update(
                status=Reidentification.Status.FAILED,
                finished_at=now,
                error=f"{note}; it is not tried again"
                + (" (a newer one is queued)." if attempts < MAX_REIDENTIFICATION_ATTEMPTS else "."),
            )
        else:
            try:
                with transaction.atomic():
                    moved += same.update(
                        status=Reidentification.Status.QUEUED, error=f"{note}; it runs again."
                    )
            except IntegrityError:  # one was queued in between, and covers every file
                moved += same.update(status=Reidentification.Status.FAILED, finished_at=now, error=note + ".")
    return moved


def execute(run: Reidentification, *, stop: Callable[[], bool] = lambda: False) -> None:
    """Identify every stored file again for the run this process claimed, noting progress on the row,
    and record how it ended: done with what changed, failed with the reason, or queued again when
    ``stop()`` became true."""
    try:
        identifier = intake.identifier()
        pks = list(Submission.objects.order_by("pk").values_list("pk", flat=True))
        if not _ours(run).update(files_total=len(pks), heartbeat_at=timezone.now()):
            raise ClaimLost
        outcome = intake.reidentify_files(
            (Submission(pk=pk) for pk in pks), identifier, progress=_progress(run, len(pks), stop)
        )
        finished = _ours(run).update(
            status=Reidentification.Status.DONE,
            files_done=len(pks),
            finished_at=timezone.now(),
            error="",
            **outcome.as_fields(),
        )
        if not finished:
            raise ClaimLost
        AuditEntry.record(
            run.requested_by or run.requested_by_label,
            "smelters.reidentified",
            None,
            f"after the {run.because}: {outcome.summary()}",
        )
    except Stopped:
        try:
            with transaction.atomic():
                _ours(run).update(
                    status=Reidentification.Status.QUEUED, error="The worker was stopped; it runs again."
                )
        except IntegrityError:  # a newer run is queued and covers every file
            _ours(run).update(
                status=Reidentification.Status.FAILED, finished_at=timezone.now(), error="Stopped."
            )
    except ClaimLost:
        logger.warning("Re-identification %s was given to another worker; this run is dropped.", run.pk)
    except OretraceError as error:
        _fail(run, f"The files cannot be identified again: {error.message}")
    except Exception as error:
        logger.exception("Re-identification %s failed", run.pk)
        _fail(
            run,
            f"An unexpected error stopped it ({type(error).__name__}: {error}); the worker's log has the details.",
        )
    run.refresh_from_db()


def _fail(run: Reidentification, message: str) -> None:
    _ours(run).update(status=Reidentification.Status.FAILED, error=message[:4000], finished_at=timezone.now())


def _progress(run: Reidentification, total: int, stop: Callable[[], bool]) -> Callable[[int], None]:
    last = 0.0

    def progress(done: int) -> None:
        nonlocal last
        if stop():
            raise Stopped
        if done < total and time.monotonic() - last < PROGRESS_EVERY_SECONDS:
            return
        last = time.monotonic()
        if not _ours(run).update(files_done=done, heartbeat_at=timezone.now()):
            raise ClaimLost

    return progress
