"""Deriving our own CMRT from the roll-up: each Q1-Q8 rule, the reasoning shown, overrides, product scope."""

from __future__ import annotations

import pytest

from declaration.rollups import (
    IN_SCOPE,
    rollup,
    settings,
    smelter,
    supplier,
    unidentified,
    unreadable,
)
from oretrace.declaration import (
    CompanyBlock,
    ProductScope,
    apply_overrides,
    derive_declaration,
    response_rate_choice,
)
from oretrace.errors import BadInput
from oretrace.rmi.writer import DeclaredProduct, DeclaredSmelter

ALL_YES = {**IN_SCOPE, "Q3": "No", "Q4": "No", "Q5": "No", "Q7": "Yes"}


def derive(*suppliers, smelters=(), names=(), **kwargs):
    return derive_declaration(rollup(suppliers, smelters, names), kwargs.pop("config", settings()), **kwargs)


def test_q1_is_yes_when_any_supplier_uses_the_metal_and_says_how_many():
    result = derive(
        supplier("Alpha Parts", {"Q1": "No"}, Tin={"Q1": "Yes"}),
        supplier("Beta Boards", {"Q1": "No"}, Tin={"Q1": "Yes"}),
        supplier("Gamma Glass", {"Q1": "No"}),
    )
    tin = result.answer("Tin", "Q1")
    assert (tin.answer, tin.reason) == ("Yes", "2 of 3 suppliers declared tin intentionally added or used")
    assert str(tin) == "Q1 Tin = Yes: 2 of 3 suppliers declared tin intentionally added or used"
    gold = result.answer("Gold", "Q1")
    assert gold.answer == "No"
    assert gold.reason == "none of the 3 suppliers declared gold intentionally added or used (3 No)"


def test_when_q1_is_no_the_later_questions_and_the_smelters_of_that_metal_are_left_out():
    result = derive(
        supplier("Alpha Parts", {"Q1": "No"}, Tin=ALL_YES),
        smelters=[smelter("Gold", "CID000001", "Gold Refinery"), smelter("Tin", "CID000002", "Tin Works")],
    )
    assert [result.answer("Gold", q).answer for q in ("Q1", "Q2", "Q8")] == ["No", None, None]
    assert result.answer("Gold", "Q5").reason.startswith("not asked: Q1 is No")
    assert "yet 1 gold smelter(s) were named" in result.answer("Gold", "Q1").reason
    assert result.declaration.smelters == (DeclaredSmelter("Tin", "CID000002", "Tin Works", "China"),)
    assert result.declaration.answers["Gold"] == {"Q1": "No"}


def test_q2_counts_only_suppliers_that_use_the_metal_and_no_stops_the_rest():
    result = derive(
        supplier("Alpha Parts", {"Q1": "Yes", "Q2": "No"}),
        supplier("Beta Boards", {"Q1": "No", "Q2": "Yes"}),  # Q2 without Q1 Yes does not count
    )
    q2 = result.answer("Tin", "Q2")
    assert (q2.answer, q2.reason) == (
        "No",
        "none of the 1 suppliers using tin said it remains in the product (1 No)",
    )
    assert result.answer("Tin", "Q3").answer is None
    assert result.answer("Tin", "Q3").reason.startswith("not asked: Q2 is No")
    assert result.missing() == []


def test_with_no_readable_file_q1_is_left_for_the_analyst():
    result = derive(unreadable("broken.xlsx"))
    assert result.answer("Tin", "Q1").answer is None
    assert result.missing() == ["Q1 Tantalum", "Q1 Tin", "Q1 Gold", "Q1 Tungsten"]
    assert any("1 supplier file(s) could not be read" in note for note in result.notes)


