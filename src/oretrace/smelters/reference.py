"""The RMI smelter reference list of one template release, as typed facilities.

Every RMI template carries its release's reference list on the "Smelter Look-up" sheet: one row
per alias, several rows per CID (templates.md §1.5). Here the alias rows of one CID collapse into
one Facility, and the list remembers the release it came from, because a CID that a supplier
reports may have been removed since (a Russian refiner after September 2022, a closed smelter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from oretrace.errors import BadInput
from oretrace.rmi import normalise, read_template
from oretrace.rmi.model import LookupEntry, TemplateResponse, is_special_lookup
from oretrace.smelters.names import canonical_metal, clean_text, name_key, normalise_cid

# How every face marks a facility an analyst added by hand: what a user typed is never shown as if RMI
# had published it.
NOT_RMI_LISTED = "not RMI-listed"


def listing_cell(listed_by_rmi: bool, provenance: str | None) -> str:
    """The "Listed by RMI" cell of every table and export: "Yes", or "No (not RMI-listed; source: ...)"."""
    return "Yes" if listed_by_rmi else f"No ({provenance})"


@dataclass(frozen=True)
class Facility:
    """One smelter or refinery of one metal, as RMI lists it, or as an analyst added it by hand.

    A facility RMI does not list (no graphite facility is on EMRT 2.1's look-up) has
    ``listed_by_rmi=False``; its ``smelter_id`` is another programme's identifier (``id_programme``
    names the programme: "LBMA", "RJC", a national registry) or an oretrace-local ID ("OT-LOCAL-000001"),
    and ``source`` says where the analyst found it.
    """

    smelter_id: str  # CID000000, or the ID a hand-added facility carries
    metal: str
    name: str  # RMI's Standard Smelter Name, or the name the analyst gave
    country: str | None
    aliases: tuple[str, ...] = ()  # other names it is known by (look-up aliases, 2014 names, confirmations)
    street: str | None = None
    city: str | None = None
    state: str | None = None
    source: str | None = None  # where the list came from: "CMRT 6.4", "CFSI 2014 smelter references"
    listed_by_rmi: bool = True
    id_programme: str | None = None  # whose ID smelter_id is, for a facility RMI does not list
    source_url: str | None = None  # where the analyst's source can be read, for one RMI does not list

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def label(self) -> str:
        label = f"{self.smelter_id} {self.name} ({self.country or 'country unknown'})"
        return label if self.listed_by_rmi else f"{label} [{self.provenance()}]"

    def provenance(self) -> str:
        """Where the facility comes from, as every table shows it: "RMI (CMRT 6.4)", or for one added by
        hand "not RMI-listed; source: ..."."""
        if self.listed_by_rmi:
            return f"RMI ({self.source})" if self.source else "RMI"
        parts = [NOT_RMI_LISTED]
        if self.id_programme:
            parts.append(f"ID of {self.id_programme}")
        parts.append(f"source: {self.source or 'not given'}")
        if self.source_url:
            parts.append(self.source_url)
        return "; ".join(parts)


@dataclass(frozen=True)
class ReferenceList:
    """The facilities of one reference-list release, found by CID or by metal."""

    release: str  # "CMRT 6.4"
    date: dt.date | None
    facilities: tuple[Facility, ...]
    _by_id: dict[str, Facility] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {facility_key(f.smelter_id): f for f in self.facilities})

    def __len__(self) -> int:
        return len(self.facilities)

    def __contains__(self, smelter_id: object) -> bool:
        return isinstance(smelter_id, str) and facility_key(smelter_id) in self._by_id

    def get(self, smelter_id: str | None) -> Facility | None:
        key = facility_key(smelter_id)
        return self._by_id.get(key) if key else None

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(f.smelter_id for f in self.facilities)

    @property
    def not_rmi_listed(self) -> tuple[Facility, ...]:
        return tuple(f for f in self.facilities if not f.listed_by_rmi)

    def with_facilities(self, added: Iterable[Facility]) -> ReferenceList:
        """A copy that also holds facilities RMI does not list (smelters.unlisted), found by their ID
        and names like RMI's own. An ID already on the list is refused: two facilities cannot answer to
        one ID, and a hand-added one must never shadow RMI's."""
        added = tuple(added)
        if not added:
            return self
        seen = dict(self._by_id)
        for facility in added:
            key = facility_key(facility.smelter_id)
            if key in seen:
                raise BadInput(
                    f"{facility.smelter_id} ({facility.name}) is already the ID of "
                    f"{seen[key].label()}; give the facility added by hand another ID."
                )
            seen[key] = facility
        release = f"{self.release} + {len(added)} not RMI-listed" if self.release else "not RMI-listed"
        return replace(self, release=release, facilities=self.facilities + added)

    @property
    def metals(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.metal for f in self.facilities))

    def for_metal(self, metal: str) -> tuple[Facility, ...]:
        wanted = canonical_metal(metal)
        return tuple(f for f in self.facilities if f.metal == wanted)

    def counts_by_metal(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for facility in self.facilities:
            counts[facility.metal] = counts.get(facility.metal, 0) + 1
        return counts

    def with_aliases(self, aliases: Mapping[str, Iterable[str]]) -> ReferenceList:
        """A copy in which the facilities named by CID also answer to the given names.

        Used for the 2014 CFSI smelter references and for names an analyst confirmed. Names that
        compare equal to one the facility already has are not added twice; unknown CIDs are ignored,
        because an alias cannot create a facility RMI does not list.
        """
        facilities = []
        for facility in self.facilities:
            extra = aliases.get(facility.smelter_id, ())
            known = {name_key(n) for n in facility.names}
            added = []
            for alias in extra:
                alias = clean_text(alias)
                if alias and name_key(alias) not in known:
                    known.add(name_key(alias))
                    added.append(alias)
            facilities.append(
                replace(facility, aliases=facility.aliases + tuple(added)) if added else facility
            )
        return replace(self, facilities=tuple(facilities))


def facility_key(smelter_id: str | None) -> str | None:
    """How an ID is looked up: a CID in its canonical form ("cid2763" is CID002763), any other ID (a
    hand-added facility's) by its text, whatever the case and spacing."""
    cid = normalise_cid(smelter_id)
    if cid:
        return cid
    cleaned = clean_text(smelter_id)
    return " ".join(cleaned.upper().split()) if cleaned else None


@dataclass(frozen=True)
class ListChanges:
    """What changed between two releases of the reference list."""

    old_release: str
    new_release: str
    removed: tuple[Facility, ...]  # in the old list, gone from the new one
    added: tuple[Facility, ...]

    @property
    def removed_ids(self) -> frozenset[str]:
        return frozenset(f.smelter_id for f in self.removed)


def reference_from_lookup(
    entries: Iterable[LookupEntry], *, release: str, date: dt.date | None = None
) -> ReferenceList:
    """Collapse Smelter Look-up rows (one per alias) into one Facility per CID.

    The "Smelter not listed" / "Smelter not yet identified" rows have no CID and are choices, not
    facilities, so they are left out.
    """
    grouped: dict[str, list[LookupEntry]] = {}
    for entry in entries:
        cid = normalise_cid(entry.smelter_id)
        if cid is None or is_special_lookup(entry.alias):
            continue
        grouped.setdefault(cid, []).append(entry)
    facilities = []
    for cid, rows in grouped.items():
        first = rows[0]
        name = clean_text(first.standard_name) or clean_text(first.alias) or cid
        aliases = []
        seen = {name_key(name)}
        for row in rows:
            alias = clean_text(row.alias)
            if alias and name_key(alias) not in seen:
                seen.add(name_key(alias))
                aliases.append(alias)
        facilities.append(
            Facility(
                smelter_id=cid,
                metal=canonical_metal(first.metal) or first.metal,
                name=name,
                country=clean_text(first.country),
                aliases=tuple(aliases),
                street=clean_text(first.street),
                city=clean_text(first.city),
                state=clean_text(first.state),
                source=release,
            )
        )
    return ReferenceList(release=release, date=date, facilities=tuple(facilities))


def reference_from_template(source: str | Path | bytes | TemplateResponse) -> ReferenceList:
    """The reference list carried by any RMI template (a blank one downloaded from RMI, or a filled one)."""
    response = source if isinstance(source, TemplateResponse) else read_template(source)
    if not response.lookup:
        raise BadInput(
            f"{response.kind} {response.version} has no Smelter Look-up rows, so it carries no "
            "reference list. Use a CMRT, EMRT, CRT or AMRT downloaded from RMI.",
            file=response.file.name,
        )
    return reference_from_lookup(
        response.lookup,
        release=f"{response.kind} {response.version}",
        date=_revision_date(response.revision_text),
    )


def _revision_date(revision_text: str | None) -> dt.date | None:
    """The release date printed under the revision ("Revision 6.4\\nApril 26, 2024")."""
    if not revision_text:
        return None
    for line in reversed(revision_text.splitlines()):
        found = normalise.date(line.strip())
        if found:
            return found
    return None


def compare_lists(old: ReferenceList, new: ReferenceList) -> ListChanges:
    """The facilities the newer list no longer has, and the ones it adds."""
    return ListChanges(
        old_release=old.release,
        new_release=new.release,
        removed=tuple(f for f in old.facilities if f.smelter_id not in new.ids),
        added=tuple(f for f in new.facilities if f.smelter_id not in old.ids),
    )
