"""The portal's "nothing changed since last year": last year's file sent again as this year's answer,
reviewed for this year and marked as carried over on both sides."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from supplier_requests import make_campaign, make_supplier, sent_request

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import State, Submission
from oretrace.web.suppliers.models import ReportingYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaifa():
    return make_supplier("kaifa", "Kaifa Precision Ltd")


@pytest.fixture
def last_year(kaifa):
    campaign = make_campaign(closed=True)
    request = sent_request(campaign, kaifa)
    submission, error = store_file(
        request, build_cmrt({"D8": "Kaifa Precision Ltd"}), "CMRT_kaifa_2024.xlsx", "x"
    )
    assert error == ""
    return submission


@pytest.fixture
def this_year(kaifa):
    year, _ = ReportingYear.objects.get_or_create(year=2025)
    return sent_request(
        make_campaign(name="RCOI 2025", reporting_year=year, due_date=dt.date(2026, 3, 31)), kaifa
    )


def url(name: str, token: str) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token})


def test_the_portal_sends_last_years_file_again_marked_as_unchanged(client, last_year, this_year):
    token = this_year.issue_link()
    page = client.get(url("request", token)).content.decode()
    assert "Nothing changed since last year?" in page and "CMRT_kaifa_2024.xlsx" in page
    response = client.post(url("unchanged", token))
    assert response.status_code == 302
    sent = Submission.objects.get(request=this_year)
    assert sent.sha256 == last_year.sha256 and sent.carried_over_from == last_year
    this_year.refresh_from_db()
    assert this_year.state == State.SUBMITTED and this_year.latest_submission == sent
    assert AuditEntry.objects.filter(action="submission.carried_over", object_id=str(sent.pk)).exists()
    # Marked as such for the supplier, and the offer is gone once this year has a file.
    page = client.get(url("request", token)).content.decode()
    assert (
        "Last year&#x27;s file, sent again: nothing changed" in page or "sent again: nothing changed" in page
    )
    assert "Nothing changed since last year?" not in page


def test_without_last_years_file_nothing_is_offered_or_sent(client, this_year):
    token = this_year.issue_link()
    assert "Nothing changed since last year?" not in client.get(url("request", token)).content.decode()
    response = client.post(url("unchanged", token))
    assert response.status_code == 400
    assert "no file of yours from last year" in response.content.decode()
    assert not Submission.objects.filter(request=this_year).exists()


def test_the_offer_is_made_in_the_contacts_language(client):
    supplier = make_supplier("lianxin", "Lianxin Electronics", language="zh-hans")
    earlier = sent_request(make_campaign(closed=True), supplier)
    assert store_file(earlier, build_cmrt({"D8": "Lianxin Electronics"}), "CMRT_2024.xlsx", "x")[1] == ""
    year, _ = ReportingYear.objects.get_or_create(year=2025)
    now = sent_request(
        make_campaign(name="RCOI 2025", reporting_year=year, due_date=dt.date(2026, 3, 31)), supplier
    )
    page = client.get(url("request", now.issue_link())).content.decode()
    assert "与去年相比没有变化？" in page and "没有变化：再次发送去年的文件" in page
