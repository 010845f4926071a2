"""TemplateResponse objects built in the test, not read from a file: a clean CMRT 6.4 and its variations.

``make_response()`` has no findings at all: Tin in scope with one RMI smelter, the other three
metals answered "No" at Q1, every required field filled. Each test changes one thing:

    make_response(company={"contact_email": "a,b@example.com"})
    make_response(answers={"Tin": {"Q3": "Yes"}})
    make_response(smelters=[smelter(5, "Tin", "Thaisarco", "CID001898")])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from oretrace.rmi import normalise
from oretrace.rmi.layouts import CMRT6, layout_for
from oretrace.rmi.model import (
    Answer,
    Cell,
    Company,
    FileInfo,
    LookupEntry,
    ProductRow,
    SmelterRow,
    TemplateKind,
    TemplateResponse,
)
from oretrace.rmi.reader import scope_letter

LOOKUP = (
    LookupEntry("Tin", "Thaisarco", "Thaisarco", "THAILAND", "CID001898", "RMI"),
    LookupEntry("Tin", "Thailand Smelting & Refining Co Ltd", "Thaisarco", "THAILAND", "CID001898", "RMI"),
    LookupEntry("Tin", "Alpha", "Alpha", "UNITED STATES OF AMERICA", "CID000292", "RMI"),
    LookupEntry(
        "Tungsten", "Xiamen Tungsten Co., Ltd.", "Xiamen Tungsten Co., Ltd.", "CHINA", "CID002082", "RMI"
    ),
    LookupEntry("Gold", "Asahi Pretec Corp.", "Asahi Pretec Corp.", "JAPAN", "CID000082", "RMI"),
    LookupEntry("Tin", "Smelter not listed", "Smelter not listed", None, None),
    LookupEntry("Tin", "Smelter not yet identified", "Smelter not yet identified", "Unknown", None),
)

COMPANY = {
    "name": "Acme Components Ltd.",
    "declaration_scope": "A. Company",
    "scope_description": None,
    "unique_id": None,
    "unique_id_authority": None,
    "address": "1 Foundry Road, Sheffield",
    "contact_name": "Jane Doe",
    "contact_email": "jane.doe@example.com",
    "contact_phone": "+44 114 000 0000",
    "authorizer_name": "John Roe",
    "authorizer_title": "Head of Compliance",
    "authorizer_email": "john.roe@example.com",
    "authorizer_phone": None,
    "effective_date": dt.datetime(2024, 5, 10),
}

IN_SCOPE = {
    "Q1": "Yes",
    "Q2": "Yes",
    "Q3": "No",
    "Q4": "No",
    "Q5": "No",
    "Q6": "100%",
    "Q7": "Yes",
    "Q8": "Yes",
}
OUT_OF_SCOPE = {"Q1": "No"}
ANSWERS = {"Tantalum": OUT_OF_SCOPE, "Tin": IN_SCOPE, "Gold": OUT_OF_SCOPE, "Tungsten": OUT_OF_SCOPE}

COMPANY_QUESTIONS = {
    "A": "Yes",
    "B": "Yes",
    "C": "Yes",
    "D": "Yes",
    "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
    "F": "Yes",
    "G": "Yes",
    "H": "No",
}
POLICY_URL = "https://www.example.com/responsible-minerals-policy"


def smelter(
    row: int,
    metal: str | None,
    lookup_name: str | None,
    smelter_id: str | None = None,
    *,
    country: str | None = None,
    name: str | None = None,
    **fields: Any,
) -> SmelterRow:
    """A Smelter List row as the reader gives it; country and standard name come from LOOKUP."""
    entry = next((e for e in LOOKUP if e.smelter_id and e.smelter_id == smelter_id), None)
    raw = {"B": metal, "C": lookup_name, "D": name, "F": smelter_id}
    return SmelterRow(
        row=row,
        metal=metal,
        lookup_name=lookup_name,
        name=name,
        country=country if country is not None else (entry.country if entry else None),
        smelter_id=smelter_id,
        id_source=fields.pop("id_source", "RMI" if entry else None),
        standard_name=fields.pop("standard_name", entry.standard_name if entry else None),
        raw={k: v for k, v in raw.items() if v is not None} | fields.pop("raw", {}),
        **fields,
    )


CLEAN_SMELTERS = (smelter(5, "Tin", "Thaisarco", "CID001898", name="Thaisarco", recycled_or_scrap="No"),)


def _company(values: dict[str, Any]) -> Company:
    cells = {}
    for field_name, address in CMRT6.company_cells.items():
        raw = values.get(field_name)
        if field_name == "effective_date":
            value: Any = normalise.date(raw)
        elif field_name == "declaration_scope":
            value = scope_letter(raw)
        else:
            value = normalise.text(raw)
        cells[field_name] = Cell(f"Declaration!{address}", raw, value)
    return Company(**cells)


def _answers(values: dict[str, dict[str, Any]]) -> dict[str, dict[str, Answer]]:
    answers: dict[str, dict[str, Answer]] = {}
    for index, mineral in enumerate(CMRT6.minerals):
        answers[mineral] = {}
        for spec in CMRT6.questions:
            row = spec.header_row + 1 + index
            raw = values.get(mineral, {}).get(spec.id)
            value = normalise.choice(raw, spec.allowed, numeric=spec.numeric)
            answers[mineral][spec.id] = Answer(
                spec.id, mineral, Cell(f"Declaration!D{row}", raw, value), Cell(f"Declaration!G{row}")
            )
    return answers


def _company_questions(values: dict[str, Any], policy_url: Cell) -> dict[str, Answer]:
    """The answers in D75-D89; B's comment is the policy URL cell (G77), as the reader gives it."""
    found = {}
    for spec in CMRT6.company_questions:
        raw = values.get(spec.id)
        found[spec.id] = Answer(
            spec.id,
            None,
            Cell(f"Declaration!D{spec.row}", raw, normalise.choice(raw, spec.allowed)),
            policy_url if spec.url_in_comment else Cell(f"Declaration!G{spec.row}"),
        )
    return found


