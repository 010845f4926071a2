"""Whether what we sent a customer still holds: the summary, its fingerprint, the changes in words."""

from __future__ import annotations

import dataclasses
import datetime as dt

from declaration.rollups import IN_SCOPE, rollup, settings, smelter, supplier
from oretrace.customers import (
    AnswerSource,
    answer_changes,
    answer_fingerprint,
    answer_summary,
    update_reasons,
)
from oretrace.declaration import derive_declaration

ANSWERS = {**IN_SCOPE, "Q3": "No", "Q4": "No", "Q5": "No", "Q7": "Yes"}


def _summary(data, day=dt.date(2026, 5, 1)):
    return answer_summary(derive_declaration(data, settings(), today=day).declaration, data)


def _data(status="Conformant", tin_q1="Yes"):
    tin = smelter("Tin", "CID000292", "Alpha", suppliers=("Alpha Parts",))
    return rollup(
        [supplier("Alpha Parts", ANSWERS, Tin={"Q1": tin_q1})],
        [dataclasses.replace(tin, audit_status=status)],
    )


def test_the_same_answers_on_another_day_have_the_same_fingerprint():
    assert answer_fingerprint(_summary(_data())) == answer_fingerprint(_summary(_data(), dt.date(2026, 9, 1)))


def test_a_smelter_status_change_changes_the_fingerprint_and_is_worded():
    sent, now = _summary(_data("Conformant")), _summary(_data("Active"))
    assert answer_fingerprint(sent) != answer_fingerprint(now)
    assert answer_changes(sent, now) == ["Tin smelter CID000292: status Conformant → Active"]


def test_a_changed_answer_is_worded_with_before_and_after():
    sent, now = _summary(_data()), _summary(_data(tin_q1="No"))
    changes = answer_changes(sent, now)
    assert "Q1 Tin: Yes → No" in changes
    assert "Q2 Tin: Yes → (blank)" in changes
    assert "Tin smelter CID000292 is no longer listed" in changes


RCOI_2025 = AnswerSource("1", "RCOI 2025")


def test_an_answer_that_still_holds_has_no_reason_to_be_updated():
    sent = _summary(_data())
    assert update_reasons(sent, RCOI_2025, _summary(_data(), dt.date(2026, 9, 1)), RCOI_2025) == ()


def test_a_facility_status_change_is_the_reason_a_sent_answer_needs_an_update():
    reasons = update_reasons(_summary(_data("Conformant")), RCOI_2025, _summary(_data("Active")), RCOI_2025)
    assert reasons == ("Tin smelter CID000292: status Conformant → Active",)


def test_a_newer_campaign_is_a_reason_even_when_every_answer_is_the_same():
    summary = _summary(_data())
    reasons = update_reasons(summary, RCOI_2025, summary, AnswerSource("2", "RCOI 2026"))
    assert reasons == ("our answers now come from RCOI 2026 (sent from RCOI 2025)",)


def test_two_campaigns_of_one_name_are_told_apart_and_a_deleted_one_is_named_so():
    summary = _summary(_data())
    assert update_reasons(summary, RCOI_2025, summary, AnswerSource("7", "RCOI 2025")) == (
        "our answers now come from RCOI 2025 (sent from RCOI 2025)",
    )
    assert update_reasons(summary, None, _summary(_data(tin_q1="No")), RCOI_2025)[:2] == (
        "our answers now come from RCOI 2025 (sent from a campaign since deleted)",
        "Q1 Tin: Yes → No",
    )
