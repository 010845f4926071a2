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
