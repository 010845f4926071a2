"""Contradictions between answers, and between answers and the Smelter List."""

from __future__ import annotations

from review.factories import CLEAN_SMELTERS, flat, make_response, smelter


def test_q3_no_while_q7_no_cannot_be_known():
    response = make_response(answers={"Tin": {"Q7": "No"}})
    assert flat(response) == [
        ("smelters-not-all-identified", "Tin", "D63"),
        ("covered-countries-no-without-full-knowledge", "Tin", "D39"),
    ]


def test_q3_no_with_full_response_and_all_smelters_known_is_fine():
    assert flat(make_response(answers={"Tin": {"Q3": "No", "Q6": "100%", "Q7": "Yes"}})) == []


def test_100_percent_recycled_but_smelters_are_not_recyclers():
    response = make_response(answers={"Tin": {"Q5": "Yes"}})
    assert flat(response) == [("recycled-claim-not-supported", "Tin", "D51")]


def test_100_percent_recycled_with_recycling_smelters_is_fine():
    recycler = smelter(5, "Tin", "Thaisarco", "CID001898", name="Thaisarco", recycled_or_scrap="Yes")
    assert flat(make_response(answers={"Tin": {"Q5": "Yes"}}, smelters=(recycler,))) == []
    assert CLEAN_SMELTERS[0].recycled_or_scrap == "No"
