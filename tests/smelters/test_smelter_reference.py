"""Reference lists from the templates' Smelter Look-up sheets, and what each release removed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from smelter_fixtures import invented_reference

from oretrace.errors import BadInput
from oretrace.rmi import read_template
from oretrace.smelters import Identifier, Method, compare_lists, reference_from_template
from samples import CENTRAL_GLASS, HONEYWELL, PKG, SK, TEMPLATES, shared_file


@pytest.fixture(scope="module")
def list_64():
    return reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.4.xlsx"))


@pytest.fixture(scope="module")
def list_65():
    return reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx"))


def test_it_collapses_alias_rows_into_one_facility_per_cid():
    reference = invented_reference()
    nordlicht = reference.get("CID900001")
    assert (nordlicht.name, nordlicht.aliases) == ("Nordlicht Edelmetall GmbH", ("Nordlicht Scheideanstalt",))
    assert reference.counts_by_metal() == {"Gold": 5, "Tin": 1, "Tungsten": 1, "Tantalum": 1}


def test_it_leaves_the_not_listed_and_not_yet_identified_choices_out():
    assert all(f.smelter_id.startswith("CID") for f in invented_reference().facilities)


def test_it_counts_the_64_look_up_as_templates_md_says(list_64):
    assert (list_64.release, list_64.date) == ("CMRT 6.4", dt.date(2024, 4, 26))
    assert len(list_64) == 368
    assert list_64.counts_by_metal() == {"Gold": 183, "Tantalum": 36, "Tin": 93, "Tungsten": 56}


def test_it_counts_the_65_look_up_as_templates_md_says(list_65):
    assert (list_65.release, list_65.date) == ("CMRT 6.5", dt.date(2025, 4, 25))
    assert len(list_65) == 349
    assert list_65.counts_by_metal() == {"Gold": 182, "Tantalum": 35, "Tin": 73, "Tungsten": 59}


def test_it_keeps_standard_name_country_and_address_of_a_facility(list_64):
    xiamen = list_64.get("cid002082")
    assert (xiamen.metal, xiamen.name, xiamen.country, xiamen.city) == (
        "Tungsten",
        "Xiamen Tungsten Co., Ltd.",
        "CHINA",
        "Xiamen",
    )
    shandong = list_64.get("CID001916")
    assert shandong.name == "Shandong Gold Smelting Co., Ltd."
    assert len(shandong.aliases) == 9


def test_it_lists_the_facilities_65_removed_and_added(list_64, list_65):
    changes = compare_lists(list_64, list_65)
    assert (len(changes.removed), len(changes.added)) == (30, 11)
    assert len(list_64) - len(changes.removed) + len(changes.added) == len(list_65)
    assert {"CID004704", "CID001508"} <= changes.removed_ids
    assert list_65.get("CID004704") is None


def test_it_refuses_a_template_without_a_look_up():
    response = read_template(shared_file(TEMPLATES / "RMI_CMRT_6.4.xlsx"))
    with pytest.raises(BadInput, match="no Smelter Look-up rows"):
        reference_from_template(replace(response, lookup=()))


@pytest.mark.parametrize(
    ("path", "count", "some"),
    [
        (CENTRAL_GLASS, 4, {"CID002082": "Xiamen Tungsten Co., Ltd."}),
        (
            SK,
            2,
            {"CID002082": "Xiamen Tungsten Co., Ltd.", "CID000258": "Chongyi Zhangyuan Tungsten Co., Ltd."},
        ),
        (HONEYWELL, 40, {"CID002044": "Wolfram Bergbau und Hutten AG"}),
        (PKG, 67, {"CID000292": "Alpha", "CID000402": "Dowa"}),
    ],
)
def test_it_identifies_every_row_of_the_real_supplier_files_by_cid(list_64, path, count, some):
    response = read_template(shared_file(path))
    found = Identifier(list_64).identify_all(response.smelters)
    assert len(found) == count
    assert {f.method for f in found} == {Method.CID}
    assert all(f.identified for f in found)
    for cid, name in some.items():
        assert any(f.smelter_id == cid and f.facility.name == name for f in found)
