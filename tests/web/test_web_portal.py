"""The supplier portal: every page behind the personal link, bad links, bad files, declining, answering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from supplier_requests import make_campaign, make_supplier, sent_request

from oretrace.review import RULES
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign, FollowUp, State, Submission
from samples import CENTRAL_GLASS, shared_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return make_campaign()


@pytest.fixture
def kaifa(campaign):
    return sent_request(campaign, make_supplier("kaifa", "Kaifa Precision Ltd"))


@pytest.fixture
def token(kaifa):
    return kaifa.issue_link()


def url(name: str, token: str, **kwargs) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token, **kwargs})


def record_of(filename: str, findings) -> dict:
    """The core's record of a file with these findings (oretrace.rollup.analyse.FileAnalysis)."""
    from oretrace.review import Finding, ReviewReport
    from oretrace.rollup.analyse import FileAnalysis

    report = ReviewReport(filename, "CMRT", "6.4", None, tuple(Finding(**f) for f in findings))
    return FileAnalysis(filename, kind="CMRT", version="6.4", report=report).as_dict()


def add_submission(request, *, version=1, findings=()) -> Submission:
    """A stored version with given findings (the review itself is the core's, tested there)."""
    submission = Submission.objects.create(
        request=request,
        version=version,
        sha256="0" * 64,
        filename=f"kaifa_cmrt_v{version}.xlsx",
        size=1000,
        uploaded_by_label="supplier via link",
        template_kind="CMRT",
        template_version="6.4",
        data={},
        record=record_of(f"kaifa_cmrt_v{version}.xlsx", findings),
        findings_count=len(findings),
    )
    request.latest_submission = submission
    request.save(update_fields=["latest_submission"])
    return submission


MISSING_Q1 = {
    "code": "missing-answer",
    "severity": "error",
    "mineral": "Tin",
    "sheet": "Declaration",
    "cell": "D24",
    "message": "Question 1 for tin is not answered.",
    "question": "Please answer question 1 for tin (Yes or No) in Declaration D24.",
}
UNKNOWN_SMELTER = {
    "code": "smelter-not-identified",
    "severity": "warning",
    "mineral": "Gold",
    "sheet": "Smelter List",
    "cell": "row 12",
    "message": "The gold smelter 'Shanghai Gold Ref.' has no Smelter Identification.",
    "question": "Could you give the Smelter Identification (CID) of 'Shanghai Gold Ref.'?",
}
ANALYST_NOTE = {
    "code": "policy-url-not-checked",
    "severity": "info",
    "mineral": None,
    "sheet": "Declaration",
    "cell": "D12",
    "message": "The policy URL was not opened.",
    "question": "",
}


# --- the landing page ------------------------------------------------------------------------------


