"""Filling in the organisation's own CMRT, EMRT, CRT or AMRT: the blank template the user imported,
never a re-creation.

The same Layout that the reader uses tells the writer where each answer goes, so what we write is
exactly what we read back. Smelters identified by CID are written the way a person would enter
them (the ID in column A, which drives the template's formulas), with the formula results cached
so that programs that do not calculate see the same values Excel will; where the template has no
such formulas (CRT 2.2, AMRT 1.2) every column is typed. Where minerals are picked (EMRT 2.x, AMRT),
the picks are written too, and every answer row of an unpicked mineral is cleared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from oretrace.errors import BadInput, UnsupportedVersion
from oretrace.rmi.detect import detect, require_declaration
from oretrace.rmi.layouts import CompanyQuestionSpec, Layout, ListSpec, layout_for, version_key
from oretrace.rmi.model import SMELTER_NOT_LISTED, LookupEntry, TemplateKind, TemplateResponse
from oretrace.rmi.opening import open_workbook
from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.rmi.reader import read_template
from oretrace.rmi.sheets import Grid

# The families whose blank templates oretrace fills in, each map read from RMI's blank files.
WRITABLE_FAMILIES = ("CMRT 6", "EMRT 1", "EMRT 2", "CRT 2", "AMRT 1")
# AMRT 1.3 Declaration!B80: the pick that names its mineral in the cell below (D15:I16).
OTHER_MINERAL = "Other [specify below]"
# Declaration!P9:R9, the list behind the scope dropdown (D9): the same in the CMRT 6.x, EMRT 1.x and
# 2.x, CRT 2.2 and AMRT 1.2 and 1.3.
SCOPE_TEXT_6 = {
    "A": "A. Company",
    "B": "B. Product (or List of Products)",
    "C": "C. User defined [Specify in 'Description of scope']",
}
# Smelter List columns whose formulas the ID in column A drives (CMRT 6.x), and the look-up field each shows.
_DERIVED_COLUMNS_6 = {
    "B": "metal",
    "C": "standard_name",
    "E": "country",
    "F": "smelter_id",
    "G": "source",
    "H": "street",
    "I": "city",
    "J": "state",
    "R": "standard_name",
}


@dataclass(frozen=True)
class DeclaredSmelter:
    metal: str
    smelter_id: str | None = None  # a CID from the template's look-up; else name and country are written
    name: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class DeclaredProduct:
    number: str
    name: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class DeclaredMine:
    """A Mine List row (EMRT 2.x, AMRT): a mine of a declared mineral and the smelter it supplies."""

    metal: str
    mine_name: str | None
    mine_id: str | None = None
    country: str | None = None
    smelter_name: str | None = None


@dataclass(frozen=True)
class CompanyDeclaration:
    """What the organisation declares to its customers, in a template of ``kind``."""

    company: dict[str, Any]  # keys of model.COMPANY_FIELDS; declaration_scope "A"/"B"/"C"; a date
    answers: dict[str, dict[str, str]]  # mineral -> "Q1".. -> canonical answer
    # "A".. -> answer; a question asked per mineral (EMRT C) is keyed "C:Cobalt", as the reader keys it.
    company_questions: dict[str, str] = field(default_factory=dict)
    answer_comments: dict[str, dict[str, str]] = field(default_factory=dict)
    company_question_comments: dict[str, str] = field(default_factory=dict)
    policy_url: str | None = None
    smelters: tuple[DeclaredSmelter, ...] = ()
    products: tuple[DeclaredProduct, ...] = ()
    language: str = "English"
    kind: TemplateKind = TemplateKind.CMRT
    # The minerals picked where the template has them picked (EMRT 2.x, AMRT); empty: all of the kind's.
    minerals: tuple[str, ...] = ()
    mines: tuple[DeclaredMine, ...] = ()  # the Mine List, where the template has one


def write_declaration(template: bytes, declaration: CompanyDeclaration, *, name: str = "template") -> bytes:
    """The imported blank template, filled in with ``declaration``."""
    layout = blank_layout(template, name=name)
    if declaration.kind is not layout.kind:
        raise BadInput(
            f"This declaration was derived for the {declaration.kind}, but {name} is the {layout.kind} "
            f"template; derive it again for the {layout.kind}."
        )
    blank = read_template(template, name=name)
    minerals = declared_minerals(layout, declaration.minerals)
    writes = [
        *_mineral_writes(layout, minerals),
        *_declaration_writes(layout, declaration, minerals, percent_as_number=_percent_as_number(blank)),
        *_smelter_writes(layout, declaration.smelters, blank.lookup),
        *_product_writes(layout, declaration.products),
        *_mine_writes(layout, declaration.mines),
    ]
    return patch_workbook(template, writes)


def blank_layout(template: bytes, *, name: str = "template") -> Layout:
    """The cell map of an imported blank template oretrace fills in; UnsupportedVersion for any other."""
    opened = open_workbook(template, name=name)
    declaration = Grid.load(opened.book, require_declaration(opened.book, name))
    detected = detect(opened.book, declaration, name)
    layout = layout_for(detected.kind, detected.version)
    if layout is None or layout.family not in WRITABLE_FAMILIES:
        raise UnsupportedVersion(
            f"oretrace fills in the CMRT 6.x, EMRT 1.x and 2.x, CRT 2.2 and AMRT 1.2 and 1.3; this is "
            f"{detected.kind} {detected.version}. Import the current template from RMI's website.",
            file=name,
        )
    return layout


def declared_minerals(layout: Layout, wanted: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The minerals a declaration answers for, in the order of the template's answer rows.

    A template with fixed rows (CMRT, EMRT 1.x, CRT) answers for all its minerals. Where the minerals
    are picked (EMRT 2.x, AMRT), the template sorts the picked ones alphabetically (Excel's
    case-insensitive order, as the reader does) and answers in that order; with none given, the EMRT
    2.x picks all six.
    """
    if not layout.mineral_selection_cells:
        return layout.minerals
    chosen = wanted or (layout.minerals if len(layout.minerals) <= layout.mineral_rows else ())
    if not chosen:
        raise BadInput(f"Name the minerals this {layout.kind} declares (up to {layout.mineral_rows})")
    unique = {m.casefold(): m for m in chosen}
    if len(unique) > len(layout.mineral_selection_cells):
        raise BadInput(
            f"The {layout.kind} holds {len(layout.mineral_selection_cells)} minerals; {len(unique)} were given: "
            + ", ".join(unique.values())
        )
    fixed = _fixed_selection(layout)
    unknown = [m for m in unique.values() if fixed and m not in layout.minerals]
    if unknown:
        raise BadInput(f"The {layout.kind} does not ask about {', '.join(unknown)}")
    return tuple(unique[key] for key in sorted(unique))


