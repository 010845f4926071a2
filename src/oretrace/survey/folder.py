"""A survey from what an analyst without a server has: a folder of supplier files and, at best, the list
of the suppliers asked.

With the list (CSV or workbook: a "Supplier" column, and optionally "Number", "File", "Sent" and
"Declined" with the supplier's statement), every figure is counted from names: who was asked, whose
file arrived, who declined. Without it, each file stands for one supplier and the number asked is the
one the settings state, which the report then says it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from oretrace.errors import BadInput
from oretrace.review import ExpectedSupplier
from oretrace.rmi import normalise
from oretrace.rollup.analyse import FileAnalysis
from oretrace.rollup.compute import supplier_label
from oretrace.rollup.model import Rollup
from oretrace.smelters.tables import header_key, read_table
from oretrace.survey.model import OpenFinding, RequestState, Survey, SurveyedSupplier

_HEADERS = {
    "name": ("supplier", "supplier name", "company", "company name", "name"),
    "number": ("number", "supplier number", "supplier no", "vendor number", "vendor no", "id"),
    "file": ("file", "file name", "filename", "cmrt file"),
    "sent": ("sent", "sent on", "date sent", "requested"),
    "declined": ("declined", "decline statement", "statement", "nothing to report"),
}


@dataclass(frozen=True)
class ListedSupplier:
    name: str
    number: str | None = None
    file: str | None = None
    sent_on: dt.date | None = None
    decline_statement: str | None = None
    row: int | None = None


def read_supplier_list(source: str | Path | bytes, *, name: str | None = None) -> list[ListedSupplier]:
    """The suppliers asked, from a CSV or workbook with a "Supplier" column; BadInput naming the row
    otherwise."""
    table = read_table(
        source,
        name=name,
        recognise=lambda headers: _column(headers, "name") is not None,
        expected='a "Supplier" column',
    )
    columns = {key: _column(table.headers, key) for key in _HEADERS}
    listed, seen = [], set()
    for offset, row in enumerate(table.rows):
        number = table.header_row + 1 + offset

        def cell(key: str, row=row) -> str | None:
            index = columns[key]
            return normalise.text(row[index]) if index is not None and index < len(row) else None

        supplier = cell("name")
        if not supplier:
            if any(normalise.text(value) for value in row):
                raise BadInput(f"row {number} has no supplier name", file=table.name)
            continue
        if _key(supplier) in seen:
            raise BadInput(f"row {number}: {supplier} is listed twice", file=table.name)
        seen.add(_key(supplier))
        listed.append(
            ListedSupplier(
                name=supplier,
                number=cell("number"),
                file=cell("file"),
                sent_on=_date(cell("sent"), number, table.name),
                decline_statement=cell("declined"),
                row=number,
            )
        )
    if not listed:
        raise BadInput("the list names no supplier", file=table.name)
    return listed


def expected_by_file(listed: Sequence[ListedSupplier] | None) -> dict[str, ExpectedSupplier]:
    """The supplier each file was sent to, for the files the list names (its File column), keyed as
    AnalysisSettings.suppliers_by_file reads them. A file matched to a supplier by its own company name
    needs no check, and one the list does not name has no supplier to be checked against."""
    return {
        Path(s.file).name.casefold(): ExpectedSupplier.of(s.name, unique_ids=[s.number])
        for s in listed or ()
        if s.file
    }


def folder_survey(
    analyses: Sequence[FileAnalysis],
    *,
    listed: Sequence[ListedSupplier] | None = None,
    stated_surveyed: int | None = None,
    due: dt.date | None = None,
) -> tuple[Survey, list[FileAnalysis], list[str]]:
    """The survey, the analyses with the listed supplier each file belongs to, and notes for the user
    (files from suppliers not on the list)."""
    if listed is None:
        return _unlisted(analyses, stated_surveyed, due), list(analyses), []
    if stated_surveyed is not None:
        raise BadInput("give either the list of suppliers asked or the number surveyed, not both")
    by_file = {Path(s.file).name.casefold(): s for s in listed if s.file}
    by_name = {_key(s.name): s for s in listed}
    matched: dict[str, list[FileAnalysis]] = {s.name: [] for s in listed}
    assigned, notes = [], []
    for analysis in analyses:
        supplier = by_file.get(analysis.file_name.casefold()) or _by_name(analysis, by_name)
        if supplier is None and not analysis.readable:
            notes.append(
                f"{analysis.file_name} could not be read, and it is named in no row of the list of suppliers "
                "asked (its File column): it counts for no supplier"
            )
            assigned.append(analysis)
            continue
        if supplier is None:
            notes.append(
                f"{analysis.file_name}: its company ({analysis.company_name or 'blank'}) is not on the list "
                "of suppliers asked; it is counted as a supplier of its own"
            )
            matched.setdefault(supplier_label(analysis), []).append(analysis)
            assigned.append(analysis)
            continue
        matched[supplier.name].append(analysis)
        assigned.append(replace(analysis, supplier=supplier.name))
    listed_by_name = {s.name: s for s in listed}
    suppliers = []
    for name, files in matched.items():
        entry = listed_by_name.get(name)
        suppliers.append(_supplier(name, files, entry))
    return Survey.of(suppliers, due=due, tracked=False), assigned, notes


def rollup_survey(rollup: Rollup) -> Survey:
    """The survey a roll-up alone tells of: each supplier in it returned its files, nothing else known."""
    suppliers: dict[str, list] = {}
    for summary in rollup.suppliers:
        suppliers.setdefault(summary.label, [])
        if summary.readable:  # as _supplier: an unreadable file is no answer
            suppliers[summary.label].append(summary)
    return Survey.of(
        (
            SurveyedSupplier(
                name=name,
                state=RequestState.SUBMITTED if files else RequestState.SENT,
                files=len(files),
                latest_file=files[-1].file_name if files else None,
                findings=tuple(
                    OpenFinding(severity, asked=False)
                    for summary in files
                    for severity, count in summary.findings_by_severity.items()
                    for _ in range(count)
                ),
                reminders=None,
                follow_ups=None,
            )
            for name, files in suppliers.items()
        ),
        tracked=False,
    )


def _unlisted(analyses: Sequence[FileAnalysis], stated: int | None, due: dt.date | None) -> Survey:
    grouped: dict[str, list[FileAnalysis]] = {}
    for analysis in analyses:
        grouped.setdefault(supplier_label(analysis), []).append(analysis)
    returned = sum(1 for files in grouped.values() if any(f.readable for f in files))
    if stated is not None and stated < returned:
        raise BadInput(f"campaign.surveyed is {stated}, but the folder holds files from {returned} suppliers")
    suppliers = [_supplier(name, files, None) for name, files in grouped.items()]
    return Survey.of(suppliers, due=due, tracked=False, stated_surveyed=stated)


def _supplier(name: str, files: list[FileAnalysis], listed: ListedSupplier | None) -> SurveyedSupplier:
    # A file that cannot be read is no answer (the web app refuses it at upload): the supplier has
    # returned a template only when one of its files could be read.
    files = [f for f in files if f.readable]
    declined = listed.decline_statement if listed else None
    if files:
        state = RequestState.SUBMITTED
    elif declined:
        state = RequestState.DECLINED
    else:
        state = RequestState.SENT
    # A folder keeps no order of versions: every file's findings count, each as not asked about.
    findings = tuple(
        OpenFinding(f.severity, asked=False) for a in files if a.report for f in a.report.findings
    )
    return SurveyedSupplier(
        name=name,
        state=state,
        number=listed.number if listed else None,
        sent_on=listed.sent_on if listed else None,
        files=len(files),
        latest_file=files[-1].file_name if files else None,
        findings=findings,
        reminders=None,
        follow_ups=None,
        decline_statement=declined if state == RequestState.DECLINED else None,
    )


def _by_name(analysis: FileAnalysis, by_name: dict[str, ListedSupplier]) -> ListedSupplier | None:
    for label in (analysis.company_name, Path(analysis.file_name).stem):
        if label and _key(label) in by_name:
            return by_name[_key(label)]
    return None


def _key(name: str) -> str:
    """A company name compared without case, punctuation or extra spaces."""
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()


def _column(headers, key: str) -> int | None:
    keys = [header_key(h) for h in headers]
    return next((keys.index(w) for w in _HEADERS[key] if w in keys), None)


def _date(value: str | None, row: int, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise BadInput(f"row {row}: sent date {value!r} is not a date like 2026-01-15", file=name) from None
