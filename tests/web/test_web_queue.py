"""The "waiting for us" queue: a supplier's upload, reply or decline puts its request in the queue and the
dashboard's count; our accept, follow-up or "handled" takes it out; the queue lists it oldest first."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from staff_data import campaign_with_suppliers, cmrt_bytes, staff

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import FollowUp, Request, State
from oretrace.web.campaigns.rollup import campaign_survey

pytestmark = pytest.mark.django_db

DECLINE_FORM = {"reason": "no-minerals", "name": "Li Wei", "title": "Quality manager", "confirm": "on"}


@pytest.fixture
def setup(client):
    _, bob, _ = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(3)
    for req in requests:
        req.transition(State.SENT, bob)
    return bob, campaign, requests


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def portal(name: str, req: Request, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"token": req.issue_link(), **kwargs})


def upload_by_supplier(client, req: Request) -> None:
    handle = io.BytesIO(cmrt_bytes())
    handle.name = "CMRT.xlsx"
    response = client.post(portal("upload", req), {"file": handle})
    assert response.status_code == 302, response.content.decode()[:500]


def queue_rows(client, campaign=None) -> list[str]:
    page = client.get(reverse("queue"), {"campaign": campaign.pk} if campaign else {})
    assert page.status_code == 200
    return re.findall(r'<a href="/requests/(\d+)/">', page.content.decode())


def dashboard_count(client, campaign) -> int:
    html = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    found = re.search(r"<b>(\d+)</b><span>waiting for us</span>", html)
    assert found, "no waiting-for-us figure on the dashboard"
    return int(found.group(1))


def test_an_upload_puts_the_request_in_the_queue_and_the_dashboards_count(client, setup):
    _, campaign, (first, second, _) = setup
    assert queue_rows(client) == [] and dashboard_count(client, campaign) == 0
    upload_by_supplier(client, second)
    upload_by_supplier(client, first)
    # Oldest first: the second supplier's file came first.
    assert queue_rows(client) == [str(second.pk), str(first.pk)]
    assert queue_rows(client, campaign) == [str(second.pk), str(first.pk)]
    assert dashboard_count(client, campaign) == 2 == campaign_survey(campaign).figures.waiting_for_us
    page = text(client.get(reverse("queue")))
    assert "New file" in page and "Supplier 1" in page
    dashboard = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert "Requests whose supplier did something we have not acted on yet" in dashboard
    # The request list filters on the same figure.
    listed = client.get(reverse("campaign_requests", args=[campaign.pk]), {"state": "waiting_for_us"})
    assert "Supplier 0" in text(listed) and "Supplier 2" not in text(listed)


def test_accept_and_follow_up_take_the_request_out_of_the_queue(client, setup):
    _, campaign, (first, second, _) = setup
    upload_by_supplier(client, first)
    upload_by_supplier(client, second)
    first.refresh_from_db()
    client.post(reverse("request_action", args=[first.pk, "accept"]), {"file": first.latest_submission_id})
    client.post(
        reverse("request_action", args=[second.pk, "follow-up"]),
        {"finding": ["0"], "note": "Please correct the e-mail address."},
    )
    assert Request.objects.get(pk=first.pk).state == State.ACCEPTED
    assert Request.objects.get(pk=second.pk).state == State.FOLLOW_UP
    assert queue_rows(client) == [] and dashboard_count(client, campaign) == 0


def test_a_reply_to_a_follow_up_puts_the_request_back_in_the_queue(client, setup):
    _, campaign, (req, _, _) = setup
    upload_by_supplier(client, req)
    client.post(reverse("request_action", args=[req.pk, "follow-up"]), {"finding": ["0"], "note": "Why?"})
    assert queue_rows(client) == []
    response = client.post(portal("answer", req), {"message": "The cell is corrected in v2.", "name": "Li"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == State.FOLLOW_UP and req.supplier_action == "reply"
    assert queue_rows(client) == [str(req.pk)] and dashboard_count(client, campaign) == 1
    assert "Reply to our follow-up" in text(client.get(reverse("queue")))
    assert FollowUp.objects.filter(request=req, from_supplier=True).count() == 1


def test_a_decline_waits_for_review_until_marked_handled(client, setup):
    bob, campaign, (req, _, _) = setup
    assert client.post(portal("decline", req), DECLINE_FORM).status_code == 302
    assert queue_rows(client) == [str(req.pk)]
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert "Waiting for us" in page and "Mark as handled" in page
    req.refresh_from_db()
    # A stale page (it saw no action, but the decline came since) changes nothing.
    stale = client.post(reverse("request_handled", args=[req.pk]), {"seen": ""}, follow=True)
    assert "The supplier did something new" in text(stale)
    assert queue_rows(client) == [str(req.pk)]
    done = client.post(
        reverse("request_handled", args=[req.pk]), {"seen": req.supplier_acted_at.isoformat()}, follow=True
    )
    assert "is no longer waiting for us" in text(done)
    assert queue_rows(client) == [] and dashboard_count(client, campaign) == 0
    assert AuditEntry.objects.filter(action="request.handled", actor=bob).exists()


def test_a_decline_an_analyst_records_for_the_supplier_is_not_waiting(client, setup):
    _, _, (req, _, _) = setup
    client.post(
        reverse("request_action", args=[req.pk, "decline"]),
        {"name": "Li Wei", "title": "QA", "statement": "No 3TG in our parts."},
    )
    assert Request.objects.get(pk=req.pk).state == State.DECLINED
    assert queue_rows(client) == []


def test_a_viewer_sees_the_queue_but_cannot_mark_handled(client, setup):
    _, _, (req, _, _) = setup
    upload_by_supplier(client, req)
    client.logout()
    client.login(username="vera", password="a-long-test-password")
    assert queue_rows(client) == [str(req.pk)]
    req.refresh_from_db()
    refused = client.post(
        reverse("request_handled", args=[req.pk]), {"seen": req.supplier_acted_at.isoformat()}
    )
    assert refused.status_code == 403
