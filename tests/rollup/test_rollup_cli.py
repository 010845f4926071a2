"""``oretrace rollup`` writes a workbook a manager can open, and survives bad files."""

from __future__ import annotations

import json

from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from builders import build_cmrt6
from oretrace.cli import _register_commands, app

_register_commands()
runner = CliRunner()


def _reference(tmp_path):
    (tmp_path / "rmi").mkdir(exist_ok=True)
    return build_cmrt6(tmp_path / "rmi" / "reference.xlsx", company={"name": "RMI blank"})


def test_it_writes_the_six_sheets(tmp_path):
    suppliers = tmp_path / "suppliers"
    suppliers.mkdir()
    build_cmrt6(
        suppliers / "a.xlsx",
        company={"name": "@SUM(1+1)"},
        smelters=[
            {
                "metal": "Tungsten",
                "lookup_name": "Xiamen Tungsten Co., Ltd.",
                "smelter_id": "CID002082",
                "country": "CHINA",
            },
        ],
    )
    (suppliers / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    out = tmp_path / "rollup.xlsx"
    result = runner.invoke(
        app, ["rollup", str(suppliers), "--reference", str(_reference(tmp_path)), "-o", str(out)]
    )
    # The roll-up is written, and the exit status says a file could not be read (14 corrupt-file).
    assert result.exit_code == 14, result.output
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Suppliers", "Findings", "Smelters", "Unidentified", "Mines", "Origins"]
    suppliers_sheet = book.get_sheet_by_name("Suppliers").to_python()
    assert suppliers_sheet[1][1] == "'@SUM(1+1)"  # escaped, not a live formula
    assert "corrupt-file" in suppliers_sheet[2][12]
    smelters = book.get_sheet_by_name("Smelters").to_python()
    assert smelters[1][:3] == ["Tungsten", "CID002082", "Xiamen Tungsten Co., Ltd."]


def test_it_writes_json_when_asked(tmp_path):
    build_cmrt6(tmp_path / "a.xlsx", company={"name": "Acme"})
    out = tmp_path / "rollup.json"
    result = runner.invoke(
        app, ["rollup", str(tmp_path / "a.xlsx"), "-r", str(_reference(tmp_path)), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [s["company_name"] for s in data["suppliers"]] == ["Acme"]
    assert data["reference_release"].startswith("CMRT 6.4")


def test_a_reference_that_is_not_a_template_is_a_clear_error(tmp_path):
    not_a_template = tmp_path / "ref.xlsx"
    not_a_template.write_bytes(b"hello")
    result = runner.invoke(app, ["rollup", str(tmp_path), "-r", str(not_a_template)])
    assert result.exit_code == 2
    assert "not an Excel workbook" in result.output
    assert "Traceback" not in result.output


def test_an_empty_folder_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["rollup", str(tmp_path / "empty"), "-r", str(_reference(tmp_path))])
    assert result.exit_code == 2
    assert "No .xlsx or .xls files were found" in result.output


def test_a_cahra_list_in_a_csv_flags_the_smelters_in_its_countries(tmp_path):
    build_cmrt6(
        tmp_path / "a.xlsx",
        smelters=[{"metal": "Tungsten", "lookup_name": "Xiamen Tungsten Co., Ltd.", "country": "CHINA"}],
    )
    cahra = tmp_path / "cahra.csv"
    cahra.write_text("Country,Since\nChina,2025\n", encoding="utf-8")
    out = tmp_path / "rollup.json"
    args = ["rollup", str(tmp_path / "a.xlsx"), "-r", str(_reference(tmp_path)), "--cahra", str(cahra)]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    [smelter] = json.loads(out.read_text())["smelters"]
    assert smelter["cahra"] is True
    missing = runner.invoke(app, [*args[:-1], str(tmp_path / "none.csv"), "-o", str(out)])
    assert missing.exit_code != 0 and "cannot be read" in missing.output


def test_output_to_a_pipe_is_not_cut_at_80_columns(tmp_path):
    build_cmrt6(tmp_path / "a.xlsx", company={"name": "Acme"})
    (
        tmp_path / "a-file-with-a-rather-long-name-that-would-wrap-at-eighty-columns-in-a-pipe.xlsx"
    ).write_bytes(b"\xff\xd8\xff\xe0 a photo")
    result = runner.invoke(
        app, ["rollup", str(tmp_path), "-r", str(_reference(tmp_path)), "-o", str(tmp_path / "r.xlsx")]
    )
    assert result.exit_code == 10
    line = next(text for text in result.stderr.splitlines() if "would-wrap" in text)
    assert line.endswith("(not-a-spreadsheet)") and len(line) > 120


def test_the_minerals_asked_about_decide_what_the_rollup_finds(tmp_path):
    from filled_templates import EMRT21, blank, emrt21_bytes

    (tmp_path / "files").mkdir()
    # Lithium picked and left unanswered; nickel, asked about, not picked.
    (tmp_path / "files" / "emrt.xlsx").write_bytes(emrt21_bytes(picked=("Cobalt", "Lithium"), D31=None))
    (tmp_path / "rmi.xlsx").write_bytes(blank(EMRT21))
    out = tmp_path / "rollup.json"
    command = ["rollup", str(tmp_path / "files"), "-r", str(tmp_path / "rmi.xlsx"), "-o", str(out)]
    result = runner.invoke(app, [*command, "--minerals", "Cobalt, nickel"])
    assert result.exit_code == 0, result.output
    findings = json.loads(out.read_text())["findings"]
    assert not [f for f in findings if f["mineral"] == "Lithium"]
    assert [f["mineral"] for f in findings if f["code"] == "asked-mineral-not-picked"] == ["Nickel"]
    refused = runner.invoke(app, [*command, "--minerals", "Kryptonite"])
    assert refused.exit_code == 2 and "No RMI template asks about Kryptonite" in refused.output


def test_the_mines_of_the_mine_lists_reach_every_export(tmp_path):
    from filled_templates import EMRT21, TIANMA, blank, emrt21_bytes

    (tmp_path / "files").mkdir()
    drc_mine = ("Cobalt", "Glencore Nikkelverk", "Kamoto Copper Company", "MINE-KCC-01", "Company", "DRC")
    for name, company in (("a.xlsx", "Alpha Batteries"), ("b.xlsx", "Beta Cells")):
        data = emrt21_bytes(company={**TIANMA, "name": company}, mines=[drc_mine])
        (tmp_path / "files" / name).write_bytes(data)
    (tmp_path / "rmi.xlsx").write_bytes(blank(EMRT21))
    command = ["rollup", str(tmp_path / "files"), "-r", str(tmp_path / "rmi.xlsx")]
    for suffix in ("json", "xlsx", "csv"):
        result = runner.invoke(app, [*command, "-o", str(tmp_path / f"rollup.{suffix}")])
        assert result.exit_code == 0, result.output
    assert "1 mine(s) in the Mine Lists, 1 in a Covered Country or CAHRA" in result.output
    mines = json.loads((tmp_path / "rollup.json").read_text())["mines"]
    assert [(m["name"], m["suppliers"], m["covered_country"]) for m in mines] == [
        ("Kamoto Copper Company", ["Alpha Batteries", "Beta Cells"], True)
    ]
    sheet = CalamineWorkbook.from_path(str(tmp_path / "rollup.xlsx")).get_sheet_by_name("Origins").to_python()
    assert sheet[1] == ["Cobalt", "Congo, Democratic Republic of the", "from the Mine List"]
    csv_text = (tmp_path / "rollup-mines.csv").read_text(encoding="utf-8-sig")
    assert "Kamoto Copper Company" in csv_text.splitlines()[1]
