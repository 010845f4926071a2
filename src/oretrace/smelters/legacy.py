"""CFSI-era (2014) smelter data: old v2 IDs such as 1JPN072, and the 2014 smelter reference names.

Files from 2013–2015 (CMRT 2.x–3.x) identify smelters by v2 IDs: a metal digit, an ISO-3 country
and a number (templates.md §3). CFSI published a v2-to-v3 translation table when it moved to
CIDs; the user imports that table, and its 2014 names become aliases of today's facilities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oretrace.errors import BadInput
from oretrace.rmi import normalise
from oretrace.smelters.names import METALS, canonical_metal, clean_text, normalise_cid, parse_v2_id
from oretrace.smelters.tables import header_key, read_table


@dataclass(frozen=True)
class V2Translation:
    v2_id: str  # 1JPN072
    smelter_id: str  # CID000019
    metal: str  # from the v2 ID's first digit
    name: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class V2Table:
    """Old CFSI v2 IDs and the CID each became."""

    source: str
    entries: tuple[V2Translation, ...]
    _by_v2: dict[str, V2Translation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_v2", {e.v2_id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def translate(self, v2_id: str | None) -> V2Translation | None:
        parsed = parse_v2_id(v2_id)
        return self._by_v2.get(parsed[2]) if parsed else None

    def merged(self, other: V2Table) -> V2Table:
        """Both tables; where both know a v2 ID, this one's answer stands."""
        extra = tuple(e for e in other.entries if e.v2_id not in self._by_v2)
        return V2Table(source=f"{self.source} + {other.source}", entries=self.entries + extra)


@dataclass(frozen=True)
class LegacyReference:
    """One row of the 2014 smelter references: a standard name, its key terms, and both IDs."""

    metal: str
    name: str
    country: str | None
    key_terms: tuple[str, ...]  # single search words ("Perth", "AGR"): too short to be names themselves
    v2_id: str | None
    smelter_id: str | None


@dataclass(frozen=True)
class LegacyReferences:
    source: str
    entries: tuple[LegacyReference, ...]

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """CID -> the 2014 standard names, for ReferenceList.with_aliases()."""
        result: dict[str, list[str]] = {}
        for entry in self.entries:
            if entry.smelter_id:
                result.setdefault(entry.smelter_id, []).append(entry.name)
        return {cid: tuple(names) for cid, names in result.items()}

    def v2_table(self) -> V2Table:
        return V2Table(
            source=self.source,
            entries=tuple(
                V2Translation(e.v2_id, e.smelter_id, e.metal, e.name, e.country)
                for e in self.entries
                if e.v2_id and e.smelter_id
            ),
        )


def read_v2_translation(source: str | Path | bytes, *, name: str | None = None) -> V2Table:
    """Import a v2-to-v3 translation table (CSV or workbook).

    CFSI's file has no usable header (",,,Version 2,Version 3"), so columns are found by what they
    hold: the column of v2 IDs, the column of CIDs, the column of metal names. Of the remaining
    columns the first is the smelter name and the second the country, as in CFSI's layout.
    """
    table = read_table(source, name=name, recognise=lambda headers: any(headers), expected="any header")
    rows = [table.headers, *table.rows]
    v2_col = _column_where(rows, lambda v: parse_v2_id(v) is not None)
    cid_col = _column_where(rows, lambda v: normalise_cid(v) is not None)
    if v2_col is None or cid_col is None:
        found = ", ".join(f'"{h}"' for h in table.headers if h) or "no headers at all"
        raise BadInput(
            "No column of old v2 IDs (like 1JPN072) beside a column of CIDs (like CID000019) was found. "
            f"Headers found: {found}.",
            file=table.name,
        )
    metal_col = _column_where(rows, lambda v: canonical_metal(v) in METALS)
    rest = [i for i in range(max(len(r) for r in rows)) if i not in (v2_col, cid_col, metal_col)]
    name_col, country_col = ([*rest, None, None])[:2]
    entries: dict[str, V2Translation] = {}
    for row in rows:
        parsed = parse_v2_id(_text(row, v2_col))
        cid = normalise_cid(_text(row, cid_col))
        if parsed is None or cid is None or parsed[2] in entries:
            continue
        entries[parsed[2]] = V2Translation(
            v2_id=parsed[2],
            smelter_id=cid,
            metal=parsed[0],
            name=_text(row, name_col),
            country=_text(row, country_col),
        )
    return V2Table(source=name or table.name, entries=tuple(entries.values()))


_REFERENCE_HEADERS = {
    "metal": ("metal",),
    "country": ("country",),
    "name": ("standard smelter name", "smelter name"),
    "v2_id": ("v2 smelter id", "old smelter id", "v2 id"),
    "smelter_id": ("v3 smelter id", "new smelter id", "smelter id", "v3 id", "cid"),
}


def read_smelter_references(source: str | Path | bytes, *, name: str | None = None) -> LegacyReferences:
    """Import the 2014 CFSI smelter references (METAL, COUNTRY, STANDARD SMELTER NAME, KEY TERM 1–4, IDs)."""

    def columns(headers: Sequence[str]) -> dict[str, int]:
        keys = [header_key(h) for h in headers]
        found = {}
        for field_name, wordings in _REFERENCE_HEADERS.items():
            hit = next((keys.index(w) for w in wordings if w in keys), None)
            if hit is not None:
                found[field_name] = hit
        return found

    def recognise(headers: Sequence[str]) -> bool:
        found = columns(headers)
        return "name" in found and ("smelter_id" in found or "v2_id" in found)

    table = read_table(
        source, name=name, recognise=recognise, expected="a smelter name column and a smelter ID column"
    )
    cols = columns(table.headers)
    key_cols = [i for i, h in enumerate(table.headers) if header_key(h).startswith("key term")]
    entries = []
    for row in table.rows:
        smelter_name = _text(row, cols["name"])
        metal = canonical_metal(_text(row, cols.get("metal")))
        if not smelter_name or not metal:
            continue
        v2 = parse_v2_id(_text(row, cols.get("v2_id")))
        entries.append(
            LegacyReference(
                metal=metal,
                name=smelter_name,
                country=_text(row, cols.get("country")),
                key_terms=tuple(t for t in (_text(row, i) for i in key_cols) if t),
                v2_id=v2[2] if v2 else None,
                smelter_id=normalise_cid(_text(row, cols.get("smelter_id"))),
            )
        )
    if not entries:
        raise BadInput(
            "The smelter references file has a header but no rows with a metal and a name.", file=table.name
        )
    return LegacyReferences(source=name or table.name, entries=tuple(entries))


def _text(row: Sequence[Any], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return clean_text(normalise.text(row[index]))


def _column_where(rows: Sequence[Sequence[Any]], test) -> int | None:
    """The column in which ``test`` holds for the most rows (at least one), or None."""
    counts: Counter[int] = Counter()
    for row in rows:
        for index, _value in enumerate(row):
            if test(_text(row, index)):
                counts[index] += 1
    return counts.most_common(1)[0][0] if counts else None
