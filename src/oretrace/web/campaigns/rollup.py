"""A campaign as the core counts it: its survey (oretrace.survey) and the roll-up of its files.

The one place the web asks the core for campaign figures. The dashboard, the risk page, the management
summary, the report, Form SD and the evidence package all read ``campaign_rollup``, whose survey and
roll-up are the core's own (``survey_figures``, ``build_rollup`` over the stored records of the files
the campaign's results rule chooses, ``Survey.results``), so
they agree with each other and with ``oretrace report`` on the same files. Each result is kept for
one state of the campaign (``state_key``): any new file, state change, reminder, follow-up, status
list, CAHRA list, confirmed name or day makes a new key, and the next page builds it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
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
    ResultsRule,
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
    FacilityStatusChange,
    FollowUp,
    Request,
    SmelterAlias,
    Submission,
)


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

    def assess(self, *, thresholds=None, screening=(), annex_x=()):
        """The core's assessment of this roll-up: the one place the web calls ``assess``, so the risk
        page, the summary and the documents judge the same status history, CAHRA list and survey.
        ``screening``: the campaign's decisions on sanctions hits (risk.screening.campaign_decisions);
        ``annex_x``: its open risk actions tagged with an Annex X category (risk.assessment.annex_x_risks)."""
        from oretrace.risk import assess

        return assess(
            self.rollup,
            thresholds=thresholds,
            statuses=self.statuses,
            as_of=self.as_of,
            survey=self.survey,
            cahra=self.cahra,
            screening=screening,
            annex_x=annex_x,
        )


def state_key(campaign: Campaign, *extra: Any) -> str:
    """A key that changes whenever anything a campaign's figures count changes, or the day does."""
    requests = Request.objects.filter(campaign=campaign).aggregate(
        n=Count("id"),
        latest=Max("latest_submission_id"),
        moved=Max("state_changed_at"),
        reminders=Sum("reminders_sent"),
        escalated=Max("escalated_at"),
        supplier_acted=Max("supplier_acted_at"),
        staff_acted=Max("staff_acted_at"),
    )
    files = Submission.objects.filter(request__campaign=campaign).aggregate(
        n=Count("id"), analysed=Max("analysed_at")
    )
    follow_ups = FollowUp.objects.filter(request__campaign=campaign).aggregate(n=Count("id"), last=Max("id"))
    facilities = Facility.objects.aggregate(n=Count("id"), listed=Max("status_as_of"))
    aliases = SmelterAlias.objects.aggregate(n=Count("id"), at=Max("confirmed_at"))
    lists = AuditStatusList.objects.aggregate(n=Count("id"), last=Max("id"))
    # A change of a facility's standing (a suspension, a lapse, a sanction) assesses every supplier again.
    changes = FacilityStatusChange.objects.aggregate(n=Count("id"), last=Max("id"))
    cahra_list = reference.current_cahra()
    parts = (
        campaign.pk,
        campaign.created_at.isoformat(),
        campaign.due_date.isoformat(),
        campaign.results_rule,
        *requests.values(),
        *files.values(),
        *follow_ups.values(),
        *facilities.values(),
        *aliases.values(),
        *lists.values(),
        *changes.values(),
        cahra_list.pk if cahra_list else None,
        timezone.localdate().isoformat(),
        *extra,
    )
    # Hashed: the parts hold spaces and colons, which some cache backends refuse in a key.
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


# The latest survey, roll-up and assessment of each campaign, per process, with the state key they were
# built for. Kept as objects (they are immutable), not pickled into Django's cache: unpickling the
# survey of 10,000 suppliers costs more than the dashboard's whole budget.
_LATEST: dict[str, tuple[str, Any]] = {}


def remembered(kind: str, campaign: Campaign, key: str, build: Callable[[], Any]) -> Any:
    """``build()``, or what it returned for the same campaign and state key before, in this process."""
    slot = f"{kind}:{campaign.pk}"
    found = _LATEST.get(slot)
    if found is not None and found[0] == key:
        return found[1]
    value = build()
    _LATEST[slot] = (key, value)
    return value


def campaign_rollup(campaign: Campaign) -> CampaignRollup:
    """The campaign's survey and roll-up as of today, built again only when something changed."""
    return remembered("rollup", campaign, state_key(campaign), lambda: _build(campaign))


@dataclass(frozen=True)
class CampaignSurvey:
    """A campaign's survey and its figures as of one day: what the dashboard and the lists need, without
    the roll-up's smelters (which a campaign of 10,000 suppliers takes seconds to add up)."""

    as_of: dt.date
    survey: Survey
    figures: Figures
    latest_files: dict[int, int]  # request pk -> the latest file's Submission pk, as the survey read them


