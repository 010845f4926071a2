"""The template's own Checker tab, recomputed: what Excel would show in Checker!D2.

Each template family has its own Checker; the rules below were read from the formulas of RMI's
files (templates.md §2.1; shared/cmrt/templates for the EMRT, CRT and AMRT) and are kept as data,
one CheckerSpec per family, registered per (kind, version) in CHECKERS:

* CMRT 6.01-6.5 (Checker rows 4-69, total in H70): the Declaration fields D8, D9, D15, D17, D18,
  D22 must not be blank; D16 and D20 must contain "@"; D10 only when the scope is neither A nor B
  (a blank scope does not require it). Q1 is always required; Q2 unless Q1 = "No"; Q3-Q8 unless
  Q1 or Q2 = "No". The formulas read an answer only once the earlier ones are "Yes"
  (``IF(AND(Q1="Yes",Q2="Yes"),D38,0)``), so a Q3 typed under a blank Q1 still counts as missing.
  Company questions A-H when any metal is in scope; the URL in G77 when B = "Yes" (``LEN>1``);
  Product List B6 when the scope is B; per metal in scope a Smelter List row with that metal and
  a look-up value; one line for any "Smelter not listed" row without a name or a country.
* CMRT 3.01: company fields as 6.x plus D21 (Phone – Authorizer), e-mails only non-blank; Q1 and
  Q2 always; the other questions unless Q1 *and* Q2 = "No"; company questions A-J; the URL must
  contain "www" (``FIND``, case-sensitive); a single smelter line: any of C5:C14 filled.
* CMRT 2.x (read from 2.03a): D8, D9, D14, D16, D18; D10 unless scope A or D; Q1 always, later
  questions unless Q1 = "No"; company questions, products (scope D) and smelters (C5:C14) unless
  every metal's Q1 is "No". The 2.00-2.02 Checker instead subtracts the completed fields from a
  fixed table of totals (9, 25, 30 … by scope and metal count), which can go negative: the 2.02
  "green" fixture shows -1. We count what is missing, never below 0; on every 2.x and 3.01 fixture
  with a saved count of 0 or more the two agree.
* EMRT 1.1-1.3 (cobalt, mica; total in H65/H66): the 6.x company fields; Q1 for both minerals;
  Q2 unless Q1 is "No", "Unknown" or "Not applicable for this declaration"; Q3-Q7 unless Q1 or Q2
  is one of those (Q4 for cobalt only). Company questions A-G when a mineral is in scope, C per
  mineral in scope; the URL in G71 when B = "Yes", and in 1.1 / 1.11 also in G69 when A = "Yes";
  E must be "No", "Yes, in conformance with IPC1755 (e.g. EMRT)", or "Yes, Using Other Format
  (Describe)" with the format described in G79. Products for scope B; per mineral in scope a
  Smelter List row with that metal and a look-up value. The "Smelter not listed" line is in the
  total from 1.2 on (1.1's SUM(H4:H62) stops above it).
* EMRT 2.0 / 2.1 (H125): D8, D9, D10 as 6.x, then a line for "no mineral picked", D19, D21, D22,
  D26, and "@" in D20 and D24. Per picked mineral: Q1; Q2 unless Q1 is "No", "Unknown" or "Not
  declaring"; Q3-Q7 unless that, or Q2 "No" / "Unknown". A-G when a mineral is in scope (C per
  mineral), the URL in G117 when B = "Yes", E a plain blank test; products; a smelter row with
  look-up per mineral in scope; the "Smelter not listed" line.
* CRT 2.2 (and RMI's "2.21", H62): the 6.x company fields; Q1 (cobalt); Q2-Q6 unless Q1 is "No"
  or "Unknown"; A-I, the URL in G63 when A (a *publicly available* policy) = "Yes", G read through
  its list like EMRT 1.x E; products. The cobalt smelter line only counts while Q1 is blank and Q2
  is "Yes" (see CRT2_CHECKER), and there is no "Smelter not listed" line in the total.
* AMRT 1.2 / 1.21 / 1.3 (H50 / H52): D8, D9, D10, the "no mineral picked" line, the company block with
  "@" in both e-mails; Q1 per picked mineral; the Q2 lines exist but the total
  (SUM(H4:H27)+SUM(H39:H51)) leaves them out; products; per mineral whose Q1 is not "No",
  "Unknown" or "Not declaring" a smelter row with that metal (1.2: with a name and a country);
  1.3 also the "Smelter not listed" line.

Blank means what the formulas test, ``cell=0``: an empty cell (or a cached 0), not a cell holding
spaces; and "Yes"/"No" compare as Excel does, ignoring case but not spaces. So this works on the
raw values, not on the reader's normalised ones.

The Checker of a returned file is the supplier's copy; cut-and-paste can move its references
(templates.md §2.1 reports a 6.4 file whose contact-name line reads D14). So the reader reads
which Declaration cell each of the file's Checker lines reads (rmi/checker_sheet.py), and
``checker_missing`` is the file's count: RMI's rules, with each company line in
``CheckerSpec.company_lines`` that the file reads from another cell counted by the same test on
that cell (moved_checker_lines; checker-reads-another-cell says which and why the counts part).
``checker_missing_by_rmi_rules`` keeps RMI's count. Only the company lines are compared; a moved
reference in a question, company-question or smelter line is not detected. The four real 6.4
files here read the same cells as RMI's template, so both counts give theirs (0, 1, 2, 8). RMI's blank 6.31 and 6.4 show 50 and 51, not 52,
because RMI saved them with sample answers: 6.31 has scope "A. Company" and question A = "Yes"
(Tantalum Q2-Q8 are filled too, but still count while Q1 is blank); 6.4 has a Tin smelter row
(Alpha Metals). Recomputing gives the same 50 and 51.

What the response cannot tell, and is assumed:

* EMRT 1.x and CRT Checkers still carry lines for the CMRT's gold and tungsten rows (EMRT 1.x
  Declaration!D28:D29, CRT D27:D29); RMI's templates hold "No" there in rows the supplier does not
  see, which makes those lines 0. The reader does not read these cells, so they are taken as RMI
  left them.
* AMRT 1.3 counts a smelter row when its look-up (C) and country (E) cells are not *empty*; the
  template's formulas there never are, so a row with the metal counts. A supplier who deletes
  those formulas (not just leaves them blank) would be counted missing by Excel but not here.
* AMRT 1.3 has one more line: as many "Other" names in D15:I16 as "Other [specify below]" picks in
  D12:I13, read from the response's ``mineral_picks``.
* The Checker counts smelter rows down to a fixed row (2497-2504 by version; smelter_last_row).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from oretrace.review.registry import Context, Hit, rule
from oretrace.review.wording import company_label, question_label, rows_text
from oretrace.rmi.model import Answer, Cell, TemplateKind, TemplateResponse

NO = ("No",)


@dataclass(frozen=True)
class SurveyLine:
    """A company question whose Checker line reads the answer through a list (EMRT 1.x E, CRT G):
    an answer other than those listed counts as missing, and ``described`` ("Yes, Using Other
    Format (Describe)") counts as missing until its comment describes the format."""

    question: str
    accepted: tuple[str, ...]
    described: str


@dataclass(frozen=True)
class CheckerSpec:
    name: str
    required_cells: tuple[str, ...]  # Declaration addresses, in the Checker's order
    email_cells: tuple[str, ...]  # counted unless they contain "@" (6.x); plain blank test otherwise
    # Per leading per-mineral question (Q1, Q2): the answers that take a mineral out of scope, so
    # that the later questions, its company line and its smelter line are not needed.
    gate_answers: tuple[tuple[str, ...], ...]
    url_questions: tuple[str, ...]  # company questions whose "Yes" needs a URL in their comment
    url_test: Literal["length", "www", "none"]
    # per_mineral: per mineral in scope, a Smelter List row with that metal and ``smelter_row_needs``;
    # first_ten_rows: any look-up in the first ten rows; q1_blank_and_q2_yes: see CRT2_CHECKER.
    smelter_test: Literal["per_mineral", "first_ten_rows", "q1_blank_and_q2_yes"]
    smelter_row_needs: tuple[str, ...] = ("lookup_name",)
    smelter_last_row: int | None = None  # the last row the Checker's COUNTIF reads
    smelter_not_listed_line: bool = False
    scope_description_cell: str = "D10"
    scope_description_exempt: tuple[str, ...] = ("A", "B")  # scope letters (and blank) that make D10 optional
    mineral_pick_line: bool = False  # EMRT 2.x, AMRT: at least one mineral picked in D12:I13
    other_names_line: bool = False  # AMRT 1.3: a name in D15:I16 for each "Other [specify below]" pick
    gate: Literal["either", "both"] = "either"  # rest not needed when any / all gate answers say so
    chained: bool = False  # 6.x: an answer counts only once the earlier gate answers are "Yes"
    gate_always_required: bool = False  # 3.x: Q1 and Q2 always; 6.x: Q2 unless Q1 = "No"
    questions_counted: int | None = None  # AMRT: the total leaves out every question after Q1
    survey_line: SurveyLine | None = None
    product_scope: str = "B"
    product_needs_scope_gate: bool = False  # 2.x: products only when some metal is in scope
    # RMI's own Checker: (Checker row, Declaration cell its B column reads) for the company lines
    # counted, read from RMI's files; a returned file whose line reads another cell is reported.
    company_lines: tuple[tuple[int, str], ...] = ()


def _lines(text: str) -> tuple[tuple[int, str], ...]:
    """ "4:D8 5:D9" -> ((4, "D8"), (5, "D9")): Checker rows and the Declaration cells they read."""
    return tuple((int(row), cell) for row, cell in (pair.split(":") for pair in text.split()))


CMRT6_CHECKER = CheckerSpec(
    name="CMRT 6.x Checker",
    required_cells=("D8", "D9", "D15", "D16", "D17", "D18", "D20", "D22"),
    email_cells=("D16", "D20"),
    gate_answers=(NO, NO),
    chained=True,
    url_questions=("B",),
    url_test="length",
    smelter_test="per_mineral",
    smelter_not_listed_line=True,
    company_lines=_lines("4:D8 5:D9 6:D10 7:D15 8:D16 9:D17 10:D18 11:D20 12:D22"),
)

CMRT3_CHECKER = CheckerSpec(
    name="CMRT 3.x Checker",
    required_cells=("D8", "D9", "D15", "D16", "D17", "D18", "D20", "D21", "D22"),
    email_cells=(),
    gate_answers=(NO, NO),
    gate="both",
    gate_always_required=True,
    url_questions=("B",),
    url_test="www",
    smelter_test="first_ten_rows",
    company_lines=_lines("4:D8 5:D9 6:D10 7:D15 8:D16 9:D17 10:D18 11:D20 12:D21 13:D22"),
)

CMRT2_CHECKER = CheckerSpec(
    name="CMRT 2.x Checker",
    required_cells=("D8", "D9", "D14", "D16", "D18"),
    email_cells=(),
    scope_description_exempt=("A", "D"),
    gate_answers=(NO,),
    gate_always_required=True,
    url_questions=(),
    url_test="none",
    smelter_test="first_ten_rows",
    product_scope="D",
    product_needs_scope_gate=True,
)

# EMRT 1.x: Q1 "Unknown" or "Not applicable for this declaration" takes a mineral out as "No" does.
EMRT1_OUT = ("No", "Unknown", "Not applicable for this declaration")
EMRT1_SURVEY = SurveyLine(
    "E", ("No", "Yes, in conformance with IPC1755 (e.g. EMRT)"), "Yes, Using Other Format (Describe)"
)

# EMRT 1.x and CRT 2.2: row 12 reads the authorizer's phone (D21), which is never counted.
EMRT1_COMPANY_LINES = _lines("4:D8 5:D9 6:D10 7:D15 8:D16 9:D17 10:D18 11:D20 13:D22")

EMRT12_CHECKER = CheckerSpec(
    name="EMRT 1.2-1.3 Checker",
    company_lines=EMRT1_COMPANY_LINES,
    required_cells=("D8", "D9", "D15", "D16", "D17", "D18", "D20", "D22"),
    email_cells=("D16", "D20"),
    gate_answers=(EMRT1_OUT, EMRT1_OUT),
    url_questions=("B",),
    url_test="length",
    survey_line=EMRT1_SURVEY,
    smelter_test="per_mineral",
    smelter_last_row=2500,
    smelter_not_listed_line=True,
)

# EMRT 1.1 and 1.11 also want a URL in G69 when A ("a sourcing policy?") is "Yes", and their total
# (SUM(H4:H62)) stops above the "Smelter not listed" line.
EMRT11_CHECKER = replace(
    EMRT12_CHECKER,
    name="EMRT 1.1-1.11 Checker",
    url_questions=("A", "B"),
    smelter_last_row=2499,
    smelter_not_listed_line=False,
)

EMRT2_CHECKER = CheckerSpec(
    name="EMRT 2.x Checker",
    company_lines=_lines("4:D8 5:D9 6:D10 9:D19 10:D20 11:D21 12:D22 13:D24 15:D26"),
    required_cells=("D8", "D9", "D19", "D20", "D21", "D22", "D24", "D26"),
    email_cells=("D20", "D24"),
    mineral_pick_line=True,
    gate_answers=(("No", "Unknown", "Not declaring"), ("No", "Unknown")),
    url_questions=("B",),
    url_test="length",
    smelter_test="per_mineral",
    smelter_not_listed_line=True,
)
EMRT20_CHECKER = replace(EMRT2_CHECKER, name="EMRT 2.0 Checker", smelter_last_row=2504)
EMRT21_CHECKER = replace(EMRT2_CHECKER, name="EMRT 2.1 Checker", smelter_last_row=2497)

# CRT 2.2: only Q1 gates (Q2 asks about CAHRA sourcing). The cobalt smelter line is overridden by
# H57 = IF(AND(OR(Q1="Yes",Q2="Yes"), no row with metal Cobalt), K57, 0) with K57 = "Q1 is missing",
# so it counts only while Q1 is blank and Q2 is "Yes"; once Q1 is answered it never counts.
CRT2_CHECKER = CheckerSpec(
    name="CRT 2.2 Checker",
    company_lines=EMRT1_COMPANY_LINES,
    required_cells=("D8", "D9", "D15", "D16", "D17", "D18", "D20", "D22"),
    email_cells=("D16", "D20"),
    gate_answers=(("No", "Unknown"),),
    url_questions=("A",),
    url_test="length",
    survey_line=SurveyLine("G", ("No", "Yes, CRT"), "Yes, Using Other Format (Describe)"),
    smelter_test="q1_blank_and_q2_yes",
    smelter_row_needs=(),
    smelter_last_row=2498,
)

# AMRT: Q1 per picked mineral; the total (SUM(H4:H27)+SUM(H39:H51) in 1.3) skips the Q2 lines.
AMRT_OUT = ("No", "Unknown", "Not declaring")

# 1.2's smelter line counts rows with the metal whose name (B) and country (C) are not empty cells.
# RMI's AMRT Checkers read the authorizer's e-mail on two lines (1.2: rows 12 and 13, D22; 1.3:
# rows 13 and 14, D25); those two are not compared with a returned file's.
AMRT12_CHECKER = CheckerSpec(
    name="AMRT 1.2 Checker",
    company_lines=_lines("4:D8 5:D9 6:D10 8:D17 9:D18 10:D19 11:D20 14:D24"),
    required_cells=("D8", "D9", "D17", "D18", "D19", "D20", "D22", "D24"),
    email_cells=("D18", "D22"),
    mineral_pick_line=True,
    gate_answers=(AMRT_OUT,),
    questions_counted=1,
    url_questions=(),
    url_test="none",
    smelter_test="per_mineral",
    smelter_row_needs=("name", "country"),
    smelter_last_row=2504,
)

# 1.3's smelter line tests ISBLANK on the look-up and country columns, which hold formulas, so a
# row with the metal is enough.
AMRT13_CHECKER = replace(
    AMRT12_CHECKER,
    name="AMRT 1.3 Checker",
    company_lines=_lines("4:D8 5:D9 6:D10 9:D20 10:D21 11:D22 12:D23 15:D27"),
    required_cells=("D8", "D9", "D20", "D21", "D22", "D23", "D25", "D27"),
    email_cells=("D21", "D25"),
    smelter_row_needs=(),
    smelter_not_listed_line=True,
    other_names_line=True,
)

CHECKERS: dict[tuple[TemplateKind, str], CheckerSpec] = {}


def _register(spec: CheckerSpec, kind: TemplateKind, *versions: str) -> None:
    for version in versions:
        CHECKERS[(kind, version)] = spec


_register(
    CMRT6_CHECKER, TemplateKind.CMRT, "6.0", "6.01", "6.1", "6.2", "6.21", "6.22", "6.3", "6.31", "6.4", "6.5"
)
_register(CMRT3_CHECKER, TemplateKind.CMRT, "3.0", "3.00", "3.01", "3.02")
_register(CMRT2_CHECKER, TemplateKind.CMRT, "2.0", "2.00", "2.01", "2.02", "2.03", "2.03a")
_register(EMRT11_CHECKER, TemplateKind.EMRT, "1.1", "1.11")
_register(EMRT12_CHECKER, TemplateKind.EMRT, "1.2", "1.3")
_register(EMRT20_CHECKER, TemplateKind.EMRT, "2.0")
_register(EMRT21_CHECKER, TemplateKind.EMRT, "2.1")
_register(CRT2_CHECKER, TemplateKind.CRT, "2.2")  # the reader reads RMI's "2.21" as 2.2 (its J3 says so)
_register(AMRT12_CHECKER, TemplateKind.AMRT, "1.2", "1.21")  # 1.21's Checker formulas are 1.2's
_register(AMRT13_CHECKER, TemplateKind.AMRT, "1.3")

CHECKER_KINDS = frozenset(kind for kind, _version in CHECKERS)


def checker_for(response: TemplateResponse) -> CheckerSpec | None:
    return CHECKERS.get((response.kind, response.version))


def checker_missing(response: TemplateResponse) -> int | None:
    """The number the file's own Checker shows in Checker!D2 once Excel recalculates it: RMI's rules,
    with each company line the file's Checker reads from another cell (moved_checker_lines)
    counted as the file's formula counts it. None for a Checker not reproduced."""
    by_rules = checker_missing_by_rmi_rules(response)
    if by_rules is None:
        return None
    return by_rules + sum(line.file_counts - line.rmi_counts for line in moved_checker_lines(response))


def checker_missing_by_rmi_rules(response: TemplateResponse) -> int | None:
    """The count RMI's template's Checker gives for these answers, or None for one not reproduced."""
    context = Context.build(response)
    if checker_for(response) is None:
        return None
    return sum(1 for _ in _checker_hits(context))


@dataclass(frozen=True)
class MovedCheckerLine:
    """A company line of the file's Checker that reads another Declaration cell than RMI's does."""

    row: int  # the Checker row
    rmi_reads: str  # the cell RMI's line reads, "D15"
    file_reads: str  # the cell the file's line reads, "D14"
    rmi_counts: bool  # RMI's line counts the field as missing
    file_counts: bool  # the file's line counts as missing (its test applied to the cell it reads)


def moved_checker_lines(response: TemplateResponse) -> tuple[MovedCheckerLine, ...]:
    """The file's Checker company lines that read another cell than RMI's template (none when the
    file's formulas could not be read: a legacy .xls, a response not read from a file)."""
    spec = checker_for(response)
    if spec is None or not response.checker_lines:
        return ()
    file_reads = {line.row: line for line in response.checker_lines}
    moved = []
    for row, rmi_cell in spec.company_lines:
        line = file_reads.get(row)
        found = _company_cell(response, rmi_cell)
        if line is None or found is None or line.reads == rmi_cell:
            continue  # a line we cannot read is taken as RMI's
        moved.append(
            MovedCheckerLine(
                row=row,
                rmi_reads=rmi_cell,
                file_reads=line.reads,
                rmi_counts=_company_line_counts(response, spec, rmi_cell, found[1].raw),
                file_counts=_company_line_counts(response, spec, rmi_cell, line.raw),
            )
        )
    return tuple(moved)


def _company_line_counts(response: TemplateResponse, spec: CheckerSpec, tests: str, raw: Any) -> bool:
    """A company line's G test, for the field ``tests``, applied to ``raw`` (the value its B reads)."""
    if tests == spec.scope_description_cell:
        scope_raw = response.company.declaration_scope.raw
        needed = not _blank(scope_raw) and response.scope not in spec.scope_description_exempt
        return needed and _blank(raw)
    if tests in spec.email_cells:
        return not (isinstance(raw, str) and "@" in raw)
    return _blank(raw)


# --- Excel's comparisons ----------------------------------------------------------------------


def _blank(raw: Any) -> bool:
    """Excel's ``cell=0``: an empty cell or a 0; text, even spaces, is not blank."""
    if raw is None or raw == "":
        return True
    return isinstance(raw, int | float) and not isinstance(raw, bool) and raw == 0


def _is(raw: Any, word: str) -> bool:
    """Excel's ``cell="Yes"``: equal ignoring case, spaces significant."""
    return isinstance(raw, str) and raw.casefold() == word.casefold()


def _raw(answer: Answer | None) -> Any:
    return answer.answer.raw if answer else None


# --- the Checker lines ------------------------------------------------------------------------


def _company_cell(response: TemplateResponse, address: str) -> tuple[str, Cell] | None:
    for field_name, cell in response.company.cells().items():
        if cell.ref and cell.address == address:
            return field_name, cell
    return None


def _hit_cell(cell: Cell, message: str, question: str, mineral: str | None = None) -> Hit:
    return Hit(cell.sheet, cell.address, message, question, mineral)


def _company_hits(context: Context, spec: CheckerSpec):
    response = context.response
    scope_raw = response.company.declaration_scope.raw
    scope = response.scope
    for address in spec.required_cells:
        found = _company_cell(response, address)
        if found is None:
            continue  # the layout does not map this cell; nothing to read
        field_name, cell = found
        label = company_label(field_name)
        if address in spec.email_cells:
            if isinstance(cell.raw, str) and "@" in cell.raw:
                continue
            state = "is blank" if _blank(cell.raw) else f"has no “@” ({cell.raw!r})"
            yield _hit_cell(
                cell,
                f"{label} {state}; the template's Checker counts it as missing.",
                f"Please enter a valid e-mail address for “{label}” in {cell.ref}.",
            )
        elif _blank(cell.raw):
            yield _hit_cell(
                cell,
                f"{label} is blank; the template's Checker requires it.",
                f"Please fill in “{label}” ({cell.ref}).",
            )
        if address == spec.required_cells[1]:  # the scope line is followed by its description line
            yield from _scope_description_hits(context, spec, scope, scope_raw)
            yield from _mineral_pick_hits(context, spec)
            yield from _other_name_hits(context, spec)


def _scope_description_hits(context: Context, spec: CheckerSpec, scope: str | None, scope_raw: Any):
    if _blank(scope_raw) or scope in spec.scope_description_exempt:
        return
    found = _company_cell(context.response, spec.scope_description_cell)
    if found is None or not _blank(found[1].raw):
        return
    cell = found[1]
    yield _hit_cell(
        cell,
        f"The declaration scope is “{scope_raw}”, which needs a Description of Scope; {cell.ref} is blank.",
        f"Please describe which products or business units this declaration covers in {cell.ref}.",
    )


def _mineral_pick_hits(context: Context, spec: CheckerSpec):
    """EMRT 2.x / AMRT: the line tests the label of the first answer row, which stays empty until a
    mineral is picked in D12:I13."""
    if not spec.mineral_pick_line or context.response.minerals or context.layout is None:
        return
    first = context.layout.mineral_selection_cells[0]
    yield Hit(
        "Declaration",
        first,
        f"No mineral is picked in the declaration's mineral list (from {first}); the template's Checker "
        "requires at least one.",
        f"Please pick the minerals this declaration covers, starting in Declaration!{first}.",
    )


OTHER_PICK = "Other [specify below]"


def _other_name_hits(context: Context, spec: CheckerSpec):
    """AMRT 1.3 (Checker row 8): COUNTIF(D12:I13, "Other [specify below]") must equal
    COUNTIF(D15:I16, "*"), the text cells where those minerals are named."""
    if not spec.other_names_line:
        return
    picks = context.response.mineral_picks
    others = [p for p in picks if _is(p.pick.raw, OTHER_PICK)]
    named = [p.other_name for p in picks if p.other_name is not None and isinstance(p.other_name.raw, str)]
    if not others or len(others) == len(named):
        return
    unnamed = next(
        (p.other_name for p in others if p.other_name is not None and p.other_name not in named), None
    )
    cell = unnamed or others[0].pick
    yield _hit_cell(
        cell,
        f"{len(others)} mineral(s) are picked as “{OTHER_PICK}” but {len(named)} name(s) are typed below "
        "them; the template's Checker counts this as missing.",
        f"Please type the name of each “Other” mineral in the cell below its pick (e.g. {cell.ref}).",
    )


def _mineral_questions(context: Context) -> list[tuple[str, str]]:
    """(question id, topic) of the per-mineral questions, in the template's order."""
    if context.layout is None:
        return []
    return [(q.id, q.topic) for q in context.layout.questions]


def _takes_out(raw: Any, answers: tuple[str, ...]) -> bool:
    return any(_is(raw, word) for word in answers)


def _in_checker_scope(context: Context, spec: CheckerSpec, mineral: str) -> bool:
    """The Checker's "necessary?" flag for the later questions of a mineral (6.x F24 and its kin)."""
    questions = _mineral_questions(context)
    answers = context.response.answers.get(mineral, {})
    outs = [
        _takes_out(_raw(answers.get(qid)), words)
        for (qid, _topic), words in zip(questions, spec.gate_answers, strict=False)
    ]
    if spec.gate == "either":
        return not any(outs)
    return not (outs and all(outs))


def _question_hits(context: Context, spec: CheckerSpec):
    response = context.response
    questions = _mineral_questions(context)
    gates = len(spec.gate_answers)
    for position, (qid, topic) in enumerate(questions[: spec.questions_counted]):
        for mineral in response.minerals:
            answers = response.answers.get(mineral, {})
            answer = answers.get(qid)
            if answer is None:
                continue  # not asked for this mineral (EMRT 1.x Q4 is for cobalt only)
            earlier = [_raw(answers.get(q)) for q, _t in questions[: min(position, gates)]]
            if position < gates:
                needed = spec.gate_always_required or not any(
                    _takes_out(raw, words) for raw, words in zip(earlier, spec.gate_answers, strict=False)
                )
            else:
                needed = _in_checker_scope(context, spec, mineral)
            if not needed:
                continue
            waiting = spec.chained and not all(_is(raw, "Yes") for raw in earlier)
            if not (waiting or _blank(answer.answer.raw)):
                continue
            label = question_label(qid, topic, mineral)
            if _blank(answer.answer.raw):
                message = f"{label} is not answered; the template's Checker requires it."
            else:
                message = (
                    f"{label} is answered “{answer.answer.raw}”, but the template's Checker counts it as "
                    "missing until the questions before it are answered “Yes”."
                )
            yield _hit_cell(
                answer.answer,
                message,
                f"Please answer {qid} for {mineral} in {answer.answer.ref}, and the questions before it.",
                mineral,
            )


def _any_in_scope(context: Context, spec: CheckerSpec) -> bool:
    return any(_in_checker_scope(context, spec, m) for m in context.response.minerals)


def _company_question_hits(context: Context, spec: CheckerSpec):
    if context.layout is None or not _any_in_scope(context, spec):
        return
    response = context.response
    for question in context.layout.company_questions:
        label = question_label(question.id, question.topic, None)
        if question.per_mineral_rows:
            yield from _per_mineral_company_hits(context, spec, question.id, label)
            continue
        answer = response.company_questions.get(question.id)
        if answer is None:
            continue
        if spec.survey_line and spec.survey_line.question == question.id:
            yield from _survey_hits(answer, spec.survey_line, label)
        elif _blank(answer.answer.raw):
            yield _hit_cell(
                answer.answer,
                f"Company question {label} is not answered; the template's Checker requires it.",
                f"Please answer company question {question.id} in {answer.answer.ref}.",
            )
        if question.id in spec.url_questions and _is(answer.answer.raw, "Yes"):
            yield from _url_hits(spec, question.id, answer.comment)


def _per_mineral_company_hits(context: Context, spec: CheckerSpec, question_id: str, label: str):
    """EMRT C, one answer row per mineral: needed for each mineral in scope."""
    for mineral in context.response.minerals:
        answer = context.response.company_questions.get(f"{question_id}:{mineral}")
        if answer is None or not _in_checker_scope(context, spec, mineral):
            continue
        if _blank(answer.answer.raw):
            yield _hit_cell(
                answer.answer,
                f"Company question {label} is not answered for {mineral}; the template's Checker requires it.",
                f"Please answer company question {question_id} for {mineral} in {answer.answer.ref}.",
                mineral,
            )


def _survey_hits(answer: Answer, line: SurveyLine, label: str):
    raw = answer.answer.raw
    if _is(raw, line.described):
        if not _blank(answer.comment.raw):
            return
        message = (
            f"Company question {label} is answered “{raw}”, but the comment in {answer.comment.ref} that "
            "describes the format is blank; the template's Checker counts it as missing."
        )
        question = f"Please describe the survey format you use in {answer.comment.ref}."
        yield _hit_cell(answer.comment, message, question)
        return
    if any(_is(raw, accepted) for accepted in line.accepted):
        return
    state = (
        "is not answered"
        if _blank(raw)
        else f"is answered “{raw}”, which is not one of the template's answers"
    )
    yield _hit_cell(
        answer.answer,
        f"Company question {label} {state}; the template's Checker counts it as missing.",
        f"Please answer company question {line.question} in {answer.answer.ref} from the drop-down list.",
    )


def _url_hits(spec: CheckerSpec, question_id: str, url: Cell):
    if spec.url_test == "none":
        return
    raw = url.raw
    text = "" if raw is None else str(raw)
    if spec.url_test == "length":
        missing = len(text) <= 1
        why = "is blank" if not text else f"is too short ({text!r})"
    else:
        missing = "www" not in text  # 3.01: FIND("www", …) is case-sensitive
        why = "is blank" if not text else f"does not contain “www” ({text!r})"
    if missing:
        yield _hit_cell(
            url,
            f"Question {question_id} says the policy is public, but the URL in {url.ref} {why}.",
            f"Please give the web address (URL) of your responsible minerals policy in {url.ref}.",
        )


def _product_hits(context: Context, spec: CheckerSpec):
    response = context.response
    if response.scope != spec.product_scope or context.layout is None or context.layout.products is None:
        return
    if spec.product_needs_scope_gate and not _any_in_scope(context, spec):
        return
    products = context.layout.products
    first = next((p for p in response.products if p.row == products.first_row), None)
    if first is not None and first.number:
        return
    address = f"{products.columns.get('number', 'B')}{products.first_row}"
    if first is not None and first.name:
        message = (
            f"The declaration is for products (scope {spec.product_scope}), and the Product List row "
            f"{first.row} names “{first.name}” but has no product number in {address}; the template's "
            "Checker counts the Product List as missing."
        )
    else:
        message = (
            f"The declaration is for products (scope {spec.product_scope}), but the Product List has no "
            f"product number in {address}."
        )
    yield Hit(
        products.sheet,
        address,
        message,
        "Please list the product numbers this declaration covers on the Product List, starting in "
        f"{address}.",
    )


def _listed(context: Context, spec: CheckerSpec, mineral: str) -> bool:
    """A Smelter List row the Checker counts for this mineral: its metal, within the rows the
    Checker reads, with the columns it tests filled."""
    last = spec.smelter_last_row
    return any(
        all(getattr(row, needed) for needed in spec.smelter_row_needs)
        for row in context.smelters_for(mineral)
        if last is None or row.row <= last
    )


def _no_smelter_hit(context: Context, mineral: str, why: str) -> Hit:
    gates = "/".join(qid for qid, _topic in _mineral_questions(context)[:2]) or "Q1/Q2"
    return Hit(
        context.smelter_sheet,
        None,
        f"No smelter is listed for {mineral}, {why}; the template's Checker requires at least one "
        "Smelter List row for it.",
        f"Please answer {gates} for {mineral}, and if it is in your products list its smelters on the "
        "Smelter List.",
        mineral,
    )


def _why_in_checker_scope(context: Context, spec: CheckerSpec, mineral: str) -> str:
    """Why the Checker wants smelters for the mineral, in words the answers support: a blank Q1/Q2
    does not say the mineral is in scope, only that nothing has taken it out yet."""
    answers = context.response.answers.get(mineral, {})
    gates = [qid for qid, _topic in _mineral_questions(context)[: len(spec.gate_answers)]]
    unanswered = [qid for qid in gates if _blank(_raw(answers.get(qid)))]
    if not unanswered:
        return f"which {'/'.join(gates)} {'puts' if len(gates) == 1 else 'put'} in scope"
    return (
        f"and {' and '.join(unanswered)} {'is' if len(unanswered) == 1 else 'are'} not answered "
        f"for it, so nothing takes it out of scope"
    )


def _smelter_hits(context: Context, spec: CheckerSpec):
    response = context.response
    if spec.smelter_test == "per_mineral":
        for mineral in response.minerals:
            if _in_checker_scope(context, spec, mineral) and not _listed(context, spec, mineral):
                yield _no_smelter_hit(context, mineral, _why_in_checker_scope(context, spec, mineral))
    elif spec.smelter_test == "q1_blank_and_q2_yes":
        for mineral in response.minerals:
            answers = response.answers.get(mineral, {})
            q1, q2 = (_raw(answers.get(qid)) for qid, _t in _mineral_questions(context)[:2])
            if _blank(q1) and _is(q2, "Yes") and not _listed(context, spec, mineral):
                yield _no_smelter_hit(context, mineral, "while Q1 is blank and Q2 is “Yes”")
    elif _any_in_scope(context, spec):
        first = context.layout.smelters.first_row if context.layout else 5
        if not any(row.lookup_name and first <= row.row < first + 10 for row in response.smelters):
            yield Hit(
                context.smelter_sheet,
                f"C{first}:C{first + 9}",
                f"No smelter is named in the first ten rows of the Smelter List (C{first}:C{first + 9}); "
                "the template's Checker looks only there.",
                "Please list your smelters on the Smelter List, starting at the first data row.",
            )
    if spec.smelter_not_listed_line:
        yield from _not_listed_hits(context)


def _not_listed_hits(context: Context):
    incomplete = [
        row
        for row in context.response.smelters
        if row.lookup_name
        and row.lookup_name.casefold() == "smelter not listed"
        and not (row.name and row.country)
    ]
    if incomplete:
        row = incomplete[0]
        column = context.smelter_column("name" if not row.name else "country") or "D"
        yield Hit(
            context.smelter_sheet,
            f"{column}{row.row}",
            f"“Smelter not listed” is chosen without a smelter name or country in "
            f"{rows_text([r.row for r in incomplete])}; the template's Checker counts this once.",
            "Please give the name and country of each smelter you chose “Smelter not listed” for.",
            row.metal,
        )


def _checker_hits(context: Context):
    spec = checker_for(context.response)
    if spec is None:
        return
    yield from _company_hits(context, spec)
    yield from _question_hits(context, spec)
    yield from _company_question_hits(context, spec)
    yield from _product_hits(context, spec)
    yield from _smelter_hits(context, spec)


@rule(
    "required-field-missing",
    severity="error",
    title="A field the template's own Checker requires is missing",
    for_supplier="A field the template's Checker requires is empty in your file, or filled in a way the Checker does not accept.",
    kinds=CHECKER_KINDS,
    source=(
        "The Checker tab of RMI's templates (formulas of CMRT 6.x, 3.01, 2.03a; EMRT 1.1-2.1; CRT 2.2, 2.21; "
        "AMRT 1.2, 1.21, 1.3)"
    ),
    example=Hit(
        "Declaration",
        "D15",
        "Contact Name is blank; the template's Checker requires it.",
        "Please fill in “Contact Name” (Declaration!D15).",
    ),
)
def required_field_missing(context: Context):
    yield from _checker_hits(context)


def _field_name(response: TemplateResponse, address: str) -> str:
    found = _company_cell(response, address)
    return company_label(found[0]) if found else f"Declaration!{address}"


def _moved_line_hit(response: TemplateResponse, line: MovedCheckerLine, by_rules: int, by_file: int) -> Hit:
    field = _field_name(response, line.rmi_reads)
    reads = _field_name(response, line.file_reads)
    if line.rmi_counts and not line.file_counts:
        why = f"{field} is missing, which RMI's rules count and the file's Checker does not"
    elif line.file_counts and not line.rmi_counts:
        why = f"{reads} ({line.file_reads}) is empty, which the file's Checker counts and RMI's rules do not"
    else:
        why = "the two agree on this line for now"
    return Hit(
        "Checker",
        f"B{line.row}",
        f"The file's own Checker line for {field} (Checker!B{line.row}) reads Declaration!{line.file_reads} "
        f"({reads}) where RMI's template reads {line.rmi_reads}, so the file's Checker does not check {field} "
        f"(cut-and-paste in Excel moves such references). {why[0].upper()}{why[1:]}: the file's Checker "
        f"counts {by_file} missing field(s), RMI's rules {by_rules}.",
        f"Your file's Checker tab (row {line.row}) checks {reads} where it should check {field}; please "
        "copy your answers into a fresh template from RMI so that its Checker counts every field.",
    )


@rule(
    "checker-reads-another-cell",
    severity="warning",
    title="The file's own Checker reads another cell than RMI's template for a required field",
    for_supplier="Your file's Checker tab no longer checks one of the required fields, so its count can mislead you.",
    kinds=CHECKER_KINDS,
    source=(
        "The Checker formulas of the returned file against RMI's (templates.md §2.1: a real 6.4 file's "
        "contact-name line reads D14 after a cut-and-paste)"
    ),
    example=Hit(
        "Checker",
        "B7",
        "The file's own Checker line for Contact Name (Checker!B7) reads Declaration!D14 (Address) where "
        "RMI's template reads D15, so the file's Checker does not check Contact Name (cut-and-paste in Excel "
        "moves such references). Contact Name is missing, which RMI's rules count and the file's Checker "
        "does not: the file's Checker counts 0 missing field(s), RMI's rules 1.",
        "Your file's Checker tab (row 7) checks Address where it should check Contact Name; please copy your "
        "answers into a fresh template from RMI so that its Checker counts every field.",
    ),
)
def checker_reads_another_cell(context: Context):
    moved = moved_checker_lines(context.response)
    if not moved:
        return
    by_rules = checker_missing_by_rmi_rules(context.response) or 0
    by_file = by_rules + sum(line.file_counts - line.rmi_counts for line in moved)
    for line in moved:
        yield _moved_line_hit(context.response, line, by_rules, by_file)
