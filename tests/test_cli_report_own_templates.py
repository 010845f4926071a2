"""``oretrace report`` on a folder of EMRTs: our own declaration is an EMRT, filled into RMI's blank."""

from __future__ import annotations

import zipfile

import pytest
from typer.testing import CliRunner

from builders import build_cmrt6, build_emrt2
from oretrace.cli import _register_commands, app
from oretrace.cli.report_settings import example_settings
from oretrace.rmi import read_template
from oretrace.rmi.model import TemplateKind
from samples import TEMPLATES, shared_file

_register_commands()
runner = CliRunner(env={"COLUMNS": "250"})

USED = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q6": "Yes", "Q7": "Yes"}
COBALT = {"metal": "Cobalt", "lookup_name": "Chemaf Etoile", "smelter_id": "CID003264", "country": "CHINA"}


@pytest.fixture
def project(tmp_path):
    """Two supplier EMRTs, RMI's blank EMRT 2.1 as the reference, a CMRT 6.4, a status list, settings."""
    emrt = shared_file(TEMPLATES / "RMI_EMRT_2.1.xlsx")
    suppliers = tmp_path / "suppliers"
    suppliers.mkdir()
    for name in ("Alpha Parts", "Beta Boards"):
        build_emrt2(
            suppliers / f"{name.split()[0].lower()}.xlsx",
            picked=("Cobalt",),
            company={"name": name},
            answers=USED,
            smelters=[COBALT],
        )
    build_cmrt6(tmp_path / "RMI_CMRT_6.4.xlsx")
    (tmp_path / "rmap.csv").write_text("Facility ID,Assessment Status\nCID003264,Conformant\n")
    settings = example_settings().replace('template = "RMI_CMRT_6.5.xlsx"', f'template = "{emrt}"')
    settings = settings.replace('path = "rmap-facilities-2026-01-15.csv"', 'path = "rmap.csv"')
    settings = settings.replace('suppliers = "suppliers-asked.csv"', "surveyed = 2")
    (tmp_path / "oretrace.toml").write_text(settings, encoding="utf-8")
    return tmp_path


def run(project, *extra):
    out = project / "out"
    args = [
        "report",
        str(project / "suppliers"),
        "--settings",
        str(project / "oretrace.toml"),
        "-o",
        str(out),
    ]
    return runner.invoke(app, [*args, *extra]), out


def test_a_folder_of_emrts_gets_our_emrt_with_the_reasons_shown(project):
    result, out = run(project)
    assert result.exit_code == 0, result.output
    assert not (out / "company-cmrt.xlsx").exists()
    ours = read_template(out / "company-emrt.xlsx")
    assert ours.kind is TemplateKind.EMRT
    assert ours.version == "2.1"
    assert ours.answers["Cobalt"]["Q1"].value == "Yes"
    assert ours.answers["Cobalt"]["Q5"].value == "100%"
    assert ours.answers["Copper"]["Q1"].value == "No"
    assert ours.company_questions["C:Cobalt"].value == "Yes"
    assert ours.company_questions["E"].value == "Yes, in conformance with IPC1755 (e.g. EMRT)"
    assert [s.smelter_id for s in ours.smelters] == ["CID003264"]
    text = " ".join(result.stdout.split())
    assert "Our EMRT: derived answers" in text
    assert "2 of 2 suppliers declared cobalt intentionally added or used" in text
    assert "2 of the 2 supplier files read are the EMRT" in text


def test_a_blank_of_another_kind_than_the_files_is_refused_with_what_to_pass(project):
    settings = project / "oretrace.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("# blank_template = ", 'blank_template = "RMI_CMRT_6.4.xlsx"\n# '), encoding="utf-8"
    )
    result, out = run(project)
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "2 of the supplier files are the EMRT, none the CMRT" in message
    assert "pass RMI's blank EMRT with --blank" in message
    assert not (out / "company-emrt.xlsx").exists()


def test_the_blank_passed_decides_the_kind(project):
    crt = shared_file(TEMPLATES / "RMI_CRT_2.2.xlsx")
    result, out = run(project, "--blank", str(crt))
    assert result.exit_code == 0, result.output
    ours = read_template(out / "company-crt.xlsx")
    assert ours.kind is TemplateKind.CRT
    assert ours.answers["Cobalt"]["Q1"].value == "Yes"
    # The CRT asks what our CMRT settings do not: its questions B, D and F stay blank, and it says so.
    assert "our CMRT asks nothing like it (policy_covers_annex_ii): give our CRT's answer" in " ".join(
        result.stdout.split()
    )


def test_a_folder_of_emrts_gets_the_battery_due_diligence_report_from_its_settings(project):
    settings = project / "oretrace.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("# [batteries]", "[batteries]")
        .replace('# categories = ["ev", "industrial"]', 'categories = ["ev", "industrial"]')
        .replace("# net_turnover_eur = 310000000", "net_turnover_eur = 310000000"),
        encoding="utf-8",
    )
    result, out = run(project)
    assert result.exit_code == 0, result.output
    html = (out / "battery-due-diligence-report.html").read_text(encoding="ascii")
    assert "Battery Due Diligence Report" in html
    assert "Electric vehicle batteries" in html and "EUR 310,000,000" in html
    # Chemaf Etoile, the cobalt refiner both files name, is the one facility; it is RMAP conformant.
    assert "Of the 1 facility identified, 1 is conformant" in html
    # It refines in the DR Congo: the risk assessment's conflict category of Annex X, cited per category.
    assert "raises red flags in the following risk categories of Annex X" in html
    assert "Direct or indirect support to non-state armed groups" in html
    assert (out / "battery-due-diligence-report.docx").exists()
    with zipfile.ZipFile(out / "evidence.zip") as z:
        assert any(n.endswith("battery-due-diligence-report.html") for n in z.namelist())


def test_an_unknown_battery_category_in_the_settings_is_refused_naming_the_choices(project):
    settings = project / "oretrace.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("# [batteries]", "[batteries]").replace(
            '# categories = ["ev", "industrial"]', 'categories = ["toys"]'
        ),
        encoding="utf-8",
    )
    result, out = run(project)
    assert result.exit_code == 2
    assert "Unknown battery categories: toys; choose from portable" in " ".join(result.output.split())
    assert not out.exists()
