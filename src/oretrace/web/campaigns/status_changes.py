"""Status over time in the app: the changes of standing (refdata.standing) a newly imported list or the
daily lapse check shows, for the facilities the open campaigns' current files name.

Each change is kept once (FacilityStatusChange), linked to every request whose current file names the
facility, and puts an item in the analysts' queue; staff who chose e-mails are told in the same
transaction (outbox). The risk of every supplier naming the facility is assessed again because the
campaign's state key counts the changes (campaigns.rollup.state_key), and the assessment reads the
same lists: a suspension is a red flag there, a lapse the expiry flag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from oretrace.refdata import Family, ListKind, all_in_force
from oretrace.refdata.standing import StatusChange, standing_on, status_changes
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import refdata
from oretrace.web.campaigns.models import (
    Facility,
    FacilityStatusChange,
    FollowUp,
    InvalidTransition,
    ReferenceFile,
    ReportedSmelter,
    State,
    StatusChangeRequest,
)

# The daily check compares today with this many days before, so that a worker that was down for a
# few days still sees a lapse that fell in the gap (a change already kept is not kept twice).
LOOKBACK_DAYS = 7
_FAMILIES = (Family.AUDIT_STATUS, Family.SANCTIONS)


def _kept_lists(on_days: Iterable[dt.date], leave_out: int | None = None) -> dict[int, ReferenceFile]:
    """The audit-status and sanctions files in force on any of the days (without ``leave_out``)."""
    kinds = [k.value for k in ListKind if k.family in _FAMILIES]
    dated = list(
        ReferenceFile.objects.filter(kind__in=kinds, as_of__isnull=False)
        .exclude(pk=leave_out)
        .order_by("imported_at", "pk")
    )
    chosen: dict[int, ReferenceFile] = {}
    for day in on_days:
        for kept in all_in_force(dated, day).values():
            chosen[kept.pk] = kept
    return chosen


def _named_facilities():
    """The facilities the current files of open campaigns name, as the core's Facility."""
    named = ReportedSmelter.objects.filter(current=True, campaign__closed=False).exclude(smelter_id="")
    ids = named.values_list("smelter_id", flat=True).distinct()
    return [f.as_core() for f in Facility.objects.filter(smelter_id__in=list(ids))]


def changes_from_import(kept: ReferenceFile) -> list[FacilityStatusChange]:
    """What the list just imported changed: each facility's standing today without it and with it."""
    if ListKind(kept.kind).family not in _FAMILIES:
        return []
    facilities = _named_facilities()
    if not facilities:
        return []
    today = timezone.localdate()
    with_it = _kept_lists([today])
    if kept.pk not in with_it:
        return []  # older than the list of its kind in force: it changes nothing today
    without = _kept_lists([today], leave_out=kept.pk)
    read = {pk: refdata.read_kept(x) for pk, x in {**with_it, **without}.items()}
    lists_with, lists_without = [read[pk] for pk in with_it], [read[pk] for pk in without]
    found = []
    for facility in facilities:
        found.extend(
            status_changes(
                standing_on(facility, today, lists_without), standing_on(facility, today, lists_with)
            )
        )
    return record(found, seen_in=f"{kept.filename} ({ListKind(kept.kind).label} as of {kept.as_of:%Y-%m-%d})")


def check_lapses(today: dt.date | None = None) -> list[FacilityStatusChange]:
    """The daily check: every change of standing from LOOKBACK_DAYS ago to today with the lists in
    force on those days; a conformance whose audit cycle ended is a lapse on the day it ended."""
    today = today or timezone.localdate()
    before = today - dt.timedelta(days=LOOKBACK_DAYS)
    facilities = _named_facilities()
    if not facilities:
        return []
    lists = [refdata.read_kept(x) for x in _kept_lists([before, today]).values()]
    found = []
    for facility in facilities:
        found.extend(
            status_changes(standing_on(facility, before, lists), standing_on(facility, today, lists))
        )
    return record(found, seen_in=f"daily status check of {today:%Y-%m-%d}")


def record(found: Iterable[StatusChange], *, seen_in: str) -> list[FacilityStatusChange]:
    """Keep each change not kept before, linked to the requests naming the facility; tell the staff.
    Returns the changes kept now."""
    kept = []
    for change in found:
        try:
            with transaction.atomic():
                row = FacilityStatusChange.objects.create(
                    smelter_id=change.smelter_id,
                    name=change.after.name[:300],
                    kind=change.kind.value,
                    on=change.on,
                    since=change.since,
                    detail=change.detail(),
                    seen_in=seen_in[:300],
                )
        except IntegrityError:
            continue  # seen before (by the import, or an earlier check): one row per facility, kind and day
        requests = (
            ReportedSmelter.objects.filter(current=True, campaign__closed=False, smelter_id=change.smelter_id)
            .values_list("request_id", flat=True)
            .distinct()
        )
        StatusChangeRequest.objects.bulk_create(
            [StatusChangeRequest(change=row, request_id=pk) for pk in requests], ignore_conflicts=True
        )
        kept.append(row)
    if kept and "outbox" in settings.OPTIONAL_APPS:
        from oretrace.web.outbox.notifications import notify_status_changes

        notify_status_changes(kept)
    return kept


