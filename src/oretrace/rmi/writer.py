"""Filling in the organisation's own CMRT: the blank template the user imported, never a re-creation.

The same Layout that the reader uses tells the writer where each answer goes, so what we write is
exactly what we read back. Smelters identified by CID are written the way a person would enter
them (the ID in column A, which drives the template's formulas), with the formula results cached
so that programs that do not calculate see the same values Excel will.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from oretrace.errors import BadInput, UnsupportedVersion
from oretrace.rmi.detect import detect, require_declaration
from oretrace.rmi.layouts import Layout, layout_for
from oretrace.rmi.model import SMELTER_NOT_LISTED, LookupEntry, TemplateKind
from oretrace.rmi.opening import open_workbook
from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.rmi.reader import read_template
from oretrace.rmi.sheets import Grid

# CMRT 6.x Declaration!P9:R9, the list behind the scope dropdown (D9).
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
class CompanyDeclaration:
    """What the organisation declares to its customers."""

    company: dict[str, Any]  # keys of model.COMPANY_FIELDS; declaration_scope "A"/"B"/"C"; a date
    answers: dict[str, dict[str, str]]  # mineral -> "Q1".. -> canonical answer
    company_questions: dict[str, str] = field(default_factory=dict)  # "A".. -> answer
    answer_comments: dict[str, dict[str, str]] = field(default_factory=dict)
    company_question_comments: dict[str, str] = field(default_factory=dict)
    policy_url: str | None = None
    smelters: tuple[DeclaredSmelter, ...] = ()
    products: tuple[DeclaredProduct, ...] = ()
    language: str = "English"


def write_declaration(template: bytes, declaration: CompanyDeclaration, *, name: str = "template") -> bytes:
    """The imported blank template, filled in with ``declaration``."""
    _require_cmrt6(template, name)
    blank = read_template(template, name=name)
    layout = layout_for(blank.kind, blank.version)
    writes = [
        *_declaration_writes(layout, declaration),
        *_smelter_writes(layout, declaration.smelters, blank.lookup),
        *_product_writes(layout, declaration.products),
    ]
    return patch_workbook(template, writes)


def _require_cmrt6(template: bytes, name: str) -> None:
    opened = open_workbook(template, name=name)
    declaration = Grid.load(opened.book, require_declaration(opened.book, name))
    detected = detect(opened.book, declaration, name)
    if detected.kind is not TemplateKind.CMRT or not detected.version.startswith("6"):
        raise UnsupportedVersion(
            f"oretrace fills in CMRT 6.x templates; this is {detected.kind} {detected.version}. "
            "Import the current CMRT from RMI's website.",
            file=name,
        )


def _declaration_writes(layout: Layout, declaration: CompanyDeclaration) -> list[CellWrite]:
    sheet = "Declaration"
    writes = [CellWrite(sheet, "D3", declaration.language)]
    for field_name, address in layout.company_cells.items():
        value = declaration.company.get(field_name)
        if field_name == "declaration_scope" and value is not None:
            value = SCOPE_TEXT_6.get(str(value), value)
        if field_name == "effective_date" and value is not None and not isinstance(value, dt.date):
            raise BadInput(f"The effective date must be a date, not {value!r}")
        writes.append(CellWrite(sheet, address, value))
    for spec in layout.questions:
        for index, mineral in enumerate(layout.minerals):
            row = spec.header_row + 1 + index
            answer = declaration.answers.get(mineral, {}).get(spec.id)
            if answer is not None and answer not in spec.allowed:
                raise BadInput(f"{spec.id} for {mineral}: {answer!r} is not one of {', '.join(spec.allowed)}")
            comment = declaration.answer_comments.get(mineral, {}).get(spec.id)
            writes.append(CellWrite(sheet, f"{layout.answer_column}{row}", answer))
            writes.append(CellWrite(sheet, f"{layout.comment_column}{row}", comment))
    for spec in layout.company_questions:
        answer = declaration.company_questions.get(spec.id)
        if answer is not None and answer not in spec.allowed:
            raise BadInput(f"Question {spec.id}: {answer!r} is not one of {', '.join(spec.allowed)}")
        comment = declaration.company_question_comments.get(spec.id)
        if spec.url_in_comment and declaration.policy_url:
            comment = declaration.policy_url
        writes.append(CellWrite(sheet, f"{layout.answer_column}{spec.row}", answer))
        writes.append(CellWrite(sheet, f"{layout.comment_column}{spec.row}", comment))
    return writes


def _smelter_writes(
    layout: Layout, smelters: tuple[DeclaredSmelter, ...], lookup: tuple[LookupEntry, ...]
) -> list[CellWrite]:
    spec = layout.smelters
    capacity = (spec.last_row or spec.first_row) - spec.first_row + 1
    if len(smelters) > capacity:
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
        if entry is not None:
            writes.append(CellWrite(spec.sheet, f"A{row}", entry.smelter_id))
            for column, attribute in _DERIVED_COLUMNS_6.items():
                writes.append(
                    CellWrite(spec.sheet, f"{column}{row}", getattr(entry, attribute), cached_only=True)
                )
        else:
            if not (smelter.name and smelter.country):
                raise BadInput(
                    f"Smelter {smelter.smelter_id or '(no ID)'} of {smelter.metal} is not in the template's "
                    "look-up, so it needs a name and a country to be written as 'Smelter not listed'"
                )
            writes += [
                CellWrite(spec.sheet, f"B{row}", smelter.metal),
                CellWrite(spec.sheet, f"C{row}", SMELTER_NOT_LISTED),
                CellWrite(spec.sheet, f"D{row}", smelter.name),
                CellWrite(spec.sheet, f"E{row}", smelter.country.upper()),
            ]
    return writes


def _product_writes(layout: Layout, products: tuple[DeclaredProduct, ...]) -> list[CellWrite]:
    spec = layout.products
    if spec is None or not products:
        return []
    writes = []
    for offset, product in enumerate(products):
        row = spec.first_row + offset
        writes += [
            CellWrite(spec.sheet, f"B{row}", product.number),
            CellWrite(spec.sheet, f"C{row}", product.name),
            CellWrite(spec.sheet, f"D{row}", product.comments),
        ]
    return writes
