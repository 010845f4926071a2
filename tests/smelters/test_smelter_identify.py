"""Identification on an invented list: every method, its reason, and refusing to guess."""

from __future__ import annotations

import pytest
from smelter_fixtures import invented_reference, row

from oretrace.smelters import Identifier, Method, V2Table, V2Translation


@pytest.fixture(scope="module")
def identifier() -> Identifier:
    return Identifier(invented_reference())


def test_it_identifies_a_row_by_the_cid_in_column_f(identifier):
    found = identifier.identify(row("Gold", "whatever they typed", smelter_id="CID900002"))
    assert (found.method, found.smelter_id, found.score) == (Method.CID, "CID900002", 100.0)
    assert found.identified


@pytest.mark.parametrize("typed", ["cid900002 ", "CID-900002", "\u00a0CID900002", "ID900002"])
def test_it_reads_malformed_cids_when_they_are_unambiguous(identifier, typed):
    found = identifier.identify(row("Gold", id_input=typed))
    assert (found.method, found.smelter_id) == (Method.CID, "CID900002")


def test_it_says_how_it_read_a_malformed_cid(identifier):
    found = identifier.identify(row("Gold", id_input="cid900002"))
    assert found.reason == "By ID 'cid900002', read as CID900002: Refinaria São João Ltda."


def test_it_pads_a_short_cid_and_says_when_the_list_does_not_have_it(identifier):
    found = identifier.identify(row("Gold", id_input="CID2"))
    assert found.method is Method.UNIDENTIFIED
    assert found.reason == (
        "The file gives smelter ID CID000002, which is not on the CMRT 9.9 reference list loaded. "
        "The row has no name to match instead."
    )


def test_it_refuses_an_id_with_seven_digits_and_says_so(identifier):
    found = identifier.identify(row("Gold", id_input="CID1234567"))
    assert found.method is Method.UNIDENTIFIED
    assert "'CID1234567' is neither a CID nor an old CFSI v2 ID" in found.reason


def test_it_flags_a_cid_of_another_metal_instead_of_accepting_it(identifier):
    found = identifier.identify(row("Gold", smelter_id="CID900010"))
    assert (found.method, found.smelter_id, found.metal_mismatch) == (Method.CID, "CID900010", True)
    assert not found.identified
    assert "That ID is a Tin facility, but the row reports Gold." in found.reason


def test_it_translates_an_old_v2_id_through_the_imported_table():
    table = V2Table("translation.csv", (V2Translation("1DEU001", "CID900001", "Gold"),))
    found = Identifier(invented_reference(), v2=table).identify(row("Gold", smelter_id="1deu001"))
    assert (found.method, found.smelter_id, found.query) == (Method.V2_ID, "CID900001", "1DEU001")


def test_it_says_a_v2_id_needs_the_translation_table(identifier):
    found = identifier.identify(row("Gold", smelter_id="1DEU001"))
    assert found.method is Method.UNIDENTIFIED
    assert "no v2-to-CID translation table was imported" in found.reason


def test_it_matches_a_standard_name_without_its_legal_suffix(identifier):
    found = identifier.identify(row("Gold", "KESTREL PRECIOUS METALS CO LTD"))
    assert (found.method, found.smelter_id, found.score) == (Method.NAME, "CID900003", 100.0)


@pytest.mark.parametrize(
    "typed", ["Blue River Tantalum SA", "Blue River Tantalum, S.A.", "blue river tantalum s. a."]
)
def test_it_treats_legal_suffix_variants_as_the_same_name(identifier, typed):
    assert identifier.identify(row("Tantalum", typed)).smelter_id == "CID900030"


def test_it_ignores_accents(identifier):
    found = identifier.identify(row("Gold", "Refinaria Sao Joao"))
    assert (found.method, found.smelter_id) == (Method.NAME, "CID900002")


def test_it_matches_an_alias_row_of_the_look_up(identifier):
    found = identifier.identify(row("Gold", "Nordlicht Scheideanstalt"))
    assert (found.method, found.smelter_id) == (Method.ALIAS, "CID900001")


