"""Facilities RMI does not list, added by an analyst: checked, given an ID, read from a CSV.

RMI's EMRT 2.1 look-up has only placeholder rows for graphite, and any list lags the world, so an
analyst may add a facility by hand: its name, mineral, country, the identifier another programme gives
it (an LBMA, RJC or national-registry ID, with the programme named) or an oretrace-local ID
("OT-LOCAL-000001"), where the analyst found it, and the other names it goes by. Such a facility is
``listed_by_rmi=False``: identification finds it like RMI's own, and every table marks it.

The web app keeps them in its database; ``oretrace review/rollup/report --facilities FILE`` reads
them from a CSV with the columns of FACILITY_COLUMNS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlparse

from oretrace.errors import BadInput
from oretrace.rmi import normalise
from oretrace.rmi.layouts_extended import AMRT_MINERALS, EMRT2_MINERALS
from oretrace.smelters.names import METALS, canonical_metal, clean_text, name_key, normalise_cid
from oretrace.smelters.reference import Facility, facility_key
from oretrace.smelters.tables import header_key, read_table

LOCAL_ID_PREFIX = "OT-LOCAL-"
LOCAL_PROGRAMME = "oretrace"
# Every mineral an RMI template asks about: a facility of any other "mineral" is a typing slip.
MINERALS = tuple(dict.fromkeys((*METALS, *EMRT2_MINERALS, *AMRT_MINERALS)))
_LOCAL_ID = re.compile(rf"^{LOCAL_ID_PREFIX}(\d+)$", re.IGNORECASE)
MAX_NAME = 300
MAX_ID = 40

# The CSV columns, by header (compared without case or punctuation); "aliases" separated by ";".
FACILITY_COLUMNS = {
    "name": "the facility's name (required)",
    "mineral": "Gold, Tin, Tantalum, Tungsten, Graphite, Cobalt, ... (required)",
    "country": "where it is (required)",
    "id": "its ID in another programme; blank for an oretrace-local ID (OT-LOCAL-000001)",
    "programme": "whose ID it is (LBMA, RJC, a national registry); required with an ID",
    "source": "where you found the facility, in words (required)",
    "source url": "a link to that source (optional)",
    "aliases": "other names it goes by, separated by ; (optional)",
}


def local_id(number: int) -> str:
    return f"{LOCAL_ID_PREFIX}{number:06d}"


def next_local_id(taken: Iterable[str]) -> str:
    """The oretrace-local ID after the highest one taken, so a retired facility's ID is never reused."""
    numbers = [int(m.group(1)) for m in (_LOCAL_ID.match(t.strip()) for t in taken if t) if m]
    return local_id(max(numbers, default=0) + 1)


def is_local_id(smelter_id: str | None) -> bool:
    return bool(smelter_id and _LOCAL_ID.match(smelter_id.strip()))


def unlisted_facility(
    *,
    name: str | None,
    mineral: str | None,
    country: str | None,
    smelter_id: str | None,
    programme: str | None,
    source: str | None,
    source_url: str | None = None,
    aliases: Iterable[str] = (),
) -> Facility:
    """A facility RMI does not list, from what an analyst typed; BadInput naming every problem.

    ``smelter_id`` is another programme's ID (with ``programme`` naming it) or an oretrace-local one;
    a CID is refused, since CIDs are RMI's and a facility with one comes from RMI's own list.
    """
    problems = []
    name, country, source = clean_text(name), clean_text(country), clean_text(source)
    smelter_id, programme, source_url = clean_text(smelter_id), clean_text(programme), clean_text(source_url)
    metal = canonical_metal(mineral)
    if not name:
        problems.append("The name is missing.")
    elif len(name) > MAX_NAME:
        problems.append(f"The name is longer than {MAX_NAME} characters.")
    if not metal:
        problems.append("The mineral is missing.")
    elif metal not in MINERALS:
        problems.append(f'"{mineral}" is not a mineral RMI\'s templates ask about ({", ".join(MINERALS)}).')
    if not country:
        problems.append("The country is missing.")
    if not source:
        problems.append("The source is missing: say where the facility is documented.")
    problems += _id_problems(smelter_id, programme)
    if source_url and urlparse(source_url).scheme not in ("http", "https"):
        problems.append(f'The source URL "{source_url}" is not a web address (http:// or https://).')
    if problems:
        raise BadInput(" ".join(problems))
    if is_local_id(smelter_id):
        programme = LOCAL_PROGRAMME
    return Facility(
        smelter_id=smelter_id or "",
        metal=metal or "",
        name=name or "",
        country=country,
        aliases=_distinct_aliases(name or "", aliases),
        source=source,
        listed_by_rmi=False,
        id_programme=programme,
        source_url=source_url,
    )


