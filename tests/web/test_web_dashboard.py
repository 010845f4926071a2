"""The campaign dashboard's figures and charts, the consolidated smelter list, the unidentified-name
queue (a confirmation becomes an alias used from then on), and safe CSV / XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from openpyxl import load_workbook
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import Facility, ReportedSmelter, SmelterAlias, SmelterStatus, State
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.suppliers.models import Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(client):
    _, bob, _vera = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(5)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    statuses = b"Smelter ID,Assessment Status\nCID900001,Conformant\n"
    reference.apply_status_list(statuses, "rmap.csv", dt.date(2026, 1, 15), bob)
    for req in requests[:4]:
        req.transition(State.SENT, bob)
    requests[0].transition(State.OPENED, "supplier via link")
    submitted(requests[1])
    submitted(requests[2])
    requests[2].refresh_from_db()
    requests[2].transition(State.ACCEPTED, bob)
    requests[3].decline(name="Li", title="QA", statement="No 3TG.", by="supplier via link")
    return campaign


def test_it_counts_what_the_annual_report_quotes(campaign):
    f = campaign_rollup(campaign).figures
    # Five in scope, one still a draft; of the four asked, two sent a file (one accepted), one declined.
    assert (f.in_scope, f.surveyed, f.responded, f.returned, f.declined) == (5, 4, 3, 2, 1)
    assert (f.accepted, f.under_review, f.not_responded) == (1, 1, 1)
    assert f.response_rate == 0.75


def test_it_counts_overdue_requests_after_the_due_date(campaign):
    assert campaign_rollup(campaign).figures.overdue == 1  # due 2026-03-31; the opened-but-silent one
    campaign.due_date = dt.date(2999, 1, 1)
    campaign.save()
    assert campaign_rollup(campaign).figures.overdue == 0


def test_it_draws_the_dashboard(client, campaign):
    page = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert "75%" in page and "responded (3 of 4 surveyed)" in page
    assert page.count("<svg") == 3  # funnel, responses over time, smelters per metal
    assert "1 unidentified name to confirm" in page


def test_it_lists_consolidated_smelters_with_filters_and_exports(client, campaign):
    url = reverse("smelters", args=[campaign.pk])
    page = client.get(url, {"metal": "Tantalum"}).content.decode()
    assert "CID900001" in page and "CID900007" not in page
    conformant = client.get(url, {"status": "conformant"}).content.decode()
    assert "CID900001" in conformant and "CID900013" not in conformant
    rows = list(csv.reader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Metal", "Smelter ID"]
    tantalum = next(r for r in rows if r[1] == "CID900001")
    assert tantalum[4:7] == ["Conformant", "2", "Yes"]  # two suppliers report it; RMI lists it
    assert rows[0][7] == "Reference list" and tantalum[7] == "CMRT 6.5"


def test_it_turns_a_confirmed_name_into_an_alias_used_from_then_on(client, campaign):
    url = reverse("unidentified", args=[campaign.pk])
    assert "Shandong Gold Refinery (local)" in client.get(url).content.decode()
    client.post(url, {"metal": "Gold", "name": "Shandong Gold Refinery (local)", "smelter_id": "CID900014"})
    alias = SmelterAlias.objects.get()
    assert (alias.smelter_id, alias.confirmed_by.username) == ("CID900014", "bob")
    assert not ReportedSmelter.objects.filter(status=SmelterStatus.UNIDENTIFIED).exists()
    # A file that arrives later with the same name is identified by the alias.
    later = campaign.requests.get(state=State.OPENED)
    submission = submitted(later)
    row = ReportedSmelter.objects.get(submission=submission, reported_name="Shandong Gold Refinery (local)")
    assert (row.smelter_id, row.status) == ("CID900014", Facility.objects.get(smelter_id="CID900014").status)


def test_it_refuses_to_confirm_an_unknown_cid(client, campaign):
    url = reverse("unidentified", args=[campaign.pk])
    response = client.post(
        url, {"metal": "Gold", "name": "Shandong Gold Refinery (local)", "typed_id": "CID123"}, follow=True
    )
    assert "is not a Gold smelter ID in the reference list" in response.content.decode()
    assert not SmelterAlias.objects.exists()


def test_it_escapes_formulas_in_every_export(client, campaign):
    Supplier.objects.filter(key="V000").update(name='=HYPERLINK("http://evil.example","x")', notes="+1 555")
    text = client.get(reverse("suppliers"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+1 555" in text
    book = load_workbook(io.BytesIO(client.get(reverse("suppliers"), {"format": "xlsx"}).content))
    names = [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    requests_xlsx = client.get(reverse("campaign_requests", args=[campaign.pk]), {"format": "xlsx"})
    assert requests_xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_it_filters_searches_sorts_and_pages_suppliers(client, campaign):
    for i in range(60):
        Supplier.objects.create(key=f"X{i:03d}", name=f"Zeta Parts {i:03d}", tier="direct", country="Japan")
    first = client.get(reverse("suppliers"), {"tier": "direct", "sort": "-name"}).content.decode()
    assert "Zeta Parts 059" in first and "Zeta Parts 000" not in first and "60 rows" in first
    second = client.get(reverse("suppliers"), {"tier": "direct", "sort": "-name", "page": 2}).content.decode()
    assert "Zeta Parts 000" in second
    found = client.get(reverse("suppliers"), {"q": "supplier 3"}).content.decode()
    assert "Supplier 3" in found and "Zeta" not in found
    accepted = client.get(reverse("suppliers"), {"state": "accepted"}).content.decode()
    assert "Supplier 2" in accepted and "Supplier 1<" not in accepted


def test_it_shows_a_suppliers_history_across_years(client, campaign):
    supplier = Supplier.objects.get(key="V002")
    page = client.get(reverse("supplier", args=[supplier.pk])).content.decode()
    assert "RCOI 2025" in page and "Accepted" in page and "P-002" in page


def test_it_imports_an_audit_status_list_into_facilities_and_reported_rows(client, campaign):
    status_list = (
        "Smelter ID,Metal,Smelter Name,Assessment Status\nCID900007,Tin,Demo Tin Smelter 07,Active\n"
    )
    response = client.post(
        reverse("reference"),
        {"status-file": _file(status_list.encode(), "rmap-2026-05.csv"), "status-as_of": "2026-05-01"},
        follow=True,
    )
    assert "1 facilities updated from rmap-2026-05.csv." in response.content.decode()
    tin = Facility.objects.get(smelter_id="CID900007")
    assert (tin.status, tin.status_text, tin.status_as_of) == ("active", "Active", dt.date(2026, 5, 1))
    assert set(ReportedSmelter.objects.filter(smelter_id="CID900007").values_list("status", flat=True)) == {
        "active"
    }
    # An older list does not overwrite a newer status.
    older = status_list.replace("Active", "Non-Conformant")
    client.post(
        reverse("reference"), {"status-file": _file(older.encode(), "old.csv"), "status-as_of": "2024-01-01"}
    )
    assert Facility.objects.get(smelter_id="CID900007").status == "active"


def test_it_refuses_a_status_list_without_ids_and_changes_nothing(client, campaign):
    before = list(Facility.objects.values_list("smelter_id", "status"))
    response = client.post(
        reverse("reference"),
        {"status-file": _file(b"Name,Status\nFoo,Active\n", "wrong.csv"), "status-as_of": "2026-05-01"},
        follow=True,
    )
    assert "Nothing was changed." in response.content.decode()
    assert list(Facility.objects.values_list("smelter_id", "status")) == before


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_the_dashboard_shows_the_filing_calendar_with_days_remaining(client, campaign):
    from oretrace.web.reports.calendar import campaign_calendar
    from oretrace.web.suppliers.models import Organisation

    page = client.get(reverse("campaign", args=[campaign.pk]))
    text = page.content.decode()
    assert "Filing calendar 2025" in text and "Mon 1 Jun 2026" in text and "Form SD for 2025" in text
    assert len(page.context["calendar"]) == 2
    # The campaign is due 31 March 2026; Form SD for 2025 on Monday 1 June 2026 (31 May is a Sunday).
    march = dt.date(2026, 3, 1)
    assert [(r.deadline.kind, r.deadline.due, r.remaining) for r in campaign_calendar(campaign, march)] == [
        ("campaign", dt.date(2026, 3, 31), "30 days"),
        ("form-sd", dt.date(2026, 6, 1), "92 days"),
    ]
    # A Union importer sees the EU report: with no day until the last one's date is recorded.
    org = Organisation.current()
    org.eu_importer = True
    org.save()
    rows = campaign_calendar(campaign, march)
    assert (rows[-1].deadline.kind, rows[-1].deadline.due, rows[-1].remaining) == ("eu-report", None, "–")
    assert "record the last report" in client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    org.eu_report_published = dt.date(2025, 2, 27)
    org.save()
    rows = campaign_calendar(campaign, march)
    assert (rows[0].deadline.kind, rows[0].remaining) == ("eu-report", "passed 2 days ago")
    assert campaign_calendar(campaign, dt.date(2026, 3, 30))[1].remaining == "1 day"