def test_it_fuzzy_matches_a_name_with_typos_and_names_the_runner_up():
    found = Identifier(invented_reference()).identify(row("Gold", "Nordlict Edelmetal"))
    assert (found.method, found.smelter_id) == (Method.FUZZY, "CID900001")
    assert 85 <= found.score < 100
    assert "Nordlict Edelmetal" in found.reason


def test_it_leaves_a_weak_fuzzy_match_unidentified_and_says_what_came_closest(identifier):
    found = identifier.identify(row("Gold", "Acme Bullion Works"))
    assert found.method is Method.UNIDENTIFIED
    assert found.facility is None
    assert found.reason.startswith(
        'Reported without a smelter ID. No facility of Gold scored above 85 for "Acme Bullion Works"; best: '
    )
    assert found.runner_up is not None and found.runner_up.score < 85


def test_it_reports_a_name_of_another_metal_as_a_mismatch(identifier):
    found = identifier.identify(row("Gold", "Harbour Tin Smelting"))
    assert (found.method, found.smelter_id, found.metal_mismatch) == (Method.NAME, "CID900010", True)
    assert "That is a Tin facility, but the row reports Gold." in found.reason


def test_it_reports_a_misspelt_name_of_another_metal_as_a_fuzzy_mismatch(identifier):
    found = identifier.identify(row("Tin", "Granite Peak Tungstn Corp"))
    assert (found.method, found.smelter_id, found.metal_mismatch) == (Method.FUZZY, "CID900020", True)


def test_it_lets_the_country_break_a_tie_between_two_facilities_with_one_alias(identifier):
    canada = identifier.identify(row("Gold", "Kestrel Refining Inc", country="Canada"))
    usa = identifier.identify(row("Gold", "Kestrel Refining Inc", country="United States of America"))
    assert (canada.smelter_id, usa.smelter_id) == ("CID900005", "CID900004")
    assert canada.runner_up.facility.smelter_id == "CID900004"
    assert "The row's country (Canada) decided" in canada.reason


def test_it_will_not_toss_a_coin_when_the_country_does_not_decide(identifier):
    found = identifier.identify(row("Gold", "Kestrel Refining", country="France"))
    assert found.method is Method.UNIDENTIFIED
    assert "names 2 facilities" in found.reason


def test_it_keeps_smelter_not_yet_identified_rows_unidentified_with_that_reason(identifier):
    found = identifier.identify(
        row("Gold", "Unknown", country="Unknown", lookup_name="Smelter not yet identified")
    )
    assert found.method is Method.UNIDENTIFIED
    assert "Smelter not yet identified" in found.reason


def test_it_uses_analyst_confirmed_aliases_before_fuzzy_matching():
    identifier = Identifier(invented_reference(), confirmed={"NL Gold Hanau": "CID900001"})
    found = identifier.identify(row("Gold", "nl gold hanau gmbh"))
    assert (found.method, found.smelter_id) == (Method.ALIAS, "CID900001")
    assert "an analyst confirmed" in found.reason


def test_it_recognises_a_cid_removed_from_the_newer_list():
    older = invented_reference("CMRT 9.8")
    newer_facilities = tuple(f for f in older.facilities if f.smelter_id != "CID900003")
    newer = type(older)(release="CMRT 9.9", date=None, facilities=newer_facilities)
    found = Identifier(newer, previous=[older]).identify(row("Gold", smelter_id="CID900003"))
    assert (found.smelter_id, found.removed_in, found.identified) == ("CID900003", "CMRT 9.9", False)
    assert "no longer on the CMRT 9.9 reference list" in found.reason


def test_it_identifies_a_bare_name_for_callers_outside_templates(identifier):
    found = identifier.identify_name("Harbour Tin Smelting Sdn Bhd", "tin", "Malaysia")
    assert (found.method, found.smelter_id, found.metal) == (Method.NAME, "CID900010", "Tin")
