"""The template's own Checker tab, recomputed: what Excel would show in Checker!D2.

Each CMRT family has its own Checker; the rules below were read from the formulas of RMI's files
(templates.md §2.1) and are kept as data, one CheckerSpec per family:

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

Blank means what the formulas test, ``cell=0``: an empty cell (or a cached 0), not a cell holding
spaces; and "Yes"/"No" compare as Excel does, ignoring case but not spaces. So this works on the
raw values, not on the reader's normalised ones.

The Checker of a returned file is the supplier's copy; cut-and-paste can move its references
(templates.md §2.1 reports a 6.4 file whose contact-name line reads D14). The four real 6.4 files
here were checked: their Checker lines read the same cells as RMI's template, so the template's
rules reproduce their counts (0, 1, 2, 8). RMI's blank 6.31 and 6.4 show 50 and 51, not 52,
because RMI saved them with sample answers: 6.31 has scope "A. Company" and question A = "Yes"
(Tantalum Q2-Q8 are filled too, but still count while Q1 is blank); 6.4 has a Tin smelter row
(Alpha Metals). Recomputing gives the same 50 and 51.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from oretrace.review.registry import CMRT_ONLY, Context, Hit, rule
from oretrace.review.wording import company_label, question_label, rows_text
from oretrace.rmi.model import Answer, Cell, TemplateKind, TemplateResponse


@dataclass(frozen=True)
class CheckerSpec:
    name: str
    required_cells: tuple[str, ...]  # Declaration addresses, in the Checker's order
    email_cells: tuple[str, ...]  # counted unless they contain "@" (6.x); plain blank test otherwise
    scope_description_cell: str
    scope_description_exempt: tuple[str, ...]  # scope letters (and blank) that make D10 optional
    scope_gate_questions: int  # leading per-mineral questions that decide whether the rest are needed
    gate: Literal["either_no", "both_no"]  # rest not needed when any / all of them are "No"
    chained: bool  # 6.x: an answer counts only once the earlier gate answers are "Yes"
    gate_always_required: bool  # 3.x: Q1 and Q2 always; 6.x: Q2 unless Q1 = "No"
    url_test: Literal["length", "www", "none"]
    smelter_test: Literal["per_mineral", "first_ten_rows"]
    smelter_not_listed_line: bool
    product_scope: str
    product_needs_scope_gate: bool  # 2.x: products only when some metal is in scope


CMRT6_CHECKER = CheckerSpec(
    name="CMRT 6.x Checker",
    required_cells=("D8", "D9", "D15", "D16", "D17", "D18", "D20", "D22"),
    email_cells=("D16", "D20"),
    scope_description_cell="D10",
    scope_description_exempt=("A", "B"),
    scope_gate_questions=2,
    gate="either_no",
    chained=True,
    gate_always_required=False,
    url_test="length",
    smelter_test="per_mineral",
    smelter_not_listed_line=True,
    product_scope="B",
    product_needs_scope_gate=False,
)

CMRT3_CHECKER = CheckerSpec(
    name="CMRT 3.x Checker",
    required_cells=("D8", "D9", "D15", "D16", "D17", "D18", "D20", "D21", "D22"),
    email_cells=(),
    scope_description_cell="D10",
    scope_description_exempt=("A", "B"),
    scope_gate_questions=2,
    gate="both_no",
    chained=False,
    gate_always_required=True,
    url_test="www",
    smelter_test="first_ten_rows",
    smelter_not_listed_line=False,
    product_scope="B",
    product_needs_scope_gate=False,
)

CMRT2_CHECKER = CheckerSpec(
    name="CMRT 2.x Checker",
    required_cells=("D8", "D9", "D14", "D16", "D18"),
    email_cells=(),
    scope_description_cell="D10",
    scope_description_exempt=("A", "D"),
    scope_gate_questions=1,
    gate="either_no",
    chained=False,
    gate_always_required=True,
    url_test="none",
    smelter_test="first_ten_rows",
    smelter_not_listed_line=False,
    product_scope="D",
    product_needs_scope_gate=True,
)

CHECKERS: dict[tuple[TemplateKind, str], CheckerSpec] = {
    (TemplateKind.CMRT, "6"): CMRT6_CHECKER,
    (TemplateKind.CMRT, "3"): CMRT3_CHECKER,
    (TemplateKind.CMRT, "2"): CMRT2_CHECKER,
}


def checker_for(response: TemplateResponse) -> CheckerSpec | None:
    return CHECKERS.get((response.kind, response.version.split(".", 1)[0]))


def checker_missing(response: TemplateResponse) -> int | None:
    """The number Excel shows in Checker!D2 for this response, or None for a Checker not reproduced."""
    context = Context.build(response)
    if checker_for(response) is None:
        return None
    return sum(1 for _ in _checker_hits(context))


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


def _mineral_questions(context: Context) -> list[tuple[str, str]]:
    """(question id, topic) of the per-mineral questions, in the template's order."""
    if context.layout is None:
        return []
    return [(q.id, q.topic) for q in context.layout.questions]


