"""Audit-status lists: varying headers and encodings, status words, and which status held when."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from oretrace.errors import BadInput
from oretrace.smelters import AuditStatus, StatusHistory, parse_status, read_status_list
from samples import REFERENCE, shared_file

COMPLIANT_2014 = REFERENCE / "cfsi2014_cfsi_compliant_smelters_list.csv"
NOV_2014 = dt.date(2014, 11, 1)


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_counts_the_2014_cfsi_list_by_status_word():
    status_list = read_status_list(shared_file(COMPLIANT_2014), as_of=NOV_2014)
    assert len(status_list.records) == 131
    assert status_list.counts() == {"Compliant": 87, "Active": 28, "Progressing": 16}
    assert status_list.columns == {
        "smelter_id": "New Smelter ID",
        "metal": "Metal",
        "name": "Smelter Name",
        "country": "Location",
        "status": "Status",
    }


def test_it_keeps_compliant_as_written_but_treats_it_as_conformant():
    record = read_status_list(shared_file(COMPLIANT_2014), as_of=NOV_2014).get("CID000035")
    assert (record.raw_status, record.status) == ("Compliant", AuditStatus.COMPLIANT)
    assert record.status.counts_as_conformant
    assert record.name == "Allgemeine Gold-und Silberscheideanstalt A.G."


def test_it_reports_that_the_2014_list_lost_its_accents_before_it_was_saved():
    # The file is valid UTF-8 whose accented letters are U+FFFD: the loss happened upstream.
    status_list = read_status_list(shared_file(COMPLIANT_2014), as_of=NOV_2014)
    assert status_list.encoding == "utf-8-sig"
    assert (
        status_list.get("CID000058").name == "AngloGold Ashanti C\ufffdrrego do S\ufffdtio Miner\ufffd\ufffdo"
    )
    assert any("6 facility name(s) contain U+FFFD" in note for note in status_list.notes)


def test_it_repairs_the_2014_lists_broken_ids_and_says_so():
    status_list = read_status_list(shared_file(COMPLIANT_2014), as_of=NOV_2014)
    assert status_list.get("CID000157").name == "Boliden AB"  # written "ID000157"
    assert status_list.get("CID002307").metal == "Tantalum"  # written with a U+FFA0 before it
    assert any("'ID000157' as CID000157" in note for note in status_list.notes)


def test_it_decodes_a_windows_1252_csv():
    data = "Metal,Smelter ID,Smelter Name,Country,RMAP Status\nGold,CID900002,Refinaria São João,Brazil,Conformant\n"
    status_list = read_status_list(data.encode("cp1252"), as_of=dt.date(2024, 1, 1), name="rmi.csv")
    assert status_list.encoding == "cp1252"
    assert status_list.records[0].name == "Refinaria São João"
    assert status_list.records[0].status is AuditStatus.CONFORMANT


def test_it_reads_an_xlsx_export_with_a_title_above_the_header_and_audit_dates():
    data = _xlsx(
        [
            ["Facilities list export"],
            [],
            [
                "Facility ID",
                "Metal",
                "Standard Facility Name",
                "Country",
                "Assessment Status",
                "Last On-site Assessment Date",
                "Assessment Cycle",
                "Reassessment",
            ],
            [
                "CID900001",
                "Gold",
                "Nordlicht Edelmetall GmbH",
                "Germany",
                "Conformant",
                dt.datetime(2023, 5, 2),
                "Annual",
                "2024-05-02",
            ],
            ["CID900010", "Tin", "Harbour Tin Smelting", "Malaysia", "Active", None, None, "In progress"],
            ["CID900020", "Tungsten", "Granite Peak", "China", "Non Conformant", None, None, None],
            ["CID900030", "Tantalum", "Blue River", "Brazil", "Eligible", None, None, None],
        ]
    )
    status_list = read_status_list(data, as_of=dt.date(2024, 1, 31), name="facilities.xlsx")
    nordlicht = status_list.get("CID900001")
    assert (nordlicht.status, nordlicht.last_audit, nordlicht.cycle, nordlicht.next_audit) == (
        AuditStatus.CONFORMANT,
        dt.date(2023, 5, 2),
        "Annual",
        dt.date(2024, 5, 2),
    )
    assert status_list.get("CID900010").next_audit_text == "In progress"
    assert status_list.get("CID900020").status is AuditStatus.NON_CONFORMANT
    eligible = status_list.get("CID900030")
    assert (eligible.status, eligible.raw_status) == (None, "Eligible")
    assert any('"Eligible" (1)' in note for note in status_list.notes)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("conformant", AuditStatus.CONFORMANT),
        ("Cross-recognised", AuditStatus.CROSS_RECOGNIZED),
        ("SUSPENDED", AuditStatus.SUSPENDED),
        ("Not Enrolled", AuditStatus.NOT_ENROLLED),
        ("Progressing", AuditStatus.PROGRESSING),
        ("", None),
        ("Outreach required", None),
    ],
)
def test_it_normalises_status_words(word, status):
    assert parse_status(word) is status


def test_it_says_which_status_held_on_which_date():
    first = read_status_list(
        b"Smelter ID,Status\nCID900001,Active\n", as_of=dt.date(2023, 1, 1), name="jan.csv"
    )
    later = read_status_list(
        b"Smelter ID;Status\nCID900001;Conformant\n", as_of=dt.date(2023, 7, 1), name="jul.csv"
    )
    history = StatusHistory((later, first))
    assert history.status_on("CID900001", dt.date(2022, 12, 31)) is None
    assert history.status_on("CID900001", dt.date(2023, 3, 1)) is AuditStatus.ACTIVE
    assert history.status_on("cid900001", dt.date(2023, 7, 1)) is AuditStatus.CONFORMANT
    assert [r.source for r in history.history("CID900001")] == ["jan.csv", "jul.csv"]
    assert history.latest("CID900001").status is AuditStatus.CONFORMANT


def test_it_refuses_a_file_without_an_id_column_and_lists_the_headers_it_found():
    with pytest.raises(BadInput) as raised:
        read_status_list(b"Name,Country\nAcme,France\n", as_of=dt.date(2024, 1, 1), name="x.csv")
    assert 'Headers found: "Name", "Country".' in str(raised.value)
    assert "smelter or facility ID column" in str(raised.value)


def test_it_refuses_an_empty_file():
    with pytest.raises(BadInput, match="The file is empty"):
        read_status_list(b"  \n", as_of=dt.date(2024, 1, 1), name="empty.csv")


def test_it_refuses_binary_junk():
    with pytest.raises(BadInput, match="binary data"):
        read_status_list(bytes(range(256)) * 4, as_of=dt.date(2024, 1, 1), name="junk.csv")


def test_it_refuses_a_header_with_no_cid_under_it():
    with pytest.raises(BadInput, match="no row with a CID"):
        read_status_list(b"Smelter ID,Status\nn/a,Active\n", as_of=dt.date(2024, 1, 1), name="x.csv")
