"""The portal speaks to the supplier: a finding shows what its rule found, said to the supplier ("Your
file …"), and the question, never the analyst's message ("the supplier cannot know …"), which staff
pages keep; a file that cannot be read says what the supplier can do, not "ask the supplier"."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from staff_data import campaign_with_suppliers, cmrt_bytes, staff

from oretrace.errors import ALL_ERRORS, OretraceError
from oretrace.review import RULES
from oretrace.web.portal.templatetags.review_rules import for_supplier

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
STAFF_WORDS = re.compile(r"\bthe supplier\b|\bask the supplier|\bhigh risk\b", re.IGNORECASE)
# Q3 "No" for every mineral, but Q7 "No" (not all smelters identified) for the first: the consistency rule
# whose analyst message says "the supplier cannot know …"; and a contact e-mail address without "@".
TELLING_FILE = {"D62": "No", "D16": "li.wei at tianma"}


def test_every_rule_says_what_it_found_in_chinese():
    with translation.override("zh-hans"):
        untranslated = {
            code: rule.for_supplier for code, rule in RULES.items() if not CHINESE.search(for_supplier(code))
        }
    assert untranslated == {}


def test_every_unreadable_file_error_says_what_to_do_in_chinese():
    with translation.override("zh-hans"):
        untranslated = [
            e.code
            for e in (OretraceError, *ALL_ERRORS)
            if not CHINESE.search(translation.gettext(e.for_supplier))
        ]
    assert untranslated == []
    assert not [e.code for e in (OretraceError, *ALL_ERRORS) if STAFF_WORDS.search(e.for_supplier)]


@pytest.fixture
def portal(client):
    _, bob, _ = staff()
    _, requests = campaign_with_suppliers(1)
    request = requests[0]
    request.send(bob)
    return {"request": request, "token": request.issue_link(), "analyst": bob}


def upload(client, portal, data: bytes, name: str = "CMRT.xlsx"):
    address = reverse("portal:upload", kwargs={"token": portal["token"]})
    return client.post(address, {"file": SimpleUploadedFile(name, data)})


def test_an_upload_with_findings_is_explained_to_the_supplier_in_its_own_words(client, portal, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(client, portal, cmrt_bytes(**TELLING_FILE))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    submission = portal["request"].submissions.get()
    shown = [f for f in submission.findings if f["severity"] in ("error", "warning")]
    codes = {f["code"] for f in shown}
    assert {"covered-countries-no-without-full-knowledge", "required-field-missing"} <= codes
    for finding in shown:
        assert RULES[finding["code"]].for_supplier.replace("'", "&#x27;") in html
        assert finding["message"].replace("'", "&#x27;") not in html
    assert "Your file rules out the DRC and its neighbours while not all your suppliers have answered" in html
    assert STAFF_WORDS.findall(html) == []


def test_the_chinese_portal_says_it_in_chinese(client, portal, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = upload(client, portal, cmrt_bytes(**TELLING_FILE))
    html = client.get(response["Location"]).content.decode()
    assert (
        '<p class="rule">您的文件排除了刚果民主共和国及其邻国，但您的供应商并未全部答复，或冶炼厂并未全部识别。</p>'
        in html
    )
    assert STAFF_WORDS.findall(html) == []


def test_staff_pages_keep_the_analysts_wording(client, portal):
    upload(client, portal, cmrt_bytes(**TELLING_FILE))
    client.force_login(portal["analyst"])
    html = client.get(reverse("request", args=[portal["request"].pk])).content.decode()
    assert "the supplier cannot know that no smelter sources from the covered countries" in html


def test_a_file_that_is_not_a_workbook_tells_the_supplier_what_to_do(client, portal, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = upload(client, portal, b"%PDF-1.7 a scanned declaration", "CMRT.pdf").content.decode()
    assert (
        "This file is not an Excel workbook. Please upload the completed template as an Excel file (.xlsx)."
        in html
    )
    assert STAFF_WORDS.findall(html) == []
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = upload(client, portal, b"%PDF-1.7 a scanned declaration", "CMRT.pdf").content.decode()
    assert "此文件不是 Excel 工作簿。请以 Excel 文件（.xlsx）格式上传填写完成的模板。" in html


def test_staff_uploading_the_same_file_read_the_analysts_message(client, portal):
    client.force_login(portal["analyst"])
    address = reverse("request_upload", args=[portal["request"].pk])
    response = client.post(
        address, {"file": SimpleUploadedFile("CMRT.pdf", b"%PDF-1.7 a scanned declaration")}, follow=True
    )
    assert "Ask the supplier for the completed template" in response.content.decode()
