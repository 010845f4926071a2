"""``oretrace report``: a folder of CMRTs and a settings file in, the year's documents out."""

from __future__ import annotations

import io
import tomllib
import zipfile

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from builders import build_cmrt6
from oretrace.cli import _register_commands, app
from oretrace.cli.report_settings import example_settings
from oretrace.evidence import verify_evidence_package
from oretrace.reports.render_pdf import pdf_unavailable
from oretrace.rmi import read_template

_register_commands()
runner = CliRunner(env={"COLUMNS": "250"})  # wide enough that no reason wraps in the table

IN_SCOPE = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q5": "No", "Q7": "Yes"}
XIAMEN = {
    "metal": "Tungsten",
    "lookup_name": "Xiamen Tungsten Co., Ltd.",
    "smelter_id": "CID002082",
    "country": "CHINA",
    "recycled_or_scrap": "No",
}
ALPHA = {
    "metal": "Tin",
    "lookup_name": "Alpha",
    "smelter_id": "CID000292",
    "country": "UNITED STATES OF AMERICA",
}
OUTPUTS = [
    "rollup.xlsx",
    "company-cmrt.xlsx",
    "conflict-minerals-report.htm",
    "conflict-minerals-report.docx",
    "conflict-minerals-report.pdf",
    "form-sd.htm",
    "form-sd.docx",
    "risk-summary.html",
    "risk-summary.pdf",
    "risk-summary.xlsx",
    "evidence.zip",
]


@pytest.fixture
def project(tmp_path):
    """Three supplier CMRTs and a damaged file, a reference template, a status list and the settings."""
    suppliers = tmp_path / "suppliers"
    suppliers.mkdir()
    build_cmrt6(
        suppliers / "alpha.xlsx",
        company={"name": "Alpha Parts"},
        answers={**IN_SCOPE, "Q1": {"Gold": "No", "Tin": "Yes", "Tantalum": "No", "Tungsten": "Yes"}},
        smelters=[XIAMEN, ALPHA],
    )
    build_cmrt6(suppliers / "beta.xlsx", company={"name": "Beta Boards"}, answers=IN_SCOPE, smelters=[XIAMEN])
    build_cmrt6(
        suppliers / "gamma.xlsx",
        company={"name": "Gamma Glass"},
        answers={**IN_SCOPE, "Q1": "No"},
    )
    (suppliers / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    rmi = tmp_path / "rmi"
    rmi.mkdir()
    build_cmrt6(rmi / "RMI_CMRT_6.4.xlsx")
    (rmi / "rmap.csv").write_text("Facility ID,Assessment Status\nCID002082,Conformant\nCID000292,Active\n")
    # The suppliers asked: three sent a file, one declined, one is silent.
    (tmp_path / "suppliers-asked.csv").write_text(
        "Supplier,Number,Declined\nAlpha Parts,S1,\nBeta Boards,S2,\nGamma Glass,S3,\n"
        "Delta Devices,S4,\nEpsilon Enclosures,S5,Our enclosures contain no 3TG.\n",
        encoding="utf-8",
    )
    settings = example_settings().replace(
        'template = "RMI_CMRT_6.5.xlsx"', 'template = "rmi/RMI_CMRT_6.4.xlsx"'
    )
    settings = settings.replace('path = "rmap-facilities-2026-01-15.csv"', 'path = "rmi/rmap.csv"')
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


def edit_settings(project, old, new):
    path = project / "oretrace.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_it_writes_every_document(project):
    result, out = run(project)
    # Everything is written; the exit status says that broken.xlsx could not be read (14 corrupt-file).
    assert result.exit_code == 14, result.output
    expected = [name for name in OUTPUTS if not (name.endswith(".pdf") and pdf_unavailable())]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)

    rollup = CalamineWorkbook.from_path(str(out / "rollup.xlsx"))
    assert rollup.sheet_names == ["Suppliers", "Findings", "Smelters", "Unidentified", "Mines", "Origins"]
    smelters = rollup.get_sheet_by_name("Smelters").to_python()
    assert [row[:2] for row in smelters[1:]] == [["Tin", "CID000292"], ["Tungsten", "CID002082"]]

    for name in ("conflict-minerals-report.docx", "form-sd.docx"):
        assert "word/document.xml" in zipfile.ZipFile(out / name).namelist()
    html = (out / "conflict-minerals-report.htm").read_text(encoding="ascii")
    assert "Norland Instruments, Inc." in html
    assert "80%" in html  # 3 readable files and 1 decline of 5 suppliers asked
    assert "Form SD" in (out / "form-sd.htm").read_text(encoding="ascii")
    if not pdf_unavailable():
        assert (out / "conflict-minerals-report.pdf").read_bytes().startswith(b"%PDF-")


