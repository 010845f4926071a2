"""Read a filled-in RMI template into a TemplateResponse.

    >>> from oretrace.rmi import read_template
    >>> response = read_template("supplier-cmrt.xlsx")   # doctest: +SKIP

Every failure is an OretraceError with a stable code; nothing else escapes.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from oretrace.errors import CorruptFile, OretraceError, UnsupportedVersion
from oretrace.rmi import normalise
from oretrace.rmi.checker_sheet import checker_lines
from oretrace.rmi.detect import Detected, detect, require_declaration
from oretrace.rmi.layouts import (
    Layout,
    ListSpec,
    QuestionSpec,
    layout_for,
    list_columns_read,
    sheets_read,
    supported_versions,
)
from oretrace.rmi.layouts_verify import check_structure
from oretrace.rmi.model import (
    COMPANY_FIELDS,
    Answer,
    Cell,
    Company,
    LookupEntry,
    MineralPick,
    MineRow,
    ProductRow,
    SmelterRow,
    TemplateResponse,
)
from oretrace.rmi.opening import OpenedWorkbook, SheetLeftOut, open_workbook
from oretrace.rmi.sheets import Grid, column_index

# CMRT 2.x offers a fourth scope, "D. Product Level".
_SCOPE_LETTER = re.compile(r"^\s*([ABCD])(?:[.)]|\s|$)", re.IGNORECASE)
_SMELTER_REQUIRED = ("metal", "lookup_name", "name", "country", "smelter_id", "id_source")
# CMRT 1.00-2.02 name metals with their symbol: "Gold (Au)".
_METAL_SYMBOL = re.compile(r"^(.*?)\s*\([A-Z][a-z]?\)$")


def read_template(
    source: str | Path | bytes, *, name: str | None = None, with_lookup: bool = True
) -> TemplateResponse:
    """Read an RMI template from a path or from its bytes (``name`` labels bytes in messages).

    ``with_lookup=False`` leaves out the template's Smelter Look-up (``response.lookup`` is then
    empty unless rows needed it): a roll-up that identifies smelters against one reference list
    need not parse the same 600-row list from every supplier file.
    """
    opened = open_workbook(
        source, name=name, sheets=sheets_read(with_lookup=with_lookup), columns_read=list_columns_read()
    )
    try:
        return _read(opened, with_lookup)
    except SheetLeftOut:
        # Rows without cached formula results need the file's own look-up after all (rare: files
        # saved by programs that do not calculate); read the file again with it.
        return read_template(source, name=name, with_lookup=True)
    except OretraceError:
        raise
    except Exception as exc:  # a workbook that opens but breaks a sheet parser is still a damaged file
        raise CorruptFile(
            f"The workbook opened but a sheet could not be read ({type(exc).__name__}: {exc}). "
            "It may be damaged; ask the supplier to save it again from Excel.",
            file=opened.info.name,
        ) from None


def _read(opened: OpenedWorkbook, with_lookup: bool = True) -> TemplateResponse:
    book, name = opened.book, opened.info.name
    declaration = Grid.load(book, require_declaration(book, name))
    detected = detect(book, declaration, name)
    layout = layout_for(detected.kind, detected.version)
    if layout is None:
        raise UnsupportedVersion(_unsupported_message(detected), file=name)
    check_structure(declaration, layout, f"{detected.kind} {detected.version}", name)
    return read_with_layout(book, declaration, detected, layout, opened, with_lookup=with_lookup)


def _unsupported_message(detected: Detected) -> str:
    known = ", ".join(supported_versions(detected.kind)) or "none yet"
    return (
        f"{detected.kind} version {detected.version} is not supported: oretrace has no verified cell map "
        f"for it and will not guess. Supported {detected.kind} versions: {known}. "
        "Ask the supplier to copy its answers into a current template from RMI."
    )


def read_with_layout(
    book: CalamineWorkbook,
    declaration: Grid,
    detected: Detected,
    layout: Layout,
    opened: OpenedWorkbook,
    *,
    with_lookup: bool = True,
) -> TemplateResponse:
    notes: list[str] = []
    minerals = _minerals(layout, declaration, notes)
    lookup = functools.cache(lambda: _checked_lookup(book, layout, notes))
    smelters = _smelters(book, layout, lookup, notes)
    return TemplateResponse(
        file=opened.info,
        kind=detected.kind,
        version=detected.version,
        revision_text=detected.revision_text,
        language=normalise.text(declaration.get("D3")),
        minerals=minerals,
        mineral_picks=_mineral_picks(layout, declaration),
        company=_company(declaration, layout, notes),
        answers=_answers(declaration, layout, minerals),
        company_questions=_company_questions(declaration, layout, minerals),
        policy_url=_policy_url(declaration, layout),
        smelters=smelters,
        products=tuple(_products(book, layout.products)) if layout.products else (),
        mines=tuple(_mines(book, layout.mines)) if layout.mines else (),
        lookup=lookup() if with_lookup or lookup.cache_info().currsize else (),
        checker_cached=_checker_cached(book, layout),
        checker_lines=checker_lines(book, declaration) if layout.checker_total else (),
        encrypted=opened.encrypted,
        notes=tuple(notes),
    )


# --- Declaration ----------------------------------------------------------------------------------


def _minerals(layout: Layout, declaration: Grid, notes: list[str] | None = None) -> tuple[str, ...]:
    """The minerals the answers are about, in the order of the answer rows.

    EMRT 2.x / AMRT: the picked minerals ("(Delete X)" is unpicked; "Other [specify below]" is the
    name typed below it), sorted the way the template's formulas sort them and without duplicates.
    The file's own cached row labels (column B below the first question) give that order as Excel
    computed it, in Excel's collation; when they are missing, or name other minerals than the ones
    picked (a stale cache), Excel's case-insensitive order is rebuilt here.
    """
    if not layout.mineral_selection_cells:
        return layout.minerals
    picked = _picked_minerals(layout, declaration)
    labelled = _labelled_minerals(layout, declaration)
    if labelled and sorted(m.casefold() for m in labelled) == sorted(m.casefold() for m in picked):
        by_key = {m.casefold(): m for m in picked}
        return tuple(by_key[m.casefold()] for m in labelled)
    if labelled and notes is not None:
        notes.append(
            f"The mineral labels below question 1 ({', '.join(labelled)}) do not match the minerals "
            f"picked ({', '.join(picked) or 'none'}); the file was saved without recalculating. "
            "The answers were read in the order Excel will show once it recalculates."
        )
    return picked


def _mineral_picks(layout: Layout, declaration: Grid) -> tuple[MineralPick, ...]:
    others = layout.mineral_other_cells or (None,) * len(layout.mineral_selection_cells)
    return tuple(
        MineralPick(_text_cell(declaration, address), _text_cell(declaration, other) if other else None)
        for address, other in zip(layout.mineral_selection_cells, others, strict=True)
    )


def _text_cell(grid: Grid, address: str) -> Cell:
    raw = grid.get(address)
    return Cell(grid.ref(address), raw, normalise.text(raw))


def _labelled_minerals(layout: Layout, declaration: Grid) -> tuple[str, ...]:
    """The cached labels of the answer rows of the first question, "(*)" removed."""
    header = layout.questions[0].header_row
    labels = []
    for row in range(header + 1, header + 1 + layout.mineral_rows):
        value = normalise.text(declaration.at(row, "B"))
        if value:
            labels.append(value.removesuffix("(*)").strip())
    return tuple(labels)


def _picked_minerals(layout: Layout, declaration: Grid) -> tuple[str, ...]:
    chosen: dict[str, str] = {}
    others = layout.mineral_other_cells or (None,) * len(layout.mineral_selection_cells)
    for address, other in zip(layout.mineral_selection_cells, others, strict=True):
        value = normalise.text(declaration.get(address))
        if value and value.casefold().startswith("other") and other:
            value = normalise.text(declaration.get(other))
        if value and not value.startswith("(Delete"):
            canonical = normalise.choice(value, layout.minerals)
            chosen.setdefault(canonical.casefold(), canonical)
    return tuple(chosen[key] for key in sorted(chosen))


def _company(declaration: Grid, layout: Layout, notes: list[str]) -> Company:
    cells: dict[str, Cell] = {}
    for field_name in COMPANY_FIELDS:
        address = layout.company_cells.get(field_name)
        if address is None:
            cells[field_name] = Cell(ref="")
            continue
        raw = declaration.get(address)
        if field_name == "effective_date" and layout.date_parts:
            raw = tuple(declaration.get(part) for part in layout.date_parts)
            value: Any = _date_from_parts(raw)
        elif field_name == "effective_date":
            value = normalise.date(raw)
        elif field_name == "declaration_scope":
            value = scope_letter(raw, layout.scope_letters)
            if layout.scope_letters and value in layout.scope_letters.values() and value != scope_letter(raw):
                notes.append(
                    f"The declaration scope {normalise.text(raw)!r} of this {layout.family} template is "
                    f"reported as scope {value} (A company, B product, C user-defined)."
                )
        else:
            value = normalise.text(raw)
        cells[field_name] = Cell(ref=declaration.ref(address), raw=raw, value=value)
    return Company(**cells)


def _date_from_parts(parts: tuple[Any, ...]) -> Any:
    """CMRT 1.00's date: day, month name, year in three cells; None unless all three make a date."""
    day, month, year = (normalise.text(part) for part in parts)
    if not (day and month and year):
        return None
    return normalise.date(f"{day} {month} {year}")


