"""The request page: files kept byte for byte as versions, findings from the core review, and the
analyst's accept / follow-up / reject / decline actions; bad uploads store nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.rmi.patching import CellWrite, patch_workbook
from oretrace.web.campaigns import storage
from oretrace.web.campaigns.intake import store_file
from oretrace.web.campaigns.models import FollowUp, ReportedSmelter, State, Submission
from oretrace.web.campaigns.rollup import campaign_rollup
from oretrace.web.outbox.models import OutboundEmail
from samples import HONEYWELL, shared_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    _, bob, _ = staff()
    client.force_login(bob)
    _campaign, requests = campaign_with_suppliers(2)
    req = requests[0]
    req.transition(State.SENT, bob)
    return bob, req


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_it_stores_an_upload_content_addressed_with_its_findings(client, setup, settings):
    bob, req = setup
    data = cmrt_bytes(D16="li.wei@tianma,example")  # the comma-for-dot slip seen in a real file
    response = client.post(
        reverse("request_upload", args=[req.pk]), {"file": _file(data, "CMRT.xlsx")}, follow=True
    )
    submission = Submission.objects.get()
    assert submission.findings_count == 1
    assert "Version 1 stored with 1 finding." in response.content.decode()
    digest = hashlib.sha256(data).hexdigest()
    assert submission.sha256 == digest
    assert storage.path_for(settings.SUBMISSIONS_DIR, digest).read_bytes() == data
    assert (submission.template_kind, submission.template_version, submission.uploaded_by) == (
        "CMRT",
        "6.5",
        bob,
    )
    assert any(f["cell"] == "D16" for f in submission.findings)
    req.refresh_from_db()
    assert req.state == State.SUBMITTED and req.latest_submission == submission
    assert submission.findings_count == len(submission.analysis().report.findings) > 0
    # Five smelter rows: four identified by their CID, one the supplier could not find in the list.
    assert ReportedSmelter.objects.filter(submission=submission).count() == 5
    assert (
        ReportedSmelter.objects.get(reported_name="Shandong Gold Refinery (local)").status == "unidentified"
    )
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert "li.wei@tianma,example" in page or "D16" in page


def test_it_keeps_every_version_and_never_overwrites(client, setup, settings):
    bob, req = setup
    # openpyxl stamps the save time into every workbook, so each file is built once and kept.
    original = cmrt_bytes()
    first = submitted(req, bob, original)
    corrected = cmrt_bytes(company="Tianma Components Co., Ltd. (corrected)")
    second = submitted(req, bob, corrected)
    assert (first.version, second.version) == (1, 2)
    assert first.file_bytes() == original and second.file_bytes() == corrected
    assert ReportedSmelter.objects.filter(request=req, current=True, submission=second).count() == 5
    assert not ReportedSmelter.objects.filter(submission=first, current=True).exists()
    download = client.get(reverse("submission_download", args=[first.pk]))
    assert b"".join(download.streaming_content) == original


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text, not a workbook", "not a spreadsheet"),
        (b"PK\x03\x04broken zip", "corrupt"),
    ],
)
def test_it_refuses_a_non_template_upload_and_stores_nothing(client, setup, settings, data, message):
    bob, req = setup
    existing = submitted(req, bob)
    response = client.post(
        reverse("request_upload", args=[req.pk]), {"file": _file(data, "notes.xlsx")}, follow=True
    )
    text = response.content.decode()
    assert "Nothing was stored." in text
    assert Submission.objects.count() == 1 and Submission.objects.get() == existing
    assert sorted(p.name for p in settings.SUBMISSIONS_DIR.rglob("*") if p.is_file()) == [existing.sha256]


def test_it_refuses_a_workbook_that_is_not_an_rmi_template(client, setup):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Price list"
    out = io.BytesIO()
    book.save(out)
    response = client.post(
        reverse("request_upload", args=[setup[1].pk]),
        {"file": _file(out.getvalue(), "prices.xlsx")},
        follow=True,
    )
    assert "no Declaration sheet" in response.content.decode()
    assert not Submission.objects.exists()


def test_it_refuses_an_oversized_file(client, setup, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    response = client.post(
        reverse("request_upload", args=[setup[1].pk]), {"file": _file(cmrt_bytes(), "big.xlsx")}, follow=True
    )
    assert "files up to 0 MB are accepted. Nothing was stored." in response.content.decode()
    assert not Submission.objects.exists()


def test_it_accepts_a_response(client, setup):
    bob, req = setup
    submission = submitted(req, bob, cmrt_bytes(D16=""))  # the contact's e-mail is missing: an error
    errors = submission.findings_by_severity()["error"]
    client.post(
        reverse("request_accept", args=[req.pk]), {"file": submission.pk, "reason": "Contact known to us."}
    )
    req.refresh_from_db()
    assert req.state == State.ACCEPTED and req.events.last().by == bob
    # Accepting does not make the file's errors go away: the survey counts it as accepted with exceptions.
    figures = campaign_rollup(req.campaign).figures
    assert (figures.accepted, figures.accepted_with_exceptions, figures.errors_accepted) == (1, 1, errors)


def test_it_sends_one_follow_up_with_the_chosen_findings(client, setup):
    bob, req = setup
    submission = submitted(req, bob, cmrt_bytes(D16="", D15=""))
    assert submission.findings_count >= 2
    client.post(
        reverse("request_action", args=[req.pk, "follow-up"]), {"finding": ["0", "1"], "note": "Please fix."}
    )
    req.refresh_from_db()
    assert req.state == State.FOLLOW_UP
    follow_up = FollowUp.objects.get()
    assert follow_up.questions == submission.findings[:2] and follow_up.message == "Please fix."
    email = OutboundEmail.objects.get(template="follow-up")
    assert email.to == ["rep0@s0.example"] and email.request == req
    assert submission.findings[0]["question"] in email.text


def test_it_needs_a_reason_to_reject(client, setup):
    bob, req = setup
    submitted(req, bob)
    response = client.post(reverse("request_action", args=[req.pk, "reject"]), {"note": ""}, follow=True)
    assert "Say why the file is rejected" in response.content.decode()
    req.refresh_from_db()
    assert req.state == State.SUBMITTED
    client.post(reverse("request_action", args=[req.pk, "reject"]), {"note": "This is last year's file."})
    req.refresh_from_db()
    assert req.state == State.FOLLOW_UP
    assert "last year's file" in OutboundEmail.objects.get().text


def test_it_records_a_decline_with_name_title_and_statement(client, setup):
    _bob, req = setup
    client.post(
        reverse("request_action", args=[req.pk, "decline"]),
        {"name": "Li Wei", "title": "Quality Manager", "statement": "Our parts contain no 3TG."},
    )
    req.refresh_from_db()
    assert (req.state, req.decline_name, req.decline_statement) == (
        State.DECLINED,
        "Li Wei",
        "Our parts contain no 3TG.",
    )


def test_it_refuses_a_move_the_process_does_not_allow(client, setup):
    _bob, req = setup
    response = client.post(reverse("request_accept", args=[req.pk]), follow=True)
    assert "cannot become accepted" in response.content.decode()
    req.refresh_from_db()
    assert req.state == State.SENT


def test_it_sends_a_draft_request_through_the_outbox(client, setup):
    _bob, req = setup
    draft = req.campaign.requests.get(state=State.DRAFT)
    # The invitation promises the blank template: a campaign sends only once it has one.
    req.campaign.store_blank_template(build_cmrt({}), "RMI_CMRT_6.5.xlsx")
    req.campaign.save()
    client.post(reverse("request_action", args=[draft.pk, "send"]))
    draft.refresh_from_db()
    assert draft.state == State.SENT and draft.links.count() == 1
    email = OutboundEmail.objects.get(template="invitation")
    assert "/p/" in email.text


@pytest.mark.shared
def test_it_reviews_a_real_supplier_cmrt(client, setup):
    bob, req = setup
    data = shared_file(HONEYWELL).read_bytes()
    submission, error = store_file(req, data, HONEYWELL.name, bob)
    assert error == ""
    assert (submission.template_version, submission.checker_missing) == ("6.4", 2)
    assert ReportedSmelter.objects.filter(submission=submission).count() == 40


def test_it_reviews_a_file_for_the_campaigns_reporting_year(setup):
    bob, req = setup  # the 2025 campaign
    early, _ = store_file(req, cmrt_bytes(D22=dt.date(2024, 6, 30)), "CMRT_2024.xlsx", bob)
    dated = [f for f in early.findings if f["code"] == "effective-date-before-reporting-year"]
    assert [f["message"] for f in dated] == [
        "The effective date 2024-06-30 is before the 2025 reporting year."
    ]
    # Completed in the weeks after the year ends, as most are: nothing to say about the date.
    usual, _ = store_file(req, cmrt_bytes(D22=dt.date(2026, 2, 2)), "CMRT_2025.xlsx", bob)
    assert not [f for f in usual.findings if f["code"] == "effective-date-before-reporting-year"]


@pytest.mark.shared
def test_it_names_the_template_rmi_recommends_for_the_campaigns_year(setup):
    bob, req = setup  # the 2025 campaign
    # A CMRT 6.4 completed in January 2026, after 6.5 came out: outdated for 2025, not "for 2026".
    data = patch_workbook(
        shared_file(HONEYWELL).read_bytes(), [CellWrite("Declaration", "D22", dt.date(2026, 1, 20))]
    )
    submission, _ = store_file(req, data, HONEYWELL.name, bob)
    outdated = [f["message"] for f in submission.findings if f["code"] == "template-outdated"]
    assert outdated == [
        "This is CMRT 6.4; for 2025 RMI recommends CMRT 6.5 (released 2025-04-25), whose smelter list is newer."
    ]
