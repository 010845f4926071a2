"""RMI facility lists with a declared or implied status, certification lists, and the list in force."""

from __future__ import annotations

import datetime as dt

import pytest

from oretrace.errors import BadInput
from oretrace.refdata import ListKind, age_of, all_in_force, in_force, read_list
from oretrace.smelters import AuditStatus, StatusHistory
from published_lists import LBMA_GOLD_CSV, RJC_CSV, RMI_CONFORMANT_CSV, RMI_EXPORT_CSV

TODAY = dt.date(2025, 12, 5)


def test_the_conformant_page_without_a_status_column_makes_every_facility_conformant():
    listed = read_list(
        RMI_CONFORMANT_CSV,
        kind=ListKind.RMI_CONFORMANT,
        as_of=dt.date(2025, 11, 1),
        name="c.csv",
        today=TODAY,
    )
    assert [(e.key, e.status, e.raw_status) for e in listed.entries] == [
        ("CID000035", AuditStatus.CONFORMANT, "Conformant"),
        ("CID000228", AuditStatus.CONFORMANT, "Conformant"),
    ]
    assert listed.notes == (
        "The file has no status column; every facility holds Conformant "
        "(implied by the RMI Conformant smelters and refiners).",
    )
    history = StatusHistory((listed.status_list(),))
    assert history.status_on("CID000228", dt.date(2025, 11, 2)) is AuditStatus.CONFORMANT
    assert history.status_on("CID000228", dt.date(2025, 10, 31)) is None


def test_the_active_page_makes_every_facility_active():
    listed = read_list(RMI_CONFORMANT_CSV, kind=ListKind.RMI_ACTIVE, name="a.csv", today=TODAY)
    assert {e.status for e in listed.entries} == {AuditStatus.ACTIVE}


def test_a_declared_status_fills_only_the_rows_a_status_column_leaves_blank():
    listed = read_list(
        RMI_EXPORT_CSV, kind=ListKind.RMI_ELIGIBLE, status=AuditStatus.ACTIVE, name="e.csv", today=TODAY
    )
    assert [(e.key, e.status) for e in listed.entries] == [
        ("CID000035", AuditStatus.CONFORMANT),
        ("CID000228", AuditStatus.ACTIVE),
    ]
    assert "1 row(s) had no status; they hold Active (declared)." in listed.notes


def test_an_export_without_status_column_or_declared_status_is_refused():
    with pytest.raises(BadInput, match="no status column"):
        read_list(RMI_CONFORMANT_CSV, kind=ListKind.RMI_ELIGIBLE, name="e.csv", today=TODAY)


def test_a_status_declared_for_a_sanctions_list_is_refused():
    with pytest.raises(BadInput, match="only for RMI facility lists"):
        read_list(
            RJC_CSV, kind=ListKind.RJC_MEMBERS, status=AuditStatus.CONFORMANT, name="r.csv", today=TODAY
        )


def test_a_list_as_of_a_day_to_come_is_refused():
    with pytest.raises(BadInput, match="day still to come"):
        read_list(RJC_CSV, kind=ListKind.RJC_MEMBERS, as_of=dt.date(2026, 1, 1), name="r.csv", today=TODAY)


def test_lbma_good_delivery_list_gives_refiners_of_its_metal():
    listed = read_list(LBMA_GOLD_CSV, kind=ListKind.LBMA_GOLD, name="gold.csv", today=TODAY)
    assert [(e.name, e.country, e.metal, e.programme) for e in listed.entries] == [
        ("Argor-Heraeus SA", "Switzerland", "Gold", "listed 1961"),
        ("Asahi Refining Canada Ltd.", "Canada", "Gold", "listed 2015"),
    ]
    assert listed.publisher == "London Bullion Market Association"


def test_rjc_members_keep_their_id_and_certification():
    listed = read_list(RJC_CSV, kind=ListKind.RJC_MEMBERS, name="rjc.csv", today=TODAY)
    assert [(e.key, e.name, e.country, e.programme) for e in listed.entries] == [
        ("RJC-001", "Example Refining Ltd", "Italy", "Chain of Custody")
    ]


def test_a_table_without_a_name_column_is_refused_naming_its_headers():
    with pytest.raises(BadInput, match='Headers found: "Colour", "Size"'):
        read_list(b"Colour,Size\r\nred,2\r\n", kind=ListKind.LBMA_SILVER, name="x.csv", today=TODAY)


def test_the_list_in_force_is_the_latest_as_of_that_day_or_before():
    lists = [
        read_list(RJC_CSV, kind=ListKind.RJC_MEMBERS, as_of=day, name=f"{day}.csv", today=TODAY)
        for day in (dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    ]
    sdn = read_list(RJC_CSV, kind=ListKind.LBMA_GOLD, as_of=dt.date(2025, 3, 1), name="g.csv", today=TODAY)
    assert in_force([*lists, sdn], ListKind.RJC_MEMBERS, dt.date(2025, 5, 31)).filename == "2025-01-01.csv"
    assert in_force([*lists, sdn], ListKind.RJC_MEMBERS, dt.date(2025, 6, 1)).filename == "2025-06-01.csv"
    assert in_force([*lists, sdn], ListKind.RJC_MEMBERS, dt.date(2024, 12, 31)) is None
    assert {k: v.filename for k, v in all_in_force([*lists, sdn], dt.date(2025, 4, 1)).items()} == {
        ListKind.RJC_MEMBERS: "2025-01-01.csv",
        ListKind.LBMA_GOLD: "g.csv",
    }


def test_a_list_older_than_the_maximum_age_is_outdated():
    assert age_of(dt.date(2025, 9, 1), TODAY, 90).describe() == (
        "95 days old: older than 90 days, download a new one"
    )
    assert not age_of(dt.date(2025, 12, 4), TODAY, 90).outdated
    assert age_of(TODAY, TODAY).describe() == "today"


@pytest.mark.shared
def test_a_template_reference_list_is_as_of_its_release_date():
    from samples import TEMPLATES, shared_file

    listed = read_list(
        shared_file(TEMPLATES / "RMI_CMRT_6.5.xlsx"), kind=ListKind.TEMPLATE_REFERENCE, today=TODAY
    )
    assert listed.notes == ("Release: CMRT 6.5.",)
    assert listed.as_of.year == 2025
    assert len(listed.entries) > 300
    assert all(e.key.startswith("CID") for e in listed.entries)


def test_a_list_saved_as_a_workbook_is_read_like_its_csv():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["LBMA Good Delivery List: silver"])  # a title above the header, as saved from a web page
    sheet.append(["Refiner", "Country", "Date of Listing"])
    sheet.append(["Example Silver Refinery", "Mexico", 1998])
    out = io.BytesIO()
    book.save(out)
    listed = read_list(out.getvalue(), kind=ListKind.LBMA_SILVER, name="silver.xlsx", today=TODAY)
    assert [(e.name, e.country, e.metal, e.programme, e.row) for e in listed.entries] == [
        ("Example Silver Refinery", "Mexico", "Silver", "listed 1998", 3)
    ]
