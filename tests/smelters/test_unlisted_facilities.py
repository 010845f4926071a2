"""Facilities RMI does not list, added by an analyst: checked, identified like RMI's, marked everywhere."""

from __future__ import annotations

import dataclasses

import pytest

from builders import build_emrt2
from oretrace.errors import BadInput
from oretrace.reports import build
from oretrace.rollup.analyse import AnalysisSettings, FileAnalysis, analyse_file
from oretrace.rollup.compute import build_rollup
from oretrace.rollup.export import rollup_tables
from oretrace.smelters import Identifier, Method, reference_from_template
from oretrace.smelters.unlisted import (
    next_local_id,
    read_unlisted_facilities,
    split_aliases,
    unlisted_facility,
)
from reports.factories import make_inputs
from samples import TEMPLATES, shared_file
from smelters.smelter_fixtures import invented_reference, row

GRAPHITE = dict(
    name="Qingdao Black Lead Graphite Co., Ltd.",
    mineral="graphite",
    country="China",
    smelter_id="NGR-37021",
    programme="China national graphite registry",
    source="Supplier audit report, March 2026",
    source_url="https://example.org/graphite-registry/37021",
    aliases=["Qingdao Black Lead", "QBL Graphite"],
)


def _graphite(**changes):
    return unlisted_facility(**(GRAPHITE | changes))


