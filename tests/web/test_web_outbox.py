"""The outbox: e-mails are rows first; the worker delivers each once, retries with back-off, and gives up visibly."""

from __future__ import annotations

import datetime as dt
import os
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from supplier_requests import MailServer, make_campaign, make_supplier, sent_request

from oretrace.web.accounts.models import Profile
from oretrace.web.audit.models import AuditEntry
from oretrace.web.outbox.mail import send_email
from oretrace.web.outbox.management.commands.deliver_outbox import Command as DeliverOutbox
from oretrace.web.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "supplier_requests.FlakyBackend"
    MailServer.up = True
    yield MailServer
    MailServer.up = True


@pytest.fixture
def request_row():
    return sent_request(make_campaign(), make_supplier("kaifa", "Kaifa Precision Ltd"))


def queue_follow_up(request_row, n: int = 1) -> OutboundEmail:
    return send_email(
        "follow-up",
        [f"li.wei+{n}@kaifa.example"],
        {"request": request_row, "message": "", "questions": [], "link": "http://testserver/p/x/"},
        request=request_row,
    )


def deliver():
    call_command("deliver_outbox", "--once")


def make_due():
    """Jump over the back-off: everything queued is due now."""
    OutboundEmail.objects.filter(status="queued").update(next_attempt_at=timezone.now())


def test_it_queues_instead_of_sending(request_row, flaky_mail):
    email = queue_follow_up(request_row)
    assert email.status == "queued"
    assert email.to == ["li.wei+1@kaifa.example"]
    assert email.subject == "Acme Instruments has questions about your CMRT"
    assert "http://testserver/p/x/" in email.text
    assert "<ol>" in email.html
    assert mail.outbox == []


def test_it_delivers_text_and_html_once(request_row, flaky_mail):
    email = queue_follow_up(request_row)
    deliver()
    deliver()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["li.wei+1@kaifa.example"]
    assert sent.subject == email.subject
    assert sent.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, "")
    assert email.sent_at is not None


def test_the_same_key_is_queued_once(request_row):
    context = {"request": request_row, "message": "", "questions": [], "link": "x"}
    first = send_email("follow-up", ["a@kaifa.example"], context, key="follow-up:1")
    second = send_email("follow-up", ["a@kaifa.example"], context, key="follow-up:1")
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1


def test_nothing_is_lost_or_sent_twice_while_the_mail_server_is_down(request_row, flaky_mail):
    queued = [queue_follow_up(request_row, n) for n in (1, 2, 3)]
    flaky_mail.up = False
    deliver()
    rows = OutboundEmail.objects.order_by("id")
    assert [r.status for r in rows] == ["queued"] * 3
    assert [r.attempts for r in rows] == [1, 1, 1]
    assert all("SMTPConnectError" in r.last_error and "service not available" in r.last_error for r in rows)
    # Back-off: the first retry waits a minute, so an immediate run sends nothing and tries nothing.
    assert all(r.next_attempt_at > timezone.now() + dt.timedelta(seconds=50) for r in rows)
    deliver()
    assert [r.attempts for r in OutboundEmail.objects.order_by("id")] == [1, 1, 1]

    make_due()
    deliver()  # still down: a second attempt each, waiting twice as long
    second = OutboundEmail.objects.order_by("id").first()
    assert second.attempts == 2
    assert second.next_attempt_at > timezone.now() + dt.timedelta(seconds=110)

    flaky_mail.up = True
    make_due()
    deliver()
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == [e.to[0] for e in queued]
    assert [r.status for r in OutboundEmail.objects.all()] == ["sent"] * 3


def test_it_keeps_trying_through_a_long_outage_and_then_delivers_everything(request_row, flaky_mail):
    # 30 e-mails and a mail server down for three days: the old outbox gave up after 8 attempts (about
    # two hours) and delivered none of them when the server came back.
    queued = [queue_follow_up(request_row, n) for n in range(30)]
    flaky_mail.up = False
    for hours_ago in range(72, 0, -4):  # a try every 4 hours, 18 in all
        OutboundEmail.objects.update(queued_at=timezone.now() - dt.timedelta(hours=hours_ago))
        make_due()
        deliver()
    rows = OutboundEmail.objects.all()
    assert {r.status for r in rows} == {"queued"}
    assert {r.attempts for r in rows} == {18}
    flaky_mail.up = True
    make_due()
    deliver()
    assert len(mail.outbox) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.to[0] for e in queued)
    assert {r.status for r in OutboundEmail.objects.all()} == {"sent"}


