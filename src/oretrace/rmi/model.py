"""One typed model for every RMI reporting template (CMRT, EMRT, CRT, AMRT), whatever its version.

Every value keeps the cell it came from and its raw form as stored in the file, beside the
normalised value the rest of oretrace works with: a reviewer must be able to point a supplier
at the exact cell, and an auditor must be able to see what the supplier actually typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class TemplateKind(StrEnum):
    CMRT = "CMRT"  # Conflict Minerals (3TG)
    EMRT = "EMRT"  # Extended Minerals (cobalt, mica; from 2.0 also copper, graphite, lithium, nickel)
    CRT = "CRT"  # Cobalt (superseded by the EMRT)
    AMRT = "AMRT"  # Additional Minerals


class Scope(StrEnum):
    COMPANY = "A"
    PRODUCT = "B"
    USER_DEFINED = "C"


@dataclass(frozen=True)
class Cell:
    """A value read from one cell: where, what the file holds, and what it means."""

    ref: str  # "Declaration!D8"
    raw: Any = None  # as stored (str, float, date, datetime, or None)
    value: Any = None  # normalised: stripped text, a canonical dropdown answer, a date, or None

    @property
    def is_blank(self) -> bool:
        return self.value is None or self.value == ""

    @property
    def sheet(self) -> str:
        return self.ref.split("!", 1)[0]

    @property
    def address(self) -> str:
        return self.ref.split("!", 1)[1]


def blank_cell(ref: str) -> Cell:
    return Cell(ref=ref)


@dataclass(frozen=True)
class Answer:
    """The answer to one question (per mineral, or at company level) and its comment."""

    question: str  # "Q1".."Q8" or "A".."J"
    mineral: str | None
    answer: Cell
    comment: Cell

    @property
    def value(self) -> str | None:
        return self.answer.value


COMPANY_FIELDS = (
    "name",
    "declaration_scope",
    "scope_description",
    "unique_id",
    "unique_id_authority",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "authorizer_name",
    "authorizer_title",
    "authorizer_email",
    "authorizer_phone",
    "effective_date",
)


@dataclass(frozen=True)
class Company:
    name: Cell
    declaration_scope: Cell  # value "A", "B" or "C"
    scope_description: Cell
    unique_id: Cell
    unique_id_authority: Cell
    address: Cell
    contact_name: Cell
    contact_email: Cell
    contact_phone: Cell
    authorizer_name: Cell
    authorizer_title: Cell
    authorizer_email: Cell
    authorizer_phone: Cell
    effective_date: Cell  # value a datetime.date

    def cells(self) -> dict[str, Cell]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class SmelterRow:
    """One row of the Smelter List sheet; text values stripped, formula blanks (cached 0) as None."""

    row: int
    metal: str | None
    lookup_name: (
        str | None
    )  # column C: a reference alias, "Smelter not listed" or "Smelter not yet identified"
    name: str | None  # column D: the name the supplier typed
    country: str | None
    smelter_id: str | None  # column F: the identification the template resolved (or the supplier typed)
    id_source: str | None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    next_steps: str | None = None
    mine_names: str | None = None
    mine_countries: str | None = None
    recycled_or_scrap: str | None = None
    comments: str | None = None
    id_input: str | None = None  # column A (6.x): the ID the supplier typed to auto-fill the row
    standard_name: str | None = None  # hidden column R (6.x)
    location: str | None = None  # CMRT 1.00: street, city and country in one cell (column F)
    tier_level: str | None = None  # CMRT 1.00 column E
    conflict_free_listed: str | None = None  # CMRT 1.00 column L: "Is this smelter on the CFS list?"
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def display_name(self) -> str | None:
        """The name a person would read: what the supplier typed, else the look-up choice."""
        if self.name and self.name.casefold() != "unknown":
            return self.name
        if self.lookup_name and not is_special_lookup(self.lookup_name):
            return self.lookup_name
        return self.standard_name or self.name


SMELTER_NOT_LISTED = "Smelter not listed"
SMELTER_NOT_YET_IDENTIFIED = "Smelter not yet identified"


def is_special_lookup(value: str | None) -> bool:
    return bool(value) and value.casefold() in (
        SMELTER_NOT_LISTED.casefold(),
        SMELTER_NOT_YET_IDENTIFIED.casefold(),
    )


@dataclass(frozen=True)
class ProductRow:
    row: int
    number: str | None
    name: str | None
    comments: str | None = None
    requester_number: str | None = None  # EMRT 2.1, AMRT 1.3
    requester_name: str | None = None


@dataclass(frozen=True)
class MineRow:
    """One row of the Mine List (EMRT 2.x, AMRT)."""

    row: int
    metal: str | None
    smelter_name: str | None
    mine_name: str | None
    mine_id: str | None
    id_source: str | None
    country: str | None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    next_steps: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class LookupEntry:
    """One row of the template's Smelter Look-up sheet: the RMI reference list of that release."""

    metal: str
    alias: str
    standard_name: str
    country: str | None
    smelter_id: str | None
    source: str | None = None
    street: str | None = None
    city: str | None = None
    state: str | None = None
    old_smelter_id: str | None = None  # CMRT 3.x "Old Smelter ID" (the CFSI v2 form, e.g. 1JPN072)
    known_aliases: str | None = None  # CMRT 2.x "Known alias": the other names, comma-separated


