"""The Checker count is the one the file's own Checker computes: its lines' references are read from
the file, and a line that reads another cell than RMI's template is counted as the file counts it
and reported (checker-reads-another-cell), with RMI's count kept beside it."""

from __future__ import annotations

import pytest

from builders import with_checker_line_moved
from libreoffice import recalculated_copy
from oretrace.review import checker_missing, review
from oretrace.review.checker import checker_missing_by_rmi_rules, moved_checker_lines
from oretrace.rmi import read_template
from oretrace.rmi.model import CheckerLine
from oretrace.rmi.patching import CellWrite, patch_workbook
from review.factories import make_response
from samples import CENTRAL_GLASS, FILLED, HONEYWELL, LEGACY, PKG, SK, TEMPLATES, shared_file

MOVED = "checker-reads-another-cell"


# --- built responses ----------------------------------------------------------------------------


def test_a_contact_name_line_reading_the_address_does_not_count_a_missing_contact_name():
    response = make_response(
        company={"contact_name": None, "address": "1 Main Street"},
        checker_lines=(CheckerLine(row=7, reads="D14", raw="1 Main Street"),),
    )
    assert checker_missing_by_rmi_rules(response) == 1
    assert checker_missing(response) == 0
    report = review(response)
    assert (report.checker_missing, report.checker_missing_by_rmi_rules) == (0, 1)
    [moved] = [f for f in report.findings if f.code == MOVED]
    assert (moved.sheet, moved.cell, moved.severity) == ("Checker", "B7", "warning")
    assert "reads Declaration!D14 (Address) where RMI's template reads D15" in moved.message
    assert "the file's Checker counts 0 missing field(s), RMI's rules 1" in moved.message
    # RMI's finding about the blank contact name stays: the field is still missing
    assert any(f.code == "required-field-missing" and f.cell == "D15" for f in report.findings)


def test_a_moved_line_reading_an_empty_cell_counts_where_rmi_does_not():
    response = make_response(checker_lines=(CheckerLine(row=7, reads="D14", raw=None),))
    assert (checker_missing_by_rmi_rules(response), checker_missing(response)) == (0, 1)
    [moved] = [f for f in review(response).findings if f.code == MOVED]
    assert "Address (D14) is empty, which the file's Checker counts and RMI's rules do not" in moved.message


def test_an_email_line_moved_keeps_its_at_sign_test():
    response = make_response(checker_lines=(CheckerLine(row=8, reads="D17", raw="+44 114 000 0000"),))
    [line] = moved_checker_lines(response)
    assert (line.rmi_reads, line.file_reads, line.rmi_counts, line.file_counts) == ("D16", "D17", False, True)
    assert checker_missing(response) == 1


def test_lines_that_read_rmis_cells_change_nothing():
    lines = tuple(CheckerLine(row=row, reads=cell) for row, cell in ((4, "D8"), (7, "D15"), (12, "D22")))
    response = make_response(company={"contact_name": None}, checker_lines=lines)
    assert moved_checker_lines(response) == ()
    assert checker_missing(response) == checker_missing_by_rmi_rules(response) == 1
    assert MOVED not in review(response).codes()


# --- RMI's files and the real supplier files ------------------------------------------------------


@pytest.mark.parametrize("path", [CENTRAL_GLASS, SK, HONEYWELL, PKG], ids=lambda p: p.name[:30])
def test_real_files_checkers_read_rmis_cells_so_both_counts_agree(path):
    response = read_template(shared_file(path))
    assert len(response.checker_lines) > 9  # the formulas were read from the file
    assert moved_checker_lines(response) == ()
    report = review(response)
    assert report.checker_missing == report.checker_missing_by_rmi_rules == response.checker_cached


BLANKS = sorted(TEMPLATES.glob("RMI_*.xlsx")) if TEMPLATES.exists() else []
LEGACY_3 = sorted(LEGACY.glob("3.01*.xlsx")) if LEGACY.exists() else []


@pytest.mark.parametrize("path", BLANKS + LEGACY_3 or [None], ids=lambda p: p.name if p else "absent")
def test_rmis_own_checker_lines_read_the_cells_the_rules_name(path):
    if path is None:
        shared_file(FILLED / "absent")
    response = read_template(path)
    assert response.checker_lines, "the Checker formulas were read"
    assert moved_checker_lines(response) == ()


def test_the_central_glass_file_with_its_contact_line_moved_shows_the_files_count(tmp_path):
    """The real 6.4 of templates.md §2.1's quirk, rebuilt from a real file: Central Glass (Checker 0)
    with its contact name blanked and its Checker's contact line cut-and-pasted onto D14."""
    blank_contact = patch_workbook(
        shared_file(CENTRAL_GLASS).read_bytes(), [CellWrite("Declaration", "D15", None)]
    )
    moved = with_checker_line_moved(blank_contact, 7, "D14")
    response = read_template(moved, name="central-glass-moved.xlsx")
    assert response.company.contact_name.value is None
    assert response.company.address.value  # the line now reads a filled cell
    report = review(response)
    assert (report.checker_missing, report.checker_missing_by_rmi_rules) == (0, 1)
    assert [f.cell for f in report.findings if f.code == MOVED] == ["B7"]
    # Excel's count, from LibreOffice recalculating each file: what its own Checker shows. The file
    # with RMI's line shows 1, so the 0 is the moved line's doing, not a stale cached value.
    counts = []
    for name, data in (("moved", moved), ("unmoved", blank_contact)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / f"{name}.xlsx").write_bytes(data)
        saved = read_template(recalculated_copy(folder / f"{name}.xlsx", folder))
        # LibreOffice writes <f aca="false">: its formulas are read too, and the counts agree with it
        counts.append((saved.checker_cached, checker_missing(saved), checker_missing_by_rmi_rules(saved)))
    assert counts == [(0, 0, 1), (1, 1, 1)]
