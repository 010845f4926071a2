"""Our parts' suppliers read from an ERP export for ``oretrace customers answer``: one row per supplier of
a part, a bad row named and left out."""

from __future__ import annotations

import pytest

from oretrace.customers import read_supplier_links
from oretrace.errors import BadInput


def test_a_part_with_two_suppliers_has_both_and_a_repeated_row_counts_once():
    links = read_supplier_links(
        b"Part number,Supplier\nP-1,Alpha Parts\nP-1,Beta Boards\nP-2,Alpha Parts\nP-1,Alpha Parts\n",
        "erp.csv",
    )
    assert links.suppliers_of == {"P-1": ("Alpha Parts", "Beta Boards"), "P-2": ("Alpha Parts",)}
    assert links.problems == ()


def test_a_row_without_its_supplier_or_part_is_named_and_the_rest_kept():
    links = read_supplier_links(b"Our part number,Vendor\nP-1,\n,Beta Boards\nP-2,Gamma Glass\n", "erp.csv")
    assert links.suppliers_of == {"P-2": ("Gamma Glass",)}
    assert [str(p) for p in links.problems] == ["Row 2: part P-1 names no supplier", "Row 3: no part number"]


def test_a_file_without_a_supplier_column_is_refused_in_words():
    with pytest.raises(BadInput, match="a part number and a supplier column"):
        read_supplier_links(b"Part number,Description\nP-1,Board\n", "parts.csv")
