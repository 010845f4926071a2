"""Turning what a cell holds into what it means, without guessing.

Real supplier files are messy: trailing tabs, dates typed as text, Excel serial numbers,
formula blanks cached as 0, dropdown answers in the wrong case, control characters (Excel's
``_x0001_``) that no XLSX, DOCX or HTML written later could hold. Each helper here handles one of those,
and returns None rather than inventing a value it cannot justify.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from oretrace.xmltext import xml_safe

# Excel's 1900 date system counts from 1899-12-30 once its fictitious 29-Feb-1900 is allowed for.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers outside this window are not dates a supplier could mean (1990 to 2100).
_SERIAL_MIN, _SERIAL_MAX = 32874, 73051

_DATE_FORMATS = (
    "%d-%b-%Y",  # the template's own format, 02-May-2024
    "%d-%b-%y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%Y%m%d",
    "%Y-%m-%d %H:%M:%S",
)

_WHITESPACE = re.compile(r"\s+")


def text(raw: Any, *, zero_is_blank: bool = False) -> str | None:
    """Stripped text of a cell, or None when it is blank.

    Numbers become text without a spurious ".0" (phone numbers, product numbers typed as numbers).
    ``zero_is_blank`` is for formula-driven columns, whose empty look-ups Excel caches as 0.
    This is where supplier text enters oretrace, so it loses here the characters XML cannot hold
    (oretrace.xmltext: C0 controls removed; TAB, LF and CR kept).
    """
    if type(raw) is str:  # by far the most common case, so tested first
        return xml_safe(raw).strip() or None
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float | int):
        if zero_is_blank and raw == 0:
            return None
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return str(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, dt.time | dt.timedelta):
        return None if zero_is_blank else str(raw)
    value = xml_safe(str(raw)).strip()
    return value or None


def date(raw: Any) -> dt.date | None:
    """A calendar date from a datetime cell, a text date, or an Excel serial number."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float | int):
        return _from_serial(float(raw))
    value = _WHITESPACE.sub(" ", str(raw).strip())
    if not value:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", value):
        return _from_serial(float(value))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _from_serial(serial: float) -> dt.date | None:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def fold(value: str) -> str:
    """The comparison key for dropdown answers: case and inner white space do not matter."""
    return _WHITESPACE.sub(" ", value).strip().casefold()


def choice(raw: Any, allowed: Iterable[str], *, numeric: dict[float, str] | None = None) -> str | None:
    """The canonical dropdown value that a cell means, or the stripped text when it is none of them.

    ``numeric`` maps numbers to answers: CMRT 6.01-6.22 store Q6 "100%" as the number 1.
    The caller decides whether an answer outside the list is a finding; nothing is lost here.
    """
    if numeric and isinstance(raw, float | int) and not isinstance(raw, bool):
        mapped = numeric.get(float(raw))
        if mapped is not None:
            return mapped
    value = text(raw)
    if value is None:
        return None
    key = fold(value)
    for option in allowed:
        if fold(option) == key:
            return option
    return value