def test_it_shows_who_asks_for_what_by_when(client, token):
    page = client.get(url("request", token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Acme Instruments asks for your CMRT for 2024" in html
    assert "For Kaifa Precision Ltd" in html
    assert "RMI CMRT, version 6.4 or later" in html
    assert "2025-03-31" in html
    assert "P-kaifa-001" in html and "KAIFA-12" in html and "Shielded connector, 12 pin" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Referrer-Policy"] == "same-origin"  # not "no-referrer": browsers would send Origin: null
    assert "no-store" in page["Cache-Control"]


def test_opening_the_link_marks_the_request_opened_once(client, kaifa, token):
    client.get(url("request", token))
    client.get(url("request", token))
    kaifa.refresh_from_db()
    assert kaifa.state == State.OPENED
    assert list(kaifa.events.values_list("to_state", flat=True)) == ["sent", "opened"]


def test_the_landing_page_changes_nothing_on_post(client, kaifa, token):
    assert client.post(url("request", token)).status_code == 405
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


# --- bad links -------------------------------------------------------------------------------------


def test_a_wrong_token_gets_a_clear_page_that_reveals_nothing(client, kaifa, token):
    for name in ("request", "blank_template", "decline"):
        page = client.get(url(name, "not-a-real-token-" + "x" * 20))
        assert page.status_code == 404
        html = page.content.decode()
        assert "This link does not work" in html
        assert "Kaifa" not in html and "Acme" not in html and "CMRT" not in html
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


def test_an_expired_link_says_so_and_reveals_nothing(client, kaifa, token):
    kaifa.links.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(url("request", token))
    assert page.status_code == 410
    html = page.content.decode()
    assert "This link has expired" in html
    assert "Kaifa" not in html and "Acme" not in html
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


def test_an_earlier_link_keeps_working_when_a_new_one_is_issued(client, kaifa, token):
    newer = kaifa.issue_link()
    assert client.get(url("request", token)).status_code == 200
    assert client.get(url("request", newer)).status_code == 200


def test_a_revoked_link_does_not_work_and_is_not_called_expired(client, kaifa, token):
    assert kaifa.revoke_links() == 1
    page = client.get(url("request", token))
    assert page.status_code == 404 and "This link does not work" in page.content.decode()
    assert client.get(url("request", kaifa.issue_link())).status_code == 200


def test_a_token_cannot_open_another_requests_files(client, campaign, kaifa, token):
    other = sent_request(campaign, make_supplier("wistron", "Wistron Components"))
    add_submission(other, findings=[MISSING_Q1])
    page = client.get(url("file_review", token, version=1))
    assert page.status_code == 404
    assert "Page not found" in page.content.decode()
    assert "Wistron" not in page.content.decode()


def test_a_token_cannot_post_to_another_request(client, campaign, kaifa, token):
    other = sent_request(campaign, make_supplier("wistron", "Wistron Components"))
    other_token = other.issue_link()
    client.post(url("decline", token), DECLINE_FORM)
    other.refresh_from_db()
    kaifa.refresh_from_db()
    assert (kaifa.state, other.state) == (State.DECLINED, State.SENT)
    assert client.get(url("request", other_token)).status_code == 200


# --- the blank template -----------------------------------------------------------------------------


def test_the_blank_template_the_organisation_imported_downloads(client, campaign, token):
    campaign.store_blank_template(b"PK\x03\x04 blank template bytes", "RMI_CMRT_6.5.xlsx")
    campaign.save()
    page = client.get(url("request", token))
    assert url("blank_template", token) in page.content.decode()
    download = client.get(url("blank_template", token))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PK\x03\x04 blank template bytes"
    assert 'filename="RMI_CMRT_6.5.xlsx"' in download["Content-Disposition"]


def test_without_a_blank_template_it_points_to_rmi(client, kaifa, token):
    # A request sent before the campaign lost its template file (or from before sending required it).
    Campaign.objects.filter(pk=kaifa.campaign_id).update(blank_template_sha256="", blank_template_name="")
    page = client.get(url("request", token))
    assert "responsiblemineralsinitiative.org" in page.content.decode()
    assert client.get(url("blank_template", token)).status_code == 404


# --- uploads ---------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_spreadsheet_is_refused_and_nothing_changes(client, kaifa, token):
    add_submission(kaifa, findings=[MISSING_Q1])
    page = client.post(url("upload", token), {"file": _file("notes.pdf", b"%PDF-1.7 not a workbook")})
    assert page.status_code == 400
    html = page.content.decode()
    assert "We could not accept this file." in html
    assert "Nothing was stored; your earlier files are unchanged." in html
    assert list(kaifa.submissions.values_list("version", flat=True)) == [1]
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


def test_a_workbook_that_is_not_a_template_is_refused(client, kaifa, token):
    page = client.post(url("upload", token), {"file": _file("prices.xlsx", _plain_workbook())})
    assert page.status_code == 400
    assert "We could not accept this file." in page.content.decode()
    assert kaifa.submissions.count() == 0


def test_an_oversized_file_is_refused_with_the_limit(client, kaifa, token, settings):
    settings.MAX_UPLOAD_BYTES = 1_048_576
    page = client.post(url("upload", token), {"file": _file("big.xlsx", b"PK\x03\x04" + b"0" * 2_200_000)})
    assert page.status_code == 400
    assert "This file is 2.1 MB; files up to 1 MB are accepted." in page.content.decode()
    assert kaifa.submissions.count() == 0


def test_an_upload_without_a_file_asks_for_one(client, kaifa, token):
    page = client.post(url("upload", token), {})
    assert page.status_code == 400
    assert "Choose a file to upload." in page.content.decode()


def test_a_get_to_the_upload_address_changes_nothing(client, kaifa, token):
    assert client.get(url("upload", token)).status_code == 405


def test_a_real_cmrt_is_stored_reviewed_and_shown_in_plain_language(client, kaifa, token):
    path = shared_file(CENTRAL_GLASS)
    response = client.post(url("upload", token), {"file": _file(path.name, path.read_bytes())})
    assert response.status_code == 302
    assert response["Location"] == url("file_review", token, version=1)
    kaifa.refresh_from_db()
    assert kaifa.state == State.SUBMITTED
    submission = kaifa.submissions.get()
    assert submission.file_bytes() == path.read_bytes()
    assert submission.uploaded_by_label == "supplier via link"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Check of your file, version 1" in html
    assert path.name in html
    shown = [f for f in submission.findings if f["severity"] in ("error", "warning")]
    for finding in shown:
        # What the rule found, said to the supplier, and the question; the analyst's message stays on staff pages.
        assert RULES[finding["code"]].for_supplier.replace("'", "&#x27;").replace('"', "&quot;") in html
        assert finding["question"].replace("'", "&#x27;").replace('"', "&quot;") in html
    if not shown:
        assert "No problems found" in html
    # A second upload is a new version; the first is kept.
    again = client.post(url("upload", token), {"file": _file(path.name, path.read_bytes())})
    assert again["Location"] == url("file_review", token, version=2)
    assert list(kaifa.submissions.order_by("version").values_list("version", flat=True)) == [1, 2]


# --- the review of a file --------------------------------------------------------------------------


def test_the_review_says_what_to_correct_where_and_how(client, kaifa, token):
    add_submission(kaifa, findings=[MISSING_Q1, UNKNOWN_SMELTER, ANALYST_NOTE])
    page = client.get(url("file_review", token, version=1))
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 problem to correct" in html
    assert "1 point to explain" in html
    assert "Declaration!D24" in html
    assert "Smelter List row 12" in html
    assert "Question 1 for tin is not answered." in html
    assert "Please answer question 1 for tin (Yes or No) in Declaration D24." in html
    assert "The policy URL was not opened." not in html  # the analyst's own note, not the supplier's


def test_a_clean_file_says_so(client, kaifa, token):
    add_submission(kaifa, findings=[ANALYST_NOTE])
    html = client.get(url("file_review", token, version=1)).content.decode()
    assert "No problems found" in html
    assert "Acme Instruments will review your file" in html


def test_an_older_version_points_to_the_newer_one(client, kaifa, token):
    add_submission(kaifa, version=1, findings=[MISSING_Q1])
    add_submission(kaifa, version=2)
    html = client.get(url("file_review", token, version=1)).content.decode()
    assert "You have sent a newer version since this one." in html
    landing = client.get(url("request", token)).content.decode()
    assert "kaifa_cmrt_v1.xlsx" in landing and "kaifa_cmrt_v2.xlsx" in landing


# --- follow-up questions ---------------------------------------------------------------------------


def test_the_supplier_sees_the_questions_and_answers_them(client, kaifa, token):
    submission = add_submission(kaifa, findings=[UNKNOWN_SMELTER])
    FollowUp.objects.create(
        request=kaifa,
        submission=submission,
        author_label="analyst",
        message="Thank you for the file. One question:",
        questions=[UNKNOWN_SMELTER],
    )
    html = client.get(url("request", token)).content.decode()
    assert "Questions about your file" in html
    assert "Could you give the Smelter Identification (CID) of &#x27;Shanghai Gold Ref.&#x27;?" in html
    response = client.post(url("answer", token), {"message": "It is CID002763.", "name": "Li Wei"})
    assert response.status_code == 302
    answer = kaifa.follow_ups.get(from_supplier=True)
    assert (answer.message, answer.author_label) == ("It is CID002763.", "Li Wei (supplier via link)")
    assert answer.submission == submission
    assert AuditEntry.objects.filter(action="request.follow_up_answered", object_id=str(kaifa.pk)).exists()
    assert "It is CID002763." in client.get(url("request", token)).content.decode()


def test_an_empty_answer_is_refused(client, kaifa, token):
    FollowUp.objects.create(request=kaifa, author_label="analyst", message="A question", questions=[])
    page = client.post(url("answer", token), {"message": ""})
    assert page.status_code == 400
    assert kaifa.follow_ups.filter(from_supplier=True).count() == 0


def test_a_closed_campaign_takes_no_more_answers_and_stores_nothing(client, campaign, kaifa, token):
    FollowUp.objects.create(request=kaifa, author_label="analyst", message="A question", questions=[])
    campaign.closed = True
    campaign.save()
    page = client.post(url("answer", token), {"message": "It is CID002763.", "name": "Li Wei"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "We could not accept your answer." in html
    assert "This request is closed; answers can no longer be sent." in html
    assert "Nothing was stored." in html
    assert kaifa.follow_ups.filter(from_supplier=True).count() == 0
    assert not AuditEntry.objects.filter(action="request.follow_up_answered").exists()


def test_answers_per_day_are_limited_with_a_clear_message(client, kaifa, token, settings):
    settings.PORTAL_ANSWERS_PER_DAY = 3
    for number in range(3):
        assert client.post(url("answer", token), {"message": f"Answer {number}"}).status_code == 302
    page = client.post(url("answer", token), {"message": "Answer 3"})
    assert page.status_code == 429
    assert (
        "You have sent 3 answers in the last 24 hours, the most we accept in a day. Please write again "
        "tomorrow, or put everything into one answer."
    ) in page.content.decode()
    assert list(kaifa.follow_ups.values_list("message", flat=True)) == ["Answer 0", "Answer 1", "Answer 2"]
    # A day later the supplier may answer again.
    kaifa.follow_ups.update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert client.post(url("answer", token), {"message": "Answer 3"}).status_code == 302
    assert kaifa.follow_ups.count() == 4


def test_an_answer_over_the_length_limit_is_refused_with_the_limit(client, kaifa, token, settings):
    settings.PORTAL_ANSWER_MAX_CHARS = 100
    FollowUp.objects.create(request=kaifa, author_label="analyst", message="A question", questions=[])
    assert 'maxlength="100"' in client.get(url("request", token)).content.decode()  # the browser stops there
    page = client.post(url("answer", token), {"message": "x" * 101})
    assert page.status_code == 400
    assert "Your answer has 101 characters; answers of up to 100 characters are accepted." in (
        page.content.decode()
    )
    assert kaifa.follow_ups.filter(from_supplier=True).count() == 0
    assert client.post(url("answer", token), {"message": "x" * 100}).status_code == 302


# --- declining -------------------------------------------------------------------------------------

DECLINE_FORM = {"reason": "no-minerals", "name": "Li Wei", "title": "Quality manager", "confirm": "on"}


def test_declining_shows_a_form_first(client, kaifa, token):
    page = client.get(url("decline", token))
    assert page.status_code == 200
    assert "Decline with a statement" in page.content.decode()
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


def test_the_supplier_declines_with_a_signed_statement(client, kaifa, token):
    response = client.post(url("decline", token), DECLINE_FORM)
    assert response.status_code == 302
    kaifa.refresh_from_db()
    assert kaifa.state == State.DECLINED
    assert kaifa.decline_statement == "Our products contain no 3TG (tin, tantalum, tungsten or gold)."
    assert (kaifa.decline_name, kaifa.decline_title) == ("Li Wei", "Quality manager")
    assert kaifa.events.last().by_label == "supplier via link"
    html = client.get(url("request", token)).content.decode()
    assert "You declined this request with the statement:" in html


def test_a_statement_needs_a_name_a_title_and_the_confirmation(client, kaifa, token):
    page = client.post(url("decline", token), {"reason": "no-minerals", "name": "Li Wei"})
    assert page.status_code == 400
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


def test_another_reason_must_be_written(client, kaifa, token):
    page = client.post(url("decline", token), {**DECLINE_FORM, "reason": "other", "explanation": ""})
    assert page.status_code == 400
    assert "Please write the reason." in page.content.decode()
    client.post(
        url("decline", token),
        {**DECLINE_FORM, "reason": "other", "explanation": "We stopped supplying you in 2023."},
    )
    kaifa.refresh_from_db()
    assert kaifa.decline_statement == "We stopped supplying you in 2023."


def test_an_accepted_request_cannot_be_declined(client, kaifa, token):
    add_submission(kaifa)
    kaifa.transition(State.SUBMITTED, "supplier via link")
    kaifa.transition(State.ACCEPTED, "analyst")
    assert "This request can no longer be declined." in client.get(url("decline", token)).content.decode()
    client.post(url("decline", token), DECLINE_FORM)
    kaifa.refresh_from_db()
    assert kaifa.state == State.ACCEPTED


def test_a_closed_campaign_takes_no_more_uploads(client, campaign, kaifa, token):
    campaign.closed = True
    campaign.save()
    page = client.post(url("upload", token), {"file": _file("x.xlsx", b"PK\x03\x04")})
    assert page.status_code == 400
    assert "This request is closed" in page.content.decode()


# --- helpers ---------------------------------------------------------------------------------------


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _plain_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Prices"
    book.active["A1"] = "Part"
    book.active["B1"] = "Price"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
