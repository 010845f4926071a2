"""Checking the online answers with the upload's own rules, and writing the file they become.

The answers are written into the campaign's blank template by the writer of our own CMRT, and that
file is read and reviewed by the very pipeline an uploaded file goes through (rollup.analyse): the
findings a supplier sees while typing are, by construction, the findings its submitted file gets.
"""

from __future__ import annotations

from dataclasses import dataclass

from oretrace.review import ExpectedSupplier
from oretrace.review.findings import Finding, ReviewReport
from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.rmi.writer import CompanyDeclaration, blank_layout, write_declaration
from oretrace.rollup.analyse import AnalysisSettings, analyse_response

# The finding about the Checker count saved in the file: the blank template's own count until
# ``write_response`` stores the recomputed one, so it says nothing about the supplier's answers.
STALE_CHECKER = "checker-count-stale"


@dataclass(frozen=True)
class OnlineCheck:
    """The review of the file the answers make, and that file."""

    data: bytes
    report: ReviewReport

    @property
    def checker_missing(self) -> int | None:
        return self.report.checker_missing

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.report.findings if f.code != STALE_CHECKER)


def check_answers(
    blank: bytes,
    declaration: CompanyDeclaration,
    settings: AnalysisSettings,
    *,
    expected_supplier: ExpectedSupplier | None = None,
    name: str = "online.xlsx",
) -> OnlineCheck:
    """Write the answers into ``blank`` and review that file as an upload is reviewed. BadInput when
    the writer refuses an answer (one the template's list does not offer)."""
    data = write_declaration(blank, declaration, name=name)
    response = settings.read(data, name=name)
    analysis = analyse_response(response, settings, expected_supplier=expected_supplier)
    return OnlineCheck(data=data, report=analysis.report)


def write_response(blank: bytes, declaration: CompanyDeclaration, settings: AnalysisSettings) -> bytes:
    """The file the answers become: the blank template filled in, with the Checker count Excel will
    show saved in Checker!D2, so a program that does not recalculate reads that count and not the
    blank template's."""
    checked = check_answers(blank, declaration, settings)
    total = blank_layout(blank).checker_total
    if checked.checker_missing is None or total is None:
        return checked.data
    return patch_workbook(
        checked.data, [CellWrite("Checker", total, checked.checker_missing, cached_only=True)]
    )
