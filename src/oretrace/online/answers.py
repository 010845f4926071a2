"""The online form's answers: a ``CompanyDeclaration`` (rmi.writer), to and from a file as read and
to and from the JSON a draft is kept in.

Starting from an uploaded file or last year's response is ``declaration_from_response``: what the
reader read, kept where the writer can write it back. An answer the template's list does not offer
(a supplier's own words typed over a drop-down) is left out, so the form asks for it again instead of
the writer refusing the whole draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from oretrace.errors import BadInput
from oretrace.rmi.layouts import Layout
from oretrace.rmi.model import (
    COMPANY_FIELDS,
    LookupEntry,
    MineRow,
    SmelterRow,
    TemplateResponse,
    is_special_lookup,
)
from oretrace.rmi.writer import (
    CompanyDeclaration,
    DeclaredMine,
    DeclaredProduct,
    DeclaredSmelter,
    declared_minerals,
)


def declaration_from_response(
    response: TemplateResponse, layout: Layout, *, lookup: Iterable[LookupEntry] = ()
) -> CompanyDeclaration:
    """The answers of a file as read, for the form of a template with ``layout`` and, where it has one,
    the reference list ``lookup``: the file's smelters as that template's writer writes them."""
    company: dict[str, Any] = {}
    for name in COMPANY_FIELDS:
        value = getattr(response.company, name).value
        if name == "effective_date":
            value = value if isinstance(value, dt.date) else None
            if isinstance(value, dt.datetime):
                value = value.date()
        elif value is not None:
            value = str(value)
        company[name] = value
    # Where the supplier picks its minerals (EMRT 2.x, AMRT), the file's picks; else the template's.
    minerals = response.minerals if layout.mineral_selection_cells else layout.minerals
    answers: dict[str, dict[str, str]] = {}
    comments: dict[str, dict[str, str]] = {}
    for spec in layout.questions:
        # A question asked of some minerals only (EMRT 1.x Q4: cobalt) has no row for the others.
        for mineral in (m for m in minerals if not spec.minerals or m in spec.minerals):
            found = response.answers.get(mineral, {}).get(spec.id)
            if found is None:
                continue
            if found.value in spec.allowed:
                answers.setdefault(mineral, {})[spec.id] = found.value
            if not found.comment.is_blank:
                comments.setdefault(mineral, {})[spec.id] = str(found.comment.value)
    # A file of another version can list smelters and mines of minerals this form does not declare
    # (an EMRT 2.x's nickel in an EMRT 1.x form): they are left out, as their answers are.
    declared = {m.casefold() for m in _declared(layout, tuple(minerals))}

    def declares(metal: str) -> bool:
        return not declared or metal.casefold() in declared

    company_questions: dict[str, str] = {}
    company_comments: dict[str, str] = {}
    for spec in layout.company_questions:
        # A question asked per mineral (EMRT C) is keyed "C:Cobalt", as the reader and the writer key it.
        keys = [f"{spec.id}:{m}" for m in minerals] if spec.per_mineral_rows else [spec.id]
        for key in keys:
            found = response.company_questions.get(key)
            if found is None:
                continue
            if found.value in spec.allowed:
                company_questions[key] = found.value
            if not found.comment.is_blank and not spec.url_in_comment:
                company_comments[key] = str(found.comment.value)
    policy_url = (
        response.policy_url.value if response.policy_url and not response.policy_url.is_blank else None
    )
    return CompanyDeclaration(
        company=company,
        answers=answers,
        company_questions=company_questions,
        answer_comments=comments,
        company_question_comments=company_comments,
        policy_url=str(policy_url) if policy_url is not None else None,
        smelters=_as_listed(
            tuple(s for s in (_smelter(row) for row in response.smelters) if s and declares(s.metal)), lookup
        ),
        products=tuple(
            DeclaredProduct(str(p.number), p.name, p.comments) for p in response.products if p.number
        ),
        kind=layout.kind,
        minerals=tuple(minerals) if layout.mineral_selection_cells else (),
        mines=tuple(m for m in (_mine(row) for row in response.mines) if m and declares(m.metal))
        if layout.mines is not None
        else (),
    )


def _declared(layout: Layout, picked: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return declared_minerals(layout, picked if layout.mineral_selection_cells else ())
    except BadInput:  # no minerals picked (AMRT), or more than the template holds
        return ()


def _mine(row: MineRow) -> DeclaredMine | None:
    if not row.metal or not (row.mine_name or row.mine_id):
        return None
    return DeclaredMine(row.metal, row.mine_name, row.mine_id, row.country, row.smelter_name)


def _smelter(row: SmelterRow) -> DeclaredSmelter | None:
    """A listed smelter by its CID; any other row by the name and country the supplier gave."""
    if not row.metal:
        return None
    if row.smelter_id and not is_special_lookup(row.lookup_name):
        return DeclaredSmelter(row.metal, row.smelter_id, row.display_name, row.country)
    if not (row.name or row.country):
        return None
    return DeclaredSmelter(row.metal, None, row.name, row.country)


def _as_listed(
    smelters: tuple[DeclaredSmelter, ...], lookup: Iterable[LookupEntry]
) -> tuple[DeclaredSmelter, ...]:
    """A CID the template's list holds under that list's name, metal and country (what the file will
    show); one it does not hold (a file of another version) as not listed, by the name the file gave.
    Unchanged where the template has no list (AMRT 1.2 takes the CID typed)."""
    by_id: dict[str, LookupEntry] = {}
    for entry in lookup:
        if entry.smelter_id and (entry.smelter_id not in by_id or entry.alias == entry.standard_name):
            by_id[entry.smelter_id] = entry
    if not by_id:
        return smelters
    fitted = []
    for smelter in smelters:
        entry = by_id.get(smelter.smelter_id or "")
        if entry is not None:
            smelter = DeclaredSmelter(entry.metal, entry.smelter_id, entry.standard_name, entry.country)
        elif smelter.smelter_id:
            smelter = DeclaredSmelter(smelter.metal, None, smelter.name, smelter.country)
        fitted.append(smelter)
    return tuple(fitted)


def declaration_to_dict(declaration: CompanyDeclaration) -> dict[str, Any]:
    """JSON-ready: dates as ISO text, smelters and products as lists of small objects."""
    company = dict(declaration.company)
    if isinstance(company.get("effective_date"), dt.date):
        company["effective_date"] = company["effective_date"].isoformat()
    return {
        "kind": str(declaration.kind),
        "company": company,
        "answers": declaration.answers,
        "answer_comments": declaration.answer_comments,
        "company_questions": declaration.company_questions,
        "company_question_comments": declaration.company_question_comments,
        "policy_url": declaration.policy_url,
        "smelters": [
            {"metal": s.metal, "smelter_id": s.smelter_id, "name": s.name, "country": s.country}
            for s in declaration.smelters
        ],
        "products": [
            {"number": p.number, "name": p.name, "comments": p.comments} for p in declaration.products
        ],
        "minerals": list(declaration.minerals),
        "mines": [
            {
                "metal": m.metal,
                "mine_name": m.mine_name,
                "mine_id": m.mine_id,
                "country": m.country,
                "smelter_name": m.smelter_name,
            }
            for m in declaration.mines
        ],
    }


def declaration_from_dict(data: dict[str, Any], layout: Layout) -> CompanyDeclaration:
    """The inverse of ``declaration_to_dict``; a date that is not an ISO date is left blank."""
    company = {name: data.get("company", {}).get(name) for name in COMPANY_FIELDS}
    raw_date = company.get("effective_date")
    try:
        company["effective_date"] = dt.date.fromisoformat(raw_date) if raw_date else None
    except (TypeError, ValueError):
        company["effective_date"] = None
    return CompanyDeclaration(
        company=company,
        answers={m: dict(q) for m, q in (data.get("answers") or {}).items()},
        company_questions=dict(data.get("company_questions") or {}),
        answer_comments={m: dict(q) for m, q in (data.get("answer_comments") or {}).items()},
        company_question_comments=dict(data.get("company_question_comments") or {}),
        policy_url=data.get("policy_url") or None,
        smelters=tuple(
            DeclaredSmelter(s["metal"], s.get("smelter_id"), s.get("name"), s.get("country"))
            for s in data.get("smelters") or ()
        ),
        products=tuple(
            DeclaredProduct(p["number"], p.get("name"), p.get("comments")) for p in data.get("products") or ()
        ),
        kind=layout.kind,
        minerals=tuple(data.get("minerals") or ()) if layout.mineral_selection_cells else (),
        mines=tuple(
            DeclaredMine(
                m["metal"], m.get("mine_name"), m.get("mine_id"), m.get("country"), m.get("smelter_name")
            )
            for m in (data.get("mines") or ())
            if layout.mines is not None
        ),
    )
