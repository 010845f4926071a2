"""``--facilities FILE`` of review, rollup and report: an analyst with no server identifies graphite too."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from builders import build_emrt2
from oretrace.cli import _register_commands, app
from oretrace.cli.facilities import FACILITIES_HELP
from oretrace.smelters.unlisted import FACILITY_COLUMNS
from samples import TEMPLATES, shared_file

_register_commands()
runner = CliRunner()

CSV = (
    "name,mineral,country,id,programme,source,source url,aliases\n"
    "Qingdao Black Lead Graphite Co.,Graphite,China,NGR-37021,China graphite registry,"
    "Supplier audit report 2026,,QBL Graphite\n"
)


def _files(tmp_path):
    facilities = tmp_path / "facilities.csv"
    facilities.write_text(CSV, encoding="utf-8")
    suppliers = tmp_path / "suppliers"
    suppliers.mkdir()
    build_emrt2(
        suppliers / "anode.xlsx",
        picked=("Graphite",),
        company={"name": "Anode Materials Ltd"},
        smelters=[{"metal": "Graphite", "lookup_name": "Smelter not listed", "name": "QBL Graphite"}],
    )
    return facilities, suppliers


@pytest.mark.parametrize("command", ["review", "rollup", "report"])
def test_the_help_documents_every_column(command):
    assert all(column in FACILITIES_HELP for column in FACILITY_COLUMNS)
    result = runner.invoke(app, [command, "--help"])
    assert "--facilities" in result.output


def test_rollup_identifies_a_graphite_row_against_the_file_and_marks_it(tmp_path):
    facilities, suppliers = _files(tmp_path)
    out = tmp_path / "rollup.json"
    reference = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx")
    result = runner.invoke(
        app,
        ["rollup", str(suppliers), "-r", str(reference), "--facilities", str(facilities), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    (smelter,) = data["smelters"]
    assert (smelter["smelter_id"], smelter["listed_by_rmi"]) == ("NGR-37021", False)
    assert smelter["provenance"] == (
        "not RMI-listed; ID of China graphite registry; source: Supplier audit report 2026"
    )
    assert data["unidentified"] == []


def test_rollup_without_the_file_leaves_the_graphite_row_unidentified(tmp_path):
    _facilities, suppliers = _files(tmp_path)
    out = tmp_path / "rollup.json"
    reference = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx")
    result = runner.invoke(app, ["rollup", str(suppliers), "-r", str(reference), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["smelters"] == []
    assert [u["name"] for u in data["unidentified"]] == ["QBL Graphite"]


def test_a_bad_facilities_file_is_a_clear_error(tmp_path):
    _facilities, suppliers = _files(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,mineral,country,source\nSome plant,Graphite,,a visit\n")
    reference = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx")
    result = runner.invoke(
        app,
        [
            "rollup",
            str(suppliers),
            "-r",
            str(reference),
            "--facilities",
            str(bad),
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
    )
    assert result.exit_code == 2
    assert "Row 2: The country is missing." in result.output
    assert "Traceback" not in result.output


def test_review_with_facilities_needs_the_reference_they_add_to(tmp_path):
    facilities, suppliers = _files(tmp_path)
    result = runner.invoke(app, ["review", str(suppliers), "--facilities", str(facilities)])
    assert result.exit_code == 2
    assert "give the RMI template with --reference too" in result.output


def test_review_accepts_an_added_facilitys_id_in_the_smelter_id_column(tmp_path):
    facilities, _suppliers = _files(tmp_path)
    build_emrt2(
        tmp_path / "by-id.xlsx",
        picked=("Graphite",),
        company={"name": "Anode Materials Ltd"},
        smelters=[
            {
                "metal": "Graphite",
                "lookup_name": "Smelter not listed",
                "name": "QBL",
                "smelter_id": "NGR-37021",
            }
        ],
    )
    reference = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx")
    args = ["review", str(tmp_path / "by-id.xlsx"), "-r", str(reference), "--json"]
    without = json.loads(runner.invoke(app, args).stdout)
    with_file = json.loads(runner.invoke(app, [*args, "--facilities", str(facilities)]).stdout)
    assert "smelter-id-malformed" in {f["code"] for f in without[0]["findings"]}
    assert "smelter-id-malformed" not in {f["code"] for f in with_file[0]["findings"]}