def campaign_survey(campaign: Campaign) -> CampaignSurvey:
    """The campaign's survey as of today, built again only when something changed."""

    def build() -> CampaignSurvey:
        today = timezone.localdate()
        survey, latest_files = _survey(campaign)
        return CampaignSurvey(
            as_of=today, survey=survey, figures=survey_figures(survey, today=today), latest_files=latest_files
        )

    return remembered("survey", campaign, state_key(campaign), build)


def results_smelter_rows(campaign: Campaign):
    """The indexed smelter rows of the files the roll-up holds: the current rows, less those of the
    files the results rule leaves out (few: the templates not accepted yet, by default)."""
    from oretrace.survey import members
    from oretrace.web.campaigns.models import ReportedSmelter

    built = campaign_survey(campaign)
    left_out = [s.ref for s in members(built.survey, "not_in_results", today=built.as_of)]
    rows = ReportedSmelter.objects.filter(campaign=campaign, current=True)
    return rows.exclude(request_id__in=left_out) if left_out else rows


def _build(campaign: Campaign) -> CampaignRollup:
    surveyed = campaign_survey(campaign)
    survey, today = surveyed.survey, surveyed.as_of
    files = {
        s.pk: s
        for s in Submission.objects.filter(
            pk__in=Request.objects.filter(campaign=campaign).values("latest_submission_id")
        ).select_related("request__supplier")
    }
    latest_of = dict(Request.objects.filter(campaign=campaign).values_list("pk", "latest_submission_id"))
    records = [
        intake.ensure_record(files[latest_of[s.ref]]).with_supplier(
            files[latest_of[s.ref]].request.supplier.name
        )
        for s in survey.results
    ]
    records = _unique_file_names(records)
    rollup = build_rollup(
        records,
        statuses=reference.status_history(),
        as_of=today,
        cahra=_cahra_countries(),
        reference_release=reference.reference_release(),
    )
    statuses = reference.status_history({s.smelter_id for s in rollup.smelters})
    request_for = {r.file_name: s.ref for s, r in zip(survey.results, records, strict=True)}
    request_for |= {s.name: s.ref for s in survey.suppliers if not survey.in_results(s)}
    cahra_list = reference.current_cahra()
    return CampaignRollup(
        campaign_id=campaign.pk,
        as_of=today,
        survey=survey,
        figures=surveyed.figures,
        rollup=rollup,
        statuses=statuses,
        request_for=request_for,
        cahra=cahra_list.country_list() if cahra_list else None,
        cahra_list=cahra_list,
    )


def _survey(campaign: Campaign) -> tuple[Survey, dict[int, int]]:
    """The campaign's suppliers as the core's Survey: each request's state, files, reminders, follow-ups
    and the review's findings of its latest file (the record's first part only, not its smelter rows);
    and each request's latest file, as read in the same statement."""
    # Counted in the same statement as the requests: a file stored between two statements would
    # otherwise be counted without being the latest one read.
    requests = list(
        Request.objects.filter(campaign=campaign)
        .select_related("supplier", "latest_submission")
        .defer("latest_submission__data", "latest_submission__smelter_record")
        .annotate(
            file_count=Coalesce(
                Subquery(
                    Submission.objects.filter(request=OuterRef("pk"))
                    .order_by()
                    .values("request")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("supplier__name", "pk")
    )
    follow_ups: Counter[int] = Counter()
    asked: dict[int, set] = {}
    for request_id, questions in FollowUp.objects.filter(
        request__campaign=campaign, from_supplier=False
    ).values_list("request_id", "questions"):
        follow_ups[request_id] += 1
        asked.setdefault(request_id, set()).update(finding_key(q) for q in questions or ())
    suppliers = []
    for req in requests:
        latest = req.latest_submission
        findings: tuple[OpenFinding, ...] = ()
        if latest is not None:
            if latest.record is None:  # a file stored before records were kept
                intake.ensure_record(latest)
            wanted = asked.get(req.pk, set())
            findings = tuple(OpenFinding(f["severity"], finding_key(f) in wanted) for f in latest.findings)
        suppliers.append(
            SurveyedSupplier(
                name=req.supplier.name,
                state=RequestState(req.state),
                number=req.supplier.key,
                ref=req.pk,
                sent_on=_day(req.sent_at),
                responded_on=_day(req.responded_at),
                files=req.file_count,
                latest_file=latest.filename if latest else None,
                findings=findings,
                reminders=req.reminders_sent,
                escalated_on=_day(req.escalated_at),
                follow_ups=follow_ups[req.pk],
                decline_statement=req.decline_statement or None,
                supplier_action=req.supplier_action or None,
                supplier_acted_at=req.supplier_acted_at,
                staff_acted_at=req.staff_acted_at,
                exceptions_reason=req.exceptions_reason or None,
            )
        )
    latest_files = {req.pk: req.latest_submission_id for req in requests if req.latest_submission_id}
    rule = ResultsRule(campaign.results_rule)
    return Survey.of(suppliers, due=campaign.due_date, results_rule=rule), latest_files


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
