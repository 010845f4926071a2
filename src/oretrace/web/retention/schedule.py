"""When each campaign's records expire, and how many of them the purge would delete today.

One line per campaign, its counts from grouped queries (a few per page, whatever the number of
requests and files): the retention page and the purge's dry run read the same schedule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from oretrace.retention import RecordKind, Regime, RetentionPolicy, records_date, regimes_for
from oretrace.web.campaigns.models import Campaign, Request, Submission
from oretrace.web.reports.models import EvidenceBuild
from oretrace.web.retention.models import LegalHold


@dataclass(frozen=True)
class CampaignSchedule:
    campaign: Campaign
    regimes: frozenset[Regime]
    dated: dt.date  # the day its records count from (oretrace.retention.records_date)
    answers_expire_on: dt.date
    packages_expire_on: dt.date
    held: bool  # the campaign itself is held
    answers: int
    held_answers: int  # answers of held suppliers, kept whatever their age
    files: int  # file versions of the answers the purge may delete (held suppliers' left out)
    packages: int

    @property
    def regime_titles(self) -> list[str]:
        return [regime.title for regime in sorted(self.regimes)]

    def answers_expired(self, today: dt.date) -> bool:
        return self.answers_expire_on <= today

    def packages_expired(self, today: dt.date) -> bool:
        return self.packages_expire_on <= today

    def answers_to_purge(self, today: dt.date) -> int:
        if self.held or not self.answers_expired(today):
            return 0
        return self.answers - self.held_answers

    def files_to_purge(self, today: dt.date) -> int:
        return self.files if self.answers_to_purge(today) else 0

    def packages_to_purge(self, today: dt.date) -> int:
        # A package holds a copy of every supplier's files: one held supplier keeps the whole package.
        if self.held or self.held_answers or not self.packages_expired(today):
            return 0
        return self.packages


def held_supplier_ids():
    return LegalHold.objects.active().filter(supplier__isnull=False).values("supplier_id")


def schedule(policy: RetentionPolicy) -> list[CampaignSchedule]:
    """Every campaign's line, oldest records first."""
    held_campaigns = set(
        LegalHold.objects.active().filter(campaign__isnull=False).values_list("campaign_id", flat=True)
    )
    answers = {
        row["campaign"]: row
        for row in Request.objects.values("campaign").annotate(
            total=Count("id"), held=Count("id", filter=Q(supplier_id__in=held_supplier_ids()))
        )
    }
    files = dict(
        Submission.objects.exclude(request__supplier_id__in=held_supplier_ids())
        .values("request__campaign")
        .annotate(n=Count("id"))
        .values_list("request__campaign", "n")
    )
    packages = dict(
        EvidenceBuild.objects.exclude(status__in=EvidenceBuild.RUNNING)
        .values("campaign")
        .annotate(n=Count("id"))
        .values_list("campaign", "n")
    )
    lines = []
    for campaign in Campaign.objects.select_related("reporting_year"):
        regimes = regimes_for(campaign.minerals_in_scope())
        dated = records_date(campaign.reporting_year.year, campaign.due_date)
        counts = answers.get(campaign.pk, {})
        lines.append(
            CampaignSchedule(
                campaign=campaign,
                regimes=regimes,
                dated=dated,
                answers_expire_on=policy.expires_on(RecordKind.SUPPLIER_ANSWER, dated, regimes),
                packages_expire_on=policy.expires_on(RecordKind.EVIDENCE_PACKAGE, dated, regimes),
                held=campaign.pk in held_campaigns,
                answers=counts.get("total", 0),
                held_answers=counts.get("held", 0),
                files=files.get(campaign.pk, 0),
                packages=packages.get(campaign.pk, 0),
            )
        )
    return sorted(lines, key=lambda line: (line.answers_expire_on, line.campaign.pk))


def expired_requests(line: CampaignSchedule, today: dt.date):
    """The requests of an expired, unheld campaign whose supplier is not held: what the purge deletes."""
    if not line.answers_to_purge(today):
        return Request.objects.none()
    return Request.objects.filter(campaign=line.campaign).exclude(supplier_id__in=held_supplier_ids())


def expired_packages(line: CampaignSchedule, today: dt.date):
    if not line.packages_to_purge(today):
        return EvidenceBuild.objects.none()
    return EvidenceBuild.objects.filter(campaign=line.campaign).exclude(status__in=EvidenceBuild.RUNNING)


def today() -> dt.date:
    return timezone.localdate()


def is_held(campaign_id: int, supplier_id: int | None = None) -> bool:
    """Whether an active hold keeps the campaign's records (or one supplier's answer to it)."""
    if supplier_id is None:
        held_suppliers = Request.objects.filter(campaign_id=campaign_id, supplier_id=OuterRef("supplier_id"))
        return (
            LegalHold.objects.active()
            .filter(Q(campaign_id=campaign_id) | (Q(supplier__isnull=False) & Exists(held_suppliers)))
            .exists()
        )
    return LegalHold.objects.covering(campaign_id, supplier_id).exists()