@dataclass(frozen=True)
class CheckerLine:
    """A line of the file's own Checker tab whose value column (B) is a plain reference to one
    Declaration cell (``=Declaration!D15``), and that cell's raw value. A supplier's cut-and-paste
    can move such a reference (templates.md §2.1), so the file's Checker may read another cell
    than RMI's template does."""

    row: int  # the Checker row
    reads: str  # the Declaration address its B formula reads, "D14"
    raw: Any = None  # that Declaration cell's cached value


@dataclass(frozen=True)
class MineralPick:
    """One mineral-selection cell of an EMRT 2.x or AMRT declaration, as typed or picked, and (AMRT
    1.3) the cell below it where an "Other [specify below]" pick is named."""

    pick: Cell
    other_name: Cell | None = None

    @property
    def is_other(self) -> bool:
        return isinstance(self.pick.value, str) and self.pick.value.casefold().startswith("other")


@dataclass(frozen=True)
class FileInfo:
    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class TemplateResponse:
    """Everything a filled-in RMI template says, as read from one file."""

    file: FileInfo
    kind: TemplateKind
    version: str  # as RMI names it: "6.4", "3.01", "2.03a", "2.1"
    revision_text: str | None  # Declaration!J3 (or its older equivalent) as found
    language: str | None
    minerals: tuple[str, ...]  # the minerals the template asks about (selected ones for EMRT 2.x / AMRT)
    company: Company
    answers: dict[str, dict[str, Answer]]  # mineral -> question id -> answer
    company_questions: dict[str, Answer]  # "A".. -> answer; per-mineral company questions are "C:Cobalt"
    policy_url: Cell | None
    smelters: tuple[SmelterRow, ...]
    products: tuple[ProductRow, ...]
    mines: tuple[MineRow, ...] = ()
    lookup: tuple[LookupEntry, ...] = ()
    checker_cached: int | None = None  # what the file's own Checker tab last showed (Checker!D2)
    encrypted: bool = False
    notes: tuple[str, ...] = ()  # what the reader had to work around (e.g. formulas without cached values)
    mineral_picks: tuple[MineralPick, ...] = ()  # EMRT 2.x / AMRT: the selection cells behind ``minerals``
    checker_lines: tuple[CheckerLine, ...] = ()  # the file's Checker lines that read one Declaration cell

    @property
    def scope(self) -> str | None:
        return self.company.declaration_scope.value

    @property
    def effective_date(self) -> dt.date | None:
        return self.company.effective_date.value

    def answer(self, mineral: str, question: str) -> str | None:
        found = self.answers.get(mineral, {}).get(question)
        return found.value if found else None

    def smelters_for(self, mineral: str) -> tuple[SmelterRow, ...]:
        wanted = mineral.casefold()
        return tuple(s for s in self.smelters if s.metal and s.metal.casefold() == wanted)
