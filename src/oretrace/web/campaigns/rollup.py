"""A campaign as the core counts it: its survey (oretrace.survey) and the roll-up of its files.

The one place the web asks the core for campaign figures. The dashboard, the risk page, the management
summary, the report, Form SD and the evidence package all read ``campaign_rollup``, whose survey and
roll-up are the core's own (``survey_figures``, ``build_rollup`` over the stored file records), so
they agree with each other and with ``oretrace report`` on the same files. The result is cached for
one state of the campaign (``state_key``): any new file, state change, reminder, follow-up, status
list, CAHRA list, confirmed name or day makes a new key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone

from oretrace.rollup.analyse import FileAnalysis
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.countries import CountryList
from oretrace.rollup.model import Rollup
from oretrace.smelters import StatusHistory
from oretrace.survey import (
    Figures,
    OpenFinding,
    RequestState,
    Survey,
    SurveyedSupplier,
    finding_key,
    survey_figures,
)
from oretrace.web.campaigns import intake, reference
from oretrace.web.campaigns.models import (
    AuditStatusList,
    Campaign,
    Facility,
    FollowUp,
    Request,
    SmelterAlias,
    Submission,
)

CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class CampaignRollup:
    """A campaign's survey and the core's roll-up of its files, as of one day."""

    campaign_id: int
    as_of: dt.date
    survey: Survey
    figures: Figures
    rollup: Rollup
    statuses: StatusHistory  # the status history of the roll-up's facilities
    request_for: dict[str, int]  # a supplier rating's key (file label or supplier name) -> Request pk
    cahra: CountryList | None = None  # the CAHRA list that applies, or None
    cahra_list: Any = None  # the risk app's CahraList it came from (name and date, for the pages)

    @property
    def declined(self) -> int:
        return self.figures.declined

    def assess(self, *, thresholds=None):
        """The core's assessment of this roll-up: the one place the web calls ``assess``, so the risk
        page, the summary and the documents judge the same status history, CAHRA list and survey."""
        from oretrace.risk import assess

        return assess(
            self.rollup,
            thresholds=thresholds,
            statuses=self.statuses,
            as_of=self.as_of,
            survey=self.survey,
            cahra=self.cahra,
        )


def state_key(campaign: Campaign, *extra: Any) -> str:
    """A key that changes whenever anything a campaign's figures count changes, or the day does."""
    requests = Request.objects.filter(campaign=campaign).aggregate(
        n=Count("id"),
        latest=Max("latest_submission_id"),
        moved=Max("state_changed_at"),
        reminders=Sum("reminders_sent"),
        escalated=Max("escalated_at"),
    )
    files = Submission.objects.filter(request__campaign=campaign).aggregate(
        n=Count("id"), analysed=Max("analysed_at")
    )
    follow_ups = FollowUp.objects.filter(request__campaign=campaign).aggregate(n=Count("id"), last=Max("id"))
    facilities = Facility.objects.aggregate(n=Count("id"), listed=Max("status_as_of"))
    aliases = SmelterAlias.objects.aggregate(n=Count("id"), at=Max("confirmed_at"))
    lists = AuditStatusList.objects.aggregate(n=Count("id"), last=Max("id"))
    cahra_list = reference.current_cahra()
    parts = (
        campaign.pk,
        campaign.created_at.isoformat(),
        campaign.due_date.isoformat(),
        *requests.values(),
        *files.values(),
        *follow_ups.values(),
        *facilities.values(),
        *aliases.values(),
        *lists.values(),
        cahra_list.pk if cahra_list else None,
        timezone.localdate().isoformat(),
        *extra,
    )
    # Hashed: the parts hold spaces and colons, which some cache backends refuse in a key.
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def campaign_rollup(campaign: Campaign) -> CampaignRollup:
    """The campaign's survey and roll-up as of today, from the cache when nothing changed."""
    key = "campaign-rollup:" + state_key(campaign)
    found = cache.get(key)
    if found is None:
        found = _build(campaign)
        cache.set(key, found, CACHE_SECONDS)
    return found


def campaign_survey(campaign: Campaign) -> Survey:
    return campaign_rollup(campaign).survey


def _build(campaign: Campaign) -> CampaignRollup:
    today = timezone.localdate()
    survey, latest = _survey(campaign)
    records = [latest[s.ref] for s in survey.returned]
    records = _unique_file_names(records)
    statuses_all = reference.status_history()
    rollup = build_rollup(
        records,
        statuses=statuses_all,
        as_of=today,
        cahra=_cahra_countries(),
        reference_release=reference.reference_release(),
    )
    statuses = reference.status_history({s.smelter_id for s in rollup.smelters})
    request_for = {r.file_name: s.ref for s, r in zip(survey.returned, records, strict=True)}
    request_for |= {s.name: s.ref for s in survey.suppliers if not s.returned}
    cahra_list = reference.current_cahra()
    return CampaignRollup(
        campaign_id=campaign.pk,
        as_of=today,
        survey=survey,
        figures=survey_figures(survey, today=today),
        rollup=rollup,
        statuses=statuses,
        request_for=request_for,
        cahra=cahra_list.country_list() if cahra_list else None,
        cahra_list=cahra_list,
    )


def _survey(campaign: Campaign) -> tuple[Survey, dict[int, FileAnalysis]]:
    """The campaign's suppliers as the core's Survey, and the record of each request's latest file."""
    requests = list(
        Request.objects.filter(campaign=campaign)
        .select_related("supplier", "latest_submission")
        .order_by("supplier__name", "pk")
    )
    files = dict(
        Submission.objects.filter(request__campaign=campaign)
        .values_list("request_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    follow_ups: Counter[int] = Counter()
    asked: dict[int, set] = {}
    for request_id, questions in FollowUp.objects.filter(
        request__campaign=campaign, from_supplier=False
    ).values_list("request_id", "questions"):
        follow_ups[request_id] += 1
        asked.setdefault(request_id, set()).update(finding_key(q) for q in questions or ())
    latest: dict[int, FileAnalysis] = {}
    suppliers = []
    for req in requests:
        record = None
        if req.latest_submission is not None:
            record = intake.ensure_record(req.latest_submission).with_supplier(req.supplier.name)
            latest[req.pk] = record
        wanted = asked.get(req.pk, set())
        findings = ()
        if record is not None and record.report is not None:
            findings = tuple(
                OpenFinding(f.severity, finding_key(f) in wanted) for f in record.report.findings
            )
        suppliers.append(
            SurveyedSupplier(
                name=req.supplier.name,
                state=RequestState(req.state),
                number=req.supplier.key,
                ref=req.pk,
                sent_on=_day(req.sent_at),
                responded_on=_day(req.responded_at),
                files=files.get(req.pk, 0),
                latest_file=req.latest_submission.filename if req.latest_submission else None,
                findings=findings,
                reminders=req.reminders_sent,
                escalated_on=_day(req.escalated_at),
                follow_ups=follow_ups[req.pk],
                decline_statement=req.decline_statement or None,
            )
        )
    return Survey.of(suppliers, due=campaign.due_date), latest


def _unique_file_names(records: list[FileAnalysis]) -> list[FileAnalysis]:
    """Two suppliers may both send "CMRT.xlsx": a risk rating is keyed by file, so such files are told
    apart by their supplier."""
    counts = Counter(r.file_name for r in records)
    return [
        r if counts[r.file_name] == 1 else replace(r, file_name=f"{r.file_name} ({r.supplier})")
        for r in records
    ]


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _cahra_countries() -> CountryList | None:
    cahra_list = reference.current_cahra()
    return cahra_list.country_list() if cahra_list else None