# --- what analysts do about a change -------------------------------------------------------------------


def follow_up(link: StatusChangeRequest, by) -> FollowUp:
    """Ask the supplier about the facility whose standing changed, in its contact's language: the
    request goes to "follow-up" (the file is re-opened) and the message is in the thread. Once per
    supplier and change: the link is claimed by a conditional update, and everything is rolled back if
    the e-mail cannot be sent."""
    from oretrace.web.outbox.mail import send_email

    req = link.request
    change = link.change
    recipients = req.supplier.recipients()
    if not recipients:
        raise InvalidTransition(f"{req.supplier} has no contact with an e-mail address.")
    with transaction.atomic():
        now = timezone.now()
        if (
            StatusChangeRequest.objects.filter(pk=link.pk, followed_up_at=None).update(followed_up_at=now)
            != 1
        ):
            raise InvalidTransition(f"{req.supplier} was asked about this change already.")
        if req.state != State.FOLLOW_UP:
            req.transition(
                State.FOLLOW_UP, by, note=f"asked about {change.smelter_id}: {change.get_kind_display()}"
            )
        message = f"{change.get_kind_display()} on {change.on:%Y-%m-%d}: {change.detail}"
        follow_up = FollowUp.objects.create(
            request=req,
            submission_id=req.latest_submission_id,
            author=by if getattr(by, "is_authenticated", False) else None,
            author_label=by.get_username() if getattr(by, "is_authenticated", False) else str(by),
            message=message,
        )
        contact = req.supplier.primary_contact
        send_email(
            "facility-status",
            recipients,
            {"request": req, "change": change, "link": req.link_url(req.issue_link())},
            request=req,
            language=contact.language if contact else None,
            key=f"facility-status:{link.pk}",
        )
        link.followed_up_at = now
        AuditEntry.record(by, "facility.status_change_follow_up", req, f"{change}: {req.supplier} asked")
    return follow_up


# The standard response (oretrace.risk.actions) a worsening change calls for, per kind of change.
_FLAG_OF_CHANGE = "supplier-names-red-flag-smelter"


def open_action(link: StatusChangeRequest, by):
    """Open a corrective action on the supplier naming the facility, from the core's standard response
    to a supplier naming a red-flag smelter. One per supplier and change: the link's row is locked and
    claimed by a conditional update, so a second click (or a second analyst) opens nothing more."""
    from oretrace.risk.actions import RESPONSES
    from oretrace.web.risk.assessment import campaign_risk
    from oretrace.web.risk.models import RiskAction, SubjectKind

    change, req = link.change, link.request
    if not change.change_kind.worsens:
        raise InvalidTransition("A change for the better calls for no corrective action; mark it handled.")
    risk = campaign_risk(req.campaign)
    rating = next(
        (r for r in risk.assessment.suppliers if risk.request_for.get(r.key) == req.pk),
        None,
    )
    if rating is None:
        raise InvalidTransition(
            f"{req.supplier} is not in the campaign's risk assessment: it has no file there."
        )
    response = RESPONSES[_FLAG_OF_CHANGE][0]
    with transaction.atomic():
        fresh = StatusChangeRequest.objects.select_for_update().get(pk=link.pk)
        if fresh.action_id:
            raise InvalidTransition(f"Action #{fresh.action_id} is open for this already.")
        action = RiskAction.open_for(
            req.campaign,
            by=by,
            subject_kind=SubjectKind.SUPPLIER,
            subject_key=rating.key,
            subject_label=rating.subject,
            flag_code=_FLAG_OF_CHANGE,
            what=f"{response.what.format(subject=rating.subject)}: {change.name} ({change.smelter_id}), "
            f"{change.get_kind_display().lower()} on {change.on:%Y-%m-%d}",
            owner_role=response.owner_role,
            owner=req.supplier.internal_owner,
            due_date=timezone.localdate() + dt.timedelta(days=response.due_in_days),
        )
        if StatusChangeRequest.objects.filter(pk=link.pk, action_id=None).update(action_id=action.pk) != 1:
            raise InvalidTransition("Someone opened an action for this meanwhile; reload the page.")
        link.action_id = action.pk
    return action
