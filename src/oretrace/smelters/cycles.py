"""When an RMAP conformance lapses: one rule for the audit cycle, for the risk flags and the daily check.

RMI removes a facility that is not re-assessed at the end of its cycle (1 year under the standard
RMAP, 3 years under the risk-based one) from the Conformant list. A list downloaded in March still
says "Conformant" in September, so the status a list gives is read together with its audit dates:
the conformance ends a cycle after the last audit or, when the list gives no cycle, on the next
audit date it states. "Re-assessment in progress" keeps it: the facility is being re-assessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from oretrace.smelters.status import StatusRecord


@dataclass(frozen=True)
class Ending:
    """The day a conformance ends by its audit cycle, and the words that say why."""

    on: dt.date
    why: str  # "expired on 2025-03-01 (last audit 2024-03-01, 1-year cycle)"


def cycle_months(cycle: str | None) -> int | None:
    """An RMI list's audit cycle in months: "1 year", "3 Years", "Annual", "12 months"; None if unclear."""
    if not cycle:
        return None
    text = cycle.casefold()
    words = {"one": 1, "two": 2, "three": 3}
    match = re.search(r"(\d+|one|two|three)[\s-]*(year|yr|month)", text)
    if match:
        amount = int(match.group(1)) if match.group(1).isdigit() else words[match.group(1)]
        return amount * 12 if match.group(2) in ("year", "yr") else amount
    if "annual" in text:
        return 12
    if text.strip().isdigit():  # a bare number in a cycle column counts years
        return int(text) * 12
    return None


def add_months(date: dt.date, months: int) -> dt.date:
    year, month = divmod(date.month - 1 + months, 12)
    year += date.year
    month += 1
    for day in (date.day, 30, 29, 28):  # 29 February plus one year is 28 February
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(date)


def conformance_ends(record: StatusRecord) -> Ending | None:
    """The day the record's conformance ends by its cycle; None when the list gives no date to tell,
    or says the facility is being re-assessed."""
    if record.next_audit_text and "progress" in record.next_audit_text.casefold():
        return None  # RMI lists "Re-assessment in progress": the facility is being re-assessed
    months = cycle_months(record.cycle)
    if record.last_audit and months:
        ends = add_months(record.last_audit, months)
        cycle = f"{months // 12}-year" if months % 12 == 0 else f"{months}-month"
        return Ending(
            ends, f"expired on {ends.isoformat()} (last audit {record.last_audit.isoformat()}, {cycle} cycle)"
        )
    if record.next_audit:
        last = f", last audit {record.last_audit.isoformat()}" if record.last_audit else ""
        return Ending(
            record.next_audit,
            f"lapsed: its re-assessment was due on {record.next_audit.isoformat()}{last}, and the RMAP list "
            f"of {record.as_of.isoformat()} shows no newer assessment",
        )
    return None


def lapsed(record: StatusRecord, on: dt.date, grace_days: int = 0) -> Ending | None:
    """The ending of a conformance that has lapsed by ``on`` (``grace_days`` after its cycle ended),
    or None while it holds."""
    ending = conformance_ends(record)
    if ending is None or ending.on + dt.timedelta(days=grace_days) >= on:
        return None
    return ending


__all__ = ["Ending", "add_months", "conformance_ends", "cycle_months", "lapsed"]
