"""CFSI 2014 data: v2 IDs translated to CIDs, and the 2014 names as aliases."""

from __future__ import annotations

import pytest
from smelter_fixtures import invented_reference, row

from oretrace.errors import BadInput
from oretrace.smelters import (
    Identifier,
    Method,
    read_smelter_references,
    read_v2_translation,
    reference_from_template,
)
from samples import REFERENCE, TEMPLATES, shared_file

TRANSLATION = REFERENCE / "cfsi2014_v2_to_v3_translation_data.csv"
REFERENCES = REFERENCE / "cfsi2014_smelter_references.csv"


def test_it_reads_the_2014_translation_table_without_a_usable_header():
    table = read_v2_translation(shared_file(TRANSLATION))
    assert len(table) == 183  # 215 rows, 32 of them with no v2 ID
    found = table.translate("1JPN072")
    assert (found.smelter_id, found.metal, found.name, found.country) == (
        "CID000019",
        "Gold",
        "Aida Chemical Industries Co. Ltd.",
        "JAPAN",
    )


def test_it_identifies_a_row_by_v2_id_against_the_64_list():
    identifier = Identifier(
        reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.4.xlsx")),
        v2=read_v2_translation(shared_file(TRANSLATION)),
    )
    found = identifier.identify(row("Gold", smelter_id="1JPN072"))
    assert (found.method, found.smelter_id, found.facility.name) == (
        Method.V2_ID,
        "CID000019",
        "Aida Chemical Industries Co., Ltd.",
    )


def test_it_reads_the_2014_smelter_references_with_key_terms_and_both_ids():
    references = read_smelter_references(shared_file(REFERENCES))
    assert len(references.entries) == 215
    perth = references.entries[0]
    assert (perth.name, perth.v2_id, perth.smelter_id, perth.key_terms) == (
        "Western Australian Mint trading as The Perth Mint",
        "1AUS046",
        "CID002030",
        ("Perth", "Australian", "AGR", "Matthey"),
    )
    assert len(references.v2_table()) == 183


def test_it_adds_the_2014_names_as_aliases_and_matches_them():
    reference = reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.4.xlsx"))
    with_2014 = reference.with_aliases(read_smelter_references(shared_file(REFERENCES)).aliases())
    old_name = "Gansu Seemine Material Hi-Tech Co Ltd"
    assert reference.get("CID000522").name == "Refinery of Seemine Gold Co., Ltd."
    assert old_name in with_2014.get("CID000522").aliases
    found = Identifier(with_2014).identify(row("Gold", "Gansu Seemine Material Hi-Tech"))
    assert (found.method, found.smelter_id) == (Method.ALIAS, "CID000522")


def test_it_refuses_a_translation_file_without_v2_ids():
    with pytest.raises(BadInput, match=r'No column of old v2 IDs.*Headers found: "Metal", "Name"'):
        read_v2_translation(b"Metal,Name\nGold,Acme\n", name="t.csv")


def test_it_ignores_aliases_for_cids_the_list_does_not_have():
    reference = invented_reference().with_aliases(
        {"CID999999": ["Ghost Refinery"], "CID900002": ["SJ Refinaria"]}
    )
    assert reference.get("CID900002").aliases == ("SJ Refinaria",)
    assert reference.get("CID999999") is None
