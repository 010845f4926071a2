"""The Conflict Minerals Report's document model: structure, concrete figures, and a source for each."""

from __future__ import annotations

import re

import pytest

from oretrace.errors import BadInput
from oretrace.reports import CONCLUSIONS, SECTIONS, build, default_sections
from oretrace.reports.document import SOURCE_KEYS, Figure, Paragraph, Table
from reports.factories import (
    CONFORMANT_FACILITIES,
    COVERED_FACILITY,
    EXPECTED_STATUS,
    TOTAL_FACILITIES,
    make_inputs,
)


@pytest.fixture(scope="module")
def report():
    return build(make_inputs())


def _paragraph_texts(report, key):
    return [b.text for b in report.section(key).blocks if isinstance(b, Paragraph)]


def _table(report, caption_start):
    return next(t for t in report.tables() if t.caption.startswith(caption_start))


def _cells(table: Table):
    return [[c if isinstance(c, str) else c.text for c in row] for row in table.rows]


def test_it_follows_the_structure_of_published_reports(report):
    titles = [s.title for s in report.sections]
    assert titles[:5] == [
        "1. Introduction",
        "2. Company Overview",
        "3. Products Overview",
        "4. Supply Chain Overview",
        "5. Conflict Minerals Compliance Process",
    ]
    for expected in (
        "Reasonable Country of Origin Inquiry",
        "Due Diligence under the OECD Five Steps",
        "6. Efforts to Determine the Mine or Location of Origin",
        "7. Results",
        "8. Process Improvements",
        "Annex A. Smelters and Refiners Reported by Our Suppliers",
    ):
        assert expected in titles
    assert report.heading_lines == ("Exhibit 1.01",)
    assert report.subtitle_lines == ("For the reporting period from January 1 to December 31, 2025",)


def test_it_names_the_rule_the_minerals_and_all_ten_covered_countries(report):
    intro = " ".join(_paragraph_texts(report, "introduction"))
    assert "Rule 13p-1" in intro
    for mineral in ("cassiterite", "columbite-tantalite", "gold", "wolframite", "tin, tantalum and tungsten"):
        assert mineral in intro
    for country in (
        "the Democratic Republic of the Congo",
        "the Republic of the Congo",
        "the Central African Republic",
        "South Sudan",
        "Uganda",
        "Rwanda",
        "Burundi",
        "Tanzania",
        "Zambia",
        "Angola",
    ):
        assert country in intro
    assert "www.norland-instruments.example/conflict-minerals" in intro


def test_it_describes_the_five_oecd_steps_in_order(report):
    leads = [b.lead for b in report.section("due_diligence").blocks if isinstance(b, Paragraph) and b.lead]
    assert [lead.split(".")[0] for lead in leads] == ["Step 1", "Step 2", "Step 3", "Step 4", "Step 5"]


def test_the_response_rate_sentence_says_96_percent_of_260(report):
    text = " ".join(_paragraph_texts(report, "results_responses"))
    assert (
        "We sent the CMRT to 260 suppliers, of which 250 have responded, a response rate of 96%: 247 "
        "returned a CMRT and 3 declined, stating that they have nothing to report. By the date of this "
        "Report, 10 suppliers had not responded."
    ) in text
    assert "We sent 412 reminders to suppliers that had not responded" in text
    assert "We sent 57 follow-up requests, and suppliers sent us 41 corrected templates." in text


def test_it_counts_readable_and_unreadable_supplier_files(report):
    text = " ".join(_paragraph_texts(report, "results_responses"))
    assert (
        "We received 250 supplier files, of which 3 could not be read and are not included: the results "
        "below count the answers and smelters of 247 templates."
    ) in text
    assert "raised 1 error and 2 warnings, each of which we took up with the supplier concerned." in text


def test_the_audit_status_table_counts_each_metal(report):
    table = _table(report, "Table 2.")
    header = list(table.header)
    assert header == [
        "Metal",
        "Conformant",
        "Cross-Recognized",
        "Active",
        "Non-Conformant",
        "Suspended",
        "Unknown",
        "Total",
    ]
    rows = {row[0]: row[1:] for row in _cells(table)}
    for metal, counts in EXPECTED_STATUS.items():
        expected = [str(counts.get(status, 0)) for status in header[1:-1]] + [str(sum(counts.values()))]
        assert rows[metal] == expected, metal
    assert rows["Total"] == ["36", "2", "3", "2", "1", "1", "45"]


def test_the_per_metal_table_gives_conformant_shares(report):
    rows = {row[0]: row[1:] for row in _cells(_table(report, "Table 1."))}
    assert rows["Tantalum"] == ["10", "9", "90%"]
    assert rows["Gold"] == ["15", "13", "87%"]
    assert rows["Total"] == [str(TOTAL_FACILITIES), str(CONFORMANT_FACILITIES), "84%"]


