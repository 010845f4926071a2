"""Names an analyst recorded as no 3TG smelter, why a name stays unidentified, and which candidate is
confident enough to offer already chosen."""

from __future__ import annotations

from smelter_fixtures import invented_reference, row

from oretrace.rollup.compute import preselected
from oretrace.smelters import CONFIDENT_CANDIDATE, Exclusion, Identification, Identifier, Method
from oretrace.smelters import Candidate as IdCandidate


def test_a_name_recorded_as_not_a_smelter_is_excluded_not_unidentified():
    identifier = Identifier(invented_reference(), excluded={"ACME Trading Co.": Exclusion.NOT_A_SMELTER})
    found = identifier.identify(row("Gold", "Acme trading co"))
    assert (found.method, found.facility, found.identified) == (Method.EXCLUDED, None, False)
    assert found.reason == '"Acme trading co" is not a smelter, as an analyst recorded.'


def test_a_refiner_recorded_as_not_3tg_is_still_a_smelter_where_its_own_mineral_is_asked_about():
    identifier = Identifier(invented_reference(), excluded={"Nordic Cobalt Refinery": Exclusion.NOT_3TG})
    assert identifier.identify(row("Gold", "Nordic Cobalt Refinery")).method is Method.EXCLUDED
    # In an EMRT or a CRT the same name under cobalt is a smelter to identify, not a name to leave out.
    assert identifier.identify(row("Cobalt", "Nordic Cobalt Refinery")).method is Method.UNIDENTIFIED
    not_a_smelter = Identifier(invented_reference(), excluded={"ACME Trading Co.": Exclusion.NOT_A_SMELTER})
    assert not_a_smelter.identify(row("Cobalt", "ACME Trading Co.")).method is Method.EXCLUDED


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


def test_only_a_confident_candidate_the_core_did_not_tie_is_preselected():
    reference = invented_reference()
    nordlicht, kestrel = reference.get("CID900001"), reference.get("CID900003")
    # Dropped from a newer list: the core names the facility but does not identify the row.
    removed = Identification(Method.CID, nordlicht, 100.0, "removed", removed_in="CMRT 10.0")
    assert preselected(removed).smelter_id == "CID900001"
    weak = Identifier(reference).identify(row("Gold", "Acme Bullion Works"))
    assert weak.runner_up is not None and preselected(weak) is None
    # Torn between two equals: the candidates hold only one of them, which must not look like a choice.
    tie = Identification(
        Method.UNIDENTIFIED, None, CONFIDENT_CANDIDATE + 8, "tie", runner_up=IdCandidate(kestrel, 98.0, "K")
    )
    assert preselected(tie) is None
    close = Identification(
        Method.CID,
        nordlicht,
        CONFIDENT_CANDIDATE,
        "removed",
        removed_in="CMRT 10.0",
        runner_up=IdCandidate(kestrel, CONFIDENT_CANDIDATE - 1, "K"),
    )
    assert preselected(close) is None
    under = Identification(Method.CID, nordlicht, CONFIDENT_CANDIDATE - 1, "removed", removed_in="CMRT 10.0")
    assert preselected(under) is None
