"""The "waiting for us" queue as the core defines it: the supplier did something (a file, a reply, a
decline) after our last action on the request."""

from __future__ import annotations

import datetime as dt

from oretrace.survey import QUEUE_FIGURES, RequestState, Survey, SurveyedSupplier, members, survey_figures

T0 = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)


def supplier(name: str, state: RequestState, *, acted: int | None, staff: int | None, action="upload"):
    return SurveyedSupplier(
        name=name,
        state=state,
        files=1,
        supplier_action=action if acted is not None else None,
        supplier_acted_at=T0 + dt.timedelta(hours=acted) if acted is not None else None,
        staff_acted_at=T0 + dt.timedelta(hours=staff) if staff is not None else None,
    )


def test_a_supplier_action_after_ours_waits_for_us_and_ours_after_it_does_not():
    survey = Survey.of(
        [
            supplier("new file", RequestState.SUBMITTED, acted=2, staff=None),
            supplier("file after our follow-up", RequestState.SUBMITTED, acted=3, staff=1),
            supplier("reply to our follow-up", RequestState.FOLLOW_UP, acted=5, staff=4, action="reply"),
            supplier("decline not reviewed", RequestState.DECLINED, acted=1, staff=None, action="decline"),
            supplier("followed up since", RequestState.FOLLOW_UP, acted=2, staff=3),
            supplier("accepted", RequestState.ACCEPTED, acted=2, staff=3),
            supplier("decline reviewed", RequestState.DECLINED, acted=1, staff=2, action="decline"),
            # A reply written after we accepted is read like any other.
            supplier("reply after acceptance", RequestState.ACCEPTED, acted=6, staff=3, action="reply"),
            # Reopened after the supplier's decline: it waits for the supplier now.
            supplier("reopened", RequestState.SENT, acted=5, staff=6, action="decline"),
            supplier("never answered", RequestState.OPENED, acted=None, staff=None),
            supplier("draft", RequestState.DRAFT, acted=None, staff=None),
        ]
    )
    waiting = {s.name for s in members(survey, "waiting_for_us")}
    assert waiting == {
        "new file",
        "file after our follow-up",
        "reply to our follow-up",
        "decline not reviewed",
        "reply after acceptance",
    }
    assert survey_figures(survey).waiting_for_us == 5


def test_waiting_for_us_is_not_counted_where_requests_are_not_tracked():
    survey = Survey.of([supplier("a", RequestState.SUBMITTED, acted=1, staff=None)], tracked=False)
    assert survey_figures(survey).waiting_for_us is None
    assert QUEUE_FIGURES["waiting_for_us"].tracked_only
