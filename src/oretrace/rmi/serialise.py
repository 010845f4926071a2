"""A TemplateResponse as plain JSON-ready data: the public contract of ``oretrace inspect --json``.

Keys documented in the README (file, template, company, answers, company_questions, smelters,
products) must not change meaning; new keys may be added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from oretrace.rmi.model import Cell, TemplateResponse


def plain(value: Any) -> Any:
    """A value JSON can carry: dates as ISO text, everything else as is."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def response_to_dict(response: TemplateResponse, *, include_lookup: bool = False) -> dict[str, Any]:
    company: dict[str, Any] = {name: plain(cell.value) for name, cell in response.company.cells().items()}
    company["cells"] = {name: cell.ref for name, cell in response.company.cells().items() if cell.ref}
    data: dict[str, Any] = {
        "file": {"name": response.file.name, "sha256": response.file.sha256, "size": response.file.size},
        "template": {
            "kind": str(response.kind),
            "version": response.version,
            "revision_text": response.revision_text,
            "language": response.language,
            "minerals": list(response.minerals),
            "mineral_picks": [
                {"cell": pick.pick.ref, "value": pick.pick.value}
                | ({"other_name": pick.other_name.value} if pick.other_name else {})
                for pick in response.mineral_picks
            ],
            "encrypted": response.encrypted,
        },
        "company": company,
        "answers": {
            mineral: {question: plain(answer.value) for question, answer in questions.items()}
            for mineral, questions in response.answers.items()
        },
        "answer_comments": {
            mineral: {q: a.comment.value for q, a in questions.items() if a.comment.value}
            for mineral, questions in response.answers.items()
        },
        "company_questions": {key: plain(answer.value) for key, answer in response.company_questions.items()},
        "company_question_comments": {
            key: answer.comment.value
            for key, answer in response.company_questions.items()
            if answer.comment.value
        },
        "policy_url": _cell_value(response.policy_url),
        "smelters": [_without_raw(asdict(row)) for row in response.smelters],
        "products": [asdict(row) for row in response.products],
        "mines": [asdict(row) for row in response.mines],
        "checker_cached": response.checker_cached,
        "lookup_size": len(response.lookup),
        "notes": list(response.notes),
    }
    if include_lookup:
        data["lookup"] = [asdict(entry) for entry in response.lookup]
    return data


def _cell_value(cell: Cell | None) -> Any:
    return plain(cell.value) if cell is not None else None


def _without_raw(row: dict[str, Any]) -> dict[str, Any]:
    row.pop("raw", None)
    return row
