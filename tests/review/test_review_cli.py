"""``oretrace review``: per-file findings, JSON output, unreadable files reported and skipped."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oretrace.cli import _register_commands, app
from samples import FILLED, LEGACY, SK, shared_file

runner = CliRunner()
_register_commands()


def test_json_gives_file_checker_count_and_findings():
    result = runner.invoke(app, ["review", "--json", "--year", "2024", str(shared_file(SK))])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert (report["file"], report["checker_missing"]) == (SK.name, 1)
    assert [(f["code"], f["sheet"], f["cell"]) for f in report["findings"]] == [
        ("required-field-missing", "Product List", "B6"),
        ("smelter-name-missing", "Smelter List", "D5"),
    ]


def test_a_folder_is_searched_and_an_unreadable_file_does_not_stop_the_run(tmp_path):
    shared_file(FILLED)
    (tmp_path / "photo.xlsx").write_bytes((LEGACY / "invalid_cmrt.xls").read_bytes())
    result = runner.invoke(app, ["review", "--json", str(FILLED), str(tmp_path / "photo.xlsx")])
    assert result.exit_code == 10
    reports = json.loads(result.stdout)
    assert [r.get("checker_missing") for r in reports[:4]] == [0, 1, 2, 8]
    assert reports[4] == {
        "file": "photo.xlsx",
        "error": {
            "code": "not-a-spreadsheet",
            "message": reports[4]["error"]["message"],
            "file": "photo.xlsx",
        },
    }


def test_the_table_names_each_file_and_sums_up():
    result = runner.invoke(app, ["review", "--year", "2024", str(shared_file(SK))])
    assert result.exit_code == 0, result.output
    assert "Checker would show 1 missing field." in result.stdout
    assert "1 file reviewed, 0 could not be read; 1 error, 0 warnings, 1 info (reviewed for" in result.stdout


def test_review_and_rollup_count_the_same_findings_for_the_same_files(tmp_path):
    """The same files, reference and year give the same findings from both commands (one pipeline)."""
    from samples import TEMPLATES

    reference = str(shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx"))
    reviewed = runner.invoke(app, ["review", "--json", "-r", reference, str(shared_file(FILLED))])
    assert reviewed.exit_code == 0, reviewed.output
    per_file = {r["file"]: r["counts"] for r in json.loads(reviewed.stdout)}
    out = tmp_path / "rollup.json"
    rolled = runner.invoke(app, ["rollup", str(FILLED), "-r", reference, "-o", str(out)])
    assert rolled.exit_code == 0, rolled.output
    suppliers = json.loads(out.read_text())["suppliers"]
    assert {s["file_name"]: s["findings_by_severity"] for s in suppliers} == per_file
    assert sum(c["warning"] for c in per_file.values()) > 0


def test_the_table_gives_the_files_checker_count_and_rmis_when_they_differ(tmp_path):
    from builders import with_checker_line_moved
    from oretrace.rmi.patching import CellWrite, patch_workbook
    from samples import CENTRAL_GLASS

    blanked = patch_workbook(shared_file(CENTRAL_GLASS).read_bytes(), [CellWrite("Declaration", "D15", None)])
    path = tmp_path / "moved.xlsx"
    path.write_bytes(with_checker_line_moved(blanked, 7, "D14"))
    result = runner.invoke(app, ["review", "--year", "2024", str(path)])
    assert "the file's Checker would show 0 missing fields." in result.stdout
    assert "RMI's template's Checker would show 1 missing field (see the Checker findings)." in result.stdout
    shown = runner.invoke(app, ["review", "--json", "--year", "2024", str(path)])
    [report] = json.loads(shown.stdout)
    assert (report["checker_missing"], report["checker_missing_by_rmi_rules"]) == (0, 1)


def test_minerals_outside_the_inquiry_are_not_faulted_and_one_not_picked_is(tmp_path):
    from filled_templates import emrt21_bytes

    path = tmp_path / "EMRT.xlsx"
    # Lithium picked and left unanswered; nickel, asked about, not picked.
    path.write_bytes(emrt21_bytes(picked=("Cobalt", "Lithium"), D31=None, D43=None))
    everything = runner.invoke(app, ["review", "--json", "--year", "2025", str(path)])
    [report] = json.loads(everything.stdout)
    assert any(f["mineral"] == "Lithium" for f in report["findings"])
    asked = runner.invoke(
        app, ["review", "--json", "--year", "2025", "--minerals", "cobalt, Nickel", str(path)]
    )
    assert asked.exit_code == 0, asked.output
    [report] = json.loads(asked.stdout)
    assert not any(f["mineral"] == "Lithium" for f in report["findings"])
    assert [f["mineral"] for f in report["findings"] if f["code"] == "asked-mineral-not-picked"] == ["Nickel"]


def test_a_mineral_no_template_asks_about_is_refused_plainly(tmp_path):
    result = runner.invoke(app, ["review", "--minerals", "Cobolt", str(tmp_path)])
    assert result.exit_code == 17
    assert "No RMI template asks about Cobolt; they ask about Aluminum, Cobalt," in " ".join(
        result.output.split()
    )
