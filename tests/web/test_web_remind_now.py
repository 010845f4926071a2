"""Reminders on an analyst's word: "Remind now" on a request, and many at once from the request list after
a preview that counts who gets one and says who cannot and why. Each counts and is logged as a reminder."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from staff_data import campaign_with_suppliers, staff, submitted

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Request, State
from oretrace.web.campaigns.rollup import campaign_survey
from oretrace.web.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    _, bob, _ = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(4)
    for req in requests:
        req.transition(State.SENT, bob)
    return bob, campaign, requests


def text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def reminders() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template="reminder").order_by("pk"))


def test_remind_now_queues_the_campaigns_reminder_counted_and_logged(client, setup):
    bob, campaign, (req, *_) = setup
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert "Remind now" in page
    response = client.post(reverse("request_remind", args=[req.pk]), follow=True)
    assert "A reminder to rep0@s0.example is in the outbox." in text(response)
    (email,) = reminders()
    assert email.to == ["rep0@s0.example"] and email.request_id == req.pk
    assert email.subject.startswith("Reminder: your CMRT")
    req.refresh_from_db()
    assert req.reminders_sent == 1 and req.last_reminder_at is not None
    assert AuditEntry.objects.filter(action="request.reminder_queued", actor=bob).count() == 1
    assert campaign_survey(campaign).figures.reminders_sent == 1


def test_a_second_click_does_not_remind_twice(client, setup):
    _, _, (req, *_) = setup
    client.post(reverse("request_remind", args=[req.pk]))
    again = client.post(reverse("request_remind", args=[req.pk]), follow=True)
    assert "Supplier 0 cannot be reminded: reminded already at" in text(again)
    assert len(reminders()) == 1 and Request.objects.get(pk=req.pk).reminders_sent == 1


def test_remind_now_is_refused_for_a_request_not_waiting_for_the_supplier(client, setup):
    _, _, (req, *_) = setup
    submitted(req)
    assert "Remind now" not in client.get(reverse("request", args=[req.pk])).content.decode()
    refused = client.post(reverse("request_remind", args=[req.pk]), follow=True)
    assert "Supplier 0 cannot be reminded: not waiting for the supplier (submitted)." in text(refused)
    assert reminders() == [] and Request.objects.get(pk=req.pk).reminders_sent == 0


def test_a_viewer_cannot_remind(client, setup):
    _, _, (req, *_) = setup
    client.logout()
    client.login(username="vera", password="a-long-test-password")
    assert client.post(reverse("request_remind", args=[req.pk])).status_code == 403
    assert reminders() == []


def test_bulk_remind_previews_the_count_and_who_cannot_then_sends_on_confirm(client, setup):
    _, campaign, (ok, answered, no_email, also_ok) = setup
    submitted(answered)
    no_email.supplier.contacts.filter(is_primary=False).delete()
    no_email.supplier.contacts.update(email="")
    url = reverse("bulk_remind", args=[campaign.pk])
    listing = client.get(reverse("campaign_requests", args=[campaign.pk])).content.decode()
    assert 'id="bulk"' in listing and "Remind the ticked" in listing
    preview = client.post(url, {"request": [ok.pk, answered.pk, no_email.pk, also_ok.pk]})
    page = text(preview)
    assert "Remind 2 suppliers" in page and "Send 2 reminders" in page
    assert "2 cannot be reminded" in page
    assert "Supplier 1 Not waiting for the supplier (submitted)" in page
    assert "Supplier 2 No contact with an e-mail address" in page
    assert reminders() == []  # the preview sends nothing
    confirmed = client.post(url, {"confirm": "1", "request": [ok.pk, also_ok.pk]}, follow=True)
    assert "2 reminders queued." in text(confirmed)
    assert sorted(e.request_id for e in reminders()) == sorted([ok.pk, also_ok.pk])
    assert Request.objects.get(pk=ok.pk).reminders_sent == 1
    # Confirming the same preview again (a double click) reminds nobody twice.
    again = client.post(url, {"confirm": "1", "request": [ok.pk, also_ok.pk]}, follow=True)
    assert "0 reminders queued." in text(again) and "2 not reminded" in text(again)
    assert len(reminders()) == 2


def test_bulk_remind_can_take_everything_the_filter_shows(client, setup):
    _, campaign, (_, answered, *_) = setup
    submitted(answered)
    preview = client.post(
        reverse("bulk_remind", args=[campaign.pk]),
        {"all": "1", "state": "not_responded", "q": "", "tier": ""},
    )
    page = text(preview)
    assert "Remind 3 suppliers" in page and "cannot be reminded" not in page


def test_bulk_remind_with_nothing_chosen_says_so(client, setup):
    _, campaign, _ = setup
    response = client.post(reverse("bulk_remind", args=[campaign.pk]), follow=True)
    assert "Tick the requests to remind" in text(response)


def test_the_scheduled_reminder_waits_the_minimum_gap_after_a_reminder_by_hand(setup):
    import datetime as dt

    from oretrace.web.outbox.reminders import MINIMUM_GAP, queue_due_reminders, remind_now

    bob, campaign, (req, *_) = setup
    Request.objects.exclude(pk=req.pk).update(state=State.DECLINED)
    req.refresh_from_db()
    first_day = min(int(d) for d in campaign.reminder_days)
    due = req.sent_at + dt.timedelta(days=first_day, hours=1)
    remind_now(req, bob, now=due - dt.timedelta(hours=2))
    assert queue_due_reminders(due) == 0
    assert queue_due_reminders(due - dt.timedelta(hours=2) + MINIMUM_GAP) == 1
    assert len(reminders()) == 2