def _emrt21():
    return reference_from_template(shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx"))


def test_an_added_facility_is_marked_not_rmi_listed_with_its_source():
    facility = _graphite()
    assert (facility.smelter_id, facility.metal, facility.listed_by_rmi) == ("NGR-37021", "Graphite", False)
    assert facility.aliases == ("Qingdao Black Lead", "QBL Graphite")
    assert facility.provenance() == (
        "not RMI-listed; ID of China national graphite registry; source: Supplier audit report, March 2026; "
        "https://example.org/graphite-registry/37021"
    )
    assert facility.label().endswith("[" + facility.provenance() + "]")


def test_every_missing_field_is_named_in_one_message():
    with pytest.raises(BadInput) as caught:
        unlisted_facility(
            name=" ", mineral="Unobtainium", country="", smelter_id="X-1", programme=None, source=None
        )
    message = caught.value.message
    assert "The name is missing." in message
    assert '"Unobtainium" is not a mineral' in message
    assert "The country is missing." in message
    assert "The source is missing" in message
    assert "Name the programme whose ID X-1 is" in message


def test_a_cid_is_refused_because_cids_are_rmis():
    with pytest.raises(BadInput, match=r"cid000001 is an RMI smelter ID \(CID000001\)"):
        _graphite(smelter_id="cid000001")


def test_a_source_url_must_be_a_web_address():
    with pytest.raises(BadInput, match="is not a web address"):
        _graphite(source_url="javascript:alert(1)")


def test_a_local_id_needs_no_programme_and_follows_the_highest_taken():
    facility = _graphite(smelter_id="OT-LOCAL-000007", programme=None)
    assert facility.id_programme == "oretrace"
    assert next_local_id(["OT-LOCAL-000007", "LBMA-1", "ot-local-000002"]) == "OT-LOCAL-000008"
    assert next_local_id([]) == "OT-LOCAL-000001"


def test_an_id_already_on_the_list_is_refused():
    reference = invented_reference()
    with pytest.raises(BadInput, match="already the ID of"):
        reference.with_facilities([_graphite(), _graphite(name="Another graphite plant")])


def test_a_graphite_row_is_identified_by_the_added_facilitys_id():
    reference = _emrt21().with_facilities([_graphite()])
    found = Identifier(reference).identify(row("Graphite", "Something else", smelter_id="ngr-37021"))
    assert found.identified
    assert found.method == Method.FACILITY_ID
    assert found.smelter_id == "NGR-37021"
    assert "not RMI-listed" in found.reason
    assert "Supplier audit report, March 2026" in found.reason


def test_a_graphite_row_is_identified_by_name_and_alias_of_the_added_facility():
    identifier = Identifier(_emrt21().with_facilities([_graphite()]))
    by_name = identifier.identify(row("Graphite", "QINGDAO BLACK LEAD GRAPHITE CO LTD", country="CHINA"))
    by_alias = identifier.identify(row("Graphite", "QBL Graphite"))
    by_fuzzy = identifier.identify(row("Graphite", "Qingdao Blak Lead Grafite Co."))
    assert (by_name.method, by_name.smelter_id) == (Method.NAME, "NGR-37021")
    assert (by_alias.method, by_alias.smelter_id) == (Method.ALIAS, "NGR-37021")
    assert (by_fuzzy.method, by_fuzzy.smelter_id) == (Method.FUZZY, "NGR-37021")
    assert "not RMI-listed" in by_fuzzy.reason


def test_without_the_added_facility_the_graphite_row_stays_unidentified():
    found = Identifier(_emrt21()).identify(row("Graphite", "Qingdao Black Lead Graphite Co., Ltd."))
    assert not found.identified
    assert found.reason.endswith(
        'No facility of Graphite is on the list to compare "Qingdao Black Lead Graphite Co., Ltd." with.'
    )


def test_a_cobalt_row_is_not_given_the_graphite_facility():
    identifier = Identifier(_emrt21().with_facilities([_graphite()]))
    found = identifier.identify(row("Cobalt", "QBL Graphite"))
    assert found.metal_mismatch and not found.identified


def _graphite_file(tmp_path):
    return build_emrt2(
        tmp_path / "supplier.xlsx",
        picked=("Graphite",),
        company={"name": "Anode Materials Ltd"},
        smelters=[
            {
                "metal": "Graphite",
                "lookup_name": "Smelter not listed",
                "name": "QBL Graphite",
                "country": "CHINA",
            }
        ],
    )


def test_the_not_rmi_listed_mark_survives_into_the_rollup_and_its_tables(tmp_path):
    settings = AnalysisSettings(reference=_emrt21().with_facilities([_graphite()]), reporting_year=2025)
    analysis = analyse_file(_graphite_file(tmp_path), settings)
    # Stored and read back, as the web app keeps each file's record.
    analysis = FileAnalysis.from_dict(analysis.as_dict())
    rollup = build_rollup([analysis], reference_release=settings.reference.release)
    (smelter,) = rollup.smelters
    assert (smelter.smelter_id, smelter.metal, smelter.listed_by_rmi) == ("NGR-37021", "Graphite", False)
    assert smelter.provenance.startswith("not RMI-listed; ID of China national graphite registry")
    table = next(t for t in rollup_tables(rollup) if t.name == "Smelters")
    cells = dict(zip(table.headers, table.rows[0], strict=True))
    assert cells["Listed by RMI"] == f"No ({smelter.provenance})"
    assert not rollup.unidentified


def test_an_rmi_facility_in_an_old_record_stays_rmi_listed():
    record = {"smelter_id": "CID000001", "metal": "Gold", "name": "Old", "country": "Japan"}
    from oretrace.rollup.record import _facility_from_dict

    assert _facility_from_dict(record).listed_by_rmi is True


def test_the_report_tables_mark_the_facility_with_its_source(tmp_path):
    settings = AnalysisSettings(reference=_emrt21().with_facilities([_graphite()]), reporting_year=2025)
    rollup = build_rollup([analyse_file(_graphite_file(tmp_path), settings)])
    base = make_inputs().rollup
    marked = dataclasses.replace(
        base,
        smelters=base.smelters
        + tuple(dataclasses.replace(s, metal="Tin", covered_country=True) for s in rollup.smelters),
    )
    report = build(make_inputs(rollup=marked))
    annex = next(t for t in report.tables() if t.caption.startswith("Facilities reported"))
    cells = [c if isinstance(c, str) else c.text for r in annex.rows for c in r]
    assert any(
        c.startswith("NGR-37021 (not RMI-listed; ID of China national graphite registry") for c in cells
    )
    covered = next(t for t in report.tables() if "Covered Countries" in t.caption)
    assert any(
        "NGR-37021 (not RMI-listed" in (c if isinstance(c, str) else c.text) for r in covered.rows for c in r
    )


def test_a_csv_of_facilities_gives_local_ids_and_names_every_bad_row(tmp_path):
    good = tmp_path / "facilities.csv"
    good.write_text(
        "name,mineral,country,id,programme,source,source url,aliases\n"
        "Qingdao Black Lead,Graphite,China,,,Site visit 2026,,QBL; Black Lead Qingdao\n"
        "Hunan Carbon Works,Graphite,China,LBMA-9,LBMA,LBMA list,https://example.org,\n"
        "Jixi Flake,graphite,China,OT-LOCAL-000004,,Supplier letter,,\n",
        encoding="utf-8",
    )
    facilities = read_unlisted_facilities(good)
    assert [f.smelter_id for f in facilities] == ["OT-LOCAL-000005", "LBMA-9", "OT-LOCAL-000004"]
    assert facilities[0].aliases == ("QBL", "Black Lead Qingdao")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,mineral,country,id,programme,source\nA,Graphite,China,CID000123,,x\n,Graphite,China,,,x\n"
    )
    with pytest.raises(BadInput) as caught:
        read_unlisted_facilities(bad)
    assert "Row 2: CID000123 is an RMI smelter ID" in caught.value.message
    assert "Row 3: The name is missing." in caught.value.message


def test_a_file_without_the_columns_says_which_it_wants(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("smelter,metal\nA,Gold\n")
    with pytest.raises(BadInput, match='the columns "name", "mineral", "country" and "source"'):
        read_unlisted_facilities(path)


def test_aliases_are_split_on_semicolons_and_lines():
    assert split_aliases("A; B\nC;;") == ["A", " B", "C"]