def _percent_as_number(blank: TemplateResponse) -> bool:
    """Whether the response-rate list holds the number 1 (shown as 100%) rather than the text "100%",
    as RMI's blank files hold it (CMRT 6.01-6.22, EMRT 1.x, CRT 2.2, AMRT 1.x): what Excel stores when a
    person picks it, and what the list's validation accepts."""
    if blank.kind is TemplateKind.CMRT:
        return version_key(blank.version) < version_key("6.3")
    return blank.kind is not TemplateKind.EMRT or blank.version.startswith("1")


def _fixed_selection(layout: Layout) -> bool:
    """EMRT 2.x: one selection cell per mineral, holding the mineral or "(Delete Mineral)"."""
    return len(layout.mineral_selection_cells) == len(layout.minerals)


def _mineral_writes(layout: Layout, minerals: tuple[str, ...]) -> list[CellWrite]:
    if not layout.mineral_selection_cells:
        return []
    sheet = "Declaration"
    writes = []
    if _fixed_selection(layout):
        for address, mineral in zip(layout.mineral_selection_cells, layout.minerals, strict=True):
            writes.append(
                CellWrite(sheet, address, mineral if mineral in minerals else f"(Delete {mineral})")
            )
    else:
        others = layout.mineral_other_cells or (None,) * len(layout.mineral_selection_cells)
        for index, (address, other) in enumerate(zip(layout.mineral_selection_cells, others, strict=True)):
            mineral = minerals[index] if index < len(minerals) else None
            listed = mineral is None or not layout.mineral_choices or mineral in layout.mineral_choices
            if other is None and not listed:
                raise BadInput(f"{mineral} cannot be picked in this {layout.kind}")
            writes.append(CellWrite(sheet, address, mineral if listed else OTHER_MINERAL))
            if other is not None:
                writes.append(CellWrite(sheet, other, None if listed else mineral))
    # The labels of the first question's rows, as Excel will compute them (B30: AA12&"(*)"), so that a
    # program that does not calculate reads the rows in the right order.
    first = layout.questions[0].header_row + 1
    for index in range(layout.mineral_rows):
        label = f"{minerals[index]}(*)" if index < len(minerals) else ""
        writes.append(CellWrite(sheet, f"B{first + index}", label, cached_only=True))
    return writes


