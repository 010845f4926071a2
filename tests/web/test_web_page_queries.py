"""Staff pages read what they show: the request list and a request's page leave the stored files' large
JSON columns (the file as read, its smelter rows) in the database, and their queries do not grow with
the requests listed or the versions of a file."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.web.campaigns import reference

pytestmark = pytest.mark.django_db

FILE_AS_READ = ('"campaigns_submission"."data"', '"campaigns_submission"."smelter_record"')


@pytest.fixture
def requests(client):
    client.force_login(staff()[1])
    _campaign, made = campaign_with_suppliers(6)
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    return made


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_request_list_reads_no_stored_file_and_shows_the_latest_files_findings(client, requests):
    latest = submitted(requests[0], data=cmrt_bytes(D15=""))  # no contact name: a finding
    url = reverse("campaign_requests", args=[requests[0].campaign_id])
    read = queries(client, url)
    assert not [
        sql for sql in read if any(c in sql for c in (*FILE_AS_READ, '"campaigns_submission"."record"'))
    ]
    assert latest.findings_count > 0
    assert f'<td class="num">{latest.findings_count}</td>' in client.get(url).content.decode()


def test_the_request_lists_queries_do_not_grow_with_its_requests(client, requests):
    url = reverse("campaign_requests", args=[requests[0].campaign_id])
    submitted(requests[0])
    few = queries(client, url)
    for req in requests[1:]:
        submitted(req)
    assert len(queries(client, url)) == len(few)


def test_a_requests_page_reads_the_latest_files_findings_only(client, requests):
    url = reverse("request", args=[requests[0].pk])
    submitted(requests[0])
    one_version = queries(client, url)
    for company in ("Tianma v2", "Tianma v3"):
        latest = submitted(requests[0], data=cmrt_bytes(company, D15=""))
    read = queries(client, url)
    assert len(read) == len(one_version)
    assert not [sql for sql in read if any(c in sql for c in FILE_AS_READ)]
    # The findings shown are the latest file's, read from its record.
    page = client.get(url).content.decode()
    assert latest.findings and escape(latest.findings[0]["message"]) in page


def test_the_portals_pages_read_no_stored_file_and_count_findings_from_the_record(client, requests):
    token = requests[0].issue_link()
    first = submitted(requests[0], data=cmrt_bytes(D15=""))
    review = reverse("portal:file_review", kwargs={"token": token, "version": first.version})
    one_version = queries(client, review)
    for company in ("Tianma v2", "Tianma v3"):
        submitted(requests[0], data=cmrt_bytes(company))
    for url in (review, reverse("portal:request", kwargs={"token": token})):
        read = queries(client, url)
        assert not [sql for sql in read if any(c in sql for c in FILE_AS_READ)]
    assert len(queries(client, review)) == len(one_version)
    assert first.findings_by_severity() == first.analysis().report.counts
    assert first.findings_by_severity()["error"] == 1