def test_it_lists_the_covered_country_facility_and_the_unmatched_names(report):
    covered = " ".join(_paragraph_texts(report, "results_covered"))
    assert covered.startswith(
        "Of the identified facilities, 1 is located in a Covered Country, of which 1 was conformant"
    )
    assert [row[1] for row in _cells(_table(report, "Table 4."))] == [COVERED_FACILITY]
    countries = {row[0]: row for row in _cells(_table(report, "Table 3."))}
    assert countries["Rwanda"][-1] == "Yes" and countries["China"][-1] == "No"
    assert countries["China"][-2] == "16"
    unmatched = _cells(_table(report, "Table 5."))
    assert [row[1] for row in unmatched] == ["Unknown refinery", "Tantalum supplier HK", "PT Timah Trading"]
    assert "3 smelter names" in _paragraph_texts(report, "results_unidentified")[0]


def test_the_year_over_year_table_ends_with_this_year(report):
    rows = _cells(_table(report, "Table 6."))
    assert rows == [
        ["2023", "240", "199", "83%", "40", "78%", "n/a"],
        ["2024", "255", "230", "90%", "43", "84%", "1"],
        ["2025", "260", "250", "96%", "45", "84%", "1"],
    ]


def test_the_annex_lists_every_facility_with_its_status(report):
    annex = _table(report, "Facilities reported")
    assert annex.header == ("Metal", "Smelter or refiner", "Smelter ID", "Country", "RMAP status")
    assert len(annex.rows) == TOTAL_FACILITIES
    assert ("Tin", COVERED_FACILITY, "CID200010", "Rwanda", "Conformant") in annex.rows
    tin = [row[1] for row in annex.rows if row[0] == "Tin"]
    assert tin.index("Tin Refining Company 2") < tin.index("Tin Refining Company 11")


def test_every_figure_has_a_known_source(report):
    figures = list(report.figures())
    assert len(figures) > 150
    for figure in figures:
        assert figure.source.key in SOURCE_KEYS
        assert figure.source.label
    refs = {f.source.ref for f in figures}
    assert "survey.responded" in refs
    assert "rollup.smelters?metal=Gold&status=Conformant" in refs
    assert "history?year=2023&field=surveyed" in refs


def test_every_source_resolves_to_the_figure_it_printed(report):
    inputs = make_inputs()
    smelters = inputs.rollup.smelters
    for figure in report.figures():
        params = dict(figure.source.params)
        if (
            figure.source.key.startswith(("survey.", "review."))
            and figure.source.key != "survey.response_rate"
        ):
            assert figure.value == inputs.survey.value(figure.source.key.split(".")[1])
        if figure.source.key == "rollup.smelters" and set(params) == {"metal", "status"}:
            expected = sum(
                1
                for s in smelters
                if s.metal == params["metal"] and (s.audit_status or "Unknown") == params["status"]
            )
            assert figure.value == expected


def test_no_number_in_the_results_is_typed_into_the_text(report):
    # Digits may appear in the results only inside figures (or in table and section numbers).
    for key in (
        "results_responses",
        "results_facilities",
        "results_countries",
        "results_covered",
        "results_unidentified",
    ):
        for block in report.section(key).blocks:
            if not isinstance(block, Paragraph):
                continue
            typed = "".join(r for r in block.runs if isinstance(r, str))
            typed = re.sub(r"Table \d|Section \d|3TG|, 20\d\d", "", typed)
            assert not re.search(r"\d", typed), (key, typed)


def test_placeholders_in_edited_text_become_figures():
    sections = default_sections()
    sections["process_improvements"] = (
        "We surveyed {surveyed} suppliers in {year} ({response_rate} answered)."
    )
    report = build(make_inputs(sections=sections))
    paragraph = report.section("process_improvements").blocks[0]
    assert paragraph.text == "We surveyed 260 suppliers in 2025 (96% answered)."
    assert [r.source.key for r in paragraph.runs if isinstance(r, Figure)] == [
        "survey.surveyed",
        "survey.response_rate",
    ]


def test_an_unknown_placeholder_is_a_clear_error():
    sections = {"supply_chain": "We have {supplier_count} suppliers."}
    with pytest.raises(BadInput, match=r"Supply chain overview.*\{supplier_count\}.*not a placeholder"):
        build(make_inputs(sections=sections))


def test_the_defaults_cover_every_section_and_use_only_known_placeholders():
    defaults = default_sections()
    assert list(defaults) == [spec.key for spec in SECTIONS]
    assert all(text.strip() for text in defaults.values())
    build(make_inputs(sections=defaults))


