"""Facility status changes in the analysts' queue: one change with the requests naming the facility, and
what an analyst does about it (mark handled, ask the suppliers, open a corrective action). The changes
are the core's (refdata.standing), kept by campaigns.status_changes."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from oretrace.web.accounts.access import editor_required, staff_required
from oretrace.web.campaigns import status_changes
from oretrace.web.campaigns.models import FacilityStatusChange, InvalidTransition, StatusChangeRequest


def _change(pk: int) -> FacilityStatusChange:
    return get_object_or_404(FacilityStatusChange.objects.select_related("handled_by"), pk=pk)


def _link(pk: int, request_pk: int) -> StatusChangeRequest:
    return get_object_or_404(
        StatusChangeRequest.objects.select_related(
            "change", "request__supplier__internal_owner", "request__campaign__reporting_year"
        ),
        change_id=pk,
        request_id=request_pk,
    )


def open_changes():
    """The changes waiting for us, newest first, with how many requests name each facility."""
    return FacilityStatusChange.objects.filter(handled_at=None).prefetch_related("links")


@require_safe
@staff_required
def status_change(request, pk: int):
    """One change: what the lists said before and now, and each request whose file names the facility."""
    change = _change(pk)
    links = list(
        change.links.select_related("request__supplier", "request__campaign").order_by(
            "request__campaign__name", "request__supplier__name"
        )
    )
    return render(
        request,
        "staff/status_change.html",
        {"change": change, "links": links, "risk": apps.is_installed("oretrace.web.risk")},
    )


@require_POST
@editor_required
def status_change_handled(request, pk: int):
    change = _change(pk)
    try:
        change.mark_handled(request.user)
        messages.success(request, f"{change.name}: the change is handled and has left the queue.")
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect("status_change", change.pk)


@require_POST
@editor_required
def status_change_follow_up(request, pk: int, request_pk: int):
    link = _link(pk, request_pk)
    try:
        status_changes.follow_up(link, request.user)
        messages.success(
            request,
            f"{link.request.supplier} is asked about {link.change.name}; the e-mail is in the outbox.",
        )
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect("status_change", pk)


@require_POST
@editor_required
def status_change_action(request, pk: int, request_pk: int):
    link = _link(pk, request_pk)
    if not apps.is_installed("oretrace.web.risk"):
        messages.error(request, "The risk register is not installed here.")
        return redirect("status_change", pk)
    try:
        action = status_changes.open_action(link, request.user)
        messages.success(request, f"Action #{action.pk} opened for {link.request.supplier}.")
    except InvalidTransition as error:
        messages.error(request, str(error))
    return redirect("status_change", pk)