def scope_letter(raw: Any, letters: dict[str, str] | None = None) -> str | None:
    """ "A. Company" -> "A"; anything else is kept as typed so that a reviewer can flag it.

    ``letters`` maps a version's own letters to the model's (CMRT 2.x "D. Product Level" -> "B").
    """
    value = normalise.text(raw)
    if value is None:
        return None
    match = _SCOPE_LETTER.match(value)
    if not match:
        return value
    letter = match.group(1).upper()
    if letters is not None:
        return letters.get(letter, value)
    return letter if letter in "ABC" else value


def _question_rows(layout: Layout, spec: QuestionSpec, minerals: tuple[str, ...]) -> list[tuple[str, int]]:
    if layout.mineral_rows:
        # Picked minerals take the first rows below the header, in alphabetical order (see _minerals).
        return [
            (mineral, spec.header_row + 1 + i) for i, mineral in enumerate(minerals[: layout.mineral_rows])
        ]
    asked = [mineral for mineral in minerals if not spec.minerals or mineral in spec.minerals]
    return [(mineral, spec.header_row + 1 + layout.minerals.index(mineral)) for mineral in asked]


def _answers(declaration: Grid, layout: Layout, minerals: tuple[str, ...]) -> dict[str, dict[str, Answer]]:
    answers: dict[str, dict[str, Answer]] = {mineral: {} for mineral in minerals}
    for spec in layout.questions:
        for mineral, row in _question_rows(layout, spec, minerals):
            answers[mineral][spec.id] = _answer(
                declaration, layout, spec.id, mineral, row, spec.allowed, spec.numeric
            )
    return answers


