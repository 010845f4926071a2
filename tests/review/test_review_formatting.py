"""Text that would become a formula when the answers are exported."""

from __future__ import annotations

import pytest

from oretrace.review.formatting import looks_like_formula
from review.factories import CLEAN_SMELTERS, flat, make_response, smelter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', True),
        ("@SUM(A1)", True),
        ("- see comment", True),
        ("+cmd|' /C calc'!A0", True),
        ("+44 114 000 0000", False),  # a phone number
        ("-12.5", False),
        ("-", False),
        ("Acme", False),
    ],
)
def test_what_counts_as_formula_like(text, expected):
    assert looks_like_formula(text) is expected


def test_it_flags_formula_like_text_in_the_declaration_and_smelter_list():
    row = smelter(6, "Tin", "Alpha", "CID000292", name="Alpha", raw={"Q": "=1+1"}, comments="=1+1")
    response = make_response(company={"address": '=HYPERLINK("http://x")'}, smelters=(*CLEAN_SMELTERS, row))
    assert flat(response) == [
        ("text-looks-like-formula", None, "D14"),
        ("text-looks-like-formula", "Tin", "Q6"),
    ]
