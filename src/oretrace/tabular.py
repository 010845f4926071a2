"""Tables out of oretrace: CSV and XLSX that a compliance manager can open and filter safely.

Supplier-typed text ends up in these files, and a cell that starts with = + - @ (or a tab or
carriage return before one) is run as a formula by Excel and LibreOffice: "CSV injection"
(OWASP). Every text value is escaped with a leading apostrophe, the convention spreadsheet users
recognise, before it is written.

Both formats also drop the characters XML cannot hold (oretrace.xmltext), before that check so that a
control character cannot hide a leading "=" from it. The reader already cleans supplier text; this is
for rows stored before it did (the append-only audit log keeps them for ever), which must still export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from oretrace.xmltext import xml_safe, xml_safe_value

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as it may go into a spreadsheet cell: text that would run as a formula is escaped."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    return safe_cell(xml_safe_value(_plain(value)))


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return value


@dataclass(frozen=True)
class Table:
    name: str  # the sheet name in a workbook
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def to_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(_cell(value)) for value in row])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """One workbook, one sheet per table, with a bold frozen header row and an auto-filter."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=xml_safe(table.name)[:31])
        sheet.append([_cell(h) for h in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_value(_cell(value)) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        if table.headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.headers))}{max(1, len(table.rows) + 1)}"
        for index, header in enumerate(table.headers, start=1):
            sample = [len(str(header))] + [len(str(r[index - 1] or "")) for r in table.rows[:200]]
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, max(sample) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones
    return value
