"""What the e-mails say: "is due on" before the due date and "was due on" after it; a contact who reads
Chinese gets every e-mail in Chinese with the English below; the worker never writes to a supplier twice
within two days (a reminder and the escalation in the same run); the escalation to our own staff links
to the staff page, never to the supplier's portal."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from fictional_template import build_cmrt
from supplier_requests import link_in, make_campaign, make_supplier, sent_request

from oretrace.review import RULES
from oretrace.web.campaigns.models import Request, State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.reminders import MINIMUM_GAP, queue_due_reminders

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_BELOW = "-------------------- English --------------------"
# The test campaign (supplier_requests.make_campaign) is due 2025-03-31.
SENT = timezone.make_aware(dt.datetime(2025, 1, 6, 9, 0))
BEFORE_DUE = timezone.make_aware(dt.datetime(2025, 1, 20, 10, 0))  # day 14
AFTER_DUE = timezone.make_aware(dt.datetime(2025, 4, 2, 10, 0))  # after the due date


def request_for(language: str, *, sent_at=SENT, owner=None) -> Request:
    supplier = make_supplier("kaifa", "Kaifa Precision Ltd", language=language)
    if owner is not None:
        supplier.internal_owner = owner
        supplier.save()
    return sent_request(make_campaign(), supplier, sent_at=sent_at)


def test_a_reminder_before_the_due_date_says_it_is_due_on_that_date():
    request = request_for("en")
    assert queue_due_reminders(BEFORE_DUE) == 1
    email = OutboundEmail.objects.get()
    assert email.subject == "Reminder: your CMRT for Acme Instruments is due on 2025-03-31"
    assert "It is due on 2025-03-31." in email.text
    assert "was due" not in email.text and email.request == request


def test_a_reminder_after_the_due_date_says_it_was_due_on_that_date():
    # Sent late in the campaign: the first reminder falls after the due date.
    request_for("en", sent_at=AFTER_DUE - dt.timedelta(days=14, hours=1))
    assert queue_due_reminders(AFTER_DUE) == 1
    email = OutboundEmail.objects.get()
    assert email.subject == "Reminder: your CMRT for Acme Instruments was due on 2025-03-31"
    assert "It was due on 2025-03-31." in email.text
    assert "is due" not in email.text


def test_a_chinese_reminder_says_due_and_overdue_in_chinese_with_the_english_below():
    request_for("zh-hans", sent_at=AFTER_DUE - dt.timedelta(days=14, hours=1))
    queue_due_reminders(AFTER_DUE)
    email = OutboundEmail.objects.get()
    chinese, english = email.text.split(ENGLISH_BELOW)
    assert email.subject == (
        "提醒：您需提交给 Acme Instruments 的 CMRT 已于 2025-03-31 到期 / "
        "Reminder: your CMRT for Acme Instruments was due on 2025-03-31"
    )
    assert (
        "Li Wei，您好：" in chinese
        and "我们尚未收到 Kaifa Precision Ltd 2024 年度的 CMRT。该文件已于 2025-03-31 到期。" in chinese
    )
    assert "Dear Li Wei," in english and "It was due on 2025-03-31." in english
    assert not CHINESE.search(english)
    assert (
        email.html.index("已于 2025-03-31 到期")
        < email.html.index('<div lang="en">')
        < email.html.index("It was due on 2025-03-31.")
    )


def campaign_with_template():
    """A campaign that can send: the invitation promises the blank template."""
    campaign = make_campaign()
    campaign.store_blank_template(build_cmrt({}), "RMI_CMRT_6.5.xlsx")
    return campaign


def test_a_chinese_contact_gets_the_invitation_in_chinese_with_the_english_below(django_user_model):
    request = Request.objects.create(
        campaign=campaign_with_template(), supplier=make_supplier("kaifa", "Kaifa", language="zh-hans")
    )
    request.send(django_user_model.objects.create_user("bob"))
    email = OutboundEmail.objects.get(template="invitation")
    chinese, english = email.text.split(ENGLISH_BELOW)
    assert email.language == "zh-hans"
    assert email.subject == (
        "Acme Instruments：2024 年度冲突矿产报告模板 / Acme Instruments: Conflict Minerals Reporting Template for 2024"
    )
    assert "请在 2025-03-31 之前通过您的专属链接上传填写完成的文件" in chinese
    assert "Please upload the completed file by 2025-03-31 through your personal link" in english
    # One personal link, the same in both languages, that opens the request.
    links = set(re.findall(r"http://\S+/p/\S+/", email.text))
    assert len(links) == 1 and Request.for_token(link_in(email)) == request


def test_an_english_contact_gets_english_only(django_user_model):
    request = Request.objects.create(
        campaign=campaign_with_template(), supplier=make_supplier("kaifa", "Kaifa")
    )
    request.send(django_user_model.objects.create_user("bob"))
    email = OutboundEmail.objects.get(template="invitation")
    assert email.language == "en" and ENGLISH_BELOW not in email.text
    assert not CHINESE.search(email.subject + email.text + email.html)


def test_a_chinese_contact_gets_a_follow_up_in_chinese_with_the_english_below(django_user_model):
    request = request_for("zh-hans")
    request.transition(State.SUBMITTED, "supplier via link")
    finding = {
        "code": "required-field-missing",
        "severity": "error",
        "sheet": "Declaration",
        "cell": "D15",
        "message": "Contact Name is blank; the template's Checker requires it.",
        "question": "Please fill in “Contact Name” (Declaration!D15).",
    }
    request.request_follow_up(by=django_user_model.objects.create_user("bob"), findings=[finding], message="")
    email = OutboundEmail.objects.get(template="follow-up")
    chinese, english = email.text.split(ENGLISH_BELOW)
    assert "您的文件中有一项模板的 Checker 要求填写的字段为空，或其填写方式不被 Checker 接受。" in chinese
    assert "Kaifa Precision Ltd，您好：" in chinese
    assert (
        "Dear Kaifa Precision Ltd," in english
        and "Please fill in “Contact Name” (Declaration!D15)." in english
    )
    assert not CHINESE.search(english)


def test_an_english_follow_up_says_what_each_rule_found_above_the_question(django_user_model):
    request = request_for("en")
    request.transition(State.SUBMITTED, "supplier via link")
    finding = {
        "code": "required-field-missing",
        "severity": "error",
        "sheet": "Declaration",
        "cell": "D15",
        "message": "Contact Name is blank; the template's Checker requires it.",
        "question": "Please fill in “Contact Name” (Declaration!D15).",
    }
    request.request_follow_up(by=django_user_model.objects.create_user("bob"), findings=[finding], message="")
    text = OutboundEmail.objects.get(template="follow-up").text
    said = RULES["required-field-missing"].for_supplier
    assert f"1. [Declaration!D15] {said}\n   Please fill in “Contact Name” (Declaration!D15)." in text
    assert "Original text (English)" not in text


def test_the_worker_never_sends_a_reminder_and_the_escalation_together(django_user_model):
    # A worker that was down (or a campaign sent long ago) finds the day-28 reminder and the day-42
    # escalation both due: the reminder goes now, the escalation on a run at least two days later.
    owner = django_user_model.objects.create_user("buyer", email="buyer@acme.example")
    request = request_for("en", owner=owner)
    late = SENT + dt.timedelta(days=50)
    assert queue_due_reminders(late) == 1
    assert queue_due_reminders(late + dt.timedelta(minutes=1)) == 0
    assert queue_due_reminders(late + MINIMUM_GAP - dt.timedelta(minutes=1)) == 0
    assert list(OutboundEmail.objects.values_list("key", flat=True)) == [f"reminder:{request.pk}:28"]
    assert queue_due_reminders(late + MINIMUM_GAP) == 1
    assert set(OutboundEmail.objects.values_list("key", flat=True)) == {
        f"reminder:{request.pk}:28",
        f"escalation:{request.pk}",
        f"escalation:{request.pk}:staff",
    }
    request.refresh_from_db()
    assert request.escalated_at - request.last_reminder_at == MINIMUM_GAP


def test_the_staff_escalation_links_to_the_staff_page_and_never_to_the_supplier_portal(
    django_user_model, settings
):
    owner = django_user_model.objects.create_user("buyer", email="buyer@acme.example")
    request = request_for("zh-hans", owner=owner)
    for day in (14, 28, 42):
        queue_due_reminders(SENT + dt.timedelta(days=day, minutes=1))
    staff = OutboundEmail.objects.get(key=f"escalation:{request.pk}:staff")
    assert staff.to == ["buyer@acme.example"] and staff.language == "en"
    assert staff.subject == "Escalation: Kaifa Precision Ltd has not answered the CMRT request"
    assert "/p/" not in staff.text + staff.html
    staff_page = settings.SITE_URL + reverse("request", args=[request.pk])
    assert staff_page in staff.text and f'href="{staff_page}"' in staff.html
    assert "after 2 reminders" in staff.text and "director@kaifa.example" in staff.text
    assert not CHINESE.search(staff.text)
    # The supplier's escalation contact gets the personal link, in its language, and it opens the request.
    supplier_side = OutboundEmail.objects.get(key=f"escalation:{request.pk}")
    assert supplier_side.to == ["director@kaifa.example"]
    assert Request.for_token(link_in(supplier_side)) == request
    assert "buyer@acme.example" not in supplier_side.to


def test_a_chinese_escalation_contact_reads_the_escalation_in_chinese():
    request = request_for("en")
    request.supplier.contacts.filter(is_escalation=True).update(language="zh-hans")
    for day in (14, 28, 42):
        queue_due_reminders(SENT + dt.timedelta(days=day, minutes=1))
    email = OutboundEmail.objects.get(key=f"escalation:{request.pk}")
    chinese, english = email.text.split(ENGLISH_BELOW)
    assert email.subject.startswith(
        "升级通知：Kaifa Precision Ltd 尚未回复我们的 CMRT 调查请求 / Escalation:"
    )
    assert "虽经多次提醒，至今仍未收到回复" in chinese and "despite reminders" in english
    # The reminders went to the primary contact, who reads English.
    assert OutboundEmail.objects.get(key=f"reminder:{request.pk}:28").language == "en"


def test_without_an_internal_owner_only_the_supplier_side_is_escalated():
    request_for("en")
    for day in (14, 28, 42):
        queue_due_reminders(SENT + dt.timedelta(days=day, minutes=1))
    assert OutboundEmail.objects.filter(key__startswith="escalation").count() == 1
    assert queue_due_reminders(SENT + dt.timedelta(days=60)) == 0


def test_the_demo_leaves_nothing_for_the_worker_to_send_at_start_up(monkeypatch, tmp_path):
    from oretrace.web import demo

    monkeypatch.setattr(demo, "SHARED", tmp_path / "no-shared")
    demo.load_demo(indirect=23, log=lambda _: None)
    campaign = demo.Campaign.objects.get(closed=False, template_kind="CMRT")
    today = timezone.localdate()
    # Its dates are relative to today: sent 120 days ago, due 78 days after sending, so already past.
    assert campaign.due_date == today - dt.timedelta(days=120 - 78)
    assert campaign.requests.filter(sent_at__date=today - dt.timedelta(days=120)).count() == 25
    chased = OutboundEmail.objects.filter(template__in=["reminder", "escalation"])
    assert chased.exists()
    assert all(email.created <= timezone.now() for email in chased)
    assert queue_due_reminders() == 0
    # The worker's own schedule: never two e-mails to one supplier within MINIMUM_GAP.
    by_request: dict[int, list] = {}
    for email in chased.order_by("created"):
        by_request.setdefault(email.request_id, []).append(email.created)
    for moments in by_request.values():
        assert all(later - earlier >= MINIMUM_GAP for earlier, later in itertools.pairwise(moments))


CURRENT_TEXTS = "oretrace.web.campaigns.migrations.0013_campaign_crt_and_minerals_in_scope"


def test_campaigns_holding_the_earlier_standard_texts_get_the_current_ones_and_edited_texts_stay():
    from django.apps import apps

    from oretrace.web.campaigns.models import DEFAULT_TEXTS

    migration = importlib.import_module("oretrace.web.campaigns.migrations.0007_reminder_text_due_on")
    standard = make_campaign(**migration.OLD)
    edited = make_campaign(reminder_subject="Our reminder: due {due_date}", escalation_body="Ours: {link}")
    migration.use_current_texts(apps, None)
    standard.refresh_from_db()
    edited.refresh_from_db()
    for field in migration.OLD:
        assert getattr(standard, field) == migration.NEW[field]
    # The next migration of the standard texts takes them on to today's.
    importlib.import_module(CURRENT_TEXTS).use_current_texts(apps, None)
    standard.refresh_from_db()
    for field in migration.OLD:
        assert getattr(standard, field) == DEFAULT_TEXTS[field]
    assert (edited.reminder_subject, edited.escalation_body) == (
        "Our reminder: due {due_date}",
        "Ours: {link}",
    )


def test_campaigns_holding_the_cmrts_words_get_texts_that_name_their_own_template_and_minerals():
    from django.apps import apps

    from oretrace.web.campaigns.models import DEFAULT_TEXTS

    migration = importlib.import_module(CURRENT_TEXTS)
    standard = make_campaign(**migration.OLD)
    edited = make_campaign(invitation_subject="{organisation}: CMRT please")
    migration.use_current_texts(apps, None)
    standard.refresh_from_db()
    edited.refresh_from_db()
    for field in migration.OLD:
        assert getattr(standard, field) == DEFAULT_TEXTS[field] == migration.NEW[field]
    assert edited.invitation_subject == "{organisation}: CMRT please"
    # A CMRT campaign's invitation reads as it did.
    request = Request.objects.create(campaign=standard, supplier=make_supplier("kaifa", "Kaifa"))
    assert standard.render_text("invitation", request)[0] == (
        "Acme Instruments: Conflict Minerals Reporting Template for 2024"
    )
