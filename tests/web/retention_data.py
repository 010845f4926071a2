"""A campaign whose records are old enough to purge, for the retention tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from staff_data import campaign_with_suppliers, submitted

from oretrace.web.campaigns import storage
from oretrace.web.campaigns.models import Campaign, FollowUp, Request
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.reports.models import EvidenceBuild, packages_dir
from oretrace.web.suppliers.models import ReportingYear

# The 2018 campaign's answers were due on 31 March 2019: kept five years under EU 2017/821, they expired
# on 1 April 2024.
OLD_YEAR = 2018
OLD_DUE = dt.date(2019, 3, 31)


def old_campaign(n: int = 2) -> tuple[Campaign, list[Request]]:
    """A 2018 CMRT campaign of ``n`` suppliers, each with a file, a follow-up and an e-mail, and a built
    evidence package."""
    campaign, requests = campaign_with_suppliers(n)
    ReportingYear.objects.filter(pk=campaign.reporting_year_id).update(year=OLD_YEAR)
    Campaign.objects.filter(pk=campaign.pk).update(due_date=OLD_DUE)
    campaign.refresh_from_db()
    for request in requests:
        submitted(request)
        FollowUp.objects.create(request=request, author_label="bob", message="Please name your smelters.")
        OutboundEmail.objects.create(
            template="invitation",
            to=[request.supplier.contacts.first().email],
            subject="Your CMRT",
            text="Dear Rep",
            request=request,
        )
    package(campaign)
    return campaign, requests


def package(campaign: Campaign, data: bytes = b"PK\x05\x06" + bytes(18)) -> EvidenceBuild:
    return EvidenceBuild.objects.create(
        campaign=campaign,
        requested_by_label="bob",
        status=EvidenceBuild.Status.DONE,
        sha256=storage.store_bytes(packages_dir(), data),
        size=len(data),
        filename=f"evidence-{campaign.pk}.zip",
        finished_at=timezone.now(),
    )
