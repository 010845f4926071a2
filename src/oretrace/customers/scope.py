"""A customer's part numbers as the scope of a product-level declaration (CMRT 6.x scope B).

The Product List carries the customer's own numbers, so the customer finds its parts in our answer;
the comment names our part when our number differs. Each part's suppliers are the suppliers of the part
of ours it maps to: the declaration is derived from their files only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from oretrace.customers.partlist import CustomerPart
from oretrace.declaration.settings import ProductScope
from oretrace.rmi.writer import DeclaredProduct


def our_number(part: CustomerPart) -> str:
    """Our part number for the customer's: the one the list gives, else the customer uses ours."""
    return part.our_number or part.number


def customer_product_scope(
    parts: Sequence[CustomerPart],
    suppliers_of: Mapping[str, Sequence[str]],
    names: Mapping[str, str] | None = None,
) -> ProductScope:
    """``suppliers_of`` and ``names``: by our part (or product) number, its suppliers and its name."""
    names = names or {}
    products = []
    suppliers = {}
    for part in parts:
        ours = our_number(part)
        comment = f"Our part number {ours}" if ours != part.number else None
        products.append(DeclaredProduct(part.number, part.description or names.get(ours) or None, comment))
        if suppliers_of.get(ours):
            suppliers[part.number] = tuple(suppliers_of[ours])
    return ProductScope(products=tuple(products), suppliers=suppliers)
