"""Red flags on suppliers and smelters: which code, and a sentence naming the subject and the date."""

from __future__ import annotations

import dataclasses
import datetime as dt

from oretrace.risk.assess import assess
from oretrace.risk.flags import rmi_country_level
from oretrace.risk.thresholds import RiskThresholds
from oretrace.rollup.countries import CountryList
from risk.factories import (
    AS_OF,
    answers,
    asked,
    history,
    outdated,
    record,
    rollup,
    smelter,
    supplier,
    unidentified,
)


def flags_of(assessment, key):
    rating = next(r for r in (*assessment.suppliers, *assessment.smelters) if r.key == key)
    return [(f.code, f.explanation) for f in rating.flags]


def codes_of(assessment, key):
    return [code for code, _ in flags_of(assessment, key)]


# --- suppliers -----------------------------------------------------------------------------------


def test_it_flags_a_covered_country_yes_with_the_question_and_metals():
    result = assess(
        rollup([supplier("Acme Metals", answers_=answers(Tin={"Q3": "Yes"}, Gold={"Q3": "Yes"}))]),
        as_of=AS_OF,
    )
    assert flags_of(result, "acme-metals.xlsx") == [
        (
            "supplier-covered-countries-yes",
            "Acme Metals answered Yes to Q3 for Tin and Gold: some of its smelters source from the Covered "
            "Countries (the DRC and its nine neighbours).",
        )
    ]


def test_it_flags_unknown_cahra_answers_apart_from_yes_answers():
    result = assess(
        rollup([supplier("Acme Metals", answers_=answers(Tin={"Q4": "Unknown"}, Gold={"Q3": "Unknown"}))]),
        as_of=AS_OF,
    )
    assert flags_of(result, "acme-metals.xlsx") == [
        (
            "supplier-covered-countries-unknown",
            "Acme Metals answered Unknown to Q3 for Gold: it cannot say whether its smelters source from the "
            "Covered Countries (the DRC and its nine neighbours).",
        ),
        (
            "supplier-cahra-unknown",
            "Acme Metals answered Unknown to Q4 for Tin: it cannot say whether its smelters source from "
            "conflict-affected and high-risk areas.",
        ),
    ]


def test_it_ignores_the_answers_for_a_metal_the_supplier_does_not_use():
    unused = answers(Gold={"Q1": "No", "Q3": "Yes", "Q6": "None"})
    assert (
        codes_of(assess(rollup([supplier("Acme Metals", answers_=unused)]), as_of=AS_OF), "acme-metals.xlsx")
        == []
    )


def test_it_reads_cmrt_3_questions_by_their_own_numbers():
    # CMRT 3.x asks about supplier responses in Q5 and has no CAHRA question: Q4 there is 100% recycled.
    cmrt3 = {"Tin": {"Q1": "Yes", "Q3": "No", "Q4": "Yes", "Q5": "No, but less than 25%"}}
    result = assess(rollup([supplier("Old Co", version="3.02", answers_=cmrt3)]), as_of=AS_OF)
    assert flags_of(result, "old-co.xlsx") == [
        (
            "supplier-low-response-coverage",
            "Old Co answered \u201cNo, but less than 25%\u201d to Q5 for Tin: it cannot show that more than 50% of "
            "its own relevant suppliers have responded to it.",
        )
    ]


def test_q6_coverage_is_judged_against_the_years_threshold():
    file = supplier("Acme Metals", answers_=answers(Tin={"Q6": "Greater than 50%"}))
    assert codes_of(assess(rollup([file]), as_of=AS_OF), "acme-metals.xlsx") == []
    strict = RiskThresholds(min_supplier_response_pct=75)
    assert codes_of(assess(rollup([file]), thresholds=strict, as_of=AS_OF), "acme-metals.xlsx") == [
        "supplier-low-response-coverage"
    ]