def _answer(
    declaration: Grid,
    layout: Layout,
    question: str,
    mineral: str | None,
    row: int,
    allowed: tuple[str, ...],
    numeric: dict[float, str] | None = None,
) -> Answer:
    answer_address = f"{layout.answer_column}{row}"
    comment_address = f"{layout.comment_column}{row}"
    raw = declaration.get(answer_address)
    raw_comment = declaration.get(comment_address)
    return Answer(
        question=question,
        mineral=mineral,
        answer=Cell(declaration.ref(answer_address), raw, normalise.choice(raw, allowed, numeric=numeric)),
        comment=Cell(declaration.ref(comment_address), raw_comment, normalise.text(raw_comment)),
    )


def _company_questions(declaration: Grid, layout: Layout, minerals: tuple[str, ...]) -> dict[str, Answer]:
    found: dict[str, Answer] = {}
    for spec in layout.company_questions:
        if spec.per_mineral_rows:
            for i, mineral in enumerate(minerals[: spec.per_mineral_rows]):
                key = f"{spec.id}:{mineral}"
                found[key] = _answer(declaration, layout, spec.id, mineral, spec.row + i, spec.allowed)
        else:
            found[spec.id] = _answer(declaration, layout, spec.id, None, spec.row, spec.allowed)
    return found