def make_response(
    *,
    company: dict[str, Any] | None = None,
    answers: dict[str, dict[str, Any]] | None = None,
    company_questions: dict[str, Any] | None = None,
    policy_url: Any = POLICY_URL,
    **overrides: Any,
) -> TemplateResponse:
    """A clean CMRT 6.4 response; ``company``/``answers``/``company_questions`` change single values
    (a value of None blanks the cell), any other keyword replaces that TemplateResponse field."""
    merged_answers = {mineral: dict(values) for mineral, values in ANSWERS.items()}
    for mineral, values in (answers or {}).items():
        merged_answers.setdefault(mineral, {}).update(values)
    url = Cell("Declaration!G77", policy_url, normalise.text(policy_url))
    response = TemplateResponse(
        file=FileInfo(name="acme-2024.xlsx", sha256="0" * 64, size=1),
        kind=TemplateKind.CMRT,
        version="6.4",
        revision_text="Revision 6.4\nApril 26, 2024",
        language="English",
        minerals=CMRT6.minerals,
        company=_company(COMPANY | (company or {})),
        answers=_answers(merged_answers),
        company_questions=_company_questions(COMPANY_QUESTIONS | (company_questions or {}), url),
        policy_url=url,
        smelters=CLEAN_SMELTERS,
        products=(),
        lookup=LOOKUP,
        checker_cached=None,  # built, not read: no saved Checker count
    )
    return replace(response, **overrides)


# --- EMRT, CRT and AMRT ---------------------------------------------------------------------------

# The minerals a built EMRT 2.x / AMRT picks unless told otherwise; EMRT 1.x and CRT ask about all.
PICKED = {TemplateKind.EMRT: ("Cobalt", "Mica"), TemplateKind.AMRT: ("Silver", "Zinc")}


def _first_choice(allowed: tuple[str, ...]) -> str:
    return "Yes" if "Yes" in allowed else allowed[0]