def test_it_counts_unresolved_errors_and_warnings():
    result = assess(
        rollup([supplier("Few Errors", errors=2, warnings=1), supplier("Many Errors", errors=3)]), as_of=AS_OF
    )
    assert flags_of(result, "few-errors.xlsx") == [
        (
            "supplier-open-errors",
            "Few Errors's CMRT (few-errors.xlsx) has 2 unresolved errors: it must be corrected before it can be "
            "relied on.",
        ),
        (
            "supplier-open-warnings",
            "Few Errors's CMRT (few-errors.xlsx) has 1 unanswered warning the supplier has to explain.",
        ),
    ]
    assert codes_of(result, "many-errors.xlsx") == ["supplier-many-open-errors"]


def test_it_flags_suppliers_naming_red_flag_and_unidentified_smelters():
    result = assess(
        rollup(
            [supplier("Acme Metals")],
            [
                smelter("Bad Tin Smelter", "CID000001", status="Non-Conformant"),
                smelter("Paused Gold Refinery", "CID000002", metal="Gold", status="Suspended"),
                smelter("Good Tin Smelter", "CID000003"),
            ],
            unidentified=[unidentified("PT Timah Trading", ("Acme Metals",), country="Indonesia")],
        ),
        as_of=AS_OF,
    )
    assert flags_of(result, "acme-metals.xlsx") == [
        (
            "supplier-names-red-flag-smelter",
            "Acme Metals names 2 smelters that the RMAP list of 2025-06-01 shows out of good standing: Bad Tin "
            "Smelter (Tin, Non-Conformant) and Paused Gold Refinery (Gold, Suspended).",
        ),
        (
            "supplier-names-unidentified-smelter",
            "Acme Metals names 1 smelter that matches no known facility: \u201cPT Timah Trading\u201d (Tin, Indonesia).",
        ),
    ]


def test_it_flags_an_outdated_template_with_the_reviews_reason():
    result = assess(
        rollup(
            [supplier("Acme Metals", version="6.31")], findings=[outdated("acme-metals.xlsx", "Acme Metals")]
        ),
        as_of=AS_OF,
    )
    assert flags_of(result, "acme-metals.xlsx") == [
        (
            "supplier-outdated-template",
            "Acme Metals used an older template than RMI recommends (acme-metals.xlsx). This is CMRT 6.31; for "
            "2025 RMI recommends CMRT 6.5 (released 2025-04-25), whose smelter list is newer.",
        )
    ]


def test_it_flags_in_scope_suppliers_without_a_file_and_unreadable_files():
    result = assess(
        rollup([supplier("Acme Metals"), supplier(None, file_name="Borealis Alloys.xlsx", unreadable=True)]),
        as_of=AS_OF,
        survey=asked(returned=("Acme Metals", "Borealis Alloys"), waiting=("Cobalt Circuits",)),
    )
    assert flags_of(result, "Cobalt Circuits") == [
        (
            "supplier-no-response",
            "Cobalt Circuits is in scope for the inquiry but had returned no CMRT by 2025-07-01.",
        )
    ]
    assert flags_of(result, "Borealis Alloys.xlsx") == [
        (
            "supplier-file-unreadable",
            "The file Borealis Alloys.xlsx could not be read (The file is damaged), so it tells nothing about "
            "the supplier's smelters; a readable CMRT is needed.",
        )
    ]
    assert (result.suppliers_in_scope, result.suppliers_responded) == (3, 2)


# --- smelters ------------------------------------------------------------------------------------


