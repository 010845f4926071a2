"""Every staff table as CSV or XLSX through the core's formula-injection-safe writer (oretrace.tabular)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone

from oretrace.tabular import Table, to_csv, to_xlsx
from oretrace.web.downloads import attachment

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(value):
    # Times as the team reads them (the configured time zone), not UTC.
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def export(fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A download of the table; ``name`` becomes the file name, with today's date."""
    table = Table(name=name[:31], headers=list(headers), rows=[[_local(v) for v in row] for row in rows])
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        return attachment(to_xlsx([table]), f"{name}-{stamp}.xlsx", XLSX_TYPE)
    # A BOM so Excel opens UTF-8 (Chinese supplier names) correctly.
    data = ("\ufeff" + to_csv(table)).encode("utf-8")
    return attachment(data, f"{name}-{stamp}.csv", "text/csv; charset=utf-8")