def test_the_company_cmrt_has_the_derived_answers_and_the_table_shows_why(project):
    result, out = run(project)
    assert result.exit_code == 14, result.output
    ours = read_template(out / "company-cmrt.xlsx")
    answers = {m: {q: a.value for q, a in qs.items() if a.value} for m, qs in ours.answers.items()}
    tungsten = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q5": "No"}
    tungsten |= {"Q6": "Greater than 75%", "Q7": "No", "Q8": "Yes"}
    assert answers["Tungsten"] == tungsten
    # Only Beta uses gold, and it names no gold refiner: not all identified.
    assert answers["Gold"] == tungsten
    assert ours.company.name.value == "Norland Instruments, Inc."
    assert ours.company_questions["H"].value == "Yes, with the SEC"
    assert ours.policy_url.value == "https://www.norland.example/conflict-minerals"
    assert sorted(s.smelter_id for s in ours.smelters) == ["CID000292", "CID002082"]
    assert "2 of 3 suppliers declared tungsten intentionally added or used" in result.stdout
    assert "4 of 5 surveyed suppliers responded (80%)" in result.stdout
    assert "no gold smelter was identified" in " ".join(result.stdout.split())


def test_overrides_in_the_settings_reach_the_cmrt(project):
    edit_settings(
        project,
        "# [declaration.overrides]            # change any derived answer; the derivation table shows why\n"
        '# Tin = { Q7 = "Yes" }',
        '[declaration.overrides]\nTin = { Q7 = "Yes" }',
    )
    result, out = run(project)
    assert result.exit_code == 14, result.output
    assert read_template(out / "company-cmrt.xlsx").answers["Tin"]["Q7"].value == "Yes"
    assert "changed by the analyst" in result.stdout


def test_the_evidence_package_holds_the_supplier_files_as_received_and_verifies(project):
    result, out = run(project)
    assert result.exit_code == 14, result.output
    assert verify_evidence_package(out / "evidence.zip") == []
    archive = zipfile.ZipFile(out / "evidence.zip")
    for name in ("alpha.xlsx", "beta.xlsx", "gamma.xlsx", "broken.xlsx"):
        assert archive.read(f"suppliers/{name}") == (project / "suppliers" / name).read_bytes()
    names = archive.namelist()
    assert "reference-data/RMI_CMRT_6.4.xlsx" in names
    assert "reference-data/rmap.csv" in names
    assert archive.read("declaration/company-cmrt.xlsx") == (out / "company-cmrt.xlsx").read_bytes()
    assert archive.read("report/form-sd.docx") == (out / "form-sd.docx").read_bytes()
    findings = io.StringIO(archive.read("review/findings.csv").decode("utf-8-sig"))
    assert findings.readline().startswith("File,Supplier,Severity,Code")
    register = archive.read("risk/register.csv").decode("utf-8-sig")
    assert "proposed" in register and "broken.xlsx" in register  # the unreadable file has an action
    assert archive.read("report/risk-summary.html") == (out / "risk-summary.html").read_bytes()


