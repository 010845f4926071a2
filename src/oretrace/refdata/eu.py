"""The EU consolidated list of persons, groups and entities subject to financial sanctions.

The Financial Sanctions Files XML (xmlFullSanctionsList_1_1): ``<export generationDate="…">`` in
the namespace http://eu.europa.ec/fpi/fsd/export, one ``<sanctionEntity>`` per subject with the
attributes ``logicalId`` and ``euReferenceNumber``, ``<subjectType code="person|enterprise">``,
``<regulation programme="…">``, several ``<nameAlias wholeName="…" strong="true|false">`` (the
first is the name the list shows first) and ``<address countryDescription="…">``.
"""

from __future__ import annotations

import datetime as dt

from oretrace.errors import BadInput
from oretrace.refdata.model import Entry
from oretrace.refdata.source import children, local, parse_xml


def eu_from_xml(data: bytes, name: str) -> tuple[tuple[Entry, ...], dt.date | None]:
    root = parse_xml(data, name, expected="the EU Financial Sanctions Files XML")
    if local(root.tag) != "export":
        raise BadInput(
            f"The XML is not the EU consolidated sanctions list: its root is <{local(root.tag)}>, not <export>.",
            file=name,
        )
    entries = []
    for position, subject in enumerate(children(root, "sanctionEntity"), start=1):
        names = [
            a.get("wholeName", "").strip()
            for a in children(subject, "nameAlias")
            if a.get("wholeName", "").strip()
        ]
        names = list(dict.fromkeys(names))
        if not names:
            continue
        programmes = {r.get("programme", "").strip() for r in children(subject, "regulation")} - {""}
        countries = [a.get("countryDescription", "").strip() for a in children(subject, "address")]
        subject_type = next((s.get("code") for s in children(subject, "subjectType")), None)
        entries.append(
            Entry(
                name=names[0],
                aliases=tuple(names[1:]),
                key=subject.get("euReferenceNumber") or subject.get("logicalId"),
                country="; ".join(dict.fromkeys(c for c in countries if c)) or None,
                programme="; ".join(sorted(programmes)) or None,
                subject_type=subject_type,
                row=position,
            )
        )
    return tuple(entries), _generated(root.get("generationDate"))


def _generated(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
