"""Counting a survey: every figure the pages, the report and the evidence package quote, counted here once.

A supplier figure is the number of suppliers that ``COUNTED_BY`` says it counts; ``members`` gives those
suppliers themselves, so a page that lists "the overdue suppliers" lists exactly the ones counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from oretrace.survey.model import Figures, Survey, SurveyedSupplier

Predicate = Callable[[SurveyedSupplier, Survey, dt.date], bool]

# The suppliers each supplier figure counts (model.FIGURES defines them in words).
COUNTED_BY: dict[str, Predicate] = {
    "in_scope": lambda s, survey, today: True,
    "surveyed": lambda s, survey, today: s.surveyed,
    "responded": lambda s, survey, today: s.responded,
    "returned": lambda s, survey, today: s.returned,
    "in_results": lambda s, survey, today: survey.in_results(s),
    "declined": lambda s, survey, today: s.surveyed and s.declined,
    "accepted": lambda s, survey, today: s.accepted,
    "accepted_with_exceptions": lambda s, survey, today: s.accepted_with_exceptions,
    "under_review": lambda s, survey, today: s.under_review,
    "not_responded": lambda s, survey, today: s.surveyed and not s.responded,
    "overdue": lambda s, survey, today: s.overdue(survey.due, today),
    "escalated": lambda s, survey, today: s.surveyed and s.escalated_on is not None,
    "waiting_for_us": lambda s, survey, today: s.waiting_for_us,
    # Not a figure of the report, but what the readiness check sends the analyst to.
    "not_in_results": lambda s, survey, today: s.returned and not survey.in_results(s),
    "not_asked": lambda s, survey, today: s.returned and s.count("error", asked=False) > 0,
}
# Known only where requests are tracked (the web app), None from a folder of files.
TRACKED_ONLY = frozenset(
    {"accepted", "accepted_with_exceptions", "under_review", "overdue", "escalated", "waiting_for_us"}
)


def members(survey: Survey, key: str, *, today: dt.date | None = None) -> tuple[SurveyedSupplier, ...]:
    """The suppliers the figure ``key`` counts."""
    counted = COUNTED_BY[key]
    today = today or dt.date.today()
    return tuple(s for s in survey.suppliers if counted(s, survey, today))


def survey_figures(survey: Survey, *, today: dt.date | None = None) -> Figures:
    """The figures of ``survey`` as of ``today`` (for "overdue"; default: the current date)."""
    today = today or dt.date.today()

    def count(key: str) -> int | None:
        if key in TRACKED_ONLY and not survey.tracked:
            return None
        if key == "overdue" and survey.due is None:
            return None
        return len(members(survey, key, today=today))

    stated = survey.stated_surveyed
    surveyed = count("surveyed") if stated is None else stated
    responded = count("responded")
    returned = members(survey, "returned", today=today)
    tracked = survey.tracked
    return Figures(
        in_scope=count("in_scope") if stated is None else max(count("in_scope"), stated),
        surveyed=surveyed,
        responded=responded,
        returned=len(returned),
        in_results=count("in_results"),
        declined=count("declined"),
        not_responded=surveyed - responded,
        accepted=count("accepted"),
        accepted_with_exceptions=count("accepted_with_exceptions"),
        under_review=count("under_review"),
        overdue=count("overdue"),
        reminders_sent=_total(s.reminders for s in survey.suppliers if s.surveyed) if tracked else None,
        escalated=count("escalated"),
        follow_ups_sent=_total(s.follow_ups for s in survey.suppliers if s.surveyed) if tracked else None,
        corrections_received=sum(max(s.files - 1, 0) for s in survey.suppliers if s.surveyed)
        if tracked
        else None,
        waiting_for_us=count("waiting_for_us"),
        errors=sum(s.count("error") for s in returned),
        warnings=sum(s.count("warning") for s in returned),
        errors_asked=sum(s.count("error", asked=True) for s in returned) if tracked else None,
        warnings_asked=sum(s.count("warning", asked=True) for s in returned) if tracked else None,
        errors_accepted=sum(s.count("error") for s in returned if s.accepted) if tracked else None,
        errors_under_review=sum(s.count("error") for s in returned if s.under_review) if tracked else None,
        surveyed_is_stated=stated is not None,
        results_rule=survey.results_rule.value if tracked else None,
    )


def _total(counts) -> int | None:
    """A sum, or None when any part is unknown: a partial count would be printed as the whole."""
    total = 0
    for count in counts:
        if count is None:
            return None
        total += count
    return total