def test_a_second_run_does_not_read_its_own_output_as_a_supplier_file(project):
    out = project / "suppliers" / "out"
    args = ["report", str(project / "suppliers"), "-s", str(project / "oretrace.toml"), "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 14
    again = runner.invoke(app, args)
    assert again.exit_code == 14, again.output
    assert "4 of 5 surveyed suppliers responded" in again.stdout


def test_the_example_settings_are_valid_toml_covering_every_section():
    result = runner.invoke(app, ["report", "--example-settings"])
    assert result.exit_code == 0
    settings = tomllib.loads(result.stdout)
    assert list(settings) == [
        "year",
        "conclusion",
        "organisation",
        "company",
        "company_questions",
        "declaration",
        "campaign",
        "supply_chain",
        "reference",
        "narrative",
    ]
    assert "origin-undetermined" in result.stdout and "no-reason-to-believe" in result.stdout
    assert "# step3_respond_to_risks = " in result.stdout


SUPPLIERS = 'suppliers = "suppliers-asked.csv"'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('contact_email = "jane.doe@norland.example"', "", "company.contact_email is missing"),
        (SUPPLIERS, 'surveyed = "many"', "campaign.surveyed must be a whole number, not text 'many'"),
        (SUPPLIERS, "surveyed = true", "campaign.surveyed must be a whole number, not true/false True"),
        (SUPPLIERS, "surveyed = 2", "campaign.surveyed is 2, but the folder holds files from 3 suppliers"),
        (SUPPLIERS, SUPPLIERS + "\nsurveyed = 5", "[campaign] needs either suppliers"),
        (SUPPLIERS, SUPPLIERS + "\nreminders_sent = 412", "campaign.reminders_sent cannot be typed in"),
        (SUPPLIERS, SUPPLIERS + "\nresponded = 250", "campaign.responded cannot be typed in"),
        (SUPPLIERS, 'suppliers = "missing.csv"', "campaign.suppliers: the file"),
        ('path = "rmi/rmap.csv"', 'path = "rmi/missing.csv"', "reference.status_lists[1].path: the file"),
        (
            "date = 2026-01-15",
            'date = "15/01/2026"',
            "reference.status_lists[1].date '15/01/2026' is not a date",
        ),
        ('H = "Yes, with the SEC"', 'H = "Yes"', 'company_questions.H "Yes" is not one of'),
        ("year = 2025", "year = 2025\nyera = 2024", "unknown setting(s) yera"),
        ('name = "Norland Instruments, Inc."', 'name = "Norland', "not valid TOML"),
        ('conclusion = "origin-undetermined"', 'conclusion = "fine"', "conclusion 'fine' is not one of"),
        ('Tin = { Q7 = "Yes" }', 'Tin = { Q7 = "Maybe" }', 'Q7 for Tin: "Maybe" is not one of'),
    ],
)
def test_bad_settings_name_the_key_and_exit_2(project, old, new, message):
    if "Maybe" in new:
        edit_settings(
            project, "# [declaration.overrides]            # change any", "[declaration.overrides] # x"
        )
        edit_settings(project, '# Tin = { Q7 = "Yes" }', 'Tin = { Q7 = "Yes" }')
    edit_settings(project, old, new)
    result, out = run(project)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert not (out / "company-cmrt.xlsx").exists()


def test_a_missing_settings_file_or_folder_is_explained(project):
    result = runner.invoke(app, ["report", str(project / "suppliers"), "-s", str(project / "nope.toml")])
    assert result.exit_code == 2
    assert "does not exist (oretrace report --example-settings prints one)" in " ".join(result.stderr.split())
    result = runner.invoke(app, ["report", str(project / "nowhere"), "-s", str(project / "oretrace.toml")])
    assert result.exit_code == 2
    assert "nowhere does not exist" in " ".join(result.stderr.split())
    result = runner.invoke(app, ["report", str(project / "suppliers")])
    assert result.exit_code == 2
    assert "Give the settings file with --settings" in result.stderr


def test_names_recorded_as_no_3tg_smelter_reach_the_identification(project):
    from oretrace.cli.report_settings import read_settings

    edit_settings(
        project,
        '# v2_table = "cfsi-v2-to-cid.csv"',
        'not_smelters = ["Shenzhen Metal Trading Co."]\nnot_3tg = ["Nordic Cobalt Refinery"]\n# v2_table = "x"',
    )
    settings = read_settings(project / "oretrace.toml")
    assert settings.excluded == {
        "Shenzhen Metal Trading Co.": "not-a-smelter",
        "Nordic Cobalt Refinery": "not-3tg",
    }
    edit_settings(project, 'not_3tg = ["Nordic Cobalt Refinery"]', "not_3tg = [42]")
    result, _out = run(project)
    assert result.exit_code == 2 and "reference.not_3tg[1] must be a smelter name, not 42" in result.stderr


