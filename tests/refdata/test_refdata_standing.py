import datetime as dt

from oretrace.refdata import ListKind, read_list
from oretrace.refdata.standing import ChangeKind, changes_between, standing_on, status_changes
from oretrace.smelters import AuditStatus
from oretrace.smelters.reference import Facility
from published_lists import (
    OFAC_SDN_XML,
    RMI_CONFORMANT_WITH_CYCLES_CSV,
    RMI_SUSPENDED_CSV,
)

TODAY = dt.date(2026, 12, 1)
TANTALUM = Facility("CID900001", "Tantalum", "Example Tantalum Smelter", "Rwanda")
TIN = Facility("CID900002", "Tin", "Example Tin Smelter", "Malaysia")
# A facility under the name OFAC lists (the sample SDN file's entity), to prove a sanctions change.
SANCTIONED = Facility("CID900003", "Gold", "Aerocaribbean Airlines", "Cuba")


def _conformant(as_of: dt.date):
    return read_list(
        RMI_CONFORMANT_WITH_CYCLES_CSV, kind=ListKind.RMI_CONFORMANT, as_of=as_of, name="c.csv", today=TODAY
    )


def _notice(as_of: dt.date):
    return read_list(RMI_SUSPENDED_CSV, kind=ListKind.RMI_SUSPENDED, as_of=as_of, name="n.csv", today=TODAY)


def test_a_notice_of_suspensions_imports_every_facility_it_names_as_suspended():
    notice = _notice(dt.date(2025, 9, 15))
    assert [(e.key, e.status) for e in notice.entries] == [("CID900001", AuditStatus.SUSPENDED)]
    assert notice.notes == (
        "The file has no status column; every facility holds Suspended (implied by the RMI notice of "
        "suspended facilities).",
    )


def test_the_standing_on_a_day_is_the_newest_list_in_force_that_names_the_facility():
    lists = [_conformant(dt.date(2025, 5, 1)), _notice(dt.date(2025, 9, 15))]
    march = standing_on(TANTALUM, dt.date(2025, 4, 1), lists)
    june = standing_on(TANTALUM, dt.date(2025, 6, 1), lists)
    september = standing_on(TANTALUM, dt.date(2025, 9, 20), lists)
    assert (march.record, march.conformant) == (None, False)
    assert (june.status, june.conformant) == (AuditStatus.CONFORMANT, True)
    assert (september.status, september.conformant) == (AuditStatus.SUSPENDED, False)
    assert (
        september.describe() == "Suspended (RMI notice of suspended facilities as of 2025-09-15, file n.csv)"
    )


def test_a_suspension_in_a_later_notice_is_a_suspended_change():
    lists = [_conformant(dt.date(2025, 5, 1)), _notice(dt.date(2025, 9, 15))]
    changes = changes_between([TANTALUM, TIN], lists, dt.date(2025, 6, 1), dt.date(2025, 10, 1))
    assert [(c.smelter_id, c.kind, c.on, c.since) for c in changes] == [
        ("CID900001", ChangeKind.SUSPENDED, dt.date(2025, 9, 15), dt.date(2025, 5, 1))
    ]
    assert changes[0].detail() == (
        "Example Tantalum Smelter (CID900001) was Conformant (RMI Conformant smelters and refiners as of "
        "2025-05-01, file c.csv); it is now Suspended (RMI notice of suspended facilities as of 2025-09-15, "
        "file n.csv)."
    )


def test_a_conformance_past_its_cycle_is_a_lapse_on_the_day_the_cycle_ended():
    lists = [_conformant(dt.date(2025, 5, 1))]
    changes = changes_between([TANTALUM, TIN], lists, dt.date(2025, 6, 1), dt.date(2026, 4, 1))
    assert [(c.smelter_id, c.kind, c.on) for c in changes] == [
        ("CID900001", ChangeKind.LAPSED, dt.date(2026, 3, 1))
    ]
    assert changes[0].kind.worsens


def test_a_facility_a_later_list_first_names_as_conformant_is_newly_conformant():
    lists = [_notice(dt.date(2025, 1, 1)), _conformant(dt.date(2025, 5, 1))]
    before = standing_on(TIN, dt.date(2025, 2, 1), lists)
    after = standing_on(TIN, dt.date(2025, 6, 1), lists)
    assert [c.kind for c in status_changes(before, after)] == [ChangeKind.NEWLY_CONFORMANT]
    assert not ChangeKind.NEWLY_CONFORMANT.worsens


def test_a_conformant_page_that_no_longer_names_a_facility_is_a_change():
    only_tin = read_list(
        b"Metal,Smelter ID,Standard Smelter Name,Country\r\nTin,CID900002,Example Tin Smelter,Malaysia\r\n",
        kind=ListKind.RMI_CONFORMANT,
        as_of=dt.date(2025, 8, 1),
        name="c2.csv",
        today=TODAY,
    )
    lists = [_conformant(dt.date(2025, 5, 1)), only_tin]
    changes = changes_between([TANTALUM], lists, dt.date(2025, 6, 1), dt.date(2025, 8, 2))
    assert [c.kind for c in changes] == [ChangeKind.NO_LONGER_LISTED]


def test_an_exact_name_on_a_sanctions_list_in_force_is_a_sanctioned_change():
    sdn = read_list(OFAC_SDN_XML, kind=ListKind.OFAC_SDN, today=TODAY)  # as of its publish day, 2025-11-28
    changes = changes_between([SANCTIONED, TIN], [sdn], dt.date(2025, 11, 1), dt.date(2025, 12, 1))
    assert [(c.smelter_id, c.kind) for c in changes] == [("CID900003", ChangeKind.SANCTIONED)]
    assert changes[0].after.sanctions == (
        "OFAC Specially Designated Nationals (SDN) list as of 2025-11-28: entry 36",
    )


def test_the_first_rmi_list_is_no_change():
    lists = [_conformant(dt.date(2025, 5, 1))]
    before = standing_on(TIN, dt.date(2025, 1, 1), lists)
    assert status_changes(before, standing_on(TIN, dt.date(2025, 6, 1), lists)) == ()


def test_the_same_standing_twice_is_no_change():
    lists = [_conformant(dt.date(2025, 5, 1))]
    same = standing_on(TIN, dt.date(2025, 6, 1), lists)
    assert status_changes(same, same) == ()