class TestQ3CoveredCountries:
    def test_a_supplier_yes_makes_it_yes(self):
        result = derive(supplier("Alpha Parts", {**ALL_YES, "Q3": "Yes"}), supplier("Beta Boards", ALL_YES))
        q3 = result.answer("Tin", "Q3")
        assert (q3.answer, q3.reason) == ("Yes", "1 of 2 suppliers in scope answered Yes")

    def test_an_identified_smelter_in_a_covered_country_makes_it_yes_even_if_suppliers_say_no(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES),
            smelters=[smelter("Tin", "CID000003", "Kigali Tin Works", "Rwanda", covered=True)],
        )
        q3 = result.answer("Tin", "Q3")
        assert q3.answer == "Yes"
        assert q3.reason == "1 identified smelter(s) in a Covered Country: Kigali Tin Works"
        assert result.answer("Tin", "Q4").answer == "Yes"  # a Covered Country is a CAHRA too

    def test_unknown_when_a_supplier_says_unknown_and_none_yes(self):
        result = derive(
            supplier("Alpha Parts", {**ALL_YES, "Q3": "Unknown"}), supplier("Beta Boards", ALL_YES)
        )
        q3 = result.answer("Tin", "Q3")
        assert q3.answer == "Unknown"
        assert q3.reason.startswith("1 of 2 suppliers in scope answered Unknown and none Yes")

    def test_unknown_when_no_supplier_answered(self):
        result = derive(supplier("Alpha Parts", IN_SCOPE))
        assert result.answer("Tin", "Q3").answer == "Unknown"
        assert result.answer("Tin", "Q3").reason == "none of the 1 suppliers in scope answered"

    def test_unknown_when_an_unidentified_name_is_reported_in_a_covered_country(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES), names=[unidentified("Tin", "Goma Metals", "DR Congo")]
        )
        assert result.answer("Tin", "Q3").answer == "Unknown"
        assert "Goma Metals" in result.answer("Tin", "Q3").reason

    def test_no_when_every_supplier_says_no_and_no_smelter_is_there(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES), smelters=[smelter("Tin", "CID000004", "Yunnan Tin")]
        )
        q3 = result.answer("Tin", "Q3")
        assert (q3.answer, q3.reason) == (
            "No",
            "1 No of 1 suppliers in scope; none of the identified smelters is in a Covered Country",
        )


def test_q4_follows_the_cahra_flag_without_touching_q3():
    result = derive(
        supplier("Alpha Parts", ALL_YES),
        smelters=[smelter("Gold", "CID000005", "Bogota Gold", "Colombia", cahra=True)],
    )
    assert result.answer("Gold", "Q3").answer == "No"
    q4 = result.answer("Gold", "Q4")
    assert (q4.answer, q4.reason) == (
        "Yes",
        "1 identified smelter(s) in a conflict-affected or high-risk area: Bogota Gold",
    )


class TestQ5Recycled:
    def test_yes_only_when_every_identified_smelter_is_a_recycler(self):
        result = derive(
            supplier("Alpha Parts", {**ALL_YES, "Q5": "Yes"}),
            smelters=[
                smelter("Gold", "CID000006", "Scrap Gold A", recycled=("Yes",)),
                smelter("Gold", "CID000007", "Scrap Gold B", recycled=("yes",)),
            ],
        )
        q5 = result.answer("Gold", "Q5")
        assert (q5.answer, q5.reason) == (
            "Yes",
            "all 2 identified smelters are recyclers according to the suppliers",
        )

    def test_no_when_a_supplier_says_a_smelter_is_not_recycled(self):
        result = derive(
            supplier("Alpha Parts", {**ALL_YES, "Q5": "Yes"}),
            smelters=[smelter("Gold", "CID000006", "Scrap Gold A", recycled=("Yes", "No"))],
        )
        q5 = result.answer("Gold", "Q5")
        assert q5.answer == "No"
        assert q5.reason == (
            "1 identified smelter(s) are not 100% recycled or scrap according to the suppliers: Scrap Gold A"
        )

    def test_no_when_a_supplier_answers_no(self):
        result = derive(supplier("Alpha Parts", ALL_YES), supplier("Beta Boards", {**ALL_YES, "Q5": "Yes"}))
        assert result.answer("Gold", "Q5").answer == "No"
        assert result.answer("Gold", "Q5").reason == "1 of 2 suppliers in scope answered No"

    def test_unknown_when_recycling_is_not_known_for_every_smelter(self):
        result = derive(
            supplier("Alpha Parts", {**ALL_YES, "Q5": "Yes"}),
            smelters=[
                smelter("Gold", "CID000006", "Scrap Gold A", recycled=("Yes",)),
                smelter("Gold", "CID000008", "Mystery Gold"),
            ],
            names=[unidentified("Gold", "Some Refinery")],
        )
        q5 = result.answer("Gold", "Q5")
        assert q5.answer == "Unknown"
        assert q5.reason == (
            "1 of 2 identified smelters are not known recyclers; 1 smelter name(s) could not be identified"
        )


@pytest.mark.parametrize(
    ("surveyed", "responded", "choice"),
    [
        (260, 260, "100%"),
        (260, 250, "Greater than 90%"),
        (100, 91, "Greater than 90%"),
        (100, 90, "Greater than 75%"),  # exactly 90% is not greater than 90%
        (100, 76, "Greater than 75%"),
        (100, 75, "Greater than 50%"),
        (100, 51, "Greater than 50%"),
        (100, 50, "50% or less"),
        (100, 1, "50% or less"),
        (100, 0, "None"),
        (0, 0, "None"),
    ],
)
def test_q6_maps_the_response_rate_to_the_template_choices(surveyed, responded, choice):
    assert response_rate_choice(surveyed, responded) == choice