def _policy_url(declaration: Grid, layout: Layout) -> Cell | None:
    # EMRT 1.1 / 1.11 want the URL beside A (the policy) too; the policy's public URL is B's.
    with_url = [q for q in layout.company_questions if q.url_in_comment]
    spec = next((q for q in with_url if q.topic == "policy_public"), with_url[0] if with_url else None)
    if spec is None:
        return None
    address = f"{layout.comment_column}{spec.row}"
    raw = declaration.get(address)
    return Cell(declaration.ref(address), raw, normalise.text(raw))


def _checker_cached(book: CalamineWorkbook, layout: Layout) -> int | None:
    if not layout.checker_total or "Checker" not in book.sheet_names:
        return None
    value = Grid.load(book, "Checker").get(layout.checker_total)
    try:
        return int(float(value)) if value is not None and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None  # a Checker the supplier overwrote with text


# --- List sheets ----------------------------------------------------------------------------------


def _list_sheet(book: CalamineWorkbook, spec: ListSpec) -> str | None:
    return next((name for name in (spec.sheet, *spec.other_sheets) if name in book.sheet_names), None)


def _list_rows(book: CalamineWorkbook, spec: ListSpec):
    """Yield (row number, {field: text}, {column: raw}) for each non-blank data row."""
    sheet = _list_sheet(book, spec)
    if sheet is None:
        return
    grid = Grid.load(book, sheet)
    last = min(grid.height, spec.last_row or grid.height)
    fields_at = [(field_name, letter) for field_name, letter in spec.columns.items()]
    read = [column_index(letter) for _field, letter in fields_at] + [
        column_index(letter) for letter in spec.raw_columns
    ]
    # One C call picks a row's columns; most of a 6.x Smelter List is formulas cached as "".
    pick, width = operator.itemgetter(*read, read[0]), max(read) + 1  # 2+ items, so always a tuple
    extra_at = list(enumerate(spec.raw_columns, start=len(fields_at)))
    zero_is_blank = spec.numeric_zero_is_blank
    blank = [""] * len(grid.rows[0]) if grid.rows else []  # calamine's rows are all as wide
    for row_number in range(spec.first_row, last + 1):
        values = grid.rows[row_number - 1]
        if values == blank:  # one C comparison: the Product List is 2,000 empty rows
            continue
        if len(values) < width:
            values = [*values, *[""] * (width - len(values))]
        picked = pick(values)
        if picked.count("") == len(picked):
            continue
        fields: dict[str, str | None] = {}
        raw: dict[str, Any] = {}
        for (field_name, letter), cell in zip(fields_at, picked, strict=False):
            if cell is None or cell == "":
                fields[field_name] = None
                continue
            raw[letter] = cell
            fields[field_name] = normalise.text(cell, zero_is_blank=zero_is_blank)
        for position, letter in extra_at:
            cell = picked[position]
            if cell is not None and cell != "":
                raw[letter] = cell
        filled = [value for value in fields.values() if value]
        if (filled or len(raw) > len(filled)) and not _is_footer(filled):
            yield row_number, fields, raw


def _is_footer(filled: list[str]) -> bool:
    """RMI's copyright line sits below the data rows (Product List B2006 in 6.4, B1001 in 6.01)."""
    return len(filled) == 1 and filled[0].startswith("©")


