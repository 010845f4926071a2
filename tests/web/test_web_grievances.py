"""The grievance mechanism: the public form (anonymous or with an e-mail), its rate and size limits,
the reporter's secret link, the staff's triage, replies and closing, the notification e-mails, the
viewers' read-only access, and the report and evidence package that take the cases' figures."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from staff_data import built_evidence_package, campaign_with_suppliers, staff

from oretrace.grievances import CATEGORIES, SEVERITIES
from oretrace.web.accounts.models import Notify
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Facility
from oretrace.web.grievances.models import Attachment, Case, Category, Message, Severity
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.reports import documents
from oretrace.web.reports.models import ReportSettings
from oretrace.web.suppliers.models import Organisation, Supplier

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a photo of the site, as a document"
CONCERN = "Children are digging at the Kalima site and the ore goes to <b>Acme</b>'s supplier."


@pytest.fixture(autouse=True)
def _fresh_limits(settings, tmp_path):
    cache.clear()  # the rate limits live in the cache, which outlives a test
    settings.GRIEVANCE_DIR = tmp_path / "grievances"
    yield
    cache.clear()


@pytest.fixture
def people():
    alice, bob, vera = staff()
    for user, notify in ((alice, Notify.AT_ONCE), (bob, Notify.DAILY), (vera, Notify.OFF)):
        user.email = f"{user.username}@acme.example"
        user.save()
        user.profile.notify = notify
        user.profile.save()
    return {"admin": alice, "analyst": bob, "viewer": vera}


def report(client, **fields):
    data = {"concern": CONCERN, "where_country": "DR Congo", **fields}
    return client.post(reverse("concern_report"), data)


def opened_case(response) -> tuple[Case, str]:
    assert response.status_code == 302, response.content.decode()[:2000]
    reference, secret = re.match(r"^/concerns/([^/]+)/([^/]+)/\?new=1$", response["Location"]).groups()
    return Case.objects.get(reference=reference), secret


# --- the public form ------------------------------------------------------------------------------


def test_it_shows_the_form_in_english_and_in_chinese_by_the_browsers_language(client):
    english = client.get(reverse("concern_report"))
    assert english.status_code == 200
    assert "Report a concern about our mineral supply chain" in english.content.decode()
    chinese = client.get(reverse("concern_report"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert "报告" in chinese.content.decode() and '<html lang="zh-hans">' in chinese.content.decode()
    assert english["X-Robots-Tag"] == "noindex, nofollow"


def test_it_takes_an_anonymous_report_and_gives_a_reference_and_a_secret_link(client, people):
    case, secret = opened_case(report(client, where_supplier="Supplier 0"))
    assert case.is_anonymous and case.reporter_name == "" and case.reporter_email == ""
    assert (
        case.concern == CONCERN and case.where_supplier == "Supplier 0" and case.where_country == "DR Congo"
    )
    assert re.fullmatch(r"G-\d{4}-[A-Z2-9]{6}", case.reference)
    assert case.secret_sha256 != secret and secret not in case.secret_sha256  # only its hash is kept
    page = client.get(reverse("concern_case", args=[case.reference, secret]) + "?new=1")
    text = page.content.decode()
    assert page.status_code == 200 and case.reference in text and "Thank you" in text
    assert f"/concerns/{case.reference}/{secret}/" in text
    # What the reporter typed is shown as text, never as markup.
    assert "&lt;b&gt;Acme&lt;/b&gt;" in text and "<b>Acme</b>" not in text
    assert AuditEntry.objects.filter(action="grievance.received", object_label=str(case)).exists()


def test_it_takes_a_report_with_an_e_mail_and_an_attachment(client, people):
    data = {
        "concern": CONCERN,
        "reporter_name": "Amani",
        "reporter_email": "amani@example.org",
        "attachments": [SimpleUploadedFile("site.pdf", PDF, "application/pdf")],
    }
    case, _secret = opened_case(client.post(reverse("concern_report"), data))
    assert (case.reporter_name, case.reporter_email) == ("Amani", "amani@example.org")
    kept = Attachment.objects.get(case=case)
    assert (kept.filename, kept.content_type, kept.size, kept.read()) == (
        "site.pdf",
        "application/pdf",
        len(PDF),
        PDF,
    )


def test_it_notifies_the_staff_who_want_e_mails_without_the_reporters_identity(client, people):
    case, _secret = opened_case(report(client, reporter_name="Amani", reporter_email="amani@example.org"))
    emails = OutboundEmail.objects.filter(template="grievance-received").order_by("pk")
    assert [e.to for e in emails] == [["alice@acme.example"], ["bob@acme.example"]]  # vera chose none
    for email in emails:
        assert case.reference in email.subject and f"/grievances/{case.pk}/" in email.text
        assert "Amani" not in email.text + email.html and "amani@" not in email.text + email.html
        assert "Kalima" not in email.text + email.html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"concern": "   "}, "This field is required."),
        ({"reporter_email": "not an address"}, "Enter a valid email address."),
        ({"concern": "x" * 10001}, "Your text has 10001 characters; up to 10000 characters are accepted."),
        ({"where_country": "y" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
    ],
)
def test_it_refuses_bad_input_with_a_message_naming_the_problem(client, people, fields, message):
    response = report(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_it_refuses_attachments_of_the_wrong_kind_or_too_many(client, people, settings):
    fake = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    response = client.post(reverse("concern_report"), {"concern": CONCERN, "attachments": [fake]})
    assert response.status_code == 400
    assert "photo.pdf is not a file we accept; please attach .pdf, .png, .jpg, .jpeg, .txt files." in (
        response.content.decode()
    )
    files = [SimpleUploadedFile(f"{n}.txt", b"notes", "text/plain") for n in range(4)]
    response = client.post(reverse("concern_report"), {"concern": CONCERN, "attachments": files})
    assert "You attached 4 files; up to 3 are accepted." in response.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit_and_a_body_over_the_page_limit(client, people, settings):
    settings.GRIEVANCE_MAX_FILE_BYTES = 2048
    big = SimpleUploadedFile("big.txt", b"a" * 3000, "text/plain")
    response = client.post(reverse("concern_report"), {"concern": CONCERN, "attachments": [big]})
    assert response.status_code == 400
    assert "big.txt is 2.9\xa0KB; files of up to 2.0\xa0KB are accepted." in response.content.decode()
    assert Case.objects.count() == 0
    # A body beyond every file allowed and the form is refused before it is read.
    refused = client.generic(
        "POST",
        reverse("concern_report"),
        b"x",
        CONTENT_TYPE="text/plain",
        CONTENT_LENGTH=str(40 * 1024 * 1024),
    )
    assert refused.status_code == 413 and Case.objects.count() == 0


def test_it_limits_the_reports_one_address_sends_in_an_hour(client, people, settings):
    settings.GRIEVANCE_REPORTS_PER_HOUR = 2
    opened_case(report(client))
    opened_case(report(client))
    third = report(client)
    assert third.status_code == 429
    assert "many reports from your address" in third.content.decode()
    assert Case.objects.count() == 2
    other = client.post(reverse("concern_report"), {"concern": CONCERN}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302 and Case.objects.count() == 3


def test_it_refuses_a_robot_that_fills_in_the_hidden_field(client, people):
    response = report(client, website="http://spam.example")
    assert response.status_code == 400 and Case.objects.count() == 0


def test_the_form_needs_its_csrf_token(people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("concern_report"), {"concern": CONCERN}).status_code == 403
    assert Case.objects.count() == 0


# --- the reporter's link ----------------------------------------------------------------------------


def test_the_link_shows_replies_but_no_internal_notes_and_refuses_a_wrong_secret(client, people):
    case, secret = opened_case(report(client))
    bob = people["analyst"]
    case.add_staff_entry(bob, Message.Kind.NOTE, "Internal: call the supplier's CEO.")
    case.add_staff_entry(bob, Message.Kind.REPLY, "Thank you; we are asking our supplier about Kalima.")
    page = client.get(reverse("concern_case", args=[case.reference, secret])).content.decode()
    assert "we are asking our supplier about Kalima" in page
    assert "Internal: call" not in page
    # Its last character changed (to one it is not: a secret ends in "x" one time in 64).
    wrong_secret = secret[:-1] + ("y" if secret.endswith("x") else "x")
    wrong = client.get(reverse("concern_case", args=[case.reference, wrong_secret]))
    assert wrong.status_code == 404
    assert "This link does not open a case" in wrong.content.decode()
    assert "Kalima" not in wrong.content.decode() and "asking our supplier" not in wrong.content.decode()
    unknown = client.get(reverse("concern_case", args=["G-2026-AAAAAA", secret]))
    assert unknown.status_code == 404


def test_the_reporter_answers_through_the_link_and_cannot_after_closing(client, people):
    case, secret = opened_case(report(client))
    url = reverse("concern_case", args=[case.reference, secret])
    answered = client.post(url, {"text": "The trucks leave every Monday."})
    assert answered.status_code == 302
    assert case.messages.filter(kind=Message.Kind.REPORTER).count() == 2
    # Staff who want e-mails hear of the answer, by the case's reference only.
    told = OutboundEmail.objects.filter(subject=f"The reporter of grievance {case.reference} wrote again")
    assert sorted(e.to[0] for e in told) == ["alice@acme.example", "bob@acme.example"]
    assert all("trucks" not in e.text for e in told)
    case.close(people["analyst"], "Supplier moved to a conformant smelter.")
    refused = client.post(url, {"text": "One more thing."})
    assert refused.status_code == 400 and "This case is closed" in refused.content.decode()
    assert "Supplier moved to a conformant smelter." in client.get(url).content.decode()
    assert case.messages.filter(kind=Message.Kind.REPORTER).count() == 2


def test_the_reporters_messages_are_limited_per_day(client, people, settings):
    settings.GRIEVANCE_MESSAGES_PER_DAY = 1
    case, secret = opened_case(report(client))
    url = reverse("concern_case", args=[case.reference, secret])
    assert client.post(url, {"text": "first"}).status_code == 302
    assert client.post(url, {"text": "second"}).status_code == 429


# --- the staff's handling ---------------------------------------------------------------------------


def test_an_analyst_triages_replies_and_closes_a_case(client, people):
    campaign_with_suppliers(1)
    Facility.objects.create(smelter_id="CID000001", metal="Tin", name="Solo Tin Works", country="Malaysia")
    case, secret = opened_case(report(client, reporter_email="amani@example.org", reporter_name="Amani"))
    client.force_login(people["analyst"])
    page = client.get(reverse("grievance", args=[case.pk]))
    assert page.status_code == 200 and "amani@example.org" in page.content.decode()
    triaged = client.post(
        reverse("grievance_triage", args=[case.pk]),
        {"category": "human_rights", "severity": "high", "suppliers": "V000", "smelters": "cid000001"},
    )
    assert triaged.status_code == 302
    case.refresh_from_db()
    assert (case.category, case.severity, case.status) == ("human_rights", "high", "in_progress")
    assert [s.key for s in case.suppliers.all()] == ["V000"]
    assert [f.smelter_id for f in case.smelters.all()] == ["CID000001"]
    unknown = client.post(reverse("grievance_triage", args=[case.pk]), {"suppliers": "V999"})
    assert unknown.status_code == 400 and "Not found: V999" in unknown.content.decode()

    client.post(reverse("grievance_message", args=[case.pk]), {"kind": "action", "text": "Wrote to V000."})
    client.post(reverse("grievance_message", args=[case.pk]), {"kind": "reply", "text": "We wrote to them."})
    reply = OutboundEmail.objects.get(template="grievance-reply")
    assert reply.to == ["amani@example.org"] and "We wrote to them." in reply.text
    assert secret not in reply.text  # the link is never stored, so never e-mailed
    closed = client.post(reverse("grievance_close", args=[case.pk]), {"outcome": "Supplier moved."})
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.is_closed and case.outcome == "Supplier moved." and case.closed_by == people["analyst"]
    again = client.post(reverse("grievance_close", args=[case.pk]), {"outcome": "Twice."}, follow=True)
    assert "was already closed" in again.content.decode()
    case.refresh_from_db()
    assert case.outcome == "Supplier moved."
    actions = list(AuditEntry.objects.filter(object_label=str(case)).values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["grievance.received", "grievance.triaged", "grievance.action", "grievance.reply", "grievance.closed"]
    )
    # The audit log, which goes into the evidence package, names nobody.
    assert not AuditEntry.objects.filter(detail__contains="amani").exists()


def test_a_reply_to_an_anonymous_reporter_is_not_e_mailed(client, people):
    case, _secret = opened_case(report(client))
    case.add_staff_entry(people["analyst"], Message.Kind.REPLY, "Thank you.")
    assert not OutboundEmail.objects.filter(template="grievance-reply").exists()


def test_a_viewer_reads_cases_but_cannot_change_them(client, people):
    case, _secret = opened_case(
        report(
            client,
            reporter_name="Amani",
            reporter_email="amani@example.org",
            attachments=[SimpleUploadedFile("a.txt", b"notes", "text/plain")],
        )
    )
    client.force_login(people["viewer"])
    listed = client.get(reverse("grievances")).content.decode()
    assert case.reference in listed
    page = client.get(reverse("grievance", args=[case.pk])).content.decode()
    assert case.reference in page and "Save triage" not in page and "Close the case" not in page
    # Viewers (auditors, management) read the handling, not who reported it.
    assert "Amani" not in page + listed and "amani@" not in page + listed
    kept = Attachment.objects.get(case=case)
    download = client.get(reverse("grievance_attachment", args=[case.pk, kept.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    for name, data in (
        ("grievance_triage", {"category": "other"}),
        ("grievance_message", {"kind": "note", "text": "x"}),
        ("grievance_close", {"outcome": "x"}),
    ):
        assert client.post(reverse(name, args=[case.pk]), data).status_code == 403, name
    case.refresh_from_db()
    assert (case.status, case.category, case.messages.count()) == ("received", "", 1)


# --- the report and the evidence package ------------------------------------------------------------


def _case_in(year: int, month: int, days_open: int | None, category: str = "human_rights") -> Case:
    case, _secret = Case.receive(concern="A concern.", reporter_email="someone@example.org")
    received = dt.datetime(year, month, 1, 12, tzinfo=dt.UTC)
    Case.objects.filter(pk=case.pk).update(
        received_at=received,
        category=category,
        status="closed" if days_open is not None else "in_progress",
        closed_at=received + dt.timedelta(days=days_open) if days_open is not None else None,
        outcome="Handled." if days_open is not None else "",
    )
    case.refresh_from_db()
    return case


def _step1(campaign) -> str:
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.save()
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.website = "www.acme.example"
    settings.save()
    html = documents.render_report(documents.prepare(campaign), "html").decode()
    return re.sub(r"<[^>]+>", "", html)


def test_the_report_says_no_concern_was_reported_in_a_year_without_cases(people):
    campaign, _requests = campaign_with_suppliers(1)
    _case_in(2024, 6, 10)  # another year's
    assert (
        "No concern about our mineral supply chain was reported through our grievance mechanism in 2025."
        in (_step1(campaign))
    )


def test_the_report_states_the_years_cases(people):
    campaign, _requests = campaign_with_suppliers(1)
    _case_in(2025, 3, 10)
    _case_in(2025, 5, 30, "environment")
    _case_in(2025, 11, None)
    text = _step1(campaign)
    assert (
        "In 2025, 3 concerns about our mineral supply chain were reported through our grievance mechanism: "
        "2 about serious human rights abuses and 1 about environmental harm."
    ) in text
    assert "We closed 2 cases in 2025, in a median of 20 days from receipt." in text
    assert "At the end of 2025, 1 case remained open." in text


def test_the_evidence_package_holds_the_case_register_without_personal_data(client, people):
    campaign, _requests = campaign_with_suppliers(1)
    settings = ReportSettings.for_year(campaign.reporting_year)
    settings.website = "www.acme.example"
    settings.save()
    case = _case_in(2025, 3, 10)
    case.suppliers.add(Supplier.objects.get(key="V000"))
    client.force_login(people["viewer"])
    archive = zipfile.ZipFile(io.BytesIO(built_evidence_package(client, campaign)))
    register = archive.read("grievances/register.csv").decode("utf-8-sig")
    assert register.splitlines()[1] == (
        f"{case.reference},2025-03-01,serious human rights abuses,not yet assessed,,Supplier 0,,2025-03-11,10,Handled."
    )
    everything = b"".join(
        archive.read(name) for name in archive.namelist() if name.endswith((".csv", ".json", ".txt"))
    )
    assert b"someone@example.org" not in everything and b"A concern." not in everything


def test_a_reply_to_a_reporter_who_wrote_in_chinese_is_e_mailed_in_chinese_with_english_below(client, people):
    response = client.post(
        reverse("concern_report"),
        {"concern": "矿区有童工。", "reporter_email": "li@example.cn"},
        HTTP_ACCEPT_LANGUAGE="zh-CN,zh",
    )
    case, _secret = opened_case(response)
    assert case.language == "zh-hans"
    case.add_staff_entry(people["analyst"], Message.Kind.REPLY, "谢谢，我们正在调查。")
    email = OutboundEmail.objects.get(template="grievance-reply")
    assert email.subject.startswith(f"Our organisation 已回复您的报告 {case.reference} / ")
    assert "谢谢，我们正在调查。" in email.text and "We have replied to your report" in email.text


def test_the_web_words_the_cores_categories_and_severities():
    assert set(Category.values) == set(CATEGORIES)
    assert tuple(Severity.values) == SEVERITIES


def test_closing_a_case_e_mails_the_outcome_to_a_reporter_who_left_an_address(client, people):
    case, _secret = opened_case(report(client, reporter_email="amani@example.org"))
    anonymous, _secret = opened_case(report(client))
    for each in (case, anonymous):
        each.close(people["analyst"], "Our supplier moved to a conformant smelter.")
    closed = OutboundEmail.objects.get(template="grievance-closed")
    assert closed.to == ["amani@example.org"] and case.reference in closed.subject
    assert "Our supplier moved to a conformant smelter." in closed.text