def test_it_flags_each_red_flag_status_with_the_list_date():
    result = assess(
        rollup(
            [],
            [
                smelter("Bad Tin Smelter", "CID000001", status="Non-Conformant"),
                smelter("Paused Tin Smelter", "CID000002", status="Suspended"),
                smelter("Outside Tin Smelter", "CID000003", status="Not enrolled"),
                smelter("Busy Tin Smelter", "CID000004", status="Active"),
            ],
        ),
        as_of=AS_OF,
    )
    assert flags_of(result, "CID000001") == [
        (
            "smelter-non-conformant",
            "Bad Tin Smelter (Tin, CID000001) is listed as Non-Conformant in the RMAP list of 2025-06-01: its "
            "assessment found that it does not meet the RMAP standard.",
        )
    ]
    assert codes_of(result, "CID000002") == ["smelter-suspended"]
    assert codes_of(result, "CID000003") == ["smelter-not-enrolled"]
    assert codes_of(result, "CID000004") == []  # Active counts as mitigated by default
    strict = assess(
        result_rollup := rollup([], [smelter("Busy", "CID000004", status="Active")]),
        as_of=AS_OF,
        thresholds=RiskThresholds(active_counts_as_mitigated=False),
    )
    assert flags_of(strict, "CID000004") == [
        (
            "smelter-active",
            "Busy (Tin, CID000004) is listed as Active in the RMAP list of 2025-06-01: its RMAP assessment has "
            "not concluded yet.",
        )
    ]
    assert result_rollup.smelters[0].audit_status == "Active"


def test_it_flags_a_smelter_with_no_status():
    result = assess(rollup([], [smelter("Quiet Smelter", "CID000009", status=None)]), as_of=AS_OF)
    assert flags_of(result, "CID000009") == [
        (
            "smelter-status-unknown",
            "Quiet Smelter (Tin, CID000009) is on none of the status lists imported (RMAP list 2025-06-01): its "
            "audit status is unknown.",
        )
    ]


def test_it_flags_an_expired_conformance_from_the_audit_date_and_cycle():
    statuses = history(record("CID000005", "Conformant", last_audit=dt.date(2024, 3, 1), cycle="1 year"))
    result = assess(
        rollup([], [smelter("Old Audit Smelter", "CID000005")]),
        statuses=statuses,
        as_of=dt.date(2025, 7, 1),
        thresholds=RiskThresholds(expiry_grace_days=30),
    )
    assert flags_of(result, "CID000005") == [
        (
            "smelter-conformance-expired",
            "The RMAP conformance of Old Audit Smelter (Tin, CID000005) expired on 2025-03-01 (last audit "
            "2024-03-01, 1-year cycle).",
        )
    ]
    # Within the grace period the conformance still holds.
    lenient = assess(
        rollup([], [smelter("Old Audit Smelter", "CID000005")]),
        statuses=statuses,
        as_of=dt.date(2025, 5, 1),
        thresholds=RiskThresholds(expiry_grace_days=90),
    )
    assert codes_of(lenient, "CID000005") == []


def test_it_flags_a_passed_next_audit_unless_a_reassessment_is_in_progress():
    due = history(record("CID000006", "Conformant", next_audit=dt.date(2025, 2, 1)))
    result = assess(
        rollup([], [smelter("Late Smelter", "CID000006")]),
        statuses=due,
        as_of=AS_OF,
        thresholds=RiskThresholds(expiry_grace_days=0),
    )
    assert flags_of(result, "CID000006") == [
        (
            "smelter-conformance-expired",
            "The RMAP conformance of Late Smelter (Tin, CID000006) lapsed: its re-assessment was due on "
            "2025-02-01, and the RMAP list of 2025-06-01 shows no newer assessment.",
        )
    ]
    in_progress = history(
        record(
            "CID000006",
            "Conformant",
            last_audit=dt.date(2023, 1, 1),
            cycle="1 year",
            next_audit_text="Re-assessment in progress",
        )
    )
    result = assess(rollup([], [smelter("Late Smelter", "CID000006")]), statuses=in_progress, as_of=AS_OF)
    assert codes_of(result, "CID000006") == []


def test_it_flags_a_status_from_an_old_list():
    statuses = history(
        record("CID000007", "Conformant", as_of=dt.date(2025, 1, 2)), as_of=dt.date(2025, 1, 2)
    )
    result = assess(rollup([], [smelter("Stale Smelter", "CID000007")]), statuses=statuses, as_of=AS_OF)
    assert flags_of(result, "CID000007") == [
        (
            "smelter-status-outdated",
            "The latest audit status of Stale Smelter (Tin, CID000007) comes from the RMAP list of 2025-01-02, "
            "180 days before 2025-07-01 (more than 90): it may have changed since.",
        )
    ]


