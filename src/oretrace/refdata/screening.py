"""Screening names against the sanctions lists in force: which facility or supplier a list names.

A facility is screened by its name, its aliases and its country; a supplier by its company name. Each
name is compared with every name and alias of every entry on a sanctions list, after the same
normalisation smelter identification uses (case, accents, punctuation and legal forms set aside): equal
keys are an exact hit, keys rapidfuzz scores at or above the threshold a fuzzy one. A hit is data that
explains itself: the list and its as-of day, the entry with its ID and programme, which of its names
matched which of the subject's, the score, and whether it was exact or fuzzy. Whether a hit is the
sanctioned party is for a person to decide; the screening only finds candidates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from oretrace.errors import BadInput
from oretrace.refdata.kinds import Family, ListKind
from oretrace.refdata.model import Entry, RefList
from oretrace.smelters.names import country_key, name_key

FACILITY = "facility"
SUPPLIER = "supplier"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
VERDICTS = (CONFIRMED, DISMISSED)
EXACT = "exact"
FUZZY = "fuzzy"

# token_sort_ratio at 90 allows a letter or two in a name of twenty ("Uralsky"/"Uralskiy") and a
# changed word order ("PETROV Ivan"), but not a different word.
DEFAULT_THRESHOLD = 90.0
# Short keys differ by one letter between unrelated companies ("metal"/"metals", "afro"/"agro"):
# below this many letters only an exact key is a hit.
MIN_FUZZY_LENGTH = 8


@dataclass(frozen=True)
class Subject:
    """A name to screen: an identified facility (key: its CID) or a supplier (key: its name)."""

    kind: str  # FACILITY or SUPPLIER
    name: str
    key: str
    aliases: tuple[str, ...] = ()
    country: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n in (self.name, *self.aliases) if n and n.strip()))


@dataclass(frozen=True)
class Hit:
    """One subject name that matches one name of one sanctions entry, with why."""

    subject: Subject
    subject_name: str  # which of the subject's names matched
    list_kind: ListKind
    list_label: str
    list_as_of: dt.date
    list_sha256: str
    entry_key: str  # the publisher's ID: OFAC uid, EU reference, UK unique ID
    entry_name: str
    entry_programme: str | None
    entry_country: str | None
    entry_type: str | None
    matched_name: str  # which of the entry's names matched: its name or one of its aliases
    matched_alias: bool
    score: float  # 100 for an exact hit
    match: str  # EXACT or FUZZY

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What a decision on the hit is about: this subject against this entry of this kind of list.

        A dismissal holds for the entry however the list's later editions spell it."""
        return (self.subject.kind, self.subject.key, self.list_kind.value, self.entry_key)

    @property
    def country_agrees(self) -> bool | None:
        """Whether the subject's country is among the entry's (None when either gives none)."""
        if not self.subject.country or not self.entry_country:
            return None
        countries = {country_key(c) for c in self.entry_country.split(";")}
        return country_key(self.subject.country) in countries

    def explanation(self) -> str:
        how = "exactly" if self.match == EXACT else f"fuzzily (score {self.score:.0f})"
        which = f'its alias "{self.matched_name}"' if self.matched_alias else f'"{self.matched_name}"'
        programme = f", programme {self.entry_programme}," if self.entry_programme else ""
        text = (
            f'The {self.subject.kind} name "{self.subject_name}" matches {how} {which} of entry '
            f'{self.entry_key} "{self.entry_name}"{programme} on the {self.list_label}.'
        )
        agrees = self.country_agrees
        if agrees is not None:
            text += (
                f" The entry's country ({self.entry_country}) "
                f"{'is' if agrees else 'is not'} the {self.subject.kind}'s ({self.subject.country})."
            )
        return text

    def as_dict(self) -> dict:
        return {
            "subject_kind": self.subject.kind,
            "subject_key": self.subject.key,
            "subject": self.subject.name,
            "subject_name": self.subject_name,
            "subject_country": self.subject.country,
            "list_kind": self.list_kind.value,
            "list_as_of": self.list_as_of.isoformat(),
            "list_sha256": self.list_sha256,
            "entry_key": self.entry_key,
            "entry_name": self.entry_name,
            "entry_programme": self.entry_programme,
            "entry_country": self.entry_country,
            "entry_type": self.entry_type,
            "matched_name": self.matched_name,
            "matched_alias": self.matched_alias,
            "score": self.score,
            "match": self.match,
            "explanation": self.explanation(),
        }