def _question_rows(layout: Layout, asked: tuple[str, ...], minerals: tuple[str, ...]):
    """(mineral or None, row) for every answer row of a question: None clears a row no mineral uses."""
    if layout.mineral_rows:
        return [(minerals[i] if i < len(minerals) else None, i) for i in range(layout.mineral_rows)]
    return [(m, layout.minerals.index(m)) for m in layout.minerals if not asked or m in asked]


def _declaration_writes(
    layout: Layout, declaration: CompanyDeclaration, minerals: tuple[str, ...], *, percent_as_number: bool
) -> list[CellWrite]:
    sheet = "Declaration"
    writes = [CellWrite(sheet, "D3", declaration.language)]
    for field_name, address in layout.company_cells.items():
        value = declaration.company.get(field_name)
        if field_name == "declaration_scope" and value is not None:
            value = SCOPE_TEXT_6.get(str(value), value)
        if field_name == "effective_date" and value is not None and not isinstance(value, dt.date):
            raise BadInput(f"The effective date must be a date, not {value!r}")
        writes.append(CellWrite(sheet, address, value))
    unknown = sorted(set(declaration.answers) - set(minerals))
    if unknown:
        raise BadInput(f"This {layout.kind} does not declare {', '.join(unknown)}; answers were given for it")
    for spec in layout.questions:
        for mineral, offset in _question_rows(layout, spec.minerals, minerals):
            row = spec.header_row + 1 + offset
            answer = declaration.answers.get(mineral, {}).get(spec.id) if mineral else None
            if answer is not None and answer not in spec.allowed:
                raise BadInput(f"{spec.id} for {mineral}: {answer!r} is not one of {', '.join(spec.allowed)}")
            comment = declaration.answer_comments.get(mineral, {}).get(spec.id) if mineral else None
            if percent_as_number and spec.numeric and answer in spec.numeric.values():
                answer = next(number for number, text in spec.numeric.items() if text == answer)
            writes.append(CellWrite(sheet, f"{layout.answer_column}{row}", answer))
            writes.append(CellWrite(sheet, f"{layout.comment_column}{row}", comment))
    for spec in layout.company_questions:
        writes += _company_question_writes(layout, spec, declaration, minerals)
    return writes


def _company_question_writes(
    layout: Layout, spec: CompanyQuestionSpec, declaration: CompanyDeclaration, minerals: tuple[str, ...]
) -> list[CellWrite]:
    """One answer row, or (EMRT question C) one per mineral, keyed "C:Cobalt" as the reader keys them."""
    sheet = "Declaration"
    rows = [(spec.id, spec.row)]
    if spec.per_mineral_rows:
        rows = [
            (f"{spec.id}:{minerals[i]}" if i < len(minerals) else None, spec.row + i)
            for i in range(spec.per_mineral_rows)
        ]
    writes = []
    for key, row in rows:
        answer = declaration.company_questions.get(key) if key else None
        if answer is not None and answer not in spec.allowed:
            raise BadInput(f"Question {key}: {answer!r} is not one of {', '.join(spec.allowed)}")
        comment = declaration.company_question_comments.get(key) if key else None
        if spec.url_in_comment and declaration.policy_url:
            comment = declaration.policy_url
        writes.append(CellWrite(sheet, f"{layout.answer_column}{row}", answer))
        writes.append(CellWrite(sheet, f"{layout.comment_column}{row}", comment))
    return writes


