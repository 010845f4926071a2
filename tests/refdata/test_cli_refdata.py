"""``oretrace refdata import``: what a list holds, put into the import folder, and refusals with reasons."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oretrace.cli import _register_commands, app
from oretrace.refdata import dropped_files, sha256_of
from published_lists import OFAC_SDN_XML, RMI_CONFORMANT_CSV

_register_commands()
runner = CliRunner()


def test_it_reports_the_list_as_json(tmp_path):
    path = tmp_path / "sdn.xml"
    path.write_bytes(OFAC_SDN_XML)
    result = runner.invoke(app, ["refdata", "import", str(path), "--kind", "ofac-sdn", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {k: summary[k] for k in ("kind", "as_of", "entries", "sha256", "placed")} == {
        "kind": "ofac-sdn",
        "as_of": "2025-11-28",
        "entries": 2,
        "sha256": sha256_of(OFAC_SDN_XML),
        "placed": None,
    }


def test_it_puts_the_list_into_the_import_folder_with_its_declared_status(tmp_path):
    path = tmp_path / "eligible.csv"
    path.write_bytes(RMI_CONFORMANT_CSV)
    inbox = tmp_path / "inbox"
    result = runner.invoke(
        app,
        [
            "refdata",
            "import",
            str(path),
            "-k",
            "rmi-eligible",
            "--status",
            "active",
            "--as-of",
            "2025-11-01",
            "--into",
            str(inbox),
        ],
    )
    assert result.exit_code == 0, result.output
    (dropped,) = dropped_files(inbox)
    assert (dropped.kind.value, dropped.status.value, dropped.as_of.isoformat(), dropped.problem) == (
        "rmi-eligible",
        "Active",
        "2025-11-01",
        None,
    )
    assert dropped.path.read_bytes() == RMI_CONFORMANT_CSV


def test_a_list_of_another_kind_exits_17_with_the_reason(tmp_path):
    path = tmp_path / "sdn.xml"
    path.write_bytes(OFAC_SDN_XML)
    result = runner.invoke(app, ["refdata", "import", str(path), "--kind", "eu-sanctions"])
    assert result.exit_code == 17
    assert "not the EU consolidated sanctions list" in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_day_or_status_is_refused_plainly(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(RMI_CONFORMANT_CSV)
    bad_day = runner.invoke(app, ["refdata", "import", str(path), "-k", "rmi-active", "--as-of", "1 May"])
    assert bad_day.exit_code == 2
    assert '"1 May" is not a day written YYYY-MM-DD' in bad_day.stderr
    bad_status = runner.invoke(
        app, ["refdata", "import", str(path), "-k", "rmi-eligible", "--status", "great"]
    )
    assert bad_status.exit_code == 17
    assert '"great" is not an audit status' in bad_status.stderr


def test_screen_prints_each_hit_with_its_explanation_and_exits_1(tmp_path):
    names = tmp_path / "suppliers.txt"
    names.write_text("# our suppliers\nAero Caribbean\nClean Co\n", encoding="utf-8")
    sdn = tmp_path / "sdn.xml"
    sdn.write_bytes(OFAC_SDN_XML)
    result = runner.invoke(
        app, ["refdata", "screen", str(names), "--list", str(sdn), "--kind", "ofac-sdn", "--json"]
    )
    assert result.exit_code == 1, result.output
    (hit,) = json.loads(result.stdout)
    assert (hit["subject"], hit["entry_key"], hit["matched_name"], hit["match"], hit["list_as_of"]) == (
        "Aero Caribbean",
        "36",
        "AERO-CARIBBEAN",
        "exact",
        "2025-11-28",
    )


def test_screen_reads_the_facilities_and_suppliers_of_a_rollup(tmp_path):
    rollup = tmp_path / "rollup.json"
    rollup.write_text(
        json.dumps(
            {
                "smelters": [
                    {"smelter_id": "CID000009", "name": "Aerocaribbean Airlines", "country": "Cuba"}
                ],
                "suppliers": [{"supplier": "Clean Co", "company_name": "Clean Co"}],
            }
        ),
        encoding="utf-8",
    )
    sdn = tmp_path / "sdn.xml"
    sdn.write_bytes(OFAC_SDN_XML)
    result = runner.invoke(app, ["refdata", "screen", str(rollup), "-l", str(sdn), "-k", "ofac-sdn"])
    assert result.exit_code == 1, result.output
    assert "2 names screened, 1 hit." in result.stdout
    assert "The entry's country (Cuba) is the facility's (Cuba)." in result.stdout


def test_screen_says_when_the_file_is_not_a_rollup(tmp_path):
    bad = tmp_path / "rollup.json"
    bad.write_text('{"files": []}', encoding="utf-8")
    sdn = tmp_path / "sdn.xml"
    sdn.write_bytes(OFAC_SDN_XML)
    result = runner.invoke(app, ["refdata", "screen", str(bad), "-l", str(sdn), "-k", "ofac-sdn"])
    assert result.exit_code == 17
    assert "not a roll-up" in result.output
    assert "Traceback" not in result.output
