"""Every sentence of the report that depends on the data is chosen by the data: a claim is made only
when the figures bear it out, numbers agree with their nouns, no sentence starts with a digit, tables
are numbered in the order they appear and an empty column is left out."""

from __future__ import annotations

import dataclasses
import re

from oretrace.reports import build
from oretrace.reports.document import Paragraph
from oretrace.rollup.model import MineSummary, SmelterSummary
from reports.factories import SURVEY, make_inputs, make_rollup


def texts(report, key: str) -> str:
    return " ".join(b.text for b in report.section(key).blocks if isinstance(b, Paragraph))


def responses(**survey_changes) -> str:
    return texts(
        build(make_inputs(survey=dataclasses.replace(SURVEY, **survey_changes))), "results_responses"
    )


def one_smelter_rollup(**changes):
    smelter = SmelterSummary(
        metal="Tin",
        smelter_id="CID000001",
        name="Solo Tin Works",
        country="Malaysia",
        audit_status="Conformant",
        status_as_of=None,
        covered_country=False,
        cahra=False,
        suppliers=("Supplier 001 Ltd",),
    )
    return dataclasses.replace(
        make_rollup(), smelters=(dataclasses.replace(smelter, **changes),), unidentified=()
    )


def test_the_review_is_said_to_be_taken_up_only_when_every_finding_was():
    assert "each of which we took up with the supplier concerned" in responses()
    partly = responses(errors=109, warnings=335, errors_asked=13, warnings_asked=0)
    assert "each of which we took up" not in partly
    assert (
        "raised 109 errors and 335 warnings. We asked the suppliers concerned about 13 of the errors and "
        "none of the warnings."
    ) in partly
    nothing = responses(errors=109, warnings=335, errors_asked=0, warnings_asked=0)
    assert (
        "raised 109 errors and 335 warnings; none of them has been raised with the supplier concerned."
        in nothing
    )


def test_open_errors_on_accepted_files_are_stated_as_exceptions():
    text = responses(
        errors=109, errors_asked=13, accepted_with_exceptions=68, errors_accepted=96, errors_under_review=13
    )
    assert "We accepted 68 templates with 96 errors still in them (accepted with exceptions)." in text
    assert "On the 7 templates still under review, 13 errors remain open." in text
    assert "accepted with exceptions" not in responses(accepted_with_exceptions=0, errors_accepted=0)


def test_a_run_without_follow_up_records_makes_no_claim_about_them():
    text = responses(
        errors_asked=None,
        warnings_asked=None,
        reminders_sent=None,
        follow_ups_sent=None,
        corrections_received=None,
    )
    assert "Our automated review of these templates raised 1 error and 2 warnings." in text
    for claim in ("took up", "asked the suppliers", "reminder", "follow-up request", "corrected template"):
        assert claim not in text, claim


def test_counts_agree_with_their_nouns():
    text = responses(
        surveyed=1, responded=1, returned=1, declined=0, not_responded=0, reminders_sent=1, escalated=0,
        follow_ups_sent=1, corrections_received=1, errors=1, warnings=1, errors_asked=1, warnings_asked=1,
    )  # fmt: skip
    assert "We sent the CMRT to 1 supplier, of which 1 has responded" in text
    assert "Every supplier we surveyed responded." in text
    assert "We sent 1 reminder to suppliers" in text
    assert "We sent 1 follow-up request, and suppliers sent us 1 corrected template." in text
    assert "raised 1 error and 1 warning" in text
    report = build(make_inputs(rollup=one_smelter_rollup()))
    facilities = texts(report, "results_facilities")
    assert "Our suppliers named 1 smelter or refiner of 3TG" in facilities
    assert "Of these, 1 (100%) was conformant" in facilities
    assert "located in 1 country," in texts(report, "results_countries")


def test_no_sentence_starts_with_a_digit():
    report = build(
        make_inputs(
            rollup=one_smelter_rollup(),
            survey=dataclasses.replace(SURVEY, declined=0, returned=250, errors=0, warnings=0),
        )
    )
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                for sentence in re.split(r"(?<=[.:;]) ", block.text):
                    assert not re.match(r"\d", sentence), (section.key, sentence)


def test_zero_is_written_in_words():
    report = build(make_inputs(rollup=one_smelter_rollup(audit_status="Active")))
    assert "Of these, none was conformant" in texts(report, "results_facilities")
    assert "None of the identified facilities is located in a Covered Country." in texts(
        report, "results_covered"
    )
    assert "Our automated review found no error and no warning" in responses(errors=0, warnings=0)


def test_tables_are_numbered_in_order_when_one_is_left_out():
    report = build(make_inputs(rollup=one_smelter_rollup()))  # no covered-country table, no unmatched names
    numbered = [t.caption for t in report.tables() if t.caption.startswith("Table ")]
    assert [c.split(".")[0] for c in numbered] == ["Table 1", "Table 2", "Table 3", "Table 4"]
    assert numbered[-1] == "Table 4. Year-over-year comparison"
    assert "Table 4 lists" not in texts(report, "results_covered")


