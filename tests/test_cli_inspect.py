"""``oretrace inspect``: the JSON contract, the readable summary, folders, and exit statuses."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from oretrace.cli import _register_commands, app
from samples import CENTRAL_GLASS, FILLED, HONEYWELL, LEGACY, shared_file
from test_opening import minimal_cmrt

_register_commands()
runner = CliRunner()


@pytest.fixture
def acme(tmp_path):
    path = tmp_path / "acme-2024.xlsx"
    path.write_bytes(minimal_cmrt())
    return path


def inspect_json(*arguments: str):
    result = runner.invoke(app, ["inspect", "--json", *arguments])
    return result, json.loads(result.stdout)


def test_it_prints_the_synthetic_template_as_one_json_object(acme):
    result, data = inspect_json(str(acme))
    assert result.exit_code == 0
    assert data["file"]["name"] == "acme-2024.xlsx"
    assert len(data["file"]["sha256"]) == 64
    assert data["template"]["kind"] == "CMRT" and data["template"]["version"] == "6.4"
    assert data["company"]["name"] == "Acme Metals Ltd."
    assert data["company"]["declaration_scope"] == "A"
    assert data["company"]["effective_date"] == "2024-05-10"
    assert data["answers"]["Tantalum"]["Q1"] == "Yes"
    assert data["answers"]["Tin"]["Q1"] == "No"
    assert [(s["row"], s["metal"], s["name"], s["country"]) for s in data["smelters"]] == [
        (5, "Tin", "Acme Tin", "BOLIVIA")
    ]
    assert [{key: p[key] for key in ("row", "number", "name")} for p in data["products"]] == [
        {"row": 6, "number": "P-100", "name": "Widget"}
    ]


def test_it_prints_central_glass_with_its_real_values():
    result, data = inspect_json(str(shared_file(CENTRAL_GLASS)))
    assert result.exit_code == 0
    assert data["company"]["name"] == "Central Glass Co., Ltd."
    assert data["company"]["declaration_scope"] == "A"
    assert data["company"]["effective_date"] == "2024-05-10"
    assert [s["smelter_id"] for s in data["smelters"]] == ["CID002494", "CID002551", "CID002513", "CID002082"]
    assert {s["metal"] for s in data["smelters"]} == {"Tungsten"}
    assert data["checker_cached"] == 0
    assert set(data) >= {
        "file",
        "template",
        "company",
        "answers",
        "company_questions",
        "smelters",
        "products",
    }


def test_it_prints_honeywell_answers_and_company_questions():
    _result, data = inspect_json(str(shared_file(HONEYWELL)))
    assert data["company"]["name"] == "Honeywell International"  # trailing tabs stripped
    assert data["company"]["effective_date"] == "2024-05-02"  # typed as text, "02-May-2024"
    assert data["answers"]["Tantalum"]["Q6"] == "100%"
    assert data["company_questions"]["H"] == "Yes, with the SEC"
    assert data["smelters"][0]["row"] == 5


def test_it_exits_with_the_not_a_spreadsheet_status_for_the_jpeg():
    jpeg = shared_file(LEGACY / "invalid_cmrt.xls")
    result = runner.invoke(app, ["inspect", str(jpeg)])
    assert result.exit_code == 10
    assert "JPEG image" in result.stderr and "not-a-spreadsheet" in result.stderr
    result, data = inspect_json(str(jpeg))
    assert result.exit_code == 10
    assert data["error"]["code"] == "not-a-spreadsheet"
    assert data["file"]["name"] == "invalid_cmrt.xls"


def test_it_exits_with_the_status_of_a_random_byte_file(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"meeting notes, not a template")
    result = runner.invoke(app, ["inspect", str(path)])
    assert result.exit_code == 10
    assert "notes.xlsx" in result.stderr


def test_it_reads_every_template_in_a_folder_and_skips_excel_lock_files(tmp_path, acme):
    (tmp_path / "~$acme-2024.xlsx").write_bytes(b"lock")
    (tmp_path / "readme.txt").write_text("not a template")
    (tmp_path / "broken.xls").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    result, data = inspect_json(str(tmp_path))
    assert result.exit_code == 10  # the last unreadable file decides the status
    assert [entry["file"]["name"] for entry in data] == ["acme-2024.xlsx", "broken.xls"]
    assert data[0]["company"]["name"] == "Acme Metals Ltd."
    assert data[1]["error"]["code"] == "not-a-spreadsheet"


def test_it_reads_the_four_real_files_from_their_folder():
    folder = shared_file(FILLED)
    result, data = inspect_json(str(folder))
    assert result.exit_code == 0
    assert sorted(entry["company"]["declaration_scope"] or "-" for entry in data) == ["-", "A", "B", "C"]
    assert sum(len(entry["smelters"]) for entry in data) == 4 + 2 + 40 + 67


def test_it_says_so_when_a_folder_holds_no_template(tmp_path):
    result = runner.invoke(app, ["inspect", str(tmp_path)])
    assert result.exit_code == 10
    assert "holds no .xlsx" in result.stderr


def test_it_summarises_a_template_for_a_person(acme):
    result = runner.invoke(app, ["inspect", str(acme)])
    assert result.exit_code == 0
    assert "CMRT 6.4" in result.stdout
    assert "Acme Metals Ltd." in result.stdout
    assert "1 smelter rows, 1 product rows" in result.stdout
