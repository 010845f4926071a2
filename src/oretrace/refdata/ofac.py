"""OFAC's Specially Designated Nationals list, as OFAC publishes it: sdn.xml or sdn.csv.

sdn.xml: ``<sdnList>`` with ``<publshInformation><Publish_Date>MM/DD/YYYY`` (OFAC's spelling) and
one ``<sdnEntry>`` per person, entity, vessel or aircraft: ``uid``, ``firstName``, ``lastName``
(an entity's whole name is its lastName), ``sdnType``, ``programList/program``, ``akaList/aka``
(each with its own first and last name) and ``addressList/address/country``.

sdn.csv has no header row; its twelve columns are ent_num, SDN_Name, SDN_Type, Program, Title,
Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks, and "-0-" stands for empty.
The aliases are in a separate file (alt.csv), so a list read from sdn.csv screens primary names
only; the import says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from oretrace.errors import BadInput
from oretrace.refdata.model import Entry
from oretrace.refdata.source import child_text, children, descendants, local, parse_xml
from oretrace.smelters.tables import decode_text

_CSV_NULL = "-0-"
CSV_ALIAS_NOTE = (
    "sdn.csv holds primary names only; OFAC publishes the aliases in alt.csv. Import sdn.xml to "
    "screen aliases as well."
)


def _name(element) -> str:
    return " ".join(p for p in (child_text(element, "firstName"), child_text(element, "lastName")) if p)


def sdn_from_xml(data: bytes, name: str) -> tuple[tuple[Entry, ...], dt.date | None]:
    root = parse_xml(data, name, expected="OFAC's sdn.xml")
    if local(root.tag) != "sdnList":
        raise BadInput(
            f"The XML is not OFAC's SDN list: its root is <{local(root.tag)}>, not <sdnList>.", file=name
        )
    published = None
    for info in descendants(root, "Publish_Date"):
        published = _us_date(info.text)
    entries = []
    for position, entry in enumerate(children(root, "sdnEntry"), start=1):
        aliases = tuple(a for a in (_name(aka) for aka in descendants(entry, "aka")) if a)
        programmes = [p.text.strip() for p in descendants(entry, "program") if p.text and p.text.strip()]
        countries = [c.text.strip() for c in descendants(entry, "country") if c.text and c.text.strip()]
        entries.append(
            Entry(
                name=_name(entry),
                aliases=aliases,
                key=child_text(entry, "uid"),
                country="; ".join(dict.fromkeys(countries)) or None,
                programme="; ".join(programmes) or None,
                subject_type=child_text(entry, "sdnType"),
                row=position,
            )
        )
    return tuple(e for e in entries if e.name), published


def sdn_from_csv(data: bytes, name: str) -> tuple[Entry, ...]:
    text, _encoding = decode_text(data, name)
    entries = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [_csv_cell(c) for c in row]
        if not any(cells):
            continue  # OFAC ends the file with a line holding only an end-of-file marker
        if len(cells) < 4 or not (cells[0] or "").isdigit():
            raise BadInput(
                f"Row {number} is not an SDN row (ent_num, SDN_Name, SDN_Type, Program, …): "
                f"{', '.join(c or '' for c in cells[:4])}.",
                file=name,
            )
        entries.append(
            Entry(
                name=cells[1] or "",
                key=cells[0],
                programme=cells[3],
                subject_type=cells[2] or "Entity",  # OFAC leaves SDN_Type empty ("-0-") for entities
                row=number,
            )
        )
    if not entries:
        raise BadInput("The file holds no SDN rows.", file=name)
    return tuple(e for e in entries if e.name)


def _csv_cell(value: str) -> str | None:
    value = value.strip().strip("\x1a")
    return None if not value or value == _CSV_NULL else value


def _us_date(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime((text or "").strip(), "%m/%d/%Y").date()
    except ValueError:
        return None
