"""Chapter VII of the Batteries Regulation: in application from 18 August 2027 (Regulation (EU)
2025/1561), and Article 47's exemption below EUR 40 million for an operator outside a larger group."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.batteries.scope import Turnover, applicability


def test_the_obligations_apply_from_18_august_2027_not_a_day_before():
    big = Turnover(50_000_000)
    assert applicability(dt.date(2027, 8, 17), big).obliged is False
    assert applicability(dt.date(2027, 8, 18), big).obliged is True


@pytest.mark.parametrize(
    ("turnover", "exempt"),
    [
        (Turnover(39_999_999), True),
        (Turnover(40_000_000), False),
        (Turnover(12_000_000, group_turnover_eur=39_000_000), True),
        (Turnover(12_000_000, group_turnover_eur=40_000_000), False),
        (Turnover(None), None),
    ],
)
def test_article_47_exempts_an_operator_below_40_million_outside_a_larger_group(turnover, exempt):
    found = applicability(dt.date(2027, 12, 31), turnover)
    assert found.exempt is exempt
    assert found.obliged is (None if exempt is None else not exempt)


def test_a_negative_turnover_is_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        Turnover(-1)
