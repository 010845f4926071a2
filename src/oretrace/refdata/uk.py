"""The UK's sanctions list, as the UK government publishes it.

Two publications carry it. The FCDO's UK Sanctions List (UK_Sanctions_List.xml and .csv) is the
list in force; OFSI's Consolidated List of Financial Sanctions Targets (ConList.csv and .xml) is
the older one many firms still download. Both split a name into "Name 1" to "Name 6" (Name 6 is
the surname, or an entity's whole name) and give one name per row or element, primary names and
aliases alike, tied together by an identifier: "Unique ID" (FCDO) or "Group ID" (OFSI).

- FCDO XML: ``<Designation>`` with ``UniqueID``, ``IndividualEntityShip``, ``RegimeName``,
  ``Names/Name/Name1…Name6`` and ``NameType`` ("Primary Name", "Alias"), ``Addresses/Address/AddressCountry``.
- OFSI XML: ``<FinancialSanctionsTarget>`` per name, with ``Name1…Name6``, ``GroupID``,
  ``AliasType`` ("Primary name", "AKA"), ``RegimeName``, ``GroupTypeDescription``, ``Country``.
- CSV (both): the same fields as columns ("Name 6", "Unique ID" or "Group ID", "Name type" or
  "Alias Type", "Regime Name" or "Regime", "Group Type"), under a first line giving the date
  ("Last Updated,05/12/2024" at OFSI).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from oretrace.errors import BadInput
from oretrace.refdata.model import Entry
from oretrace.refdata.source import child_text, descendants, local, parse_xml
from oretrace.rmi import normalise
from oretrace.smelters.tables import header_key, read_table


@dataclass
class _Designation:
    key: str
    primary: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    subject_type: str | None = None
    row: int | None = None

    def add_name(self, name: str, name_type: str | None) -> None:
        if not name:
            return
        primary = "primary" in (name_type or "primary").casefold()
        (self.primary if primary and not self.primary else self.aliases).append(name)

    def entry(self) -> Entry | None:
        names = list(dict.fromkeys(self.primary + self.aliases))
        if not names:
            return None
        return Entry(
            name=names[0],
            aliases=tuple(names[1:]),
            key=self.key,
            country="; ".join(dict.fromkeys(c for c in self.countries if c)) or None,
            programme="; ".join(dict.fromkeys(p for p in self.programmes if p)) or None,
            subject_type=self.subject_type,
            row=self.row,
        )


def _joined(parts: Iterable[str | None]) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def uk_from_xml(data: bytes, name: str) -> tuple[tuple[Entry, ...], dt.date | None]:
    root = parse_xml(data, name, expected="the UK Sanctions List XML or OFSI's ConList.xml")
    designations: dict[str, _Designation] = {}
    fcdo = descendants(root, "Designation")
    if fcdo:
        for position, element in enumerate(fcdo, start=1):
            key = child_text(element, "UniqueID") or f"#{position}"
            found = designations.setdefault(key, _Designation(key, row=position))
            found.subject_type = child_text(element, "IndividualEntityShip")
            found.programmes.append(child_text(element, "RegimeName") or "")
            for name_element in descendants(element, "Name"):
                parts = [child_text(name_element, f"Name{i}") for i in range(1, 7)]
                found.add_name(_joined(parts), child_text(name_element, "NameType"))
            found.countries += [c.text or "" for c in descendants(element, "AddressCountry")]
    else:
        targets = descendants(root, "FinancialSanctionsTarget")
        if not targets:
            raise BadInput(
                f"The XML is not the UK sanctions list: <{local(root.tag)}> holds no <Designation> "
                "(FCDO) or <FinancialSanctionsTarget> (OFSI).",
                file=name,
            )
        for position, element in enumerate(targets, start=1):
            key = child_text(element, "GroupID") or f"#{position}"
            found = designations.setdefault(key, _Designation(key, row=position))
            found.subject_type = found.subject_type or child_text(element, "GroupTypeDescription")
            found.programmes.append(child_text(element, "RegimeName") or "")
            found.countries.append(child_text(element, "Country") or "")
            parts = [child_text(element, f"Name{i}") for i in range(1, 7)]
            found.add_name(_joined(parts), child_text(element, "AliasType"))
    # The FCDO's file states the day it was generated; OFSI's XML states none for the whole list.
    dates = [d.text for d in descendants(root, "DateGenerated")]
    return _entries(designations), next((d for d in map(_uk_date, dates) if d), None)


_CSV_HEADERS = {
    "key": ("unique id", "group id"),
    "name_type": ("name type", "alias type"),
    "programme": ("regime name", "regime"),
    "subject_type": ("individual entity ship", "group type", "designation type", "entity type"),
    "country": ("address country", "country"),
}


def _csv_columns(headers: Sequence[str]) -> dict[str, int]:
    keys = [header_key(h) for h in headers]
    found = {f"name{i}": keys.index(f"name {i}") for i in range(1, 7) if f"name {i}" in keys}
    for field_name, wordings in _CSV_HEADERS.items():
        index = next((keys.index(w) for w in wordings if w in keys), None)
        if index is not None:
            found[field_name] = index
    return found


def _recognise_csv(headers: Sequence[str]) -> bool:
    columns = _csv_columns(headers)
    return "name6" in columns and "key" in columns


def uk_from_csv(data: bytes, name: str) -> tuple[tuple[Entry, ...], dt.date | None]:
    table = read_table(
        data, name=name, recognise=_recognise_csv, expected='"Name 6" and "Unique ID" (or "Group ID") columns'
    )
    columns = _csv_columns(table.headers)

    def cell(row: tuple[Any, ...], field_name: str) -> str | None:
        index = columns.get(field_name)
        return normalise.text(row[index]) if index is not None and index < len(row) else None

    designations: dict[str, _Designation] = {}
    for offset, row in enumerate(table.rows):
        key = cell(row, "key")
        if not key:
            continue
        found = designations.setdefault(key, _Designation(key, row=table.header_row + 1 + offset))
        found.subject_type = found.subject_type or cell(row, "subject_type")
        found.programmes.append(cell(row, "programme") or "")
        found.countries.append(cell(row, "country") or "")
        found.add_name(_joined(cell(row, f"name{i}") for i in range(1, 7)), cell(row, "name_type"))
    entries = _entries(designations)
    if not entries:
        raise BadInput("The list has a header row but no designation with a name under it.", file=name)
    return entries, _date_above_header(data, table.header_row)


def _entries(designations: dict[str, _Designation]) -> tuple[Entry, ...]:
    return tuple(e for e in (d.entry() for d in designations.values()) if e)


_DATE = re.compile(r"(\d{1,2}[/-](?:\d{1,2}|[A-Za-z]{3})[/-]\d{4}|\d{4}-\d{2}-\d{2})")


def _date_above_header(data: bytes, header_row: int) -> dt.date | None:
    """The date OFSI and the FCDO print above the header ("Last Updated,05/12/2024")."""
    lines = data[:4096].decode("utf-8", "replace").splitlines()[: max(0, header_row - 1)]
    for line in lines:
        found = _DATE.search(line)
        if found and (date := _uk_date(found.group(1))):
            return date
    return None


def _uk_date(text: str | None) -> dt.date | None:
    """A date as the UK lists write it: 05/12/2024, 05-Dec-2024, or ISO (with a time after it)."""
    text = (text or "").strip()
    for candidate in (text.split("T")[0].split(" ")[0], text):
        for pattern in ("%d/%m/%Y", "%d-%b-%Y", "%d-%m-%Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(candidate, pattern).date()
            except ValueError:
                continue
    return None
