"""Year over year: a smelter's page with its changes since last year, and the compare view of two
campaigns' years. The changes are the core's (oretrace.rollup.changes), through campaigns.years."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from oretrace.smelters.names import normalise_cid
from oretrace.web.accounts.access import staff_required
from oretrace.web.campaigns import reference as reference_data
from oretrace.web.campaigns import years
from oretrace.web.campaigns.models import Campaign, Facility, FacilityStatusChange
from oretrace.web.campaigns.rollup import campaign_rollup


def _campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("reporting_year"), pk=pk)


@require_safe
@staff_required
def smelter(request, pk: int, smelter_id: str):
    """One facility in a campaign: who names it this year, and what changed since last year."""
    campaign = _campaign(pk)
    cid = normalise_cid(smelter_id)
    facility = Facility.objects.filter(smelter_id=cid).first() if cid else None
    if facility is None:
        raise Http404("No facility with this ID on the reference list.")
    named = [s for s in campaign_rollup(campaign).rollup.smelters if s.smelter_id == cid]
    changes = years.year_changes(campaign)
    return render(
        request,
        "staff/smelter.html",
        {
            "campaign": campaign,
            "facility": facility,
            "suppliers": sorted({name for s in named for name in s.suppliers}, key=str.casefold),
            "changes": changes,
            "change": changes.smelter(cid) if changes else None,
            "reference_sample": reference_data.sample_release(),
        },
    )


@require_safe
@staff_required
def compare(request, pk: int):
    """This campaign's year against an earlier campaign's (?with=<pk>, by default the year before)."""
    campaign = _campaign(pk)
    earlier = _campaign(int(request.GET["with"])) if request.GET.get("with", "").isdigit() else None
    earlier = earlier or years.previous_campaign(campaign)
    changes = years.year_changes(campaign, earlier) if earlier else None
    return render(
        request,
        "staff/compare.html",
        {
            "campaign": campaign,
            "earlier": earlier,
            "choices": Campaign.objects.exclude(pk=campaign.pk)
            .select_related("reporting_year")
            .order_by("-reporting_year__year", "-pk"),
            "changes": changes,
            "status_rows": _status_rows(changes, earlier) if changes else [],
            "changed_suppliers": [s for s in changes.suppliers if s.changed] if changes else [],
            "new_suppliers": [s for s in changes.suppliers if not s.answered_last_year] if changes else [],
            "gone_suppliers": [s for s in changes.suppliers if not s.answered_this_year] if changes else [],
        },
    )


def _status_rows(changes, earlier: Campaign) -> list[tuple]:
    """Each audit status change between the years, with the facility status changes recorded since the
    earlier inquiry closed: when, and the list that showed it (a sample list's file says so)."""
    cids = [s.smelter_id for s in changes.status_changes]
    recorded: dict[str, list[FacilityStatusChange]] = {}
    for change in FacilityStatusChange.objects.filter(smelter_id__in=cids, on__gt=earlier.due_date).order_by(
        "on"
    ):
        recorded.setdefault(change.smelter_id, []).append(change)
    return [(s, recorded.get(s.smelter_id, [])) for s in changes.status_changes]