def make_template_response(
    kind: TemplateKind,
    version: str,
    *,
    minerals: tuple[str, ...] | None = None,
    company: dict[str, Any] | None = None,
    answers: dict[str, dict[str, Any]] | None = None,
    company_questions: dict[str, Any] | None = None,
    comments: dict[str, Any] | None = None,
    smelters: tuple[SmelterRow, ...] | None = None,
    products: tuple[ProductRow, ...] = (),
) -> TemplateResponse:
    """A complete response in any template the layouts know, every required field filled: each
    mineral's questions answered "Yes" (or the first allowed answer), company questions likewise
    (per-mineral ones as "C:Cobalt"), every company question's comment holding a policy URL, and a
    smelter row with a look-up, name and country per mineral. The keywords change single values
    (None blanks a cell); ``comments`` are company question comments by id.
    """
    layout = layout_for(kind, version)
    if minerals is None:
        minerals = PICKED[kind] if layout.mineral_selection_cells else layout.minerals
    cells = {}
    for field_name in COMPANY:
        raw = (COMPANY | (company or {})).get(field_name)
        address = layout.company_cells[field_name]
        value = (
            normalise.date(raw)
            if field_name == "effective_date"
            else scope_letter(raw)
            if field_name == "declaration_scope"
            else normalise.text(raw)
        )
        cells[field_name] = Cell(f"Declaration!{address}", raw, value)
    found: dict[str, dict[str, Answer]] = {mineral: {} for mineral in minerals}
    for spec in layout.questions:
        for index, mineral in enumerate(minerals):
            if spec.minerals and mineral not in spec.minerals:
                continue
            row = spec.header_row + 1 + (index if layout.mineral_rows else layout.minerals.index(mineral))
            raw = (answers or {}).get(mineral, {}).get(spec.id, _first_choice(spec.allowed))
            found[mineral][spec.id] = Answer(
                spec.id,
                mineral,
                Cell(f"Declaration!D{row}", raw, normalise.choice(raw, spec.allowed, numeric=spec.numeric)),
                Cell(f"Declaration!G{row}"),
            )
    asked: dict[str, Answer] = {}
    for spec in layout.company_questions:
        keyed = (
            [(f"{spec.id}:{m}", m, spec.row + i) for i, m in enumerate(minerals)]
            if spec.per_mineral_rows
            else []
        )
        for key, mineral, row in keyed or [(spec.id, None, spec.row)]:
            raw = (company_questions or {}).get(key, _first_choice(spec.allowed))
            comment = (comments or {}).get(key, POLICY_URL)
            asked[key] = Answer(
                spec.id,
                mineral,
                Cell(f"Declaration!D{row}", raw, normalise.choice(raw, spec.allowed)),
                Cell(f"Declaration!G{row}", comment, normalise.text(comment)),
            )
    url = next((asked[q.id].comment for q in layout.company_questions if q.url_in_comment), None)
    if smelters is None:
        smelters = tuple(
            smelter(5 + i, mineral, "Some Smelter", name="Some Smelter", country="CHINA")
            for i, mineral in enumerate(minerals)
        )
    return TemplateResponse(
        file=FileInfo(name=f"acme-{kind}-{version}.xlsx", sha256="0" * 64, size=1),
        kind=kind,
        version=version,
        revision_text=f"Revision {version}",
        language="English",
        minerals=minerals,
        company=Company(**cells),
        answers=found,
        company_questions=asked,
        policy_url=url,
        smelters=smelters,
        products=products,
    )


def product(row: int, number: str | None, name: str | None = None) -> ProductRow:
    return ProductRow(row=row, number=number, name=name)


def flat(response: TemplateResponse, **options: Any) -> list[tuple]:
    """review(response) as (code, mineral, cell) tuples, reviewed on a fixed day."""
    from oretrace.review import review

    options.setdefault("today", dt.date(2024, 8, 1))
    return review(response, **options).flatten()