def test_it_flags_locations_by_rmi_country_level_and_mitigates_conformant_ones():
    result = assess(
        rollup(
            [],
            [
                smelter("Kigali Tin", "CID000010", country="Rwanda", covered=True),
                smelter(
                    "Kivu Gold",
                    "CID000011",
                    metal="Gold",
                    country="Congo, Democratic Republic of the",
                    status="Not enrolled",
                    covered=True,
                ),
                smelter("Mombasa Metals", "CID000012", country="Kenya"),
                smelter("Andes Gold", "CID000013", metal="Gold", country="Colombia"),
            ],
        ),
        as_of=AS_OF,
        cahra=CountryList(["Colombia", "Myanmar"]),
    )
    assert flags_of(result, "CID000010") == [
        (
            "smelter-covered-country",
            "Kigali Tin (Tin, CID000010) is located in Rwanda, a Covered Country under SEC Rule 13p-1 (RMI country "
            "risk level 3); its RMAP status (Conformant) mitigates this.",
        )
    ]
    kigali = next(r for r in result.smelters if r.key == "CID000010")
    assert (kigali.flags[0].mitigated, kigali.score, kigali.rating) == (True, 2, "low")
    kivu = next(r for r in result.smelters if r.key == "CID000011")
    assert [(f.code, f.weight, f.mitigated) for f in kivu.flags] == [
        ("smelter-covered-country", 8, False),
        ("smelter-not-enrolled", 4, False),
    ]
    # Not enrolled in a Covered Country: a CAHRA-sourcing smelter without an audit is high on its own.
    assert (kivu.score, kivu.rating) == (12, "high")
    assert flags_of(result, "CID000012") == [
        (
            "smelter-transit-country",
            "Mombasa Metals (Tin, CID000012) is located in Kenya, a known transit country for minerals from "
            "conflict-affected areas (RMI country risk level 2); its RMAP status (Conformant) mitigates this.",
        )
    ]
    assert flags_of(result, "CID000013") == [
        (
            "smelter-cahra-country",
            "Andes Gold (Gold, CID000013) is located in Colombia, on the imported EU CAHRA list (RMI country risk "
            "level 3); its RMAP status (Conformant) mitigates this.",
        )
    ]


def test_rmi_country_levels():
    cahra = CountryList(["Myanmar"])
    assert [rmi_country_level(c, cahra) for c in ("DRC", "Myanmar", "South Africa", "Peru", None)] == [
        3,
        3,
        2,
        1,
        None,
    ]


def test_a_supplier_naming_smelters_from_lists_of_different_dates_gets_each_date():
    late = dataclasses.replace(
        smelter("Paused Gold Refinery", "CID000002", metal="Gold", status="Suspended"),
        status_as_of=dt.date(2025, 6, 15),
    )
    result = assess(
        rollup(
            [supplier("Acme Metals")],
            [smelter("Bad Tin Smelter", "CID000001", status="Non-Conformant"), late],
        ),
        as_of=AS_OF,
    )
    assert flags_of(result, "acme-metals.xlsx")[0][1] == (
        "Acme Metals names 2 smelters that RMAP lists out of good standing: Bad Tin Smelter (Tin, Non-Conformant "
        "in the RMAP list of 2025-06-01) and Paused Gold Refinery (Gold, Suspended in the RMAP list of 2025-06-15)."
    )


def test_it_reads_an_emrt_cahra_answer_for_cobalt():
    # EMRT 1.x asks the CAHRA question in Q3 and lets cobalt answer "DRC only"; its response rate is Q5.
    emrt = {"Cobalt": {"Q1": "Yes", "Q3": "DRC only", "Q5": "Greater than 90%"}}
    result = assess(rollup([supplier("Volta Cells", kind="EMRT", version="1.3", answers_=emrt)]), as_of=AS_OF)
    assert flags_of(result, "volta-cells.xlsx") == [
        (
            "supplier-cahra-yes",
            "Volta Cells answered \u201cDRC only\u201d to Q3 for Cobalt: some of its smelters source from "
            "conflict-affected and high-risk areas.",
        )
    ]