def test_the_pause_doubles_from_a_minute_up_to_half_an_hour():
    email = OutboundEmail()
    delays = []
    for attempts in range(1, 9):
        email.attempts = attempts
        delays.append(email.retry_delay() / dt.timedelta(minutes=1))
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]


def test_the_last_try_is_made_when_the_retry_period_ends(request_row, flaky_mail, settings):
    settings.OUTBOX_RETRY_DAYS = 7
    email = queue_follow_up(request_row)
    ends = timezone.now() + dt.timedelta(minutes=10)
    OutboundEmail.objects.filter(pk=email.pk).update(queued_at=ends - dt.timedelta(days=7), attempts=20)
    flaky_mail.up = False
    deliver()
    email.refresh_from_db()
    # A 30-minute pause would end after the period: the next try is at its end instead.
    assert (email.status, email.attempts, email.next_attempt_at) == ("queued", 21, ends)


def test_it_gives_up_after_the_retry_period_and_keeps_the_error(request_row, flaky_mail, settings):
    settings.OUTBOX_RETRY_DAYS = 7
    email = queue_follow_up(request_row)
    flaky_mail.up = False
    deliver()
    OutboundEmail.objects.filter(pk=email.pk).update(
        queued_at=timezone.now() - dt.timedelta(days=7, minutes=1), attempts=40
    )
    make_due()
    deliver()
    email.refresh_from_db()
    assert email.status == "failed"
    assert email.attempts == 41
    assert email.last_error.startswith(
        "Gave up: not delivered within 7 days (41 attempts). Last error: SMTPConnectError"
    )
    assert list(request_row.emails.filter(status="failed")) == [email]
    flaky_mail.up = True
    make_due()
    deliver()
    assert mail.outbox == []  # a failed message stays failed until a person queues it again
    assert email.queue_again()
    email.refresh_from_db()
    assert email.queued_at > timezone.now() - dt.timedelta(minutes=1)  # a fresh seven days
    deliver()
    email.refresh_from_db()
    assert (email.status, len(mail.outbox)) == ("sent", 1)


def test_every_mail_carries_a_message_id_set_once_when_it_is_queued(request_row, flaky_mail, settings):
    first = queue_follow_up(request_row, 1)
    second = queue_follow_up(request_row, 2)
    assert first.message_id == f"<outbox-{first.pk}.{first.created:%Y%m%d%H%M%S%f}@127.0.0.1>"
    assert second.message_id != first.message_id
    settings.SITE_URL = "https://oretrace.acme.example"
    first.refresh_from_db()
    first.save()
    deliver()
    assert [m.extra_headers["Message-ID"] for m in sorted(mail.outbox, key=lambda m: m.to[0])] == [
        first.message_id,
        second.message_id,
    ]
    assert first.message_id.endswith("@127.0.0.1>")


def test_a_message_claimed_by_another_worker_is_not_sent_again(request_row, flaky_mail, monkeypatch):
    email = queue_follow_up(request_row)
    stale = OutboundEmail.objects.get(pk=email.pk)
    # Another worker claims the row between our look and our claim.
    OutboundEmail.objects.filter(pk=email.pk).update(status="sending", attempts=1)
    worker = DeliverOutbox()
    monkeypatch.setattr(worker, "next_due", lambda: stale)
    assert worker.handle_one() is True
    assert mail.outbox == []
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


def test_a_send_interrupted_by_a_crash_is_sent_again_with_the_same_message_id(request_row, flaky_mail):
    # A worker killed mid-send (kill -9, power cut): the mail may or may not have reached the server.
    # It is sent again (at least once), under the Message-ID it had, so a second copy is recognisable.
    email = queue_follow_up(request_row)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now() - dt.timedelta(minutes=16)
    )
    deliver()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [email.message_id]


def test_a_send_in_progress_is_left_to_its_worker(request_row, flaky_mail):
    email = queue_follow_up(request_row)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status="sending", attempts=1, claimed_at=timezone.now() - dt.timedelta(minutes=1)
    )
    deliver()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sending", 1)
    assert mail.outbox == []