def test_q6_counts_readable_files_as_responses_by_default():
    result = derive(
        supplier("Alpha Parts", ALL_YES), supplier("Beta Boards", ALL_YES), unreadable("x.xlsx"), surveyed=3
    )
    q6 = result.answer("Tin", "Q6")
    assert (q6.answer, q6.reason) == ("Greater than 50%", "2 of 3 surveyed suppliers responded (66%)")
    assert (result.surveyed, result.responded) == (3, 2)


def test_more_responses_than_suppliers_surveyed_is_refused():
    with pytest.raises(BadInput, match="3 suppliers responded but only 2 were surveyed"):
        derive(supplier("Alpha Parts", ALL_YES), surveyed=2, responded=3)


class TestQ7AllIdentified:
    def test_yes_when_everyone_responded_said_yes_and_every_name_was_identified(self):
        result = derive(supplier("Alpha Parts", ALL_YES), smelters=[smelter("Tin", "CID000002", "Tin Works")])
        q7 = result.answer("Tin", "Q7")
        assert q7.answer == "Yes"
        assert q7.reason == (
            "every surveyed supplier responded, all 1 suppliers in scope answered Yes and all 1 tin smelter "
            "names were identified"
        )

    def test_no_lists_every_gap(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES),
            supplier("Beta Boards", {**ALL_YES, "Q7": "No"}),
            supplier("Gamma Glass", {**ALL_YES, "Q7": None}),
            smelters=[smelter("Tin", "CID000002", "Tin Works")],
            names=[unidentified("Tin", "PT Unknown Timah")],
            surveyed=5,
        )
        q7 = result.answer("Tin", "Q7")
        assert q7.answer == "No"
        assert q7.reason == (
            "2 of 5 surveyed suppliers did not respond; 1 of 3 suppliers in scope answered No; "
            "1 of 3 suppliers in scope did not answer; 1 tin smelter name(s) could not be identified"
        )

    def test_no_when_no_smelter_was_identified(self):
        result = derive(supplier("Alpha Parts", ALL_YES))
        assert result.answer("Tungsten", "Q7").reason == "no tungsten smelter was identified"


class TestQ8AndTheSmelterList:
    def test_unidentified_names_are_left_out_by_default_and_q8_says_so(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES),
            smelters=[smelter("Tin", "CID000002", "Tin Works")],
            names=[unidentified("Tin", "PT Unknown Timah", "Indonesia")],
        )
        q8 = result.answer("Tin", "Q8")
        assert q8.answer == "No"
        assert q8.reason == (
            "1 identified tin smelter(s) are listed, but 1 name(s) that could not be identified are left out"
        )
        assert result.answer("Gold", "Q8").answer == "Yes"
        assert [s.smelter_id for s in result.declaration.smelters] == ["CID000002"]
        assert any(
            "1 tin smelter name(s) could not be identified and are not listed" in n for n in result.notes
        )

    def test_the_analyst_can_list_unidentified_names_as_smelter_not_listed(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES),
            smelters=[smelter("Tin", "CID000002", "Tin Works")],
            names=[
                unidentified("Tin", "PT Unknown Timah", "Indonesia"),
                unidentified("Tin", "No Country", None),
            ],
            config=settings(include_unidentified=True),
        )
        assert result.answer("Tin", "Q8").answer == "Yes"
        assert result.declaration.smelters == (
            DeclaredSmelter("Tin", "CID000002", "Tin Works", "China"),
            DeclaredSmelter("Tin", None, "PT Unknown Timah", "Indonesia"),
        )
        assert any("have no name or no country" in n for n in result.notes)


