"""A limit on the files one request takes (ORETRACE_MAX_VERSIONS_PER_REQUEST): every version is kept
and goes into the evidence package, so a link that leaked, or a script, cannot fill the disk. The file
over the limit is refused before anything is read or stored, in the supplier's language and on the
staff upload alike."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fictional_template import build_cmrt
from processes import django_process
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.web.campaigns import reference
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import RequestEvent, State

pytestmark = pytest.mark.django_db

ENGLISH = (
    "This request already holds 2 files, the most it accepts. If your answers must change again, "
    "please write to the person who sent you this request."
)
CHINESE = "此调查请求已有 2 个文件，已达到可接收的上限。如需再次更改您的回答，请联系向您发送此请求的人员。"


@pytest.fixture
def full(settings):
    """A request holding 2 files, the limit."""
    settings.MAX_VERSIONS_PER_REQUEST = 2
    _alice, bob, _vera = staff()
    reference.load_reference_from_template(build_cmrt({}), "blank.xlsx")
    _campaign, requests = campaign_with_suppliers(1)
    request = requests[0]
    submitted(request, data=cmrt_bytes(D17="+86 1"))
    submitted(request, data=cmrt_bytes(D17="+86 2"))
    request.refresh_from_db()
    return {"request": request, "analyst": bob}


def stored_files(settings) -> int:
    return sum(1 for p in settings.SUBMISSIONS_DIR.rglob("*") if p.is_file())


def test_the_file_over_the_limit_is_refused_and_nothing_is_stored(full, settings):
    request = full["request"]
    before = (stored_files(settings), RequestEvent.objects.count(), request.latest_submission_id)
    submission, message = store_file(request, cmrt_bytes(D17="+86 3"), "third.xlsx", "supplier via link")
    assert (submission, message) == (None, ENGLISH)
    request.refresh_from_db()
    assert list(request.submissions.values_list("version", flat=True)) == [2, 1]
    assert (stored_files(settings), RequestEvent.objects.count(), request.latest_submission_id) == before
    assert request.state == State.SUBMITTED


def test_the_limit_is_checked_before_the_file_is_read(full):
    # Not even a workbook: the limit is what the uploader needs to hear.
    submission, message = store_file(full["request"], b"not a workbook", "x.xlsx", "supplier via link")
    assert (submission, message) == (None, ENGLISH)


def test_the_portal_tells_the_supplier_in_english_and_in_chinese(client, full, settings):
    token = full["request"].issue_link()
    upload = reverse("portal:upload", kwargs={"token": token})
    for language, message in (("en", ENGLISH), ("zh-hans", CHINESE)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        data = SimpleUploadedFile("third.xlsx", cmrt_bytes(D17="+86 3"))
        page = client.post(upload, {"file": data})
        assert page.status_code == 400
        assert message in page.content.decode()
    assert full["request"].submissions.count() == 2


def test_the_staff_upload_is_refused_with_the_setting_named(client, full):
    request = full["request"]
    client.force_login(full["analyst"])
    data = SimpleUploadedFile("by e-mail.xlsx", cmrt_bytes(D17="+86 3"))
    response = client.post(reverse("request_upload", args=[request.pk]), {"file": data})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "by e-mail.xlsx: This request already holds 2 files, the most one request takes "
        "(ORETRACE_MAX_VERSIONS_PER_REQUEST). Nothing was stored."
    ]
    assert request.submissions.count() == 2


def test_the_last_file_the_limit_allows_is_stored(full, settings):
    settings.MAX_VERSIONS_PER_REQUEST = 3
    submission, message = store_file(
        full["request"], cmrt_bytes(D17="+86 3"), "third.xlsx", "supplier via link"
    )
    assert message == "" and submission.version == 3


def test_the_limit_comes_from_the_environment(tmp_path):
    code = "print(settings.MAX_VERSIONS_PER_REQUEST)"
    assert django_process(tmp_path, code, ORETRACE_DEBUG="1").stdout.strip() == "20"
    done = django_process(tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_MAX_VERSIONS_PER_REQUEST="50")
    assert done.stdout.strip() == "50", done.stderr
    refused = django_process(tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_MAX_VERSIONS_PER_REQUEST="0")
    assert "ORETRACE_MAX_VERSIONS_PER_REQUEST='0': expected at least 1" in refused.stderr