def _id_problems(smelter_id: str | None, programme: str | None) -> list[str]:
    if not smelter_id:
        return ["The ID is missing: give the facility's ID in another programme, or an oretrace-local ID."]
    if normalise_cid(smelter_id):
        return [
            f"{smelter_id} is an RMI smelter ID ({normalise_cid(smelter_id)}): a facility with a CID comes from RMI's list. Load "
            "the RMI template that lists it instead."
        ]
    if len(smelter_id) > MAX_ID:
        return [f"The ID is longer than {MAX_ID} characters."]
    if not is_local_id(smelter_id) and not programme:
        return [f"Name the programme whose ID {smelter_id} is (LBMA, RJC, a national registry)."]
    return []


def _distinct_aliases(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    seen = {name_key(name)}
    kept = []
    for alias in aliases:
        alias = clean_text(alias)
        if alias and name_key(alias) and name_key(alias) not in seen:
            seen.add(name_key(alias))
            kept.append(alias)
    return tuple(kept)


def split_aliases(text: str | None) -> list[str]:
    """Aliases typed in one field or cell: separated by semicolons or line breaks."""
    return [part for part in re.split(r"[;\n]", text or "") if part.strip()]


def read_unlisted_facilities(source: str | Path | bytes, *, name: str | None = None) -> tuple[Facility, ...]:
    """The facilities of a CSV (or workbook) with the columns of FACILITY_COLUMNS.

    A row without an ID gets an oretrace-local ID in file order; any bad row refuses the whole file,
    with every row's problem named, so an analyst never reports against half a list.
    """
    table = read_table(
        source,
        name=name,
        recognise=_recognise,
        expected='the columns "name", "mineral", "country" and "source"',
    )
    columns = {header_key(h): i for i, h in enumerate(table.headers) if header_key(h)}
    rows = [
        (table.header_row + 1 + i, row)
        for i, row in enumerate(table.rows)
        if any(_cell(row, j) for j in range(len(row)))
    ]
    taken = [_cell(row, columns.get("id")) or "" for _n, row in rows]
    facilities: list[Facility] = []
    problems = []
    keys: dict[str, int] = {}
    for number, row in rows:
        smelter_id = _cell(row, columns.get("id")) or next_local_id(
            taken + [f.smelter_id for f in facilities]
        )
        try:
            facility = unlisted_facility(
                name=_cell(row, columns.get("name")),
                mineral=_cell(row, columns.get("mineral")),
                country=_cell(row, columns.get("country")),
                smelter_id=smelter_id,
                programme=_cell(row, columns.get("programme")),
                source=_cell(row, columns.get("source")),
                source_url=_cell(row, columns.get("source url")),
                aliases=split_aliases(_cell(row, columns.get("aliases"))),
            )
        except BadInput as error:
            problems.append(f"Row {number}: {error.message}")
            continue
        key = facility_key(facility.smelter_id) or ""
        if key in keys:
            problems.append(f"Row {number}: the ID {facility.smelter_id} is also on row {keys[key]}.")
            continue
        keys[key] = number
        facilities.append(facility)
    if problems:
        raise BadInput(" ".join(problems), file=table.name)
    if not facilities:
        raise BadInput("The file lists no facility under its header row.", file=table.name)
    return tuple(facilities)


def _recognise(headers: Sequence[str]) -> bool:
    keys = {header_key(h) for h in headers}
    return {"name", "mineral", "country", "source"} <= keys


def _cell(row: Sequence, index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    return clean_text(normalise.text(row[index]))
