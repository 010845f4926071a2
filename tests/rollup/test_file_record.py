"""The per-file record: plain data that goes through JSON and comes back equal, so the web app, which
stores it, rolls up exactly what the command line rolls up."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from test_rollup_build import REFERENCE

from builders import build_cmrt6
from oretrace.rollup.analyse import AnalysisSettings, FileAnalysis, analyse_file
from oretrace.rollup.compute import build_rollup
from oretrace.smelters import Identifier, reference_from_template
from samples import CENTRAL_GLASS, HONEYWELL, LEGACY, PKG, SK, TEMPLATES, shared_file


def through_json(analysis: FileAnalysis) -> FileAnalysis:
    return FileAnalysis.from_dict(json.loads(json.dumps(analysis.as_dict())))


@pytest.mark.shared
@pytest.mark.parametrize("path", [CENTRAL_GLASS, SK, HONEYWELL, PKG], ids=["cg", "sk", "honeywell", "pkg"])
def test_a_real_file_record_survives_json_unchanged(path):
    settings = AnalysisSettings(
        reference=reference_from_template(shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx")), reporting_year=2024
    )
    analysis = analyse_file(shared_file(path), settings)
    assert analysis.report.findings and analysis.identifications
    assert through_json(analysis) == analysis


@pytest.mark.shared
def test_an_unreadable_file_record_keeps_its_error():
    analysis = analyse_file(shared_file(LEGACY / "invalid_cmrt.xls"), AnalysisSettings())
    back = through_json(analysis)
    assert (back.readable, back.error_code, back.error_message) == (
        False,
        "not-a-spreadsheet",
        analysis.error_message,
    )


def test_records_roll_up_to_the_same_result_as_the_analyses(tmp_path):
    path = build_cmrt6(
        tmp_path / "a.xlsx",
        company={"name": "Alpha Parts"},
        smelters=[
            {
                "metal": "Tin",
                "lookup_name": "Alpha",
                "smelter_id": "CID000292",
                "country": "UNITED STATES OF AMERICA",
            },
            {"metal": "Gold", "lookup_name": "Smelter not listed", "name": "Kigali Gld", "country": "RWANDA"},
            {
                "metal": "Tin",
                "lookup_name": "Smelter not listed",
                "name": "Mystery Works",
                "country": "BOLIVIA",
            },
        ],
    )
    analysis = analyse_file(path, AnalysisSettings(reference=REFERENCE))
    direct, stored = (build_rollup([a], generated_at=None) for a in (analysis, through_json(analysis)))
    assert (direct.smelters, direct.unidentified, direct.findings, direct.suppliers) == (
        stored.smelters,
        stored.unidentified,
        stored.findings,
        stored.suppliers,
    )


def test_the_supplier_it_came_from_names_it_in_the_rollup(tmp_path):
    path = build_cmrt6(
        tmp_path / "a.xlsx",
        company={"name": "ALPHA PARTS (SHENZHEN)"},
        smelters=[{"metal": "Tin", "lookup_name": "Alpha", "smelter_id": "CID000292", "country": "USA"}],
    )
    analysis = analyse_file(path, AnalysisSettings(reference=REFERENCE))
    rollup = build_rollup([replace(analysis, supplier="Alpha Parts Ltd")])
    assert rollup.smelters[0].suppliers == ("Alpha Parts Ltd",)
    assert (rollup.suppliers[0].label, rollup.suppliers[0].company_name) == (
        "Alpha Parts Ltd",
        "ALPHA PARTS (SHENZHEN)",
    )


def test_a_record_is_identified_again_with_a_name_an_analyst_confirmed(tmp_path):
    path = build_cmrt6(
        tmp_path / "a.xlsx",
        smelters=[
            {"metal": "Tin", "lookup_name": "Smelter not listed", "name": "Alfa Tin", "country": "USA"}
        ],
    )
    analysis = analyse_file(path, AnalysisSettings(reference=REFERENCE))
    assert not analysis.identifications[0].identified
    again = through_json(analysis).reidentified(Identifier(REFERENCE, confirmed={"Alfa Tin": "CID000292"}))
    assert (again.identifications[0].smelter_id, str(again.identifications[0].method)) == (
        "CID000292",
        "alias",
    )
    assert again.report == analysis.report
