import datetime as dt

from oretrace.smelters.cycles import add_months, conformance_ends, cycle_months, lapsed
from oretrace.smelters.status import AuditStatus, StatusRecord


def _record(**fields) -> StatusRecord:
    return StatusRecord(
        smelter_id="CID900001",
        status=AuditStatus.CONFORMANT,
        raw_status="Conformant",
        as_of=dt.date(2025, 4, 1),
        source="conformant.csv",
        **fields,
    )


def test_audit_cycles_and_month_arithmetic():
    assert [
        cycle_months(c) for c in ("1 year", "3 Years", "Annual", "12 months", "2-year", "2", "", "n/a")
    ] == [12, 36, 12, 12, 24, 24, None, None]
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)


def test_a_conformance_lapses_one_cycle_after_its_last_audit():
    record = _record(last_audit=dt.date(2025, 3, 1), cycle="1 year")
    assert conformance_ends(record).on == dt.date(2026, 3, 1)
    assert lapsed(record, dt.date(2026, 3, 1)) is None
    assert (
        lapsed(record, dt.date(2026, 3, 2)).why
        == "expired on 2026-03-01 (last audit 2025-03-01, 1-year cycle)"
    )
    assert lapsed(record, dt.date(2026, 3, 2), grace_days=90) is None


def test_without_a_cycle_the_next_audit_date_ends_the_conformance():
    record = _record(next_audit=dt.date(2025, 9, 30))
    assert lapsed(record, dt.date(2025, 10, 1)).why == (
        "lapsed: its re-assessment was due on 2025-09-30, and the RMAP list of 2025-04-01 shows no newer assessment"
    )


def test_a_re_assessment_in_progress_keeps_the_conformance():
    record = _record(
        last_audit=dt.date(2020, 1, 1), cycle="1 year", next_audit_text="Re-assessment in progress"
    )
    assert conformance_ends(record) is None
    assert lapsed(record, dt.date(2026, 1, 1)) is None


def test_a_list_without_audit_dates_never_lapses_by_itself():
    assert lapsed(_record(), dt.date(2030, 1, 1)) is None
