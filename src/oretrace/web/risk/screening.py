"""A campaign's sanctions screening in the web: its identified facilities and surveyed suppliers, screened
by the core (oretrace.refdata.screening) against the sanctions lists in force on a day, less the hits
already decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oretrace.refdata import Family, ListKind, RefList
from oretrace.refdata.screening import FACILITY, SUPPLIER, Decision, Hit, Subject, screen, undecided
from oretrace.web.campaigns.models import Campaign, Facility
from oretrace.web.campaigns.refdata import list_in_force
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.risk.models import ScreeningDecision

SANCTIONS_KINDS = tuple(kind for kind in ListKind if kind.family == Family.SANCTIONS)


@dataclass(frozen=True)
class CampaignScreening:
    on: dt.date
    lists: tuple[RefList, ...]
    missing: tuple[ListKind, ...]  # sanctions kinds with no list in force on the day
    subjects: int
    hits: tuple[Hit, ...]  # not decided yet


def campaign_subjects(campaign: Campaign) -> list[Subject]:
    """The campaign's identified facilities (name, aliases, country) and the suppliers it surveyed."""
    built = campaign_rollup(campaign)
    cids = [s.smelter_id for s in built.rollup.smelters]
    aliases = dict(Facility.objects.filter(smelter_id__in=cids).values_list("smelter_id", "aliases"))
    subjects = {}
    for smelter in built.rollup.smelters:
        subjects[(FACILITY, smelter.smelter_id)] = Subject(
            FACILITY,
            smelter.name,
            key=smelter.smelter_id,
            aliases=tuple(aliases.get(smelter.smelter_id) or ()),
            country=smelter.country,
        )
    names = [s.name for s in built.survey.suppliers] + [s.company_name or "" for s in built.rollup.suppliers]
    for name in names:
        if name and name.strip():
            subjects.setdefault((SUPPLIER, name), Subject(SUPPLIER, name, key=name))
    return list(subjects.values())


def sanctions_lists_in_force(on: dt.date) -> tuple[list[RefList], list[ListKind]]:
    found, missing = [], []
    for kind in SANCTIONS_KINDS:
        listed = list_in_force(kind, on)
        (found.append(listed) if listed is not None else missing.append(kind))
    return found, missing


def campaign_screening(campaign: Campaign, on: dt.date) -> CampaignScreening:
    lists, missing = sanctions_lists_in_force(on)
    subjects = campaign_subjects(campaign)
    decided = [d.identity for d in campaign_decisions(campaign)]
    hits = undecided(screen(subjects, lists), decided)
    return CampaignScreening(on, tuple(lists), tuple(missing), len(subjects), tuple(hits))


def campaign_decisions(campaign: Campaign) -> list[Decision]:
    return [row.as_decision() for row in ScreeningDecision.objects.filter(campaign=campaign)]


def find_hit(
    campaign: Campaign, on: dt.date, subject_kind: str, subject_key: str, list_kind: str, entry_key: str
):
    """The undecided hit a confirm or dismiss form names, screened again (never trusted from the form)."""
    wanted = (subject_kind, subject_key, list_kind, entry_key)
    return next((h for h in campaign_screening(campaign, on).hits if h.identity == wanted), None)
