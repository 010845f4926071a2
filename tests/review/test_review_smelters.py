"""Smelter List rules: rows against the Declaration, the template's highlights, the reference list."""

from __future__ import annotations

from oretrace.review import review
from review.factories import CLEAN_SMELTERS, flat, make_response, smelter

THAISARCO = CLEAN_SMELTERS[0]


def with_rows(*rows, **options):
    return make_response(smelters=(THAISARCO, *rows), **options)


def test_smelters_for_a_mineral_answered_no_at_q1():
    response = with_rows(smelter(6, "Gold", "Asahi Pretec Corp.", "CID000082", name="Asahi"))
    assert flat(response) == [("smelter-listed-for-mineral-out-of-scope", "Gold", "B6")]


def test_a_mineral_in_scope_without_smelters_is_counted_by_the_checker_once():
    response = make_response(smelters=())
    assert flat(response) == [("required-field-missing", "Tin", None)]


def test_a_mineral_in_scope_without_smelters_outside_the_checker():
    # With the Checker's smelter line satisfied by the old 3.x rule (any row), the per-metal rule speaks.
    response = make_response(
        smelters=(smelter(5, "Tin", "Smelter not yet identified", country="Unknown", name="Unknown"),),
        answers={"Gold": {"Q1": "Yes", "Q2": "Yes", "Q3": "Unknown", "Q4": "No", "Q5": "No", "Q6": "100%"}},
    )
    report = review(response)
    assert [(f.code, f.mineral) for f in report.findings if f.mineral == "Gold"] == [
        ("required-field-missing", "Gold"),
        ("required-field-missing", "Gold"),
        ("required-field-missing", "Gold"),
        ("covered-countries-unknown", "Gold"),
    ]


def test_rows_without_metal_or_with_a_metal_the_template_does_not_cover():
    response = with_rows(
        smelter(6, None, "Thaisarco", name="Thaisarco", country="THAILAND"),
        smelter(7, "Cobalt", "Umicore", name="Umicore", country="BELGIUM"),
    )
    assert flat(response) == [
        ("smelter-metal-missing", None, "B6"),
        ("smelter-metal-not-in-template", "Cobalt", "B7"),
    ]


def test_a_metal_without_a_look_up_choice():
    response = with_rows(smelter(6, "Tin", None, name="Some tin smelter", country="CHINA"))
    assert flat(response) == [("smelter-lookup-missing", "Tin", "C6")]


def test_the_id_typed_in_column_a_differs_from_column_f():
    response = with_rows(smelter(6, "Tin", "Alpha", "CID000292", name="Alpha", id_input="CID001898"))
    assert flat(response) == [("smelter-id-input-mismatch", "Tin", "A6")]


def test_smelter_not_listed_without_name_or_country():
    response = with_rows(
        smelter(6, "Tin", "Smelter not listed", name="Tin Works Ltd"),
        smelter(7, "Tin", "Smelter Not Listed", country="PERU"),
    )
    assert flat(response) == [
        ("required-field-missing", "Tin", "E6"),  # the Checker's single line, at the first row
        ("smelter-not-listed-incomplete", "Tin", "D7"),
    ]


def test_smelter_not_yet_identified_is_flagged_and_contradicts_q7_yes():
    response = with_rows(smelter(6, "Tin", "Smelter not yet identified", country="Unknown", name="Unknown"))
    assert flat(response) == [
        ("all-identified-but-unidentified-smelters", "Tin", "D63"),
        ("smelter-not-yet-identified", "Tin", "C6"),
    ]


def test_enter_smelter_details_and_exclamation_marks():
    response = with_rows(
        smelter(
            6,
            "Tin",
            "Smelter not listed",
            name="Tin!Works",
            country="PERU",
            id_source="Enter smelter details",
        )
    )
    assert flat(response) == [
        ("smelter-unresolved", "Tin", "G6"),
        ("smelter-text-has-exclamation", "Tin", "D6"),
    ]


def test_malformed_smelter_ids_in_column_f_and_column_a():
    response = with_rows(
        smelter(6, "Tin", "Alpha", "242332", name="Alpha", country="US"),
        smelter(7, "Tin", "Alpha", "CID000292", name="Alpha", id_input="CID 292"),
    )
    assert flat(response) == [
        ("smelter-id-input-mismatch", "Tin", "A7"),
        ("smelter-id-malformed", "Tin", "F6"),
        ("smelter-id-malformed", "Tin", "A7"),
    ]


def test_a_v2_id_is_well_formed_and_its_metal_digit_is_checked():
    response = with_rows(smelter(6, "Tin", "Alpha", "1JPN072", name="Alpha", country="JAPAN"))
    assert flat(response) == [("smelter-metal-mismatch", "Tin", "B6")]


def test_an_id_unknown_to_the_templates_look_up():
    response = with_rows(smelter(6, "Tin", "Alpha", "CID009999", name="Alpha", country="US"))
    assert flat(response) == [("smelter-id-unknown", "Tin", "F6")]


def test_a_metal_that_does_not_match_the_reference_facility():
    response = with_rows(smelter(6, "Tin", "Xiamen Tungsten Co., Ltd.", "CID002082", name="Xiamen Tungsten"))
    assert flat(response) == [("smelter-metal-mismatch", "Tin", "B6")]


class NewerList:
    """Stands in for an oretrace.smelters reference list: ``get(cid)`` and a ``release`` name."""

    release = "CMRT 6.5"

    def __init__(self, facilities: dict[str, str]):
        self.facilities = facilities

    def get(self, smelter_id):
        metal = self.facilities.get(smelter_id)
        return type("Facility", (), {"metal": metal, "name": smelter_id})() if metal else None


def test_with_a_newer_reference_an_id_gone_from_it_is_removed_and_others_unknown():
    response = with_rows(
        smelter(6, "Tin", "Alpha", "CID000292", name="Alpha"),
        smelter(7, "Tin", "Alpha", "CID009999", name="Alpha", country="US"),
    )
    reference = NewerList({"CID001898": "Tin"})
    assert flat(response, reference=reference) == [
        ("smelter-id-unknown", "Tin", "F7"),
        ("smelter-id-removed", "Tin", "F6"),
    ]
    report = review(response, reference=reference)
    assert "no longer on CMRT 6.5" in report.findings[1].message


def test_duplicate_smelter_rows():
    response = with_rows(
        smelter(6, "Tin", "Thailand Smelting & Refining Co Ltd", "CID001898", name="Thaisarco")
    )
    assert flat(response) == [("smelter-duplicate", "Tin", "row 6")]


def test_rows_without_a_name_in_column_d_are_summarised_once():
    response = make_response(
        smelters=(smelter(5, "Tin", "Thaisarco", "CID001898"), smelter(6, "Tin", "Alpha", "CID000292"))
    )
    assert flat(response) == [("smelter-name-missing", None, "D5")]
    assert "2 smelter rows (rows 5, 6) have no name" in review(response).findings[0].message
