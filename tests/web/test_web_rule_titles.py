"""The review rules' words in the Chinese portal and follow-up e-mails: every rule the core registers has a
Chinese title, and a supplier reading Chinese sees each finding under what its rule found, said to the
supplier in Chinese, with the core's English question below as the original."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.review import RULES
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.portal.templatetags.review_rules import rule_title
from oretrace.web.suppliers.models import Contact

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# What the core writes for an e-mail address without "@" (rule required-field-missing), and its title.
MESSAGE = "Email – Contact has no “@” (&#x27;li.wei at tianma&#x27;); the template&#x27;s Checker counts it as missing."
TITLE_ZH = "缺少模板自带 Checker 要求填写的字段"
TITLE_EN = "A field the template&#x27;s own Checker requires is missing"
# What the rule says to the supplier (Rule.for_supplier), in Chinese and in English.
SAID_ZH = "您的文件中有一项模板的 Checker 要求填写的字段为空，或其填写方式不被 Checker 接受。"
SAID_EN = "A field the template&#x27;s Checker requires is empty in your file, or filled in a way the Checker does not accept."
# The core's question for the same finding: what a follow-up e-mail lists.
QUESTION = "Please enter a valid e-mail address for “Email – Contact” in Declaration!D16."


def test_every_review_rule_has_a_chinese_title():
    # RULES is read as it is now: a rule added or retitled in the core fails here until the portal's
    # catalogue (portal/locale/zh_Hans/LC_MESSAGES/django.po, then msgfmt) translates its title.
    assert len(RULES) > 40
    with translation.override("zh-hans"):
        untranslated = {
            code: rule.title for code, rule in RULES.items() if not CHINESE.search(rule_title(code))
        }
    assert untranslated == {}


def test_an_unknown_code_has_no_title():
    with translation.override("zh-hans"):
        assert rule_title("a-rule-since-retired") == "" and rule_title(None) == ""
        assert rule_title("required-field-missing") == TITLE_ZH


@pytest.fixture
def reviewed(client):
    """Supplier 0's file, reviewed by the core: the contact's e-mail address has no "@"."""
    _, bob, _ = staff()
    _, requests = campaign_with_suppliers(1)
    submission = submitted(requests[0], data=cmrt_bytes(D16="li.wei at tianma"))
    assert [f["code"] for f in submission.findings] == ["required-field-missing"]
    req = requests[0]
    req.refresh_from_db()
    return {"request": req, "token": req.issue_link(), "analyst": bob, "submission": submission}


def review_page(client, reviewed) -> str:
    url = reverse("portal:file_review", kwargs={"token": reviewed["token"], "version": 1})
    return client.get(url).content.decode()


def test_the_chinese_portal_says_what_was_found_in_chinese_above_the_english_question(
    client, reviewed, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = review_page(client, reviewed)
    finding = html[html.index('<ol class="findings">') : html.index("</ol>")]
    assert f'<p class="rule">{SAID_ZH}</p>' in finding
    assert (
        f'<b>处理方法：</b> <span class="original">原文（英文）：</span> <span lang="en">{QUESTION}</span>'
        in finding
    )
    assert finding.index(SAID_ZH) < finding.index("处理方法")
    assert MESSAGE not in html and TITLE_ZH not in html  # the analyst's words stay on staff pages


def test_the_english_portal_says_what_was_found_without_the_original_label(client, reviewed, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = review_page(client, reviewed)
    assert f'<p class="rule">{SAID_EN}</p>' in html
    assert f'<b>What to do:</b> <span lang="en">{QUESTION}</span>' in html
    assert MESSAGE not in html and TITLE_EN not in html
    assert "Original text" not in html


def test_the_follow_up_questions_say_what_was_found_in_chinese(client, reviewed, settings):
    req = reviewed["request"]
    req.request_follow_up(by=reviewed["analyst"], findings=reviewed["submission"].findings, message="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("portal:request", kwargs={"token": reviewed["token"]})).content.decode()
    questions = html[html.index('id="questions"') : html.index("</section>", html.index('id="questions"'))]
    assert f'<b class="rule">{SAID_ZH}</b><br><span class="original">原文（英文）：</span>' in questions
    assert "Please enter a valid e-mail address for “Email – Contact” in Declaration!D16." in questions


def follow_up_email(client, reviewed, language: str) -> OutboundEmail:
    """The e-mail an analyst's follow-up on the finding sends to a supplier whose contact reads ``language``."""
    req = reviewed["request"]
    Contact.objects.filter(supplier=req.supplier).update(language=language)
    client.force_login(reviewed["analyst"])
    client.post(reverse("request_action", args=[req.pk, "follow-up"]), {"finding": ["0"], "note": ""})
    return OutboundEmail.objects.get(template="follow-up")


def test_a_chinese_suppliers_follow_up_email_says_what_was_found_in_chinese_above_the_english_original(
    client, reviewed
):
    email = follow_up_email(client, reviewed, "zh-hans")
    assert email.language == "zh-hans"
    assert (
        email.subject
        == "Acme Instruments 对您的 CMRT 有疑问 / Acme Instruments has questions about your CMRT"
    )
    assert f"1. [Declaration!D16] {SAID_ZH}\n   原文（英文）： {QUESTION}\n" in email.text
    assert (
        f'<b>{SAID_ZH}</b><br><span style="color:#5b6b66;">原文（英文）：</span> <span lang="en">{QUESTION}</span></li>'
        in email.html
    )


def test_an_english_suppliers_follow_up_email_says_what_was_found_above_each_question(client, reviewed):
    email = follow_up_email(client, reviewed, "en")
    assert email.language == "en" and email.subject == "Acme Instruments has questions about your CMRT"
    assert f"1. [Declaration!D16] {html.unescape(SAID_EN)}\n   {QUESTION}\n" in email.text
    assert f"</code> {QUESTION}</li>" in email.html
    assert not CHINESE.search(email.text + email.html)
    assert "Original text" not in email.text and html.unescape(TITLE_EN) not in email.text
