"""A campaign and the one a year before it: starting a campaign from last year's scope, and the core's
changes between their roll-ups (oretrace.rollup.changes) for the supplier, smelter and compare pages and
the report's process improvements."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from oretrace.rollup.changes import YearChanges, compare_years
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import Campaign, Request, Submission
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.suppliers.models import Supplier


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The campaign of the latest earlier reporting year (the most recent one of that year)."""
    return (
        Campaign.objects.filter(
            reporting_year__year__lt=campaign.reporting_year.year, template_kind=campaign.template_kind
        )
        .select_related("reporting_year")
        .order_by("-reporting_year__year", "-created_at")
        .first()
    )


def start_from(campaign: Campaign, earlier: Campaign, by) -> int:
    """Put last year's suppliers in scope (their contacts are the suppliers' own, so they come along);
    returns how many were added."""
    suppliers = Supplier.objects.filter(requests__campaign=earlier).distinct().order_by("key")
    return campaign.add_suppliers(list(suppliers), by, basis=f"last year's campaign {earlier.name}")


def year_changes(campaign: Campaign, earlier: Campaign | None = None) -> YearChanges | None:
    """What changed since the earlier campaign (by default the year before's), or None without one."""
    earlier = earlier or previous_campaign(campaign)
    if earlier is None:
        return None
    before = campaign_rollup(earlier)
    # Last year's statuses as they were when its inquiry closed (its due date), not today's.
    return compare_years(
        before.rollup,
        campaign_rollup(campaign).rollup,
        last_year=earlier.reporting_year.year,
        this_year=campaign.reporting_year.year,
        statuses=before.statuses,
        last_as_of=min(earlier.due_date, before.as_of),
    )


def last_years_file(request: Request) -> Submission | None:
    """The supplier's latest file in the campaign of the year before, when it sent one."""
    earlier = previous_campaign(request.campaign)
    if earlier is None:
        return None
    before = (
        Request.objects.filter(campaign=earlier, supplier=request.supplier)
        .select_related("latest_submission__request__campaign__reporting_year")
        .defer("latest_submission__data", "latest_submission__smelter_record")  # large, and not needed
        .first()
    )
    return before.latest_submission if before else None


def send_again(request: Request, by) -> tuple[Submission | None, str]:
    """ "Nothing changed since last year": last year's file stored as this year's answer, reviewed for
    this year like any upload, and marked as carried over; returns (the new file, "") or (None, why)."""
    previous = last_years_file(request)
    if previous is None:
        return None, gettext("We hold no file of yours from last year to send again.")
    with transaction.atomic():
        submission, error = store_file(request, previous.file_bytes(), previous.filename, by)
        if submission is None:
            return None, error
        Submission.objects.filter(pk=submission.pk).update(carried_over_from=previous)
        submission.carried_over_from = previous
        AuditEntry.record(
            by,
            "submission.carried_over",
            submission,
            f"nothing changed since {previous.request.campaign.reporting_year}: file v{previous.version} "
            f"of {previous.request.campaign} sent again",
        )
    return submission, ""
