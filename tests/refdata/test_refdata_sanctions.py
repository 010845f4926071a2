"""Sanctions lists read from the files their publishers offer: names, aliases, programmes and the day."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.errors import BadInput
from oretrace.refdata import ListKind, read_list, sha256_of
from published_lists import EU_XML, OFAC_SDN_CSV, OFAC_SDN_XML, UK_FCDO_XML, UK_OFSI_CSV, UK_OFSI_XML

TODAY = dt.date(2025, 12, 5)


def test_ofac_sdn_xml_gives_names_aliases_programmes_and_its_publish_date():
    listed = read_list(OFAC_SDN_XML, kind=ListKind.OFAC_SDN, name="sdn.xml", today=TODAY)
    assert listed.as_of == dt.date(2025, 11, 28)
    assert listed.publisher == "U.S. Treasury, Office of Foreign Assets Control"
    assert listed.sha256 == sha256_of(OFAC_SDN_XML)
    assert [(e.key, e.name, e.aliases, e.programme, e.subject_type, e.country) for e in listed.entries] == [
        ("36", "AEROCARIBBEAN AIRLINES", ("AERO-CARIBBEAN",), "CUBA", "Entity", "Cuba"),
        ("7160", "Ivan PETROV", (), "RUSSIA-EO14024; UKRAINE-EO13660", "Individual", None),
    ]
    assert listed.notes == ()


def test_ofac_sdn_csv_is_read_without_aliases_and_says_so():
    listed = read_list(OFAC_SDN_CSV, kind=ListKind.OFAC_SDN, name="sdn.csv", today=TODAY)
    assert [(e.key, e.name, e.programme, e.subject_type) for e in listed.entries] == [
        ("36", "AEROCARIBBEAN AIRLINES", "CUBA", "Entity"),
        ("7160", "PETROV, Ivan", "RUSSIA-EO14024", "individual"),
    ]
    assert listed.as_of == TODAY  # sdn.csv gives no date
    assert any("alt.csv" in note for note in listed.notes)
    assert any("gives no date" in note for note in listed.notes)


def test_eu_xml_gives_every_name_alias_and_the_generation_date():
    listed = read_list(EU_XML, kind=ListKind.EU_SANCTIONS, name="eu.xml", today=TODAY)
    assert listed.as_of == dt.date(2025, 11, 30)
    first, second = listed.entries
    assert (first.key, first.name, first.aliases, first.country, first.programme, first.subject_type) == (
        "EU.8765.43",
        "Ural Precious Metals Refinery JSC",
        ("AO Uralskiy Zavod Dragmetallov",),
        "RUSSIAN FEDERATION",
        "RUS",
        "enterprise",
    )
    assert (second.key, second.name, second.subject_type) == ("EU.27.28", "Example Person", "person")


@pytest.mark.parametrize(
    ("data", "name", "as_of"),
    [
        (UK_FCDO_XML, "UK_Sanctions_List.xml", dt.date(2025, 12, 1)),
        (UK_OFSI_XML, "ConList.xml", TODAY),  # OFSI's XML states no day for the whole list
        (UK_OFSI_CSV, "ConList.csv", dt.date(2025, 12, 1)),
    ],
)
def test_uk_lists_join_the_names_of_one_designation(data, name, as_of):
    listed = read_list(data, kind=ListKind.UK_SANCTIONS, name=name, today=TODAY)
    refinery = listed.entries[0]
    assert (refinery.name, refinery.aliases, refinery.programme, refinery.country) == (
        "NORTHERN GOLD REFINERY",
        ("SEVERNY ZOLOTO",),
        "Russia",
        "Russia",
    )
    assert refinery.subject_type == "Entity"
    assert listed.as_of == as_of


def test_uk_csv_joins_name_parts_of_a_person():
    listed = read_list(UK_OFSI_CSV, kind=ListKind.UK_SANCTIONS, name="ConList.csv", today=TODAY)
    assert [(e.key, e.name) for e in listed.entries] == [
        ("15000", "NORTHERN GOLD REFINERY"),
        ("15001", "Ivan PETROV"),
    ]


def test_a_declared_day_wins_over_the_day_the_file_states():
    listed = read_list(
        OFAC_SDN_XML, kind=ListKind.OFAC_SDN, as_of=dt.date(2025, 12, 1), name="sdn.xml", today=TODAY
    )
    assert listed.as_of == dt.date(2025, 12, 1)


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (EU_XML, ListKind.OFAC_SDN, "not OFAC's SDN list: its root is <export>"),
        (OFAC_SDN_XML, ListKind.EU_SANCTIONS, "not the EU consolidated sanctions list"),
        (UK_OFSI_CSV, ListKind.EU_SANCTIONS, "this file is not XML"),
        (b"<sdnList><sdnEntry>", ListKind.OFAC_SDN, "not well-formed XML"),
        (b"name,country\r\nx,y\r\n", ListKind.OFAC_SDN, "Row 1 is not an SDN row"),
        (EU_XML, ListKind.UK_SANCTIONS, "holds no <Designation>"),
    ],
)
def test_a_file_of_another_kind_is_refused_with_the_reason(data, kind, message):
    with pytest.raises(BadInput, match=message):
        read_list(data, kind=kind, name="list", today=TODAY)


def test_an_entity_declared_in_the_xml_is_never_expanded():
    # An XML "billion laughs" defines entities that expand to gigabytes; the parser leaves them unresolved,
    # so the name is empty and the list holds nothing, which is said rather than read.
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName></sdnEntry></sdnList>"
    )
    with pytest.raises(BadInput, match="holds no entries"):
        read_list(bomb, kind=ListKind.OFAC_SDN, name="sdn.xml", today=TODAY)
