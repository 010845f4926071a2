"""Proving on the file that a cell map fits it, before a single answer is read through the map.

Question labels are formulas that follow the chosen language, but every RMI template, in every
language, starts a per-mineral question with its number ("3) ...", "3）..." in Chinese) and a
company question with its letter ("C. ..."). Those prefixes, at the rows the map names, are the
cheapest evidence that the map is the file's: a supplier who inserted a row, or a version whose
rows moved, shows up here instead of as answers silently read from the wrong question.

A verified map (read from RMI's own template) fails only on contrary evidence: a header row that
holds another question. Files saved by programs that do not calculate have no cached labels, and
are read. A derived map (CMRT 4.x and 5.x) needs positive evidence for every question and mineral row.
"""

from __future__ import annotations

import re

from oretrace.errors import UnsupportedVersion
from oretrace.rmi.layouts import Layout
from oretrace.rmi.sheets import Grid

_QUESTION_PREFIX = re.compile(r"^\s*(\d+)\s*[)）]")
_COMPANY_PREFIX = re.compile(r"^\s*([A-Z])\s*[.．]")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_structure(declaration: Grid, layout: Layout, what: str, file: str | None) -> None:
    """Raise UnsupportedVersion naming every cell where the file does not look like ``layout``."""
    problems = _question_problems(declaration, layout)
    if not layout.verified:
        problems += _derived_problems(declaration, layout)
    problems += _company_problems(declaration, layout)
    if problems:
        shown = "; ".join(problems[:6]) + (f"; and {len(problems) - 6} more" if len(problems) > 6 else "")
        raise UnsupportedVersion(
            f"The {what} does not have the layout oretrace expects for it ({shown}). "
            + (
                "oretrace has no template of this version and derived its layout from RMI's revision "
                "notes; it will not guess where the answers are. "
                if not layout.verified
                else "Rows of the Declaration may have been inserted, deleted or moved. "
            )
            + "Ask the supplier to copy its answers into an unmodified, current template from RMI.",
            file=file,
        )


def _label(declaration: Grid, row: int) -> str | None:
    value = declaration.at(row, "B")
    return value if isinstance(value, str) and value.strip() else None


def _is_question(text: str, number: str) -> bool:
    match = _QUESTION_PREFIX.match(text)
    return bool(match) and match.group(1) == number


def _is_company_question(text: str, letter: str) -> bool:
    match = _COMPANY_PREFIX.match(text)
    return bool(match) and match.group(1) == letter


def _nearby(declaration: Grid, row: int, wanted) -> int | None:
    """The row within three of ``row`` whose label is the question expected at ``row``, if any:
    the evidence that rows were inserted or deleted above it."""
    for distance in (1, 2, 3):
        for candidate in (row + distance, row - distance):
            label = _label(declaration, candidate)
            if label and wanted(label):
                return candidate
    return None


def _question_problems(declaration: Grid, layout: Layout) -> list[str]:
    problems = []
    for spec in layout.questions:
        number = spec.id.lstrip("Q")
        label = _label(declaration, spec.header_row)
        if label is None:
            moved = _nearby(declaration, spec.header_row, lambda text, n=number: _is_question(text, n))
            if moved:
                problems.append(f"question {number} is in row {moved}, not in row {spec.header_row}")
            elif not layout.verified:
                problems.append(f"B{spec.header_row} should hold question {number} but is empty")
            continue
        match = _QUESTION_PREFIX.match(label)
        if not match or match.group(1) != number:
            problems.append(f"B{spec.header_row} should start with '{number})' but reads {label[:40]!r}")
    return problems


def _company_problems(declaration: Grid, layout: Layout) -> list[str]:
    problems = []
    for spec in layout.company_questions:
        row = spec.header_row
        label = _label(declaration, row)
        if label is None:
            moved = _nearby(declaration, row, lambda text, letter=spec.id: _is_company_question(text, letter))
            if moved:
                problems.append(f"company question {spec.id} is in row {moved}, not in row {row}")
            elif not layout.verified:
                problems.append(f"B{row} should hold company question {spec.id} but is empty")
            continue
        match = _COMPANY_PREFIX.match(label)
        if not match or match.group(1) != spec.id:
            problems.append(f"B{row} should start with '{spec.id}.' but reads {label[:40]!r}")
    return problems


def _derived_problems(declaration: Grid, layout: Layout) -> list[str]:
    """For a derived map: answer headers, every mineral row labelled, and no question beyond the last."""
    problems = []
    for spec in layout.questions:
        if declaration.at(spec.header_row, layout.answer_column) is None:
            problems.append(
                f"{layout.answer_column}{spec.header_row} should hold the 'Answer' header but is empty"
            )
        for offset, mineral in enumerate(layout.minerals, start=1):
            if _label(declaration, spec.header_row + offset) is None:
                problems.append(f"B{spec.header_row + offset} should label the {mineral} row but is empty")
    if layout.questions:
        last = layout.questions[-1]
        step = last.header_row - layout.questions[-2].header_row if len(layout.questions) > 1 else 0
        after = _label(declaration, last.header_row + step) if step else None
        if after and _QUESTION_PREFIX.match(after):
            problems.append(f"B{last.header_row + step} holds a question after {last.id}: {after[:40]!r}")
    if layout.company_questions:
        last_company = layout.company_questions[-1]
        following = _LETTERS[_LETTERS.index(last_company.id) + 1]
        after = _label(declaration, last_company.row + 2)
        match = _COMPANY_PREFIX.match(after) if after else None
        if match and match.group(1) == following:
            problems.append(
                f"B{last_company.row + 2} holds company question {following}, which this version does not have"
            )
    return problems