def test_each_conclusion_is_stated_and_maps_to_an_item():
    assert {c.item for c in CONCLUSIONS.values()} == {"1.01(b)", "1.01(c)"}
    for key, option in CONCLUSIONS.items():
        text = " ".join(_paragraph_texts(build(make_inputs(conclusion=key)), "conclusion"))
        assert text.startswith(option.text.split("{")[0].strip()[:40])
        assert (
            "Norland Instruments, Inc. " in text
            or "Norland Instruments, Inc.," in text
            or "Norland Instruments, Inc. does" in text
        )
    undetermined = " ".join(_paragraph_texts(build(make_inputs()), "conclusion"))
    assert "does not have sufficient information" in undetermined
    assert "Inc.." not in undetermined


def test_inconsistent_figures_are_refused():
    from dataclasses import replace

    from reports.factories import SURVEY

    with pytest.raises(BadInput, match="300 suppliers responded but only 260 were surveyed"):
        make_inputs(survey=replace(SURVEY, responded=300))
    with pytest.raises(BadInput, match="unknown conclusion"):
        make_inputs(conclusion="conflict-free")


def test_the_report_says_which_templates_the_results_count_when_the_rule_leaves_some_out():
    import dataclasses

    from oretrace.reports.cmr import responses
    from oretrace.reports.figures import Facts
    from reports.factories import SURVEY

    def said(**figures) -> str:
        inputs = make_inputs(survey=dataclasses.replace(SURVEY, **figures))
        return " ".join(p.text for p in responses(Facts(inputs)))

    assert (
        "The results count the templates of 240 of the 247 suppliers that returned one, as our rule "
        "chooses (accepted, and accepted with exceptions); the other 7 are left out."
        in said(in_results=240, results_rule="accepted_with_exceptions")
    )
    assert "The results count" not in said(in_results=247, results_rule="accepted_with_exceptions")
    assert "The results count" not in said(in_results=247, results_rule=None)  # a folder of files


def test_names_not_matched_are_said_to_be_off_the_list_used_not_off_rmis(report):
    intro = _paragraph_texts(report, "results_unidentified")[0]
    assert "that we could not match to a facility on RMI's smelter list (RMI smelter reference list" in intro
    assert "sample" not in " ".join(_paragraph_texts(report, "annex_facilities"))


def test_a_sample_reference_list_is_named_as_one_wherever_facilities_are_listed():
    from dataclasses import replace

    from oretrace.smelters.sample import SAMPLE_RELEASE

    inputs = make_inputs()
    sampled = build(replace(inputs, rollup=replace(inputs.rollup, reference_release=SAMPLE_RELEASE)))
    intro = _paragraph_texts(sampled, "results_unidentified")[0]
    assert "the sample of RMI's smelter list we used" in intro and "not RMI's full list" in intro
    assert "a name not matched here may be a facility RMI lists" in intro
    for key in ("results_facilities", "annex_facilities"):
        assert _paragraph_texts(sampled, key)[0].startswith("Sample reference list:"), key


def _year_changes():
    from oretrace.rollup.changes import (
        AnswerChange,
        FacilityRef,
        SmelterChanges,
        SupplierChanges,
        YearChanges,
    )

    tin = FacilityRef("Tin", "CID001105", "Malaysia Smelting Corporation (MSC)")
    return YearChanges(
        last_year=2024,
        this_year=2025,
        suppliers=(
            SupplierChanges("Acme", True, True, new_smelters=(tin,)),
            SupplierChanges(
                "Borealis", True, True, answers_changed=(AnswerChange("Q3", "Tin", "No", "Unknown"),)
            ),
            SupplierChanges("Corvid", True, True),
            SupplierChanges("Newco", False, True),
        ),
        smelters=(
            SmelterChanges("Tin", "CID001105", tin.name, False, True, None, "Conformant", ("Acme",)),
            SmelterChanges(
                "Gold", "CID001153", "Metalor Technologies S.A.", True, True, "Active", "Conformant"
            ),
        ),
    )


def test_process_improvements_say_what_changed_since_last_years_inquiry():
    report = build(make_inputs(changes=_year_changes()))
    text = _paragraph_texts(report, "process_improvements")[-1]
    assert text == (
        "Compared with our 2024 inquiry: of the 3 suppliers with a file in the results of both years, 1 "
        "changed its declaration answers and 1 named other smelters or refiners than the year before. Our "
        "suppliers named 1 facility that no supplier named the year before, and every facility named the "
        "year before was named again. The audit status of 1 facility named in both years changed."
    )
    figures = [
        r for b in report.section("process_improvements").blocks if isinstance(b, Paragraph) for r in b.runs
    ]
    assert {f.source.key for f in figures if isinstance(f, Figure) and f.source.key == "changes"} == {
        "changes"
    }


def test_without_an_earlier_inquiry_nothing_is_said_of_changes(report):
    assert not any("Compared with our" in t for t in _paragraph_texts(report, "process_improvements"))
