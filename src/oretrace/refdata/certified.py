"""Lists of refiners another standard certifies: LBMA's Good Delivery Lists, RJC's certified members.

RMI cross-recognises both (a refiner on them may count as conformant), so these lists are read as
names with a country: neither carries an RMI CID. Their exports are plain tables; the headers
below are the ones LBMA's and RJC's web pages show ("Refiner", "Country", "Date of Listing";
"Member", "Certification"), matched without case or punctuation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from oretrace.errors import BadInput
from oretrace.refdata.model import Entry
from oretrace.rmi import normalise
from oretrace.smelters.names import clean_text
from oretrace.smelters.tables import Table, columns_by_header, read_table

_HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "refiner",
        "refiner name",
        "refinery",
        "company",
        "company name",
        "member",
        "member name",
        "organisation",
        "organization",
        "name",
    ),
    "country": ("country", "country of refinery", "location", "country region", "headquarters country"),
    "programme": ("certification", "certification type", "standard", "certified against", "status"),
    "since": ("date of listing", "listed since", "year of listing", "certified since", "certification date"),
    "key": ("member id", "member number", "certificate number", "rjc member id", "id"),
}


def _columns(headers: Sequence[str]) -> dict[str, int]:
    return columns_by_header(headers, _HEADERS)


def _recognise(headers: Sequence[str]) -> bool:
    return "name" in _columns(headers)


def certified_entries(data: bytes, name: str) -> tuple[tuple[Entry, ...], dict[str, str]]:
    """Each named refiner or member, with the columns read; BadInput when no name column is found."""
    table = read_table(data, name=name, recognise=_recognise, expected="a refiner, company or member column")
    columns = _columns(table.headers)
    entries = tuple(entry for entry in _entries(table, columns) if entry.name)
    if not entries:
        raise BadInput(
            f'The list has a "{table.headers[columns["name"]]}" column but no name under it.', file=name
        )
    return entries, {f: table.headers[i] for f, i in columns.items()}


def _entries(table: Table, columns: dict[str, int]):
    def cell(row: tuple[Any, ...], field_name: str) -> str | None:
        index = columns.get(field_name)
        value = row[index] if index is not None and index < len(row) else None
        return clean_text(normalise.text(value))

    for offset, row in enumerate(table.rows):
        since = cell(row, "since")
        programme = cell(row, "programme")
        yield Entry(
            name=cell(row, "name") or "",
            key=cell(row, "key"),
            country=cell(row, "country"),
            programme="; ".join(p for p in (programme, since and f"listed {since}") if p) or None,
            subject_type="Entity",
            row=table.header_row + 1 + offset,
        )
