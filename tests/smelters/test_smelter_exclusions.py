"""Names an analyst recorded as no 3TG smelter, why a name stays unidentified, and which candidate is
confident enough to offer already chosen."""

from __future__ import annotations

from smelter_fixtures import invented_reference, row

from oretrace.rollup.compute import preselected
from oretrace.rollup.model import Candidate
from oretrace.smelters import CONFIDENT_CANDIDATE, Exclusion, Identifier, Method


def test_a_name_recorded_as_not_a_smelter_is_excluded_not_unidentified():
    identifier = Identifier(invented_reference(), excluded={"ACME Trading Co.": Exclusion.NOT_A_SMELTER})
    found = identifier.identify(row("Gold", "Acme trading co"))
    assert (found.method, found.facility, found.identified) == (Method.EXCLUDED, None, False)
    assert found.reason == '"Acme trading co" is not a smelter, as an analyst recorded.'


def test_an_excluded_name_with_an_id_on_the_list_is_still_identified_by_the_id():
    identifier = Identifier(invented_reference(), excluded={"Acme Trading": Exclusion.NOT_3TG})
    found = identifier.identify(row("Gold", "Acme Trading", smelter_id="CID900002"))
    assert (found.method, found.smelter_id) == (Method.CID, "CID900002")


def test_an_unidentified_name_says_the_file_gave_an_id_the_list_lacks():
    found = Identifier(invented_reference()).identify(
        row("Gold", "Acme Bullion Works", smelter_id="CID001234")
    )
    assert found.method is Method.UNIDENTIFIED
    assert found.reason.startswith(
        "The file gives smelter ID CID001234, which is not on the CMRT 9.9 reference list loaded. "
        'No facility of Gold scored above 85 for "Acme Bullion Works"'
    )


def test_an_unidentified_name_without_an_id_says_so():
    found = Identifier(invented_reference()).identify(row("Gold", "Acme Bullion Works"))
    assert found.reason.startswith("Reported without a smelter ID. No facility of Gold scored above 85")


def test_a_newer_list_with_the_id_identifies_the_same_row():
    older = Identifier(invented_reference()).identify(
        row("Gold", "Acme Bullion Works", smelter_id="CID900002")
    )
    assert older.identified  # the control: the ID on the list decides, whatever the name
    bare = invented_reference()
    shorter = type(bare)(
        release="CMRT 9.8",
        date=bare.date,
        facilities=tuple(f for f in bare.facilities if f.smelter_id != "CID900002"),
    )
    assert not Identifier(shorter).identify(row("Gold", "Acme", smelter_id="CID900002")).identified


def test_only_a_confident_candidate_without_a_close_rival_is_preselected():
    strong = Candidate("CID900001", "Nordlicht Edelmetall GmbH", "GERMANY", CONFIDENT_CANDIDATE)
    assert preselected((strong,)) is strong
    assert preselected((Candidate("CID900002", "Refinaria", "BRAZIL", 45.0),)) is None
    assert preselected((Candidate("CID900002", "Refinaria", "BRAZIL", CONFIDENT_CANDIDATE - 0.5),)) is None
    rival = Candidate("CID900003", "Kestrel", "JAPAN", CONFIDENT_CANDIDATE - 1)
    assert preselected((strong, rival)) is None
    assert preselected(()) is None
