"""A small invented reference list (no RMI data) for tests that must run without ../shared."""

from __future__ import annotations

import datetime as dt

from oretrace.rmi.model import LookupEntry, SmelterRow
from oretrace.smelters import ReferenceList, reference_from_lookup

_ROWS = [
    # metal, alias, standard name, country, CID
    ("Gold", "Nordlicht Edelmetall GmbH", "Nordlicht Edelmetall GmbH", "GERMANY", "CID900001"),
    ("Gold", "Nordlicht Scheideanstalt", "Nordlicht Edelmetall GmbH", "GERMANY", "CID900001"),
    ("Gold", "Refinaria São João Ltda.", "Refinaria São João Ltda.", "BRAZIL", "CID900002"),
    ("Gold", "Kestrel Precious Metals Co., Ltd.", "Kestrel Precious Metals Co., Ltd.", "JAPAN", "CID900003"),
    ("Gold", "Kestrel Refining", "Kestrel Refining USA Inc.", "UNITED STATES OF AMERICA", "CID900004"),
    ("Gold", "Kestrel Refining Inc.", "Kestrel Refining Canada Ltd.", "CANADA", "CID900005"),
    ("Gold", "Smelter not yet identified", "Unknown", "Unknown", None),
    ("Tin", "Harbour Tin Smelting Sdn. Bhd.", "Harbour Tin Smelting Sdn. Bhd.", "MALAYSIA", "CID900010"),
    ("Tin", "Smelter not listed", "Smelter not listed", None, None),
    (
        "Tungsten",
        "Granite Peak Tungsten Corporation",
        "Granite Peak Tungsten Corporation",
        "CHINA",
        "CID900020",
    ),
    ("Tantalum", "Blue River Tantalum S.A.", "Blue River Tantalum S.A.", "BRAZIL", "CID900030"),
]


def invented_reference(release: str = "CMRT 9.9") -> ReferenceList:
    entries = [
        LookupEntry(metal=m, alias=a, standard_name=s, country=c, smelter_id=i, source="RMI" if i else None)
        for m, a, s, c, i in _ROWS
    ]
    return reference_from_lookup(entries, release=release, date=dt.date(2030, 1, 1))


def row(metal: str | None, name: str | None = None, *, country: str | None = None, **fields) -> SmelterRow:
    values = {
        "lookup_name": "Smelter not listed",
        "smelter_id": None,
        "id_source": None,
    } | fields
    return SmelterRow(row=5, metal=metal, name=name, country=country, **values)
