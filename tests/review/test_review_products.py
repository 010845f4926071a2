"""Product List rules for product-level declarations (scope B)."""

from __future__ import annotations

from review.factories import flat, make_response, product

PRODUCT_SCOPE = {"declaration_scope": "B. Product (or List of Products)"}


def test_product_scope_with_an_empty_product_list_is_the_checkers_line():
    assert flat(make_response(company=PRODUCT_SCOPE)) == [("required-field-missing", None, "B6")]


def test_product_rows_without_a_number_after_the_first():
    response = make_response(
        company=PRODUCT_SCOPE, products=(product(6, "P-1", "Gas"), product(7, None, "WF6"))
    )
    assert flat(response) == [("product-number-missing", None, "B7")]


def test_a_product_number_listed_twice():
    response = make_response(company=PRODUCT_SCOPE, products=(product(6, "P-1"), product(7, "p-1")))
    assert flat(response) == [("product-listed-twice", None, "B7")]


def test_products_without_product_scope_are_not_required():
    assert flat(make_response(products=())) == []
