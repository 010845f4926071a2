"""Reminders and escalations go out on each campaign's schedule, once each, and stop when the supplier answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from supplier_requests import make_campaign, make_supplier, sent_request

from oretrace.web.campaigns.models import Request, State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.reminders import queue_due_reminders

pytestmark = pytest.mark.django_db

SENT = timezone.make_aware(dt.datetime(2025, 1, 6, 9, 0))


def day(n: int) -> dt.datetime:
    return SENT + dt.timedelta(days=n, minutes=1)


@pytest.fixture
def campaign():
    return make_campaign(reminder_days=[14, 28], escalation_days=42)


@pytest.fixture
def kaifa(campaign):
    return sent_request(
        campaign, make_supplier("kaifa", "Kaifa Precision Ltd", language="zh-hans"), sent_at=SENT
    )


def keys() -> list[str]:
    return list(OutboundEmail.objects.order_by("id").values_list("key", flat=True))


def test_nothing_is_due_before_the_first_reminder_day(kaifa):
    assert queue_due_reminders(day(13)) == 0
    assert OutboundEmail.objects.count() == 0


def test_reminders_go_out_on_the_schedule_days_once_each(kaifa):
    assert queue_due_reminders(day(14)) == 1
    assert queue_due_reminders(day(15)) == 0
    assert queue_due_reminders(day(28)) == 1
    assert queue_due_reminders(day(29)) == 0
    assert keys() == [f"reminder:{kaifa.pk}:14", f"reminder:{kaifa.pk}:28"]
    reminder = OutboundEmail.objects.get(key=f"reminder:{kaifa.pk}:14")
    assert reminder.to == ["li.wei@kaifa.example"]
    assert reminder.request == kaifa
    assert reminder.subject == (
        "提醒：您需提交给 Acme Instruments 的 CMRT 截止日期为 2025-03-31 / "
        "Reminder: your CMRT for Acme Instruments is due on 2025-03-31"
    )
    assert reminder.language == "zh-hans"  # the contact's language
    kaifa.refresh_from_db()
    assert (kaifa.reminders_sent, kaifa.last_reminder_at) == (2, day(28))


def test_each_reminder_carries_a_link_that_opens_the_request(kaifa):
    queue_due_reminders(day(14))
    reminder = OutboundEmail.objects.get()
    link = next(word for word in reminder.text.split() if "/p/" in word)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert Request.for_token(token) == kaifa
    assert token not in kaifa.links.get().token_hash  # only the hash is stored


def test_a_late_run_sends_only_the_latest_reminder_due(kaifa):
    assert queue_due_reminders(day(30)) == 1
    assert keys() == [f"reminder:{kaifa.pk}:28"]


def test_escalation_goes_to_the_escalation_contact_and_the_internal_owner(kaifa, django_user_model):
    owner = django_user_model.objects.create_user("buyer", email="buyer@acme.example")
    kaifa.supplier.internal_owner = owner
    kaifa.supplier.save()
    queue_due_reminders(day(28))
    queue_due_reminders(day(42))
    escalation = OutboundEmail.objects.get(key=f"escalation:{kaifa.pk}")
    assert escalation.to == ["director@kaifa.example"]
    assert escalation.subject == "Escalation: Kaifa Precision Ltd has not answered our CMRT request"
    assert OutboundEmail.objects.get(key=f"escalation:{kaifa.pk}:staff").to == ["buyer@acme.example"]
    assert queue_due_reminders(day(50)) == 0
    kaifa.refresh_from_db()
    assert kaifa.escalated_at == day(42)


def test_reminders_stop_once_the_supplier_submits(kaifa):
    queue_due_reminders(day(14))
    kaifa.transition(State.SUBMITTED, "supplier via link")
    assert queue_due_reminders(day(28)) == 0
    assert queue_due_reminders(day(42)) == 0
    assert keys() == [f"reminder:{kaifa.pk}:14"]


def test_reminders_stop_once_the_supplier_declines(kaifa):
    kaifa.decline(
        name="Li Wei", title="Quality manager", statement="Our products contain no 3TG.", by="supplier"
    )
    assert queue_due_reminders(day(42)) == 0
    assert OutboundEmail.objects.count() == 0


def test_an_opened_but_unanswered_request_is_still_reminded(kaifa):
    kaifa.mark_opened()
    assert queue_due_reminders(day(14)) == 1


def test_closed_campaigns_and_unsent_requests_get_nothing(campaign, kaifa):
    Request.objects.create(campaign=campaign, supplier=make_supplier("wistron", "Wistron Components"))
    campaign.closed = True
    campaign.save()
    assert queue_due_reminders(day(42)) == 0
    campaign.closed = False
    campaign.save()
    assert queue_due_reminders(day(14)) == 1  # kaifa only: the draft request was never sent


def test_the_command_queues_what_is_due_now(campaign):
    request = sent_request(
        campaign, make_supplier("luxshare", "Luxshare Cable"), sent_at=timezone.now() - dt.timedelta(days=15)
    )
    call_command("send_reminders", "--once")
    call_command("send_reminders", "--once")
    assert keys() == [f"reminder:{request.pk}:14"]


def test_the_delivery_worker_also_runs_the_reminder_loop(campaign, mailoutbox):
    request = sent_request(
        campaign, make_supplier("luxshare", "Luxshare Cable"), sent_at=timezone.now() - dt.timedelta(days=29)
    )
    call_command("deliver_outbox", "--once", "--reminders")
    assert [m.subject for m in mailoutbox] == [
        "Reminder: your CMRT for Acme Instruments was due on 2025-03-31"
    ]
    assert OutboundEmail.objects.get().key == f"reminder:{request.pk}:28"
