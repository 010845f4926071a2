"""A campaign's risk assessment: the core's ``assess`` over the campaign's roll-up with the year's thresholds.

Computed once per state of the campaign (campaigns.rollup.state_key, with the thresholds), so a cached
assessment is never stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from oretrace.risk import RiskAssessment
from oretrace.risk.flags import AnnexXRisk
from oretrace.web.campaigns.models import Campaign
from oretrace.web.campaigns.rollup import CampaignRollup, campaign_rollup, remembered, state_key
from oretrace.web.risk.models import RiskAction, ScreeningDecision, YearThresholds
from oretrace.web.risk.screening import campaign_decisions


@dataclass(frozen=True)
class CampaignRisk:
    campaign_id: int
    assessment: RiskAssessment
    built: CampaignRollup  # the survey and roll-up assessed
    metals_by_supplier: dict[str, tuple[str, ...]]  # supplier rating key -> metals of the smelters it names
    metals: tuple[str, ...]

    @property
    def request_for(self) -> dict[str, int]:
        return self.built.request_for

    @property
    def declined(self) -> int:
        return self.built.figures.declined

    @property
    def cahra_list(self) -> str | None:
        """ "EU CAHRA list of 2025-06-30": the CAHRA list the assessment used."""
        return str(self.built.cahra_list) if self.built.cahra_list else None

    @property
    def cahra_countries(self) -> int:
        return len(self.built.cahra) if self.built.cahra is not None else 0

    @property
    def cahra_file_pk(self) -> int | None:
        """The CahraList whose file may be downloaded; None when not kept."""
        kept = self.built.cahra_list
        return kept.pk if kept is not None and kept.has_file else None


def campaign_risk(campaign: Campaign) -> CampaignRisk:
    """The assessment of a campaign as of today, under its reporting year's thresholds."""
    thresholds = YearThresholds.for_year(campaign.reporting_year)
    # A decision on a sanctions hit changes the flags: the newest decision is part of the key.
    decided = ScreeningDecision.objects.filter(campaign=campaign).aggregate(n=Count("id"), last=Max("id"))
    # So does tagging, re-tagging or closing a risk action with an Annex X category: the tagged open
    # actions themselves are part of the key.
    tagged = annex_x_risks(campaign)
    key = state_key(
        campaign,
        json.dumps(thresholds.as_dict(), sort_keys=True),
        decided["n"],
        decided["last"],
        json.dumps([(r.action, r.category) for r in tagged]),
    )
    return remembered("risk", campaign, key, lambda: _assess(campaign, thresholds, tagged))


def annex_x_risks(campaign: Campaign) -> list[AnnexXRisk]:
    """The campaign's open risk actions tagged with an Annex X category, as the core's AnnexXRisk: each
    one flags the subject it was opened on while it stays open."""
    return [
        AnnexXRisk(
            subject_kind=action.subject_kind,
            subject_key=action.subject_key,
            subject=action.subject_label,
            category=action.annex_x_category,
            action=f"risk action #{action.pk}",
            opened_on=timezone.localtime(action.created_at).date(),
        )
        for action in RiskAction.objects.open()
        .filter(campaign=campaign)
        .exclude(annex_x_category="")
        .order_by("pk")
    ]


def _assess(campaign: Campaign, thresholds, tagged: list[AnnexXRisk]) -> CampaignRisk:
    built = campaign_rollup(campaign)
    assessment = built.assess(thresholds=thresholds, screening=campaign_decisions(campaign), annex_x=tagged)
    by_label: dict[str, set[str]] = {}
    for smelter in built.rollup.smelters:
        for label in smelter.suppliers:
            by_label.setdefault(label, set()).add(smelter.metal)
    metals_by_supplier = {
        s.file_name: tuple(sorted(by_label.get(s.label, ()))) for s in built.rollup.suppliers
    }
    result = CampaignRisk(
        campaign_id=campaign.pk,
        assessment=assessment,
        built=built,
        metals_by_supplier=metals_by_supplier,
        metals=tuple(sorted(built.rollup.metals)),
    )
    return result
