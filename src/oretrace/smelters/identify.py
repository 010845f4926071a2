"""Which RMI facility each Smelter List row means, how we know, and how sure we are.

Order of evidence, strongest first: the CID (column F, or column A typed by the supplier), or the ID
of a facility RMI does not list that an analyst added (smelters.unlisted), an old
CFSI v2 ID, an exact standard name or alias within the row's metal (including names an analyst
confirmed), then a fuzzy name match within the metal. Every answer says which of these decided,
the score, the runner-up and why, so an analyst can check it; a match to a facility of another
metal is reported as such, never silently accepted.

    >>> identifier = Identifier(reference)                      # doctest: +SKIP
    >>> [identifier.identify(row) for row in response.smelters]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from rapidfuzz import fuzz, process

from oretrace.rmi.layouts import CMRT_METALS
from oretrace.rmi.model import SMELTER_NOT_YET_IDENTIFIED, SmelterRow, is_special_lookup
from oretrace.smelters.legacy import V2Table
from oretrace.smelters.names import (
    canonical_metal,
    country_key,
    distinctive_key,
    name_key,
    normalise_cid,
    parse_v2_id,
)
from oretrace.smelters.reference import Facility, ReferenceList

DEFAULT_THRESHOLD = 85.0
# A candidate of a row left unidentified is offered to an analyst already chosen only from this score
# up, and only when no other candidate is within TIE_MARGIN of it (rollup.compute.preselected). Below
# it the analyst must pick one: confirming makes a permanent alias that identifies every file with the
# name, so a 22-45% guess must never be one click away.
CONFIDENT_CANDIDATE = 90.0
# Two facilities scoring within this many points of each other are a tie: the row's country
# decides, or the row stays unidentified rather than being given to a coin toss.
TIE_MARGIN = 3.0
# The fast first pass (plain edit-distance ratio) keeps this many names per query for the
# token-aware scorer; on the 6.4 list it finds the same best facility as scoring every name.
_PREFILTER = 8
_ANY_METAL = "*"


class Method(StrEnum):
    CID = "cid"
    # The ID of a facility RMI does not list, as an analyst added it (smelters.unlisted): another
    # programme's ID ("LBMA-0042") or an oretrace-local one ("OT-LOCAL-000001").
    FACILITY_ID = "facility-id"
    V2_ID = "v2-id"
    NAME = "name"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    EXCLUDED = "excluded"  # a name an analyst recorded as no 3TG smelter (Exclusion)
    UNIDENTIFIED = "unidentified"


class Exclusion(StrEnum):
    """What an analyst recorded of a reported name that is no facility to identify: the row leaves the
    unidentified names and is counted as neither a smelter nor a gap in the supply chain."""

    NOT_A_SMELTER = "not-a-smelter"  # a trader, a distributor, the supplier itself
    NOT_3TG = "not-3tg"  # a real smelter, of a metal outside 3TG (cobalt, copper)

    @property
    def label(self) -> str:
        return {"not-a-smelter": "not a smelter", "not-3tg": "not a 3TG smelter"}[self.value]

    def applies_to(self, metal: str | None) -> bool:
        """Whether a row reported under ``metal`` is left out by this record. A refiner recorded as not
        3TG (a cobalt refiner listed under gold in a CMRT) is still a smelter where cobalt is asked
        about (an EMRT, a CRT); a name that is no smelter is none under any metal."""
        if self is Exclusion.NOT_3TG:
            return metal is None or metal.casefold() in {m.casefold() for m in CMRT_METALS}
        return True


@dataclass(frozen=True)
class Candidate:
    facility: Facility
    score: float
    matched_name: str  # the reference name or alias that scored

    def describe(self) -> str:
        return f"{self.facility.smelter_id} {self.facility.name} ({self.score:.0f})"


@dataclass(frozen=True)
class Identification:
    """The answer for one row (or one name): the facility, the method, the score, and the reason."""

    method: Method
    facility: Facility | None
    score: float  # 100 for IDs and exact names, the fuzzy score otherwise, 0 when nothing was found
    reason: str
    query: str | None = None  # the ID or name that decided
    metal: str | None = None  # the metal the row reports
    row: int | None = None
    runner_up: Candidate | None = None
    metal_mismatch: bool = False  # the facility is a smelter of another metal than the row reports
    removed_in: str | None = None  # the facility is not on this (newer) release of the list

    @property
    def identified(self) -> bool:
        """A facility of the reported metal, on the current list."""
        return self.facility is not None and not self.metal_mismatch and self.removed_in is None

    @property
    def smelter_id(self) -> str | None:
        return self.facility.smelter_id if self.facility else None


@dataclass(frozen=True)
class _Named:
    facility: Facility
    name: str
    standard: bool  # the Standard Smelter Name, rather than an alias


def _similarities(query: str, choices: Sequence[str]) -> list[float]:
    # token_set_ratio alone gives 100 to any name whose words are a subset of another's ("shandong
    # gold" against eight Shandong refiners), so it is discounted; token_sort_ratio catches reordered
    # words, plain ratio typos inside words. WRatio was measured too: slower, and it misled more often on truncated names
    # (benchmarks/smelter_matching.py).
    ratio, sort_ratio, set_ratio = fuzz.ratio, fuzz.token_sort_ratio, fuzz.token_set_ratio
    return [
        max(ratio(query, choice), sort_ratio(query, choice), 0.95 * set_ratio(query, choice))
        for choice in choices
    ]


def _scores(query: str, choices: Sequence[str]) -> list[float]:
    """Similarity of a name key to each choice, 0–100: half whole names, half their distinctive words.

    The distinctive half keeps shared words ("refinery", "metals", "gold") from carrying a match:
    "acme refinery" against "abc refinery pty" is 88 as whole strings but about 72 here.
    """
    whole = _similarities(query, choices)
    query_core = distinctive_key(query)
    if not query_core:
        return whole
    cores = [distinctive_key(choice) for choice in choices]
    core = _similarities(query_core, cores)
    return [(w + c) / 2 if cores[i] else w for i, (w, c) in enumerate(zip(whole, core, strict=True))]


class Identifier:
    """Identifies rows against one reference list; build once, use for every file of a campaign.

    ``confirmed`` maps names an analyst confirmed to the CID they mean (the web app stores these);
    they are used before fuzzy matching. ``excluded`` maps names an analyst recorded as no 3TG
    smelter to the Exclusion value: such a row is Method.EXCLUDED unless its ID names a facility. ``previous`` are older releases, so that a CID RMI has
    since removed is still recognised and reported as removed.
    """

    def __init__(
        self,
        reference: ReferenceList,
        *,
        v2: V2Table | None = None,
        confirmed: Mapping[str, str] | None = None,
        previous: Sequence[ReferenceList] = (),
        threshold: float = DEFAULT_THRESHOLD,
        excluded: Mapping[str, str] | None = None,
    ):
        self.reference = reference
        self._excluded = {name_key(n): Exclusion(e) for n, e in (excluded or {}).items() if name_key(n)}
        self.v2 = v2
        self.previous = tuple(previous)
        self.threshold = threshold
        self._exact: dict[str, list[_Named]] = {}
        self._choices: dict[str, list[str]] = {}  # metal -> distinct name keys
        for facility in reference.facilities:
            for position, facility_name in enumerate(facility.names):
                key = name_key(facility_name)
                if not key:
                    continue
                named = self._exact.setdefault(key, [])
                if all(n.facility.smelter_id != facility.smelter_id for n in named):
                    named.append(_Named(facility, facility_name, standard=position == 0))
        for key, named in self._exact.items():
            for metal in {n.facility.metal for n in named}:
                self._choices.setdefault(metal, []).append(key)
        self._choices[_ANY_METAL] = list(self._exact)
        self._confirmed: dict[str, Facility] = {}
        for confirmed_name, cid in (confirmed or {}).items():
            facility = self._facility_by_cid(cid)[0]
            if facility is not None and name_key(confirmed_name):
                self._confirmed[name_key(confirmed_name)] = facility
        self._fuzzy_cache: dict[tuple[str, str], list[Candidate]] = {}

    # -- public ---------------------------------------------------------------------------------

    def identify(self, row: SmelterRow) -> Identification:
        metal = canonical_metal(row.metal)
        found = self._identify(
            ids=(row.smelter_id, row.id_input),
            names=(row.name, row.lookup_name, row.standard_name),
            metal=metal,
            country=row.country,
            not_yet_identified=bool(
                row.lookup_name and row.lookup_name.casefold() == SMELTER_NOT_YET_IDENTIFIED.casefold()
            ),
        )
        return _with(found, row=row.row, metal=metal)

    def identify_all(self, rows: Iterable[SmelterRow]) -> tuple[Identification, ...]:
        return tuple(self.identify(row) for row in rows)

    def identify_name(
        self, name: str, metal: str | None, country: str | None = None, smelter_id: str | None = None
    ) -> Identification:
        """For names outside a template (a status list, a search box)."""
        canonical = canonical_metal(metal)
        found = self._identify(
            ids=(smelter_id,), names=(name,), metal=canonical, country=country, not_yet_identified=False
        )
        return _with(found, metal=canonical)

    # -- the steps ------------------------------------------------------------------------------

    def _identify(
        self,
        *,
        ids: Sequence[str | None],
        names: Sequence[str | None],
        metal: str | None,
        country: str | None,
        not_yet_identified: bool,
    ) -> Identification:
        notes: list[str] = []
        seen: set[str] = set()
        for value in ids:
            if not value or not value.strip() or value.strip().upper() in seen:
                continue  # column A usually repeats column F; one note per ID is enough
            seen.add(value.strip().upper())
            found = self._by_id(value, metal, notes)
            if found is not None:
                return found
        if not_yet_identified and not any(ids):
            return Identification(
                Method.UNIDENTIFIED,
                None,
                0.0,
                f'The supplier chose "{SMELTER_NOT_YET_IDENTIFIED}": the smelter is not known yet.',
            )
        queries = _distinct_names(names)
        for query in queries:
            exclusion = self._excluded.get(name_key(query))
            if exclusion is not None and exclusion.applies_to(metal):
                return _noted(
                    Identification(
                        Method.EXCLUDED,
                        None,
                        0.0,
                        f'"{query}" is {exclusion.label}, as an analyst recorded.',
                        query=query,
                    ),
                    notes,
                )
        for query in queries:
            found = self._by_exact_name(query, metal, country)
            if found is not None:
                return _noted(found, notes)
        best: tuple[Identification, str] | None = None
        for query in queries:
            found = self._by_fuzzy_name(query, metal, country)
            if found.facility is not None:
                return _noted(found, notes)
            if best is None or found.score > best[0].score:
                best = (found, query)
        if best is not None:
            # Unidentified: what the file said of its ID comes first, since an ID the list lacks (an
            # older reference list loaded) is fixed differently from a name without one.
            said = " ".join(notes) if notes else "Reported without a smelter ID."
            return _with(best[0], reason=f"{said} {best[0].reason}")
        notes.append(
            "The row has no name to match instead." if notes else "The row has neither an ID nor a name."
        )
        return Identification(Method.UNIDENTIFIED, None, 0.0, " ".join(notes))

    def _facility_by_cid(self, cid: str) -> tuple[Facility | None, str | None]:
        """The facility and, when only an older release lists it, the release that dropped it."""
        facility = self.reference.get(cid)
        if facility is not None:
            return facility, None
        for older in self.previous:
            facility = older.get(cid)
            if facility is not None:
                return facility, self.reference.release
        return None, None

    def _by_id(self, value: str, metal: str | None, notes: list[str]) -> Identification | None:
        cid = normalise_cid(value)
        if cid is not None:
            facility, removed_in = self._facility_by_cid(cid)
            if facility is None:
                notes.append(
                    f"The file gives smelter ID {cid}, which is not on the {self.reference.release} "
                    "reference list loaded."
                )
                return None
            how = f"{cid}" if cid == value.strip() else f"{value.strip()!r}, read as {cid}"
            return self._id_result(Method.CID, value.strip(), facility, metal, removed_in, f"By ID {how}")
        unlisted = self.reference.get(value)
        if unlisted is not None and not unlisted.listed_by_rmi:
            programme = f" ({unlisted.id_programme})" if unlisted.id_programme else ""
            return self._id_result(
                Method.FACILITY_ID, value.strip(), unlisted, metal, None, f"By ID {value.strip()}{programme}"
            )
        parsed = parse_v2_id(value)
        if parsed is None:
            notes.append(f"{value.strip()!r} is neither a CID nor an old CFSI v2 ID.")
            return None
        if self.v2 is None:
            notes.append(
                f"{parsed[2]} is an old CFSI v2 ID, and no v2-to-CID translation table was imported."
            )
            return None
        translation = self.v2.translate(parsed[2])
        if translation is None:
            notes.append(f"{parsed[2]} is an old CFSI v2 ID that {self.v2.source} does not translate.")
            return None
        facility, removed_in = self._facility_by_cid(translation.smelter_id)
        if facility is None:
            notes.append(
                f"{parsed[2]} translates to {translation.smelter_id}, which is not on the "
                f"{self.reference.release} reference list."
            )
            return None
        return self._id_result(
            Method.V2_ID,
            parsed[2],
            facility,
            metal,
            removed_in,
            f"By old CFSI v2 ID {parsed[2]}, which {self.v2.source} translates to {translation.smelter_id}",
        )

    def _id_result(
        self,
        method: Method,
        query: str,
        facility: Facility,
        metal: str | None,
        removed_in: str | None,
        how: str,
    ) -> Identification:
        mismatch = metal is not None and facility.metal != metal
        reason = f"{how}: {facility.name.rstrip('.')}."
        if not facility.listed_by_rmi:
            reason += f" It is {facility.provenance()}."
        if mismatch:
            reason += f" That ID is a {facility.metal} facility, but the row reports {metal}."
        if removed_in:
            reason += f" It is no longer on the {removed_in} reference list."
        return Identification(
            method, facility, 100.0, reason, query=query, metal_mismatch=mismatch, removed_in=removed_in
        )

    def _by_exact_name(self, query: str, metal: str | None, country: str | None) -> Identification | None:
        key = name_key(query)
        confirmed = self._confirmed.get(key)
        if confirmed is not None:
            mismatch = metal is not None and confirmed.metal != metal
            reason = f'"{query}" is a name an analyst confirmed as {confirmed.smelter_id} {confirmed.name.rstrip(".")}.'
            if mismatch:
                reason += f" That is a {confirmed.metal} facility, but the row reports {metal}."
            return Identification(
                Method.ALIAS, confirmed, 100.0, reason, query=query, metal_mismatch=mismatch
            )
        named = self._exact.get(key, [])
        same_metal = [n for n in named if metal is None or n.facility.metal == metal]
        if same_metal:
            return self._pick_exact(query, same_metal, country, metal, mismatch=False)
        if named:
            return self._pick_exact(query, named, country, metal, mismatch=True)
        return None

    def _pick_exact(
        self, query: str, named: list[_Named], country: str | None, metal: str | None, *, mismatch: bool
    ) -> Identification:
        chosen, runner_up, tie_note = _break_tie(
            sorted(
                (Candidate(n.facility, 100.0, n.name) for n in named), key=lambda c: c.facility.smelter_id
            ),
            country,
        )
        if chosen is None:
            return Identification(
                Method.UNIDENTIFIED,
                None,
                100.0,
                f'"{query}" names {len(named)} facilities ({", ".join(c.facility.label() for c in _candidates(named))}) '
                "and the country does not decide between them.",
                query=query,
                runner_up=runner_up,
            )
        standard = next(n.standard for n in named if n.facility is chosen.facility)
        method = Method.NAME if standard else Method.ALIAS
        word = "standard name" if standard else "alias"
        reason = f'"{query}" is the {word} "{chosen.matched_name}" of {chosen.facility.label()}.{tie_note}'
        if mismatch:
            reason += f" That is a {chosen.facility.metal} facility, but the row reports {metal}."
        return Identification(
            method, chosen.facility, 100.0, reason, query=query, runner_up=runner_up, metal_mismatch=mismatch
        )

    def _ranked(self, key: str, metal: str) -> list[Candidate]:
        """Facilities of the metal (or of any, for _ANY_METAL) by their best-scoring name, best first.

        Cached per key and metal: a campaign's files repeat the same few hundred names.
        """
        cache_key = (metal, key)
        cached = self._fuzzy_cache.get(cache_key)
        if cached is not None:
            return cached
        choices = self._choices.get(metal, [])
        shortlist = [
            choice
            for choice, _ratio, _index in process.extract(
                key, choices, scorer=fuzz.ratio, processor=None, limit=_PREFILTER
            )
        ]
        best: dict[str, Candidate] = {}
        for choice, score in zip(shortlist, _scores(key, shortlist), strict=True):
            for named in self._exact[choice]:
                if metal != _ANY_METAL and named.facility.metal != metal:
                    continue
                known = best.get(named.facility.smelter_id)
                if known is None or score > known.score:
                    best[named.facility.smelter_id] = Candidate(named.facility, score, named.name)
        # Equal scores in CID order: the answer must not depend on the order of the reference list.
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.facility.smelter_id))
        self._fuzzy_cache[cache_key] = ranked
        return ranked

    def _by_fuzzy_name(self, query: str, metal: str | None, country: str | None) -> Identification:
        key = name_key(query)
        ranked = self._ranked(key, metal or _ANY_METAL)
        what = f"of {metal}" if metal else "of any metal"
        if ranked and ranked[0].score >= self.threshold:
            return self._fuzzy_result(query, ranked, country, mismatch=False, metal=metal)
        # Not this metal; is it a facility of another? A supplier who lists a tin smelter under gold
        # must be told, not handed the nearest gold refiner.
        if metal:
            others = [c for c in self._ranked(key, _ANY_METAL) if c.facility.metal != metal]
            if others and others[0].score >= self.threshold:
                return self._fuzzy_result(query, others, country, mismatch=True, metal=metal)
        if not ranked:
            return Identification(
                Method.UNIDENTIFIED,
                None,
                0.0,
                f'No facility {what} is on the list to compare "{query}" with.',
            )
        best = ranked[0]
        return Identification(
            Method.UNIDENTIFIED,
            None,
            best.score,
            f'No facility {what} scored above {self.threshold:.0f} for "{query}"; best: '
            f"{best.facility.name} ({best.score:.0f}).",
            query=query,
            runner_up=best,
        )

    def _fuzzy_result(
        self, query: str, ranked: list[Candidate], country: str | None, *, mismatch: bool, metal: str | None
    ) -> Identification:
        close = [c for c in ranked if ranked[0].score - c.score < TIE_MARGIN]
        chosen, runner_up, tie_note = _break_tie(close, country)
        if runner_up is None and len(ranked) > 1:
            runner_up = ranked[1] if chosen is ranked[0] else ranked[0]
        if chosen is None:
            return Identification(
                Method.UNIDENTIFIED,
                None,
                ranked[0].score,
                f'"{query}" is as close to {ranked[0].describe()} as to {ranked[1].describe()}, '
                "and the country does not decide between them.",
                query=query,
                runner_up=runner_up,
            )
        reason = (
            f'"{query}" is closest to "{chosen.matched_name}" of {chosen.facility.label()} '
            f"(score {chosen.score:.0f}"
            + (f"; runner-up {runner_up.describe()})" if runner_up else ")")
            + f".{tie_note}"
        )
        if mismatch:
            reason += f" That is a {chosen.facility.metal} facility, but the row reports {metal}."
        return Identification(
            Method.FUZZY,
            chosen.facility,
            chosen.score,
            reason,
            query=query,
            runner_up=runner_up,
            metal_mismatch=mismatch,
        )


def _candidates(named: Sequence[_Named]) -> list[Candidate]:
    return [Candidate(n.facility, 100.0, n.name) for n in named]


def _break_tie(close: list[Candidate], country: str | None) -> tuple[Candidate | None, Candidate | None, str]:
    """The one candidate among equals, the runner-up, and a note when the country decided."""
    if len(close) == 1:
        return close[0], None, ""
    wanted = country_key(country)
    in_country = [c for c in close if wanted and country_key(c.facility.country) == wanted]
    if len(in_country) == 1:
        chosen = in_country[0]
        runner_up = next(c for c in close if c is not chosen)
        return (
            chosen,
            runner_up,
            f" The row's country ({country}) decided between it and {runner_up.describe()}.",
        )
    return None, close[1], ""


def _distinct_names(names: Iterable[str | None]) -> list[str]:
    """Names worth matching, each once: not blank, not a template choice, not the "Unknown" filler."""
    seen: set[str] = set()
    result = []
    for value in names:
        if not value or is_special_lookup(value) or value.strip().casefold() == "unknown":
            continue
        key = name_key(value)
        if key and key not in seen:
            seen.add(key)
            result.append(value.strip())
    return result


def _noted(found: Identification, notes: list[str]) -> Identification:
    if not notes:
        return found
    return _with(found, reason=f"{found.reason} ({' '.join(notes)})")


def _with(found: Identification, **changes) -> Identification:
    return replace(found, **changes)


def identify_smelters(
    rows: Iterable[SmelterRow],
    reference: ReferenceList,
    *,
    v2: V2Table | None = None,
    confirmed: Mapping[str, str] | None = None,
    previous: Sequence[ReferenceList] = (),
    threshold: float = DEFAULT_THRESHOLD,
    excluded: Mapping[str, str] | None = None,
) -> tuple[Identification, ...]:
    """One Identification per row, in order (a one-off convenience; reuse an Identifier for many files)."""
    identifier = Identifier(
        reference, v2=v2, confirmed=confirmed, previous=previous, threshold=threshold, excluded=excluded
    )
    return identifier.identify_all(rows)
