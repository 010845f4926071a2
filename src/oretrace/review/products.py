"""The Product List: a product-level declaration must say which products it covers."""

from __future__ import annotations

from collections import defaultdict

from oretrace.review.registry import Context, Hit, rule
from oretrace.review.wording import rows_text

PRODUCT_SCOPE = "B"  # CMRT 6.x / EMRT / AMRT "B. Product (or List of Products)"


def _sheet(context: Context) -> tuple[str, str, int]:
    products = context.layout.products if context.layout else None
    if products is None:
        return "Product List", "B", 6
    return products.sheet, products.columns.get("number", "B"), products.first_row


@rule(
    "product-list-empty",
    severity="error",
    title="A product-level declaration with an empty Product List",
    for_supplier="Your declaration covers products (scope B), but its Product List is empty.",
    source="S2 CFSI 3.01 validator; the Checker's Product List line",
    example=Hit(
        "Product List",
        "B6",
        "The declaration scope is B (products), but the Product List is empty.",
        "Which products does this declaration cover? Please list their numbers on the Product List.",
    ),
)
def product_list_empty(context: Context):
    if context.response.scope != PRODUCT_SCOPE or context.response.products:
        return
    sheet, column, first = _sheet(context)
    yield Hit(
        sheet,
        f"{column}{first}",
        "The declaration scope is B (products), but the Product List is empty.",
        "Which products does this declaration cover? Please list their numbers on the Product List.",
    )


@rule(
    "product-number-missing",
    severity="error",
    title="A product row without a product number",
    for_supplier="A row of your Product List has no product number.",
    source="Real CMRT 6.4 files; Product Number is the list's required column (*)",
    example=Hit(
        "Product List",
        "B6",
        "Product List row 6 names “WF6” but has no product number.",
        "What is the product number of “WF6” (Product List row 6)?",
    ),
)
def product_number_missing(context: Context):
    sheet, column, _first = _sheet(context)
    for product in context.response.products:
        if not product.number:
            what = f"names “{product.name}”" if product.name else "has details"
            yield Hit(
                sheet,
                f"{column}{product.row}",
                f"Product List row {product.row} {what} but has no product number.",
                f"What is the product number of {('“' + product.name + '”') if product.name else 'the product'} "
                f"(Product List row {product.row})?",
            )


@rule(
    "product-listed-twice",
    severity="info",
    title="The same product number listed more than once",
    for_supplier="The same product number appears more than once in your Product List.",
    source="Analyst practice: a roll-up counts each product once",
    example=Hit(
        "Product List",
        "B9",
        "Product number “WF6-01” is listed in rows 6, 9.",
        "Are rows 6, 9 the same product? Please keep one row per product number.",
    ),
)
def product_listed_twice(context: Context):
    sheet, column, _first = _sheet(context)
    rows: dict[str, list[int]] = defaultdict(list)
    for product in context.response.products:
        if product.number:
            rows[product.number.casefold()].append(product.row)
    for product in context.response.products:
        found = rows.get((product.number or "").casefold(), [])
        if len(found) > 1 and product.row == found[1]:
            yield Hit(
                sheet,
                f"{column}{product.row}",
                f"Product number “{product.number}” is listed in {rows_text(found)}.",
                f"Are {rows_text(found)} the same product? Please keep one row per product number.",
            )
