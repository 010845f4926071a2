"""A campaign's risk assessment: the core's ``assess`` over the campaign's roll-up with the year's thresholds.

Computed once per state of the campaign: the key changes with any new file, state change, status list,
CAHRA list, confirmed smelter name, threshold edit, or day, so a cached assessment is never stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone

from oretrace.risk import RiskAssessment, RiskThresholds
from oretrace.web.campaigns import integration
from oretrace.web.campaigns.models import AuditStatusList, Campaign, Facility, Request, SmelterAlias
from oretrace.web.risk.models import CahraList, YearThresholds

CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class CampaignRisk:
    campaign_id: int
    assessment: RiskAssessment
    request_for: dict[str, int]  # supplier rating key -> Request pk
    declined: int
    metals_by_supplier: dict[str, tuple[str, ...]]  # supplier rating key -> metals of the smelters it names
    metals: tuple[str, ...]
    cahra_list: str | None = None  # "EU CAHRA list of 2025-06-30": the CAHRA list the assessment used
    cahra_countries: int = 0
    cahra_file_pk: int | None = None  # the CahraList whose file may be downloaded; None when not kept


def state_key(campaign: Campaign, thresholds: RiskThresholds) -> str:
    requests = Request.objects.filter(campaign=campaign).aggregate(
        n=Count("id"),
        latest=Max("latest_submission_id"),
        moved=Max("state_changed_at"),
        findings=Sum("open_findings"),
    )
    facilities = Facility.objects.aggregate(n=Count("id"), listed=Max("status_as_of"))
    aliases = SmelterAlias.objects.aggregate(n=Count("id"), at=Max("confirmed_at"))
    # Any status list or CAHRA list imported (or removed), whatever its date.
    lists = AuditStatusList.objects.aggregate(n=Count("id"), last=Max("id"))
    cahra = CahraList.objects.aggregate(n=Count("id"), last=Max("id"))
    parts = (
        campaign.pk,
        campaign.created_at.isoformat(),
        *requests.values(),
        *facilities.values(),
        *aliases.values(),
        *lists.values(),
        *cahra.values(),
        json.dumps(thresholds.as_dict(), sort_keys=True),
        timezone.localdate().isoformat(),
    )
    # Hashed: the parts hold spaces and colons, which some cache backends refuse in a key.
    return "risk:" + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def campaign_risk(campaign: Campaign) -> CampaignRisk:
    """The assessment of a campaign as of today, under its reporting year's thresholds."""
    thresholds = YearThresholds.for_year(campaign.reporting_year)
    key = state_key(campaign, thresholds)
    found = cache.get(key)
    if found is not None:
        return found
    inputs = integration.campaign_rollup(campaign)
    assessment = inputs.assess(thresholds=thresholds, as_of=timezone.localdate())
    by_label: dict[str, set[str]] = {}
    for smelter in inputs.rollup.smelters:
        for label in smelter.suppliers:
            by_label.setdefault(label, set()).add(smelter.metal)
    metals_by_supplier = {
        s.file_name: tuple(sorted(by_label.get(s.company_name or s.file_name, ())))
        for s in inputs.rollup.suppliers
    }
    result = CampaignRisk(
        campaign_id=campaign.pk,
        assessment=assessment,
        request_for=inputs.request_for,
        declined=inputs.declined,
        metals_by_supplier=metals_by_supplier,
        metals=tuple(sorted(inputs.rollup.metals)),
        cahra_list=str(inputs.cahra_list) if inputs.cahra_list else None,
        cahra_countries=len(inputs.cahra) if inputs.cahra is not None else 0,
        cahra_file_pk=inputs.cahra_list.pk if inputs.cahra_list and inputs.cahra_list.has_file else None,
    )
    cache.set(key, result, CACHE_SECONDS)
    return result