def test_a_crashed_send_waiting_again_says_why(request_row, flaky_mail):
    email = queue_follow_up(request_row)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status="sending", attempts=3, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    DeliverOutbox().requeue_stale_sends()
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 3)
    assert email.last_error == (
        "The worker stopped while sending this message (attempt 3); it is sent again with the same "
        "Message-ID in case it did not arrive."
    )


def test_sigterm_stops_the_worker_after_the_current_message(request_row, flaky_mail, monkeypatch):
    queue_follow_up(request_row, 1)
    queue_follow_up(request_row, 2)
    worker = DeliverOutbox()
    original = worker.handle_one

    def handle_one_then_sigterm():
        worked = original()
        os.kill(os.getpid(), signal.SIGTERM)
        return worked

    monkeypatch.setattr(worker, "handle_one", handle_one_then_sigterm)
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        worker.handle(once=False, idle_sleep=0.01)
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    assert len(mail.outbox) == 1
    assert sorted(OutboundEmail.objects.values_list("status", flat=True)) == ["queued", "sent"]


# --- the outbox page -------------------------------------------------------------------------------


def staff(django_user_model, username: str, role: str):
    user = django_user_model.objects.create_user(username, password="x")
    Profile.objects.create(user=user, role=role)
    return user


def test_the_outbox_page_needs_a_login(client):
    response = client.get(reverse("outbox"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_staff_see_failures_but_not_bodies_outside_the_demo(client, django_user_model, request_row, settings):
    settings.DEMO = False
    email = queue_follow_up(request_row)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status="failed",
        attempts=8,
        last_error="Gave up after 8 attempts. Last error: SMTPConnectError: (421, ...)",
    )
    client.force_login(staff(django_user_model, "auditor", "viewer"))
    page = client.get(reverse("outbox") + "?status=failed").content.decode()
    assert "Acme Instruments has questions about your CMRT" in page
    assert "Gave up after 8 attempts" in page
    assert "tried again with growing pauses (at most 30 minutes apart) for 7 days" in page
    assert "Kaifa Precision Ltd" in page
    detail = client.get(reverse("outbox_email", args=[email.pk])).content.decode()
    assert "Gave up after 8 attempts" in detail
    assert f'<td class="mono">{escape(email.message_id)}</td>' in detail
    assert "http://testserver/p/x/" not in detail
    assert "Queue again" not in detail  # a viewer cannot act


def test_in_the_demo_a_person_can_read_the_mail_and_click_the_supplier_link(
    client, django_user_model, request_row, settings
):
    settings.DEMO = True
    email = queue_follow_up(request_row)
    client.force_login(staff(django_user_model, "ana", "analyst"))
    detail = client.get(reverse("outbox_email", args=[email.pk])).content.decode()
    assert '<a href="http://testserver/p/x/"' in detail
    assert "srcdoc=" in detail


def test_an_analyst_queues_a_failed_mail_again_and_a_viewer_cannot(client, django_user_model, request_row):
    email = queue_follow_up(request_row)
    OutboundEmail.objects.filter(pk=email.pk).update(status="failed", attempts=8, last_error="boom")
    client.force_login(staff(django_user_model, "auditor", "viewer"))
    assert client.post(reverse("outbox_queue_again", args=[email.pk])).status_code == 403
    client.force_login(staff(django_user_model, "ana", "analyst"))
    client.post(reverse("outbox_queue_again", args=[email.pk]))
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("queued", 0)
    assert AuditEntry.objects.filter(action="email.queued_again", object_id=str(email.pk)).exists()


def test_the_outbox_exports_as_csv(client, django_user_model, request_row):
    queue_follow_up(request_row)
    client.force_login(staff(django_user_model, "auditor", "viewer"))
    response = client.get(reverse("outbox") + "?format=csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Queued,To,Subject,Kind,Status,Attempts,Sent,Next attempt,Last error"
    assert "li.wei+1@kaifa.example,Acme Instruments has questions about your CMRT,follow-up,queued,0" in text


def failed_mails(request_row, n: int) -> list[OutboundEmail]:
    emails = [queue_follow_up(request_row, i) for i in range(n)]
    OutboundEmail.objects.filter(pk__in=[e.pk for e in emails]).update(
        status="failed",
        attempts=300,
        queued_at=timezone.now() - dt.timedelta(days=8),
        last_error="Gave up: not delivered within 7 days (300 attempts). Last error: SMTPConnectError",
    )
    return emails


def test_an_analyst_queues_every_failed_mail_again_after_confirming(
    client, django_user_model, request_row, flaky_mail
):
    failed_mails(request_row, 30)
    queue_follow_up(request_row, 99)  # waiting, not failed: untouched
    client.force_login(staff(django_user_model, "ana", "analyst"))
    page = client.get(reverse("outbox")).content.decode()
    assert f'href="{reverse("outbox_queue_again_failed")}"' in page
    assert "Queue the 30 failed e-mails again" in page
    confirm = client.get(reverse("outbox_queue_again_failed")).content.decode()
    assert "Queue 30 failed e-mails again?" in confirm
    assert "Gave up: not delivered within 7 days (300 attempts)." in confirm  # the latest error, to check
    assert OutboundEmail.objects.filter(status="failed").count() == 30  # a GET changes nothing
    up_to = OutboundEmail.objects.filter(status="failed").order_by("-pk").first().pk
    assert f'name="up_to" value="{up_to}"' in confirm
    response = client.post(reverse("outbox_queue_again_failed"), {"up_to": up_to}, follow=True)
    assert "30 failed e-mails are queued again; the worker sends them from now on." in (
        response.content.decode()
    )
    rows = OutboundEmail.objects.exclude(to=["li.wei+99@kaifa.example"])
    assert {(r.status, r.attempts) for r in rows} == {("queued", 0)}
    assert all(r.queued_at > timezone.now() - dt.timedelta(minutes=1) for r in rows)
    entry = AuditEntry.objects.get(action="email.queued_again_all")
    assert entry.detail == "30 failed e-mails"
    deliver()
    assert len(mail.outbox) == 31


def test_queueing_all_again_takes_only_the_failures_the_person_saw(client, django_user_model, request_row):
    seen = failed_mails(request_row, 2)
    client.force_login(staff(django_user_model, "ana", "analyst"))
    up_to = max(e.pk for e in seen)
    later = failed_mails(request_row, 1)[0]  # failed after the confirmation page was shown
    response = client.post(reverse("outbox_queue_again_failed"), {"up_to": up_to}, follow=True)
    assert "2 failed e-mails are queued again" in response.content.decode()
    later.refresh_from_db()
    assert later.status == "failed"


def test_with_no_failed_mail_there_is_nothing_to_queue_again(client, django_user_model, request_row):
    client.force_login(staff(django_user_model, "ana", "analyst"))
    assert "failed e-mails again" not in client.get(reverse("outbox")).content.decode()
    page = client.get(reverse("outbox_queue_again_failed"), follow=True).content.decode()
    assert "No e-mail has failed: there is nothing to queue again." in page


def test_a_viewer_cannot_queue_failed_mail_again(client, django_user_model, request_row):
    failed_mails(request_row, 2)
    client.force_login(staff(django_user_model, "auditor", "viewer"))
    assert "failed e-mails again" not in client.get(reverse("outbox")).content.decode()
    assert client.get(reverse("outbox_queue_again_failed")).status_code == 403
    assert client.post(reverse("outbox_queue_again_failed"), {"up_to": 10**9}).status_code == 403
    assert OutboundEmail.objects.filter(status="failed").count() == 2


def test_a_waiting_mail_says_until_when_it_is_tried(client, django_user_model, request_row, settings):
    settings.OUTBOX_RETRY_DAYS = 7
    email = queue_follow_up(request_row)
    queued_at = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    OutboundEmail.objects.filter(pk=email.pk).update(queued_at=queued_at, attempts=3)
    client.force_login(staff(django_user_model, "auditor", "viewer"))
    detail = client.get(reverse("outbox_email", args=[email.pk])).content.decode()
    until = timezone.localtime(queued_at + dt.timedelta(days=7))
    assert "Waiting to retry</span> · 3 attempts" in detail
    assert f"tried until {until:%Y-%m-%d %H:%M}" in detail