@dataclass(frozen=True)
class _Name:
    entry: Entry
    name: str
    alias: bool


class SanctionsIndex:
    """One sanctions list's names by their comparison key, built once per list and screened many times."""

    def __init__(self, listed: RefList):
        if listed.family != Family.SANCTIONS:
            raise BadInput(
                f"{listed.kind.label} is not a sanctions list; screening reads only sanctions lists."
            )
        self.list = listed
        self._by_key: dict[str, list[_Name]] = {}
        for entry in listed.entries:
            for position, name in enumerate(entry.names):
                key = name_key(name)
                if key:
                    self._by_key.setdefault(key, []).append(_Name(entry, name, alias=position > 0))
        self._keys = list(self._by_key)

    def screen(self, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> list[Hit]:
        """The subject's hits on this list: one per entry, its best-matching pair of names."""
        best: dict[str, Hit] = {}
        for subject_name in subject.names:
            for hit in self._hits_for(subject, subject_name, threshold):
                held = best.get(hit.entry_key)
                if held is None or hit.score > held.score:
                    best[hit.entry_key] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.entry_key))

    def exact(self, subject: Subject) -> list[Hit]:
        """The subject's exact hits alone (equal name keys), without the fuzzy comparison."""
        best: dict[str, Hit] = {}
        for subject_name in subject.names:
            for listed in self._by_key.get(name_key(subject_name), ()) if name_key(subject_name) else ():
                hit = self._hit(subject, subject_name, listed, 100.0, EXACT)
                best.setdefault(hit.entry_key, hit)
        return sorted(best.values(), key=lambda h: h.entry_key)

    def _hits_for(self, subject: Subject, subject_name: str, threshold: float) -> Iterable[Hit]:
        key = name_key(subject_name)
        if not key:
            return
        for listed in self._by_key.get(key, ()):
            yield self._hit(subject, subject_name, listed, 100.0, EXACT)
        if len(key) < MIN_FUZZY_LENGTH:
            return
        for other, score, _ in process.extract(
            key, self._keys, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
        ):
            if other == key or len(other) < MIN_FUZZY_LENGTH:
                continue
            for listed in self._by_key[other]:
                yield self._hit(subject, subject_name, listed, round(score, 1), FUZZY)

    def _hit(self, subject: Subject, subject_name: str, listed: _Name, score: float, match: str) -> Hit:
        entry = listed.entry
        return Hit(
            subject=subject,
            subject_name=subject_name,
            list_kind=self.list.kind,
            list_label=self.list.label,
            list_as_of=self.list.as_of,
            list_sha256=self.list.sha256,
            # An entry the publisher gave no ID is still screened, known by its place in the file.
            entry_key=entry.key or f"row {entry.row}",
            entry_name=entry.name,
            entry_programme=entry.programme,
            entry_country=entry.country,
            entry_type=entry.subject_type,
            matched_name=listed.name,
            matched_alias=listed.alias,
            score=score,
            match=match,
        )


def screen(
    subjects: Iterable[Subject], lists: Iterable[RefList], threshold: float = DEFAULT_THRESHOLD
) -> list[Hit]:
    """Every hit of every subject on every sanctions list given (the lists in force, chosen by the caller)."""
    if not 0 < threshold <= 100:
        raise BadInput(f"The fuzzy-match threshold must be above 0 and at most 100, not {threshold}.")
    subjects = list(subjects)
    hits = []
    for listed in lists:
        index = SanctionsIndex(listed)
        for subject in subjects:
            hits.extend(index.screen(subject, threshold))
    return hits


