"""The review rules' titles in the Chinese portal: every rule the core registers has a Chinese title, and
a supplier reading Chinese sees each finding under it, with the core's English text below as the original."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.review import RULES
from oretrace.web.portal.templatetags.review_rules import rule_title

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# What the core writes for an e-mail address without "@" (rule required-field-missing), and its title.
MESSAGE = "Email – Contact has no “@” (&#x27;li.wei at tianma&#x27;); the template&#x27;s Checker counts it as missing."
TITLE_ZH = "缺少模板自带 Checker 要求填写的字段"
TITLE_EN = "A field the template&#x27;s own Checker requires is missing"


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


def test_the_chinese_portal_shows_the_translated_title_above_the_english_original(client, reviewed, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = review_page(client, reviewed)
    finding = html[html.index('<ol class="findings">') : html.index("</ol>")]
    assert f'<p class="rule">{TITLE_ZH}</p>' in finding
    assert f'<span class="original">原文（英文）：</span> <span lang="en">{MESSAGE}</span>' in finding
    assert finding.index(TITLE_ZH) < finding.index(MESSAGE)
    assert "<b>处理方法：</b>" in finding


def test_the_english_portal_shows_the_english_title_without_the_original_label(client, reviewed, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = review_page(client, reviewed)
    assert f'<p class="rule">{TITLE_EN}</p>' in html
    assert f'<p class="what"><span lang="en">{MESSAGE}</span></p>' in html
    assert "Original text" not in html


def test_the_follow_up_questions_carry_the_translated_title(client, reviewed, settings):
    req = reviewed["request"]
    req.request_follow_up(by=reviewed["analyst"], findings=reviewed["submission"].findings, message="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("portal:request", kwargs={"token": reviewed["token"]})).content.decode()
    questions = html[html.index('id="questions"') : html.index("</section>", html.index('id="questions"'))]
    assert f'<b class="rule">{TITLE_ZH}</b><br><span class="original">原文（英文）：</span>' in questions
    assert "Please enter a valid e-mail address for “Email – Contact” in Declaration!D16." in questions
