"""Finding a smelter in the reference list a blank template carries (its Smelter Look-up sheet):
the list the written file's formulas fill a row from, so a pick here is one the file can hold."""

from __future__ import annotations

from collections.abc import Iterable

from oretrace.rmi.model import LookupEntry


def search_lookup(
    lookup: Iterable[LookupEntry], query: str, *, metal: str | None = None, limit: int = 20
) -> list[LookupEntry]:
    """The facilities whose CID, standard name or any alias contains ``query`` (ignoring case), one
    entry per CID (its standard name's), an exact CID first, then by name."""
    wanted = " ".join(query.split()).casefold()
    if not wanted:
        return []
    by_id: dict[str, LookupEntry] = {}
    matched: set[str] = set()
    for entry in lookup:
        if not entry.smelter_id or (metal and entry.metal.casefold() != metal.casefold()):
            continue
        if entry.smelter_id not in by_id or entry.alias == entry.standard_name:
            by_id[entry.smelter_id] = entry
        texts = (entry.smelter_id, entry.alias, entry.standard_name)
        if any(wanted in (text or "").casefold() for text in texts):
            matched.add(entry.smelter_id)
    found = sorted(
        (by_id[cid] for cid in matched),
        key=lambda e: (e.smelter_id.casefold() != wanted, e.standard_name.casefold(), e.smelter_id),
    )
    return found[:limit]