def _smelter_writes(
    layout: Layout, smelters: tuple[DeclaredSmelter, ...], lookup: tuple[LookupEntry, ...]
) -> list[CellWrite]:
    spec = layout.smelters
    capacity = (spec.last_row or spec.first_row) - spec.first_row + 1
    if spec.last_row and len(smelters) > capacity:
        raise BadInput(f"The template holds {capacity} smelter rows; {len(smelters)} were given")
    by_id: dict[str, LookupEntry] = {}
    for entry in lookup:
        if entry.smelter_id and entry.alias == entry.standard_name:
            by_id.setdefault(entry.smelter_id, entry)
    for entry in lookup:
        if entry.smelter_id:
            by_id.setdefault(entry.smelter_id, entry)
    writes = []
    for offset, smelter in enumerate(smelters):
        row = spec.first_row + offset
        entry = by_id.get(smelter.smelter_id or "")
        if entry is not None and layout.smelter_entry == "id":
            writes.append(CellWrite(spec.sheet, f"A{row}", entry.smelter_id))
            for column, attribute in _DERIVED_COLUMNS_6.items():
                writes.append(
                    CellWrite(spec.sheet, f"{column}{row}", getattr(entry, attribute), cached_only=True)
                )
            continue
        values = _typed_smelter(spec, smelter, entry)
        writes += [CellWrite(spec.sheet, f"{spec.columns[key]}{row}", value) for key, value in values.items()]
    return writes


def _typed_smelter(spec: ListSpec, smelter: DeclaredSmelter, entry: LookupEntry | None) -> dict[str, Any]:
    """A smelter row as a person types it: from the look-up entry of its CID where the template has
    one; by name, country and CID where it has no look-up (AMRT 1.2); else as "Smelter not listed"."""
    picks_lookup = "lookup_name" in spec.columns
    if entry is not None:
        named = {"lookup_name": entry.standard_name} if picks_lookup else {"name": entry.standard_name}
        return {
            "metal": smelter.metal,
            **named,
            "country": entry.country,
            "smelter_id": entry.smelter_id,
            "id_source": entry.source,
            "street": entry.street,
            "city": entry.city,
            "state": entry.state,
        }
    if not (smelter.name and smelter.country):
        raise BadInput(
            f"Smelter {smelter.smelter_id or '(no ID)'} of {smelter.metal} is not in the template's "
            "look-up, so it needs a name and a country to be written as 'Smelter not listed'"
        )
    values = {"metal": smelter.metal, "name": smelter.name, "country": smelter.country.upper()}
    if picks_lookup:
        values["lookup_name"] = SMELTER_NOT_LISTED
    elif smelter.smelter_id:
        values["smelter_id"] = smelter.smelter_id  # AMRT 1.2 has no look-up: the CID is typed
    return values


def _product_writes(layout: Layout, products: tuple[DeclaredProduct, ...]) -> list[CellWrite]:
    spec = layout.products
    if spec is None or not products:
        return []
    capacity = (spec.last_row or spec.first_row) - spec.first_row + 1
    if spec.last_row and len(products) > capacity:
        raise BadInput(f"The template holds {capacity} Product List rows; {len(products)} were given")
    writes = []
    for offset, product in enumerate(products):
        row = spec.first_row + offset
        # EMRT 2.1 and AMRT 1.3 keep the requester's number and name in D and E; comments move to F.
        for key, value in (
            ("number", product.number),
            ("name", product.name),
            ("comments", product.comments),
        ):
            writes.append(CellWrite(spec.sheet, f"{spec.columns[key]}{row}", value))
    return writes


def _mine_writes(layout: Layout, mines: tuple[DeclaredMine, ...]) -> list[CellWrite]:
    spec = layout.mines
    if not mines:
        return []
    if spec is None:
        raise BadInput(f"The {layout.family} template has no Mine List; {len(mines)} mine(s) were given")
    capacity = (spec.last_row or spec.first_row) - spec.first_row + 1
    if spec.last_row and len(mines) > capacity:
        raise BadInput(f"The template holds {capacity} Mine List rows; {len(mines)} were given")
    writes = []
    for offset, mine in enumerate(mines):
        row = spec.first_row + offset
        for key, value in (
            ("metal", mine.metal),
            ("smelter_name", mine.smelter_name),
            ("mine_name", mine.mine_name),
            ("mine_id", mine.mine_id),
            ("country", mine.country),
        ):
            writes.append(CellWrite(spec.sheet, f"{spec.columns[key]}{row}", value))
    return writes
