"""Which smelter IDs are known, and for which metal: the reference list the smelter rules check against.

``review(reference=...)`` takes a reference list from ``oretrace.smelters`` (any object whose
``get(smelter_id)`` returns a facility with ``.metal`` or ``.metals``, or None). Without one, the
file's own "Smelter Look-up" sheet is the reference: it is RMI's list of that template release
(templates.md §1.5), so a CID missing from it was unknown to RMI when the template was published.
A CID the file's look-up knows but a newer reference lacks has been removed from RMI's list since.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from oretrace.rmi.model import LookupEntry, TemplateResponse

CID = re.compile(r"^CID\d{6}$")
# CFSI v2 IDs (2014): metal digit 1-4 (Gold, Tin, Tantalum, Tungsten), ISO-3 country, 3 digits.
V2_ID = re.compile(r"^[1-4][A-Z]{3}\d{3}$")
V2_METALS = {"1": "Gold", "2": "Tin", "3": "Tantalum", "4": "Tungsten"}


def normalise_id(value: str | None) -> str | None:
    """The ID as RMI writes it (upper case, no spaces), or None when blank."""
    if value is None:
        return None
    cleaned = re.sub(r"\s+", "", str(value)).upper()
    return cleaned or None


def is_well_formed(smelter_id: str) -> bool:
    return bool(CID.match(smelter_id) or V2_ID.match(smelter_id))


@dataclass(frozen=True)
class KnownSmelter:
    smelter_id: str
    metals: frozenset[str]
    name: str | None


class ReferenceIndex:
    """CID -> metals and name, from a reference list or from the template's own look-up."""

    def __init__(
        self,
        source: str,
        find: Callable[[str], KnownSmelter | None],
        template_ids: frozenset[str],
        *,
        available: bool,
    ):
        self.source = source
        self._find = find
        self._template_ids = template_ids  # what the file's own look-up lists
        self.available = available  # False: nothing to check against (an old template without a look-up)

    @classmethod
    def build(cls, response: TemplateResponse, reference: Any = None) -> ReferenceIndex:
        if isinstance(reference, ReferenceIndex):
            return reference
        from_lookup = _from_lookup(response.lookup)
        template_ids = frozenset(from_lookup)
        if reference is None:
            source = f"the Smelter Look-up of this {response.kind} {response.version}"
            return cls(source, from_lookup.get, template_ids, available=bool(from_lookup))
        release = getattr(reference, "release", None) or "the reference list"
        return cls(str(release), lambda key: _adapt(reference, key), template_ids, available=True)

    def get(self, smelter_id: str | None) -> KnownSmelter | None:
        key = normalise_id(smelter_id)
        if not key:
            return None
        # A facility added by hand is known by its ID as typed ("LBMA 0042"), which may hold a space.
        as_typed = str(smelter_id).strip()
        return self._find(key) or (self._find(as_typed) if as_typed != key else None)

    def removed(self, smelter_id: str | None) -> bool:
        """In the file's own look-up, but no longer in the (newer) reference list."""
        key = normalise_id(smelter_id)
        return bool(key) and key in self._template_ids and self.get(key) is None


def _from_lookup(entries: Iterable[LookupEntry]) -> dict[str, KnownSmelter]:
    metals: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for entry in entries:
        key = normalise_id(entry.smelter_id)
        if not key:
            continue  # "Smelter not listed" / "not yet identified" rows carry no ID
        metals.setdefault(key, set()).add(entry.metal)
        names.setdefault(key, entry.standard_name)
    return {key: KnownSmelter(key, frozenset(found), names.get(key)) for key, found in metals.items()}


def _adapt(reference: Any, key: str) -> KnownSmelter | None:
    """A facility of an oretrace.smelters reference list (``.metal`` or ``.metals``, ``.name``)."""
    facility = reference.get(key)
    if facility is None:
        return None
    metals = getattr(facility, "metals", None) or (getattr(facility, "metal", None),)
    return KnownSmelter(key, frozenset(m for m in metals if m), getattr(facility, "name", None))