def _in_checker_scope(context: Context, spec: CheckerSpec, mineral: str) -> bool:
    """The Checker's "necessary?" flag for the later questions of a mineral (6.x F24 and its kin)."""
    questions = _mineral_questions(context)[: spec.scope_gate_questions]
    answers = context.response.answers.get(mineral, {})
    noes = [_is(_raw(answers.get(qid)), "No") for qid, _topic in questions]
    if spec.gate == "either_no":
        return not any(noes)
    return not (noes and all(noes))


def _question_hits(context: Context, spec: CheckerSpec):
    response = context.response
    questions = _mineral_questions(context)
    for position, (qid, topic) in enumerate(questions):
        for mineral in response.minerals:
            answers = response.answers.get(mineral, {})
            answer = answers.get(qid)
            if answer is None:
                continue
            earlier = [
                _raw(answers.get(q)) for q, _t in questions[: min(position, spec.scope_gate_questions)]
            ]
            if position < spec.scope_gate_questions:
                needed = spec.gate_always_required or not any(_is(raw, "No") for raw in earlier)
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
        if question.per_mineral_rows:
            continue
        answer = response.company_questions.get(question.id)
        if answer is None:
            continue
        if _blank(answer.answer.raw):
            yield _hit_cell(
                answer.answer,
                f"Company question {question_label(question.id, question.topic, None)} is not answered; "
                "the template's Checker requires it.",
                f"Please answer company question {question.id} in {answer.answer.ref}.",
            )
        if question.url_in_comment and _is(answer.answer.raw, "Yes"):
            yield from _url_hits(response, spec, question.id)


def _url_hits(response: TemplateResponse, spec: CheckerSpec, question_id: str):
    url = response.policy_url
    if url is None or spec.url_test == "none":
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


def _smelter_hits(context: Context, spec: CheckerSpec):
    response = context.response
    sheet = context.smelter_sheet
    if spec.smelter_test == "per_mineral":
        for mineral in response.minerals:
            if not _in_checker_scope(context, spec, mineral):
                continue
            if any(row.lookup_name for row in context.smelters_for(mineral)):
                continue
            yield Hit(
                sheet,
                None,
                f"No smelter is listed for {mineral}, which is in scope (Q1/Q2 not “No”); the "
                "template's Checker requires at least one row with this metal and a smelter look-up.",
                f"Please list the {mineral} smelters in your supply chain on the Smelter List, or "
                f"correct Q1/Q2 if {mineral} is not in your products.",
                mineral,
            )
    elif _any_in_scope(context, spec):
        first = context.layout.smelters.first_row if context.layout else 5
        if not any(row.lookup_name and first <= row.row < first + 10 for row in response.smelters):
            yield Hit(
                sheet,
                f"C{first}:C{first + 9}",
                f"No smelter is named in the first ten rows of the Smelter List (C{first}:C{first + 9}); "
                "the template's Checker looks only there.",
                "Please list your smelters on the Smelter List, starting at the first data row.",
            )
    if spec.smelter_not_listed_line:
        incomplete = [
            row
            for row in response.smelters
            if row.lookup_name
            and row.lookup_name.casefold() == "smelter not listed"
            and not (row.name and row.country)
        ]
        if incomplete:
            row = incomplete[0]
            column = context.smelter_column("name" if not row.name else "country") or "D"
            yield Hit(
                sheet,
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
    kinds=CMRT_ONLY,
    source="The Checker tab of RMI's CMRT (6.x, 3.01, 2.03a formulas)",
    example=Hit(
        "Declaration",
        "D15",
        "Contact Name is blank; the template's Checker requires it.",
        "Please fill in “Contact Name” (Declaration!D15).",
    ),
)
def required_field_missing(context: Context):
    yield from _checker_hits(context)