def test_the_covered_country_column_is_left_out_when_no_country_is_one():
    report = build(make_inputs(rollup=one_smelter_rollup()))
    countries = next(t for t in report.tables() if "Location of the identified facilities" in t.caption)
    assert countries.header == ("Country", "Tin", "Total")


def test_the_cahra_sentence_names_the_list_applied_or_says_none_was():
    assert "We applied no list of conflict-affected and high-risk areas" in texts(
        build(make_inputs()), "results_covered"
    )
    with_list = texts(build(make_inputs(cahra_list="EU CAHRA list of 2025-06-30")), "results_covered")
    assert (
        "On the list of conflict-affected and high-risk areas we applied (EU CAHRA list of 2025-06-30)"
        in with_list
    )


def test_each_unmatched_name_gives_its_own_reason():
    table = next(t for t in build(make_inputs()).tables() if "not matched" in t.caption)
    assert {row[1]: row[-1] for row in table.rows} == {
        "Unknown refinery": "no-match",
        "Tantalum supplier HK": "not-a-smelter",
        "PT Timah Trading": "no-match",
    }


def test_the_declaration_scope_sentence_counts_the_templates():
    conclusion = texts(build(make_inputs()), "conclusion")
    assert (
        "Of the 247 supplier templates we could read, 247 declared the supplier's smelters and refiners for its "
        "company as a whole (declaration scope A)"
    ) in conclusion


def test_a_covered_country_spelled_as_rmi_lists_it_gets_its_column():
    report = build(make_inputs(rollup=one_smelter_rollup(country="RWANDA", covered_country=True, cahra=True)))
    countries = next(t for t in report.tables() if "Location of the identified facilities" in t.caption)
    assert countries.header[-1] == "Covered Country" and countries.rows[0][-1] == "Yes"


def test_without_a_status_list_no_facility_is_said_to_be_conformant_or_not():
    rollup = one_smelter_rollup(audit_status=None, country="RWANDA", covered_country=True, cahra=True)
    report = build(make_inputs(rollup=rollup))
    facilities = texts(report, "results_facilities")
    assert "No audit-status list was applied, so whether they are conformant" in facilities
    assert "conformant with the RMAP" not in facilities
    table = next(t for t in report.tables() if "per metal" in t.caption)
    assert table.header == ("Metal", "Facilities identified")
    covered = texts(report, "results_covered")
    assert "with no audit-status list applied, whether it is conformant is not known" in covered
    assert "none was conformant" not in covered


def test_the_year_over_year_table_is_introduced_by_what_it_compares():
    assert "Table 6 compares this year's figures with those we reported for 2023 and 2024." in texts(
        build(make_inputs()), "process_improvements"
    )
    alone = texts(build(make_inputs(previous_years=())), "process_improvements")
    assert "Table 6 gives this year's figures; later reports will compare with them." in alone
    assert "earlier years" not in alone


def _mine(name: str, country: str, *, covered: bool = False) -> MineSummary:
    return MineSummary("Cobalt", name, None, country, covered, covered, ("Supplier 001 Ltd",))


def test_the_countries_of_the_mine_lists_mines_join_the_location_table():
    mines = (
        _mine("Kamoto", "Congo, Democratic Republic of the", covered=True),
        _mine("Mutanda", "Congo, Democratic Republic of the", covered=True),
        _mine("Selangor Tin Mine", "Malaysia"),
    )
    report = build(make_inputs(rollup=dataclasses.replace(one_smelter_rollup(), mines=mines)))
    countries = next(t for t in report.tables() if "Location of the identified facilities" in t.caption)
    assert countries.caption.endswith("and of the mines in the suppliers' Mine Lists")
    assert countries.header == ("Country", "Tin", "Total", "Mines (Mine List)", "Covered Country")
    cells = [tuple(getattr(cell, "value", cell) for cell in row) for row in countries.rows]
    # Malaysia has the facility and a mine; the DR Congo only mines, counted in a row of its own.
    assert cells == [("Malaysia", 1, 1, 1, "No"), ("Congo, Democratic Republic of the", 0, 0, 2, "Yes")]
    assert "The suppliers' Mine Lists name 3 mines in 2 countries, counted in Table" in texts(
        report, "results_countries"
    )


def test_without_mine_lists_the_location_table_says_nothing_of_mines():
    report = build(make_inputs(rollup=one_smelter_rollup()))
    assert "Mine List" not in texts(report, "results_countries")
    countries = next(t for t in report.tables() if "Location of the identified facilities" in t.caption)
    assert "Mine" not in countries.caption and countries.header == ("Country", "Tin", "Total")
