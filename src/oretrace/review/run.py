"""``review(response)``: run every registered rule that applies to the template, in registry order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

# Imported for their side effect: each module registers its rules. The Checker comes first, so
# that its findings win when another rule points at the same cell (see ``review``).
from oretrace.review import checker  # noqa: F401  isort: skip
from oretrace.review import answers, company, consistency, formatting, identity, products, smelters, template  # noqa: F401
from oretrace.review import minerals as _minerals  # noqa: F401
from oretrace.review.checker import checker_for, moved_checker_lines
from oretrace.review.findings import Finding, ReviewReport
from oretrace.review.identity import ExpectedSupplier
from oretrace.review.registry import RULES, Context
from oretrace.rmi.minerals import in_scope
from oretrace.rmi.model import TemplateResponse

CHECKER_CODE = "required-field-missing"


def review(
    response: TemplateResponse,
    *,
    reference: Any = None,
    reporting_year: int | None = None,
    minimum_version: str | None = None,
    today: dt.date | None = None,
    expected_supplier: ExpectedSupplier | None = None,
    minerals: Iterable[str] | None = None,
) -> ReviewReport:
    """Review one response: the template's Checker, then every other registered rule.

    ``reference``: a smelter reference list from ``oretrace.smelters`` (default: the file's own
    Smelter Look-up). ``reporting_year``: the calendar year the declaration is for (default: the
    year of its effective date). ``minimum_version``: the oldest version of the template the inquiry
    asked for (a campaign's minimum), below which the file is sent back. ``today``: for "date in the future" (default: the current date).
    ``expected_supplier``: the supplier the file was sent to; with it, a file from another company is
    an error (review.identity), without it that rule does not run. ``minerals``: the minerals the
    inquiry asks about (default: every one the template asks about); a finding about another mineral
    is left out, and the Checker's count with it: the supplier is not faulted for a mineral nobody
    asked it about.

    One cell, one finding per mineral: where the Checker already counts a cell as missing, another
    rule's finding on that same cell is left out, so the supplier is not asked twice.
    """
    context = Context.build(
        response,
        reference=reference,
        reporting_year=reporting_year,
        minimum_version=minimum_version,
        today=today,
        expected_supplier=expected_supplier,
        minerals=minerals,
    )
    findings: list[Finding] = []
    checker_places: set[tuple] = set()
    for rule in RULES.values():
        if not rule.applies_to(response.kind):
            continue
        for finding in rule.run(context):
            if not in_scope(finding.mineral, minerals):
                continue
            place = (finding.sheet, finding.cell, finding.mineral)
            if rule.code == CHECKER_CODE:
                checker_places.add(place)
            elif place in checker_places:
                continue
            findings.append(finding)
    missing = by_rules = None
    if checker_for(response) is not None:
        by_rules = sum(1 for f in findings if f.code == CHECKER_CODE)
        # The count the supplier's Excel shows: its own Checker's, which may read other cells.
        missing = by_rules + sum(line.file_counts - line.rmi_counts for line in moved_checker_lines(response))
    return ReviewReport(
        file=response.file.name,
        kind=str(response.kind),
        version=response.version,
        checker_missing=missing,
        checker_missing_by_rmi_rules=by_rules,
        findings=tuple(findings),
    )