def test_facilities_added_by_hand_reach_the_report_marked_and_the_evidence_package(project):
    build_cmrt6(
        project / "suppliers" / "beta.xlsx",
        company={"name": "Beta Boards"},
        answers=IN_SCOPE,
        smelters=[XIAMEN, {"metal": "Gold", "lookup_name": "Smelter not listed", "name": "Harzberg Gold"}],
    )
    facilities = project / "hand-added.csv"
    facilities.write_text(
        "name,mineral,country,id,programme,source\nHarzberg Gold,Gold,Germany,LBMA-0042,LBMA,LBMA good delivery list\n",
        encoding="utf-8",
    )
    result, out = run(project, "--facilities", str(facilities))
    assert result.exit_code == 14, result.output
    smelters = CalamineWorkbook.from_path(str(out / "rollup.xlsx")).get_sheet_by_name("Smelters").to_python()
    gold = next(row for row in smelters if row[1] == "LBMA-0042")
    assert gold[-1] == "No (not RMI-listed; ID of LBMA; source: LBMA good delivery list)"
    html = (out / "conflict-minerals-report.htm").read_text(encoding="ascii")
    assert "LBMA-0042 (not RMI-listed; ID of LBMA; source: LBMA good delivery list)" in html
    archive = zipfile.ZipFile(out / "evidence.zip")
    assert archive.read("reference-data/hand-added.csv") == facilities.read_bytes()


def test_last_years_files_give_the_reports_changes_per_supplier_and_smelter(project):
    last_year = project / "last-year"
    last_year.mkdir()
    # Last year Alpha named Xiamen alone and answered Q7 "No"; Beta answered as this year.
    build_cmrt6(
        last_year / "alpha-2024.xlsx",
        company={"name": "Alpha Parts"},
        answers={
            **IN_SCOPE,
            "Q7": "No",
            "Q1": {"Gold": "No", "Tin": "Yes", "Tantalum": "No", "Tungsten": "Yes"},
        },
        smelters=[XIAMEN],
    )
    build_cmrt6(
        last_year / "beta-2024.xlsx", company={"name": "Beta Boards"}, answers=IN_SCOPE, smelters=[XIAMEN]
    )

    result, out = run(project, "--last-year", str(last_year))

    assert result.exit_code == 14, result.output
    # Both in both years, Alpha's answers changed; Alpha's Alpha smelter is new; the statuses come from a
    # list of 2026-01-15, after last year's Form SD was due (2025-06-02): none was on file for last year.
    assert (
        "Compared with 2024: 2 suppliers in both years (1 with changed answers); 1 facility new, 0 no longer "
        "named, 1 audit status changed. The report's process improvements say which." in result.output
    )
    html = (out / "conflict-minerals-report.htm").read_text(encoding="ascii")
    assert "Compared with our 2024 inquiry" in html


def test_without_last_years_files_the_report_says_nothing_of_last_year(project):
    result, out = run(project)
    assert "Compared with" not in result.output
    assert "Compared with our" not in (out / "conflict-minerals-report.htm").read_text(encoding="ascii")


def test_it_prints_the_filing_calendar_of_the_year(project):
    edit_settings(
        project,
        "[supply_chain]",
        "[eu]\nimporter = true\nlast_report_published = 2025-06-30\n\n[supply_chain]",
    )
    result, _ = run(project)
    assert "Filing calendar for 2025" in result.output
    # 31 May 2026 is a Sunday: Form SD is due the next business day.
    assert "Form SD for 2025: 2026-06-01" in result.output
    assert "EU annual due-diligence report for 2025: 2026-06-30" in result.output


def test_a_last_year_that_is_no_folder_is_explained(project):
    result, _ = run(project, "--last-year", str(project / "nowhere"))
    assert result.exit_code == 2
    assert "--last-year" in result.output and "not a folder of last year's supplier files" in result.output