def _smelters(
    book: CalamineWorkbook, layout: Layout, lookup: Callable[[], tuple[LookupEntry, ...]], notes: list[str]
) -> tuple[SmelterRow, ...]:
    """The Smelter List rows; ``lookup`` is called only when a row needs filling from it."""
    by_id: dict[str, LookupEntry] | None = None
    rows = []
    filled = 0
    for row_number, fields, raw in _list_rows(book, layout.smelters):
        fields["metal"] = canonical_metal(fields.get("metal"), layout.minerals)
        for required in _SMELTER_REQUIRED:  # columns older templates do not have (2.00: no ID)
            fields.setdefault(required, None)
        smelter = SmelterRow(row=row_number, raw=raw, **fields)
        if smelter.id_input and smelter.metal is None and smelter.smelter_id is None:
            if by_id is None:
                by_id = {entry.smelter_id.upper(): entry for entry in lookup() if entry.smelter_id}
            entry = by_id.get(smelter.id_input.strip().upper())
            if entry is not None:
                smelter = _filled_from_lookup(smelter, entry)
                filled += 1
        rows.append(smelter)
    if filled:
        notes.append(
            f"{filled} smelter row(s) had an ID in column A but no cached formula results "
            "(the file was saved by a program that does not calculate); their metal, name, country "
            "and address were taken from the file's own Smelter Look-up."
        )
    return tuple(rows)


def _filled_from_lookup(smelter: SmelterRow, entry: LookupEntry) -> SmelterRow:
    return replace(
        smelter,
        metal=entry.metal,
        lookup_name=smelter.lookup_name or entry.alias,
        country=smelter.country or entry.country,
        smelter_id=entry.smelter_id,
        id_source=smelter.id_source or entry.source,
        street=smelter.street or entry.street,
        city=smelter.city or entry.city,
        state=smelter.state or entry.state,
        standard_name=smelter.standard_name or entry.standard_name,
    )


def _products(book: CalamineWorkbook, spec: ListSpec):
    for row_number, fields, _raw in _list_rows(book, spec):
        yield ProductRow(row=row_number, **fields)


def _mines(book: CalamineWorkbook, spec: ListSpec):
    for row_number, fields, _raw in _list_rows(book, spec):
        yield MineRow(row=row_number, **fields)


@functools.lru_cache(maxsize=4096)  # a look-up names the same four metals 600 times
def canonical_metal(value: str | None, minerals: tuple[str, ...]) -> str | None:
    """ "Gold (Au)" (CMRT 1.00-2.02) and "gold" -> "Gold"; anything else as written."""
    if not value:
        return value
    match = _METAL_SYMBOL.match(value)
    bare = match.group(1) if match else value
    canonical = normalise.choice(bare, minerals)
    return canonical if canonical in minerals else value


def _checked_lookup(book: CalamineWorkbook, layout: Layout, notes: list[str]) -> tuple[LookupEntry, ...]:
    """The file's reference list; for a derived map only when its rows look like smelters of its metals."""
    if layout.lookup is None:
        return ()
    lookup = tuple(_lookup(book, layout.lookup, layout.minerals))
    if layout.verified or not lookup:
        return lookup
    known = sum(1 for entry in lookup if entry.metal in layout.minerals)
    if known * 2 < len(lookup):
        notes.append(
            f"The {_list_sheet(book, layout.lookup)} sheet does not hold metals in column A as expected for "
            f"{layout.family}; its smelter reference list was not read."
        )
        return ()
    return lookup


def _lookup(book: CalamineWorkbook, spec: ListSpec, minerals: tuple[str, ...] = ()):
    for _row, fields, _raw in _list_rows(book, spec):
        if fields.get("metal") and (fields.get("alias") or fields.get("standard_name")):
            fields["metal"] = canonical_metal(fields["metal"], minerals)
            fields["alias"] = fields.get("alias") or fields["standard_name"]
            fields["standard_name"] = fields.get("standard_name") or fields["alias"]
            yield LookupEntry(**fields)
