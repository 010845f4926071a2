"""Staff e-mails about suppliers' uploads, replies and declines: each staff member chooses none, one per
action (queued with the action) or a daily digest (queued once per day by the worker); they link to the
staff request page, never to the supplier's personal link."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from staff_data import campaign_with_suppliers, cmrt_bytes, staff

from oretrace.web.accounts.models import Notify, Profile
from oretrace.web.campaigns.models import Request, State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.notifications import queue_due_digests

pytestmark = pytest.mark.django_db

DECLINE_FORM = {"reason": "no-minerals", "name": "Li Wei", "title": "Quality manager", "confirm": "on"}


@pytest.fixture
def setup(client):
    alice, bob, vera = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(2)
    for req in requests:
        req.transition(State.SENT, bob)
    return (alice, bob, vera), campaign, requests


def choose(client, user, choice: str):
    client.force_login(user)
    response = client.post(reverse("queue_notify"), {"notify": choice}, follow=True)
    assert Profile.objects.get(user=user).notify == choice
    return response


def upload_by_supplier(client, req: Request) -> None:
    handle = io.BytesIO(cmrt_bytes())
    handle.name = "CMRT.xlsx"
    token = req.issue_link()
    assert client.post(reverse("portal:upload", kwargs={"token": token}), {"file": handle}).status_code == 302


def staff_mails(template: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template=template).order_by("pk"))


def assert_staff_only_links(email: OutboundEmail) -> None:
    assert "/p/" not in email.text and "/p/" not in email.html  # never the supplier's personal link


def test_each_staff_member_chooses_their_e_mails_on_the_queue_page(client, setup):
    (alice, _, _), _, _ = setup
    page = client.get(reverse("queue")).content.decode()
    assert "E-mails to me about uploads, replies and declines" in page
    assert "Saved" not in page
    response = choose(client, alice, Notify.DAILY)
    assert "E-mails: a daily digest." in response.content.decode()
    refused = client.post(reverse("queue_notify"), {"notify": "hourly"}, follow=True)
    assert "Choose no e-mails, an e-mail for each, or a daily digest." in refused.content.decode()
    assert Profile.objects.get(user=alice).notify == Notify.DAILY


def test_an_e_mail_for_each_upload_reply_and_decline_goes_to_those_who_asked(client, setup):
    (alice, bob, vera), campaign, (first, second) = setup
    choose(client, alice, Notify.AT_ONCE)
    choose(client, vera, Notify.DAILY)
    upload_by_supplier(client, first)
    notices = staff_mails("staff-notice")
    assert [n.to for n in notices] == [["alice@acme.example"]]
    notice = notices[0]
    assert notice.subject == f"Supplier 0: new file ({campaign.name})"
    assert f"http://127.0.0.1:8000{reverse('request', args=[first.pk])}" in notice.text
    assert_staff_only_links(notice)
    # A reply and a decline each bring one more; the reply's words are quoted.
    client.force_login(bob)
    client.post(reverse("request_action", args=[first.pk, "follow-up"]), {"finding": ["0"], "note": "Why?"})
    token = first.issue_link()
    client.post(
        reverse("portal:answer", kwargs={"token": token}), {"message": "Corrected in v2.", "name": ""}
    )
    client.post(reverse("portal:decline", kwargs={"token": second.issue_link()}), DECLINE_FORM)
    notices = staff_mails("staff-notice")
    assert [n.subject.split(":")[1].split("(")[0].strip() for n in notices] == [
        "new file",
        "reply to our follow-up",
        "declined",
    ]
    assert '"Corrected in v2."' in notices[1].text
    for notice in notices:
        assert_staff_only_links(notice)
    assert not staff_mails("staff-digest")


def test_an_analysts_own_upload_tells_nobody(client, setup):
    (alice, bob, _), _, (req, _) = setup
    choose(client, alice, Notify.AT_ONCE)
    client.force_login(bob)
    handle = io.BytesIO(cmrt_bytes())
    handle.name = "CMRT.xlsx"
    client.post(reverse("request_upload", args=[req.pk]), {"file": handle})
    assert Request.objects.get(pk=req.pk).state == State.SUBMITTED
    assert not staff_mails("staff-notice")


def test_the_daily_digest_is_queued_once_per_day_with_the_days_actions(client, setup):
    (alice, _, vera), _, (first, second) = setup
    choose(client, alice, Notify.DAILY)
    choose(client, vera, Notify.OFF)
    upload_by_supplier(client, first)
    client.post(reverse("portal:decline", kwargs={"token": second.issue_link()}), DECLINE_FORM)
    today = timezone.localdate()
    # Before midnight nothing is due: the day is not over.
    assert queue_due_digests(timezone.now()) == 0
    tomorrow = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 5)))
    assert queue_due_digests(tomorrow) == 1
    assert queue_due_digests(tomorrow + dt.timedelta(hours=3)) == 0  # a pass repeated queues nothing
    (digest,) = staff_mails("staff-digest")
    assert digest.to == ["alice@acme.example"]
    assert digest.key == f"digest:{alice.pk}:{(today + dt.timedelta(days=1)).isoformat()}"
    assert digest.subject.startswith("2 supplier actions waiting for review")
    assert "Supplier 0: new file" in digest.text and "Supplier 1: declined" in digest.text
    for req in (first, second):
        assert f"http://127.0.0.1:8000{reverse('request', args=[req.pk])}" in digest.text
    assert_staff_only_links(digest)
    assert not staff_mails("staff-notice")
    # The next day's digest covers only what happened since; a quiet day sends nothing.
    assert queue_due_digests(tomorrow + dt.timedelta(days=1)) == 0


def test_a_worker_that_was_down_sends_one_digest_for_the_missed_days(client, setup):
    (alice, _, _), _, (first, _) = setup
    choose(client, alice, Notify.DAILY)
    upload_by_supplier(client, first)
    today = timezone.localdate()
    # Yesterday's digest was sent (nothing new then); the worker then stopped for three days.
    OutboundEmail.objects.create(
        template="staff-digest",
        to=[alice.email],
        subject="earlier",
        text="",
        key=f"digest:{alice.pk}:{today}",
    )
    later = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=3), dt.time(8)))
    out = io.StringIO()
    call_command("send_reminders", "--once", stdout=out)
    assert "staff digest" not in out.getvalue()  # nothing is due today: the upload's day is not over
    assert queue_due_digests(later) == 1
    digest = staff_mails("staff-digest")[-1]
    assert "Supplier 0: new file" in digest.text
    assert digest.key == f"digest:{alice.pk}:{today + dt.timedelta(days=3)}"
