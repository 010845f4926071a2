"""Screening facilities and suppliers against sanctions lists: exact and fuzzy hits, each explained."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace

import pytest

from oretrace.errors import BadInput
from oretrace.refdata import ListKind, read_list
from oretrace.refdata.screening import (
    CONFIRMED,
    DISMISSED,
    EXACT,
    FACILITY,
    FUZZY,
    SUPPLIER,
    Subject,
    decide,
    decisions_csv,
    screen,
    undecided,
)
from published_lists import EU_XML, OFAC_SDN_XML

TODAY = dt.date(2025, 12, 5)

REFINERY_SDN_XML = b"""<?xml version="1.0" standalone="yes"?>
<sdnList>
  <publshInformation><Publish_Date>11/28/2025</Publish_Date></publshInformation>
  <sdnEntry>
    <uid>50123</uid>
    <lastName>KRASNY ZOLOTO REFINING COMPANY LIMITED</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>RUSSIA-EO14024</program></programList>
    <akaList><aka><uid>1</uid><lastName>RED GOLD REFINERY</lastName></aka></akaList>
    <addressList><address><country>Russia</country></address></addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>50124</uid>
    <lastName>METALS</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>SDGT</program></programList>
  </sdnEntry>
</sdnList>
"""


def _ofac(data=REFINERY_SDN_XML):
    return read_list(data, kind=ListKind.OFAC_SDN, name="sdn.xml", today=TODAY)


def test_a_facility_named_as_the_list_spells_it_is_an_exact_hit_with_its_explanation():
    facility = Subject(FACILITY, "Krasny Zoloto Refining Co., Ltd.", key="CID009999", country="Russia")
    (hit,) = screen([facility], [_ofac()])
    assert (hit.match, hit.score, hit.entry_key, hit.entry_programme) == (
        EXACT,
        100.0,
        "50123",
        "RUSSIA-EO14024",
    )
    assert (hit.matched_name, hit.matched_alias, hit.subject_name) == (
        "KRASNY ZOLOTO REFINING COMPANY LIMITED",
        False,
        "Krasny Zoloto Refining Co., Ltd.",
    )
    assert (hit.list_kind, hit.list_as_of) == (ListKind.OFAC_SDN, dt.date(2025, 11, 28))
    assert hit.country_agrees is True
    assert hit.identity == (FACILITY, "CID009999", "ofac-sdn", "50123")
    assert hit.explanation() == (
        'The facility name "Krasny Zoloto Refining Co., Ltd." matches exactly '
        '"KRASNY ZOLOTO REFINING COMPANY LIMITED" of entry 50123 "KRASNY ZOLOTO REFINING COMPANY LIMITED", '
        "programme RUSSIA-EO14024, on the OFAC Specially Designated Nationals (SDN) list as of 2025-11-28. "
        "The entry's country (Russia) is the facility's (Russia)."
    )


def test_a_facility_alias_misspelling_an_entry_alias_is_a_fuzzy_hit_naming_the_alias():
    facility = Subject(FACILITY, "Northern Smelting Works", key="CID001234", aliases=("Red Gold Refinary",))
    (hit,) = screen([facility], [_ofac()])
    assert (hit.match, hit.subject_name, hit.matched_name, hit.matched_alias) == (
        FUZZY,
        "Red Gold Refinary",
        "RED GOLD REFINERY",
        True,
    )
    assert 90 <= hit.score < 100
    assert 'its alias "RED GOLD REFINERY"' in hit.explanation()
    assert "fuzzily (score" in hit.explanation()


def test_a_person_listed_surname_first_is_found_whatever_the_word_order():
    (hit,) = screen([Subject(SUPPLIER, "PETROV Ivan", key="PETROV Ivan")], [_ofac(OFAC_SDN_XML)])
    assert (hit.entry_key, hit.match) == ("7160", FUZZY)
    assert hit.score == 100.0


@pytest.mark.parametrize("name", ["Metal", "Metals Co., Ltd.", "Gold Refinery", "Refining Company"])
def test_a_common_word_or_a_shared_generic_phrase_is_no_hit(name):
    # "METALS" is an entry of its own: only the exact key "metals" may hit it, never "metal".
    hits = screen([Subject(SUPPLIER, name, key=name)], [_ofac()])
    assert [(h.entry_key, h.match) for h in hits] == (
        [("50124", EXACT)] if name == "Metals Co., Ltd." else []
    )


def test_a_supplier_is_screened_on_each_list_given():
    eu = read_list(EU_XML, kind=ListKind.EU_SANCTIONS, name="eu.xml", today=TODAY)
    supplier = Subject(SUPPLIER, "AO Uralskiy Zavod Dragmetallov", key="Ural Trading")
    hits = screen([supplier], [_ofac(), eu])
    assert [(h.list_kind, h.entry_key, h.matched_alias) for h in hits] == [
        (ListKind.EU_SANCTIONS, "EU.8765.43", True)
    ]


def test_a_dismissed_subject_and_entry_is_not_shown_again():
    facility = Subject(FACILITY, "Red Gold Refinery", key="CID001234")
    hits = screen([facility], [_ofac()])
    assert undecided(hits, [(FACILITY, "CID001234", "ofac-sdn", "50123")]) == []
    assert undecided(hits, [(FACILITY, "CID000001", "ofac-sdn", "50123")]) == hits


def test_only_sanctions_lists_are_screened_and_the_threshold_is_checked():
    lbma = read_list(
        b"Refiner,Country\nRed Gold Refinery,Russia\n", kind=ListKind.LBMA_GOLD, name="lbma.csv", today=TODAY
    )
    with pytest.raises(BadInput, match="not a sanctions list"):
        screen([Subject(FACILITY, "Red Gold Refinery", key="CID001234")], [lbma])
    with pytest.raises(BadInput, match="threshold"):
        screen([], [_ofac()], threshold=0)


def _decided(verdict, reason="Same registration number as the OFAC entry"):
    (hit,) = screen([Subject(FACILITY, "Red Gold Refinery", key="CID001234")], [_ofac()])
    return decide(hit, verdict, reason, by="alice", on=dt.date(2025, 12, 6))


def test_a_decision_keeps_the_verdict_reason_and_the_hit_as_it_was_explained():
    decision = _decided(CONFIRMED)
    assert decision.confirmed
    assert decision.identity == (FACILITY, "CID001234", "ofac-sdn", "50123")
    assert (decision.reason, decision.decided_by, decision.matched_name) == (
        "Same registration number as the OFAC entry",
        "alice",
        "RED GOLD REFINERY",
    )
    assert decision.explanation.startswith('The facility name "Red Gold Refinery" matches exactly its alias')


@pytest.mark.parametrize(
    ("verdict", "reason", "message"), [("maybe", "x", "confirmed or dismissed"), (DISMISSED, "  ", "reason")]
)
def test_a_decision_needs_a_verdict_and_a_reason(verdict, reason, message):
    with pytest.raises(BadInput, match=message):
        _decided(verdict, reason)


def test_decisions_go_to_a_csv_confirmed_first():
    dismissed = replace(_decided(DISMISSED, "Different country and owner"), subject="Alpha Metals")
    rows = list(csv.DictReader(io.StringIO(decisions_csv([dismissed, _decided(CONFIRMED)]))))
    assert [(r["verdict"], r["subject"], r["entry_key"], r["list_as_of"], r["reason"]) for r in rows] == [
        (
            "confirmed",
            "Red Gold Refinery",
            "50123",
            "2025-11-28",
            "Same registration number as the OFAC entry",
        ),
        ("dismissed", "Alpha Metals", "50123", "2025-11-28", "Different country and owner"),
    ]


def test_an_entry_without_an_id_is_still_screened_known_by_its_place_in_the_file():
    no_uid = REFINERY_SDN_XML.replace(b"<uid>50123</uid>", b"")
    (hit,) = screen([Subject(FACILITY, "Red Gold Refinery", key="CID001234")], [_ofac(no_uid)])
    assert (hit.entry_key, hit.match) == ("row 1", EXACT)
