"""How long a record is kept: the longest period of its kind and its regimes, from its records date."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.errors import BadInput
from oretrace.retention import RecordKind, Regime, RetentionPolicy, records_date, regimes_for


def test_3tg_records_fall_under_the_eu_conflict_minerals_regulation():
    assert regimes_for(["Tin", "Tantalum", "Tungsten", "Gold"]) == {Regime.EU_CONFLICT_MINERALS}


def test_battery_raw_materials_fall_under_the_batteries_regulation():
    assert regimes_for(["Cobalt", "Mica"]) == {Regime.EU_BATTERIES}
    assert regimes_for(["Lithium"]) == {Regime.EU_BATTERIES}


def test_a_mineral_no_regulation_names_falls_under_no_regime():
    assert regimes_for(["Zinc", "Mica"]) == frozenset()


def test_an_eu_3tg_record_is_kept_five_years_from_its_date():
    policy = RetentionPolicy()
    dated = dt.date(2025, 12, 31)
    assert policy.expires_on(RecordKind.SUPPLIER_ANSWER, dated, {Regime.EU_CONFLICT_MINERALS}) == dt.date(
        2031, 1, 1
    )


def test_where_the_batteries_regulation_applies_the_record_is_kept_ten_years():
    policy = RetentionPolicy()
    regimes = regimes_for(["Tin", "Cobalt"])
    assert policy.years_for(RecordKind.SUPPLIER_ANSWER, regimes) == 10
    assert policy.expires_on(RecordKind.SUPPLIER_ANSWER, dt.date(2025, 12, 31), regimes) == dt.date(
        2036, 1, 1
    )


def test_a_longer_period_set_for_the_kind_outlasts_the_regime():
    policy = RetentionPolicy().with_years("supplier-answer", 7)
    assert policy.years_for(RecordKind.SUPPLIER_ANSWER, {Regime.EU_CONFLICT_MINERALS}) == 7
    assert policy.years_for(RecordKind.EVIDENCE_PACKAGE, {Regime.EU_CONFLICT_MINERALS}) == 5


def test_periods_set_by_the_company_replace_the_defaults():
    policy = RetentionPolicy.from_settings({"eu-2023-1542": 12})
    assert policy.years_for(RecordKind.EVIDENCE_PACKAGE, {Regime.EU_BATTERIES}) == 12


@pytest.mark.parametrize("years", [0, -1, 101, 2.5, "5", True])
def test_a_period_that_is_not_a_whole_number_of_years_is_refused_by_value(years):
    with pytest.raises(BadInput, match="whole number of years from 1 to 100"):
        RetentionPolicy().with_years("eu-2017-821", years)


def test_an_unknown_kind_is_refused_naming_the_known_ones():
    with pytest.raises(
        BadInput, match="No record kind or regime is called 'mails'; there are supplier-answer"
    ):
        RetentionPolicy().with_years("mails", 5)


def test_a_leap_day_record_expires_the_day_after_28_february():
    assert RetentionPolicy().expires_on(RecordKind.SUPPLIER_ANSWER, dt.date(2028, 2, 29)) == dt.date(
        2033, 3, 1
    )


@pytest.mark.parametrize(
    "today", [dt.date(2031, 1, 1), dt.date(2032, 2, 29), dt.date(2033, 2, 28), dt.date(2033, 3, 1)]
)
def test_the_cutoff_day_selects_exactly_the_records_that_have_expired(today):
    policy = RetentionPolicy()
    cutoff = policy.dated_before(RecordKind.SUPPLIER_ANSWER, today)
    for offset in range(-800, 800):
        dated = today - dt.timedelta(days=5 * 365) + dt.timedelta(days=offset)
        expired = policy.expires_on(RecordKind.SUPPLIER_ANSWER, dated) <= today
        assert (dated < cutoff) == expired, dated


def test_a_campaign_s_records_count_from_the_later_of_its_year_end_and_its_due_date():
    assert records_date(2025) == dt.date(2025, 12, 31)
    assert records_date(2025, dt.date(2026, 5, 1)) == dt.date(2026, 5, 1)
    assert records_date(2025, dt.date(2025, 6, 30)) == dt.date(2025, 12, 31)