def undecided(hits: Iterable[Hit], dismissed: Iterable[tuple[str, str, str, str]]) -> list[Hit]:
    """The hits still to show: a dismissed subject and entry is not put to the analyst again."""
    gone = set(dismissed)
    return [hit for hit in hits if hit.identity not in gone]


@dataclass(frozen=True)
class Decision:
    """A person's verdict on a hit: confirmed (the subject is the listed party) or dismissed, and why.

    It keeps the hit's explanation as it read when decided, so the evidence shows what was judged even
    after the list has been replaced by a newer edition."""

    verdict: str  # CONFIRMED or DISMISSED
    reason: str
    decided_by: str
    decided_on: dt.date
    subject_kind: str
    subject_key: str
    subject: str
    list_kind: str
    list_as_of: dt.date
    entry_key: str
    entry_name: str
    entry_programme: str | None
    matched_name: str
    score: float
    match: str
    explanation: str

    @property
    def identity(self) -> tuple[str, str, str, str]:
        return (self.subject_kind, self.subject_key, self.list_kind, self.entry_key)

    @property
    def confirmed(self) -> bool:
        return self.verdict == CONFIRMED


def decide(hit: Hit, verdict: str, reason: str, *, by: str, on: dt.date) -> Decision:
    """The decision on a hit; BadInput when the verdict is neither or no reason is given."""
    if verdict not in VERDICTS:
        raise BadInput(f'A hit is confirmed or dismissed, not "{verdict}".')
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(f"Give the reason the hit is {verdict}: the evidence must show why.")
    return Decision(
        verdict=verdict,
        reason=reason,
        decided_by=by,
        decided_on=on,
        subject_kind=hit.subject.kind,
        subject_key=hit.subject.key,
        subject=hit.subject.name,
        list_kind=hit.list_kind.value,
        list_as_of=hit.list_as_of,
        entry_key=hit.entry_key,
        entry_name=hit.entry_name,
        entry_programme=hit.entry_programme,
        matched_name=hit.matched_name,
        score=hit.score,
        match=hit.match,
        explanation=hit.explanation(),
    )


DECISION_COLUMNS = (
    "verdict",
    "reason",
    "decided_by",
    "decided_on",
    "subject_kind",
    "subject_key",
    "subject",
    "list_kind",
    "list_as_of",
    "entry_key",
    "entry_name",
    "entry_programme",
    "matched_name",
    "score",
    "match",
    "explanation",
)


def decisions_csv(decisions: Iterable[Decision]) -> str:
    """The decisions as the evidence package's screening.csv: one row each, confirmed first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DECISION_COLUMNS)
    ordered = sorted(
        decisions, key=lambda d: (not d.confirmed, d.subject.casefold(), d.list_kind, d.entry_key)
    )
    for decision in ordered:
        writer.writerow(
            ["" if getattr(decision, c) is None else getattr(decision, c) for c in DECISION_COLUMNS]
        )
    return out.getvalue()


def subjects_from_names(text: str) -> list[Subject]:
    """A plain list of company names, one a line, screened as suppliers (blank lines and # notes skipped)."""
    names = [line.strip() for line in text.splitlines()]
    names = [n for n in names if n and not n.startswith("#")]
    return [Subject(SUPPLIER, name, key=name) for name in dict.fromkeys(names)]


def subjects_from_rollup(data: Mapping[str, Any]) -> list[Subject]:
    """The identified facilities and the suppliers of a roll-up as ``oretrace rollup --json`` writes it."""
    if not isinstance(data, Mapping) or not isinstance(data.get("smelters"), list):
        raise BadInput("The JSON is not a roll-up: it has no list of smelters.")
    subjects = [
        Subject(FACILITY, s["name"], key=s["smelter_id"], country=s.get("country"))
        for s in data["smelters"]
        if isinstance(s, Mapping) and s.get("name") and s.get("smelter_id")
    ]
    names = [
        s.get("supplier") or s.get("company_name")
        for s in data.get("suppliers") or ()
        if isinstance(s, Mapping)
    ]
    subjects += [Subject(SUPPLIER, name, key=name) for name in dict.fromkeys(n for n in names if n)]
    return subjects
