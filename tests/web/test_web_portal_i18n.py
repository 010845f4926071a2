"""The portal and supplier e-mails in Simplified Chinese: every text translated, the language switchable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from supplier_requests import make_campaign, make_supplier, sent_request

import oretrace.web as web
import oretrace.web.grievances as grievances_app
import oretrace.web.outbox as outbox_app
import oretrace.web.portal as portal_app
from oretrace.web.outbox.mail import send_email

pytestmark = pytest.mark.django_db

CATALOGUES = [
    Path(app.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    for app in (portal_app, outbox_app, web, grievances_app)
]


def po_entries(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every singular entry, and (msgid, msgstr[0]) of plural ones."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = json.loads(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += json.loads(line)
        if fields.get("msgid"):
            entries.append((fields["msgid"], fields.get("msgstr", fields.get("msgstr[0]", ""))))
    return entries


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["portal", "outbox", "site", "grievances"])
def test_every_text_has_a_chinese_translation_and_the_compiled_catalogue_is_current(catalogue):
    entries = po_entries(catalogue)
    assert len(entries) > 5
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert untranslated == []
    with translation.override("zh-hans"):
        stale = [msgid for msgid, msgstr in entries if translation.gettext(msgid) != msgstr]
    assert stale == [], "run msgfmt: the .mo file does not match the .po file"


def test_placeholders_survive_translation():
    for catalogue in CATALOGUES:
        for msgid, msgstr in po_entries(catalogue):
            assert sorted(re.findall(r"%\(\w+\)", msgid)) == sorted(re.findall(r"%\(\w+\)", msgstr)), msgid


@pytest.fixture
def token():
    request = sent_request(make_campaign(), make_supplier("luxshare", "Luxshare Cable Co."))
    return request.issue_link()


def test_the_portal_speaks_chinese_when_chosen(client, token, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("portal:request", kwargs={"token": token}))
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "Acme Instruments 请您提交 2024 年度的 CMRT" in html
    assert "RMI CMRT，6.4 或更高版本" in html
    assert "截止日期" in html
    assert "上传并检查" in html
    assert "提交声明并拒绝" in html
    assert page["Content-Language"] == "zh-hans"


def test_the_contacts_language_is_the_default(client, settings):
    request = sent_request(make_campaign(), make_supplier("kaifa", "Kaifa Precision Ltd", language="zh-hans"))
    html = client.get(reverse("portal:request", kwargs={"token": request.issue_link()})).content.decode()
    assert "请您提交" in html
    # The supplier's own choice wins over our records.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("portal:request", kwargs={"token": request.issue_link()})).content.decode()
    assert "Acme Instruments asks for your CMRT for 2024" in html


def test_the_language_switcher_returns_to_the_same_page(client, token, settings):
    page_url = reverse("portal:request", kwargs={"token": token})
    html = client.get(page_url).content.decode()
    assert 'name="language" value="zh-hans"' in html and "简体中文" in html
    switched = client.post(reverse("set_language"), {"language": "zh-hans", "next": page_url})
    assert switched.status_code == 302
    assert switched["Location"] == page_url
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "请您提交" in client.get(page_url).content.decode()


def test_a_bad_link_is_explained_in_chinese(client):
    page = client.get(
        reverse("portal:request", kwargs={"token": "no-such-token"}), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"
    )
    assert page.status_code == 404
    assert "此链接无效" in page.content.decode()


def test_a_refused_upload_is_explained_in_chinese(client, token, settings):
    settings.MAX_UPLOAD_BYTES = 1_048_576
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = client.post(
        reverse("portal:upload", kwargs={"token": token}),
        {"file": SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 2_200_000)},
    )
    html = page.content.decode()
    assert "我们无法接收此文件。" in html
    assert "此文件大小为 2.1 MB；仅接受不超过 1 MB 的文件。" in html


def test_refused_answers_are_explained_in_chinese(client, settings):
    from oretrace.web.campaigns.models import FollowUp

    request = sent_request(make_campaign(), make_supplier("kaifa", "Kaifa Precision Ltd", language="zh-hans"))
    FollowUp.objects.create(request=request, author_label="analyst", message="CID?", questions=[])
    settings.PORTAL_ANSWERS_PER_DAY, settings.PORTAL_ANSWER_MAX_CHARS = 1, 10
    answer = reverse("portal:answer", kwargs={"token": request.issue_link()})
    too_long = client.post(answer, {"message": "一" * 11}).content.decode()
    assert "您的回复有 11 个字符；每条回复最多可包含 10 个字符。请缩短内容。" in too_long
    assert client.post(answer, {"message": "CID002763"}).status_code == 302
    too_many = client.post(answer, {"message": "CID002764"}).content.decode()
    assert "我们无法接受您的回复。" in too_many and "本次未保存任何内容。" in too_many
    assert "您在过去 24 小时内已发送 1 条回复，已达到我们每天接受的上限。" in too_many


def test_an_e_mail_is_written_in_the_recipients_language():
    request = sent_request(make_campaign(), make_supplier("luxshare", "Luxshare Cable Co."))
    context = {"request": request, "message": "", "questions": [], "link": "http://testserver/p/t/"}
    chinese = send_email("follow-up", ["li.wei@luxshare.example"], context, language="zh-hans")
    english = send_email("follow-up", ["li.wei@luxshare.example"], context, language="en")
    assert (
        chinese.subject
        == "Acme Instruments 对您的 CMRT 有疑问 / Acme Instruments has questions about your CMRT"
    )
    assert chinese.language == "zh-hans"
    assert "请通过您的专属链接回复或上传更正后的文件：" in chinese.text
    assert "回答问题" in chinese.html
    assert english.subject == "Acme Instruments has questions about your CMRT"