class TestOverrides:
    def test_an_override_changes_the_answer_and_the_reason_says_so(self):
        result = derive(supplier("Alpha Parts", {**ALL_YES, "Q7": "No"}))
        changed = apply_overrides(result, {"Tin": {"Q7": "Yes"}}, note="smelter list confirmed by phone")
        q7 = changed.answer("Tin", "Q7")
        assert (q7.answer, q7.changed, q7.derived) == ("Yes", True, "No")
        assert q7.reason.startswith(
            "changed by the analyst: smelter list confirmed by phone (derived: No, because "
        )
        assert changed.declaration.answers["Tin"]["Q7"] == "Yes"
        assert changed.declaration.answers["Gold"]["Q7"] == "No"
        again = apply_overrides(changed, {"Tin": {"Q7": "No"}})
        assert (again.answer("Tin", "Q7").derived, again.answer("Tin", "Q7").derived_reason) == (
            "No",
            q7.derived_reason,
        )

    def test_saying_q1_no_removes_the_metal_from_the_smelter_list(self):
        result = derive(
            supplier("Alpha Parts", ALL_YES),
            smelters=[
                smelter("Gold", "CID000001", "Gold Refinery"),
                smelter("Tin", "CID000002", "Tin Works"),
            ],
        )
        changed = apply_overrides(result, {"Gold": {"Q1": "No"}})
        assert [s.metal for s in changed.declaration.smelters] == ["Tin"]

    def test_saying_q1_yes_where_nothing_was_derived_shows_what_is_missing(self):
        result = derive(supplier("Alpha Parts", {"Q1": "No"}))
        changed = apply_overrides(result, {"Tin": {"Q1": "Yes"}})
        assert changed.missing() == ["Q2 Tin"]

    def test_an_answer_outside_the_dropdown_is_refused(self):
        result = derive(supplier("Alpha Parts", ALL_YES))
        with pytest.raises(BadInput, match='Q6 for Tin: "95%" is not one of'):
            apply_overrides(result, {"Tin": {"Q6": "95%"}})
        with pytest.raises(BadInput, match="unknown metal 'Cobalt'"):
            apply_overrides(result, {"Cobalt": {"Q1": "Yes"}})


class TestProductLevel:
    def test_only_the_linked_suppliers_count_and_the_part_numbers_are_listed(self):
        suppliers = [
            supplier("Alpha Parts", ALL_YES),
            supplier("Beta Boards", {**ALL_YES, "Q3": "Yes"}),
            supplier("Gamma Glass", {"Q1": "No"}),
        ]
        smelters = [
            smelter("Tin", "CID000002", "Tin Works", suppliers=("Alpha Parts",)),
            smelter("Tin", "CID000003", "Beta Tin", suppliers=("Beta Boards",)),
            smelter("Gold", "CID000001", "Gold Refinery", suppliers=("Alpha Parts", "Beta Boards")),
        ]
        scope = ProductScope(
            products=(
                DeclaredProduct("NI-100", "Oscilloscope"),
                DeclaredProduct("NI-200"),
                DeclaredProduct("NI-300"),
            ),
            suppliers={"NI-100": ("Alpha Parts",), "NI-200": ("Alpha Parts", "Delta Die")},
        )
        result = derive(*suppliers, smelters=smelters, products=scope)
        assert result.declaration.company["declaration_scope"] == "B"
        assert [p.number for p in result.declaration.products] == ["NI-100", "NI-200", "NI-300"]
        assert result.suppliers == ("Alpha Parts",)
        assert [s.smelter_id for s in result.declaration.smelters] == ["CID000002", "CID000001"]
        assert result.answer("Tin", "Q3").answer == "No"  # Beta's Yes is not about these parts
        q6 = result.answer("Tin", "Q6")
        assert (q6.answer, q6.reason) == ("50% or less", "1 of 2 surveyed suppliers responded (50%)")
        assert "1 part number(s) have no supplier linked and are listed without data behind them: NI-300" in (
            result.notes
        )
        assert "1 linked supplier sent no file: Delta Die" in result.notes

    def test_parts_without_any_supplier_are_refused(self):
        scope = ProductScope(products=(DeclaredProduct("NI-100"),), suppliers={})
        with pytest.raises(BadInput, match="None of the part numbers is linked to a supplier: NI-100"):
            derive(supplier("Alpha Parts", ALL_YES), products=scope)


class TestSettings:
    def test_every_company_question_must_be_answered(self):
        with pytest.raises(BadInput, match="company_questions G, H not answered"):
            settings(company_questions=dict.fromkeys("ABCDEF", "Yes"))

    def test_a_public_policy_needs_its_url(self):
        with pytest.raises(BadInput, match=r"policy_url is required when company_questions\.B"):
            settings(policy_url=None)

    def test_answers_must_be_the_template_choices(self):
        questions = {**settings().company_questions, "H": "Yes"}
        with pytest.raises(BadInput, match=r'company_questions\.H "Yes" is not one of "Yes, with the SEC"'):
            settings(company_questions=questions)

    def test_the_company_block_names_the_key_to_fix(self):
        with pytest.raises(BadInput, match=r"company\.contact_email 'jane' is not an e-mail address"):
            CompanyBlock("Acme", "Jane", "jane", "1", "John", "john@acme.example")
        with pytest.raises(BadInput, match=r"company\.scope 'B' must be A"):
            CompanyBlock("Acme", "Jane", "jane@acme.example", "1", "John", "john@acme.example", scope="B")
