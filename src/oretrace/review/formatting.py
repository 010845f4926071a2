"""Text that a spreadsheet would run as a formula when the answers are exported (CSV/Excel injection).

S1's reading of the CMRT Instructions: cells must not start with "=" or "#". OWASP's list for
exports adds "+", "-" and "@". Phone numbers ("+82 2 123") and negative numbers are left alone.
"""

from __future__ import annotations

import re

from oretrace.review.registry import Context, Hit, rule
from oretrace.rmi.model import Cell

FORMULA_STARTS = ("=", "+", "-", "@")
_NUMBER_LIKE = re.compile(r"^[+\-]?[\d\s().,/\-]+(?:\s*(?:ext\.?|x)\s*\d+)?$", re.IGNORECASE)


def looks_like_formula(value: object) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    if len(text) < 2 or not text.startswith(FORMULA_STARTS):
        return False
    if set(text) <= set("=+-@ "):
        return False  # "--", "- -": a dash as a placeholder, not a formula
    return not _NUMBER_LIKE.match(text)


def _declaration_cells(context: Context):
    response = context.response
    yield from response.company.cells().values()
    for answers in response.answers.values():
        for answer in answers.values():
            yield answer.answer
            yield answer.comment
    for answer in response.company_questions.values():
        yield answer.answer
        yield answer.comment
    if response.policy_url is not None:
        yield response.policy_url


@rule(
    "text-looks-like-formula",
    severity="warning",
    title="Text starting with =, +, - or @ that would run as a formula when exported",
    for_supplier="A text in your file starts with =, +, - or @, which a spreadsheet runs as a formula.",
    source="S1 docs/00-overview.md (cells must not start with “=”); OWASP CSV injection",
    example=Hit(
        "Declaration",
        "G62",
        'The text “=HYPERLINK("http://x")” in Declaration!G62 starts with “=” and would run as a formula when exported.',
        "Please remove the leading “=” from Declaration!G62, or start the text with a letter.",
    ),
)
def text_looks_like_formula(context: Context):
    for cell in _declaration_cells(context):
        if isinstance(cell, Cell) and cell.ref and looks_like_formula(cell.raw):
            yield _hit(cell.sheet, cell.address, cell.raw)
    sheet = context.smelter_sheet
    for row in context.response.smelters:
        for column, raw in sorted(row.raw.items()):
            if looks_like_formula(raw):
                yield _hit(sheet, f"{column}{row.row}", raw, row.metal)
    products = context.layout.products if context.layout else None
    if products is not None:
        for product in context.response.products:
            for field_name, column in products.columns.items():
                value = getattr(product, field_name, None)
                if looks_like_formula(value):
                    yield _hit(products.sheet, f"{column}{product.row}", value)


def _hit(sheet: str, address: str, text: str, mineral: str | None = None) -> Hit:
    start = text.strip()[0]
    return Hit(
        sheet,
        address,
        f"The text “{text.strip()}” in {sheet}!{address} starts with “{start}” and would run as a formula when "
        "exported.",
        f"Please remove the leading “{start}” from {sheet}!{address}, or start the text with a letter.",
        mineral,
    )
