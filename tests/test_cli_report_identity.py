"""``oretrace report`` with a list of suppliers naming their files: a file from another company than its
row is an error in the roll-up's findings (rule company-not-the-supplier); a file matched by its own
company name is not checked."""

from __future__ import annotations

from python_calamine import CalamineWorkbook

from test_cli_report import project, run  # noqa: F401  (the fixture)


def test_a_file_listed_for_another_supplier_is_an_error_in_the_findings(project):  # noqa: F811
    # gamma.xlsx (Gamma Glass's declaration) is listed as Delta Devices' file; alpha.xlsx as Alpha's.
    (project / "suppliers-asked.csv").write_text(
        "Supplier,Number,File,Declined\nAlpha Parts,S1,alpha.xlsx,\nBeta Boards,S2,,\n"
        "Delta Devices,S4,gamma.xlsx,\nEpsilon Enclosures,S5,,Our enclosures contain no 3TG.\n",
        encoding="utf-8",
    )
    result, out = run(project)
    assert result.exit_code == 14, result.output  # broken.xlsx, as in test_cli_report
    findings = CalamineWorkbook.from_path(str(out / "rollup.xlsx")).get_sheet_by_name("Findings").to_python()
    header = findings[0]
    file_col, code_col = header.index("File"), header.index("Code")
    flagged = sorted(row[file_col] for row in findings[1:] if row[code_col] == "company-not-the-supplier")
    assert flagged == ["gamma.xlsx"]
