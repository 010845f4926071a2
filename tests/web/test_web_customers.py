"""Our customers' requests for our CMRT: registered, their part numbers imported, the answer prepared from
our data in the version asked for, downloaded or sent through the outbox, reminded before the due date, and
listed for an update when what we would send now differs from what was sent."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from customer_data import answering_world
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from fictional_template import build_cmrt
from staff_data import PASSWORD, audit_statuses, cmrt_bytes

from oretrace.rmi import read_template
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign
from oretrace.web.customers.models import BlankTemplate, CustomerAnswer, CustomerPart, CustomerRequest
from oretrace.web.customers.reminders import queue_due_customer_reminders
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.outbox.scheduled import queue_everything_due
from oretrace.web.suppliers.models import ReportingYear
from samples import TEMPLATES, shared_file

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world():
    return answering_world()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def register(client, **changes):
    data = {
        "customer_name": "Big Co",
        "contact_name": "Pat Buyer",
        "contact_email": "pat@bigco.example",
        "template_kind": "CMRT",
        "template_version": "6.5",
        "scope": "company",
        "due_date": "2026-06-30",
        "received_on": "2026-05-04",
        "channel": "email",
        "portal_url": "",
        "notes": "",
    }
    data.update(changes)
    return client.post(reverse("customer_request_new"), data)


def part_list(rows: bytes, name="bigco.csv"):
    return SimpleUploadedFile(name, b"Customer part number,Supplier part number,Description\n" + rows)


def test_an_analyst_registers_a_request_and_it_is_listed_and_logged(client, world):
    login(client, world["analyst"])
    response = register(client)
    request = CustomerRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "customer_request", args=[request.pk]
    )
    assert (request.customer.name, request.template_version, request.status) == ("Big Co", "6.5", "received")
    assert request.owner == world["analyst"]  # whoever registers it, when nobody is named
    assert AuditEntry.objects.filter(action="customers.request_registered").count() == 1
    listed = client.get(reverse("customer_requests"), {"status": "received"})
    assert list(listed.context["rows"]) == [request]
    assert client.get(reverse("customer_requests"), {"status": "sent"}).context["rows"].count() == 0


def test_a_bad_due_date_a_bad_version_and_a_portal_without_address_are_named(client, world):
    login(client, world["analyst"])
    page = register(client, due_date="30/06/2026", template_version="six", channel="portal")
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert errors["due_date"] == ["Enter the due date as YYYY-MM-DD, e.g. 2026-06-30."]
    assert errors["template_version"] == ['"six" is not a template version; write it as RMI does, e.g. 6.5.']
    assert "needs its address" in errors["portal_url"][0]
    assert not CustomerRequest.objects.exists()


def test_a_company_level_answer_is_the_reports_pages_cmrt_downloaded_and_sent_through_the_outbox(
    client, world
):
    login(client, world["analyst"])
    register(client)
    request = CustomerRequest.objects.get()
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    request.refresh_from_db()
    assert request.status == "in_preparation"
    page = client.get(reverse("customer_request", args=[request.pk]))
    assert page.context["table"][0][:3] == ("Q1", "Tantalum", "Yes")
    download = client.get(reverse("customer_answer_file", args=[request.pk, answer.pk]))
    data = b"".join(download.streaming_content) if download.streaming else download.content
    assert hashlib.sha256(data).hexdigest() == answer.sha256
    back = read_template(data)
    assert back.scope == "A" and back.version == "6.5"
    assert back.answers["Tin"]["Q1"].value == "Yes"

    client.post(reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "email"})
    email = OutboundEmail.objects.get(template="customer-answer")
    assert email.to == ["pat@bigco.example"]
    assert email.attachments[0]["sha256"] == answer.sha256
    request.refresh_from_db()
    answer.refresh_from_db()
    assert request.status == "sent" and answer.sent_via == "email" and answer.email == email
    call_command("deliver_outbox", "--once")
    (sent,) = mail.outbox
    assert sent.to == ["pat@bigco.example"]
    (filename, attached, content_type) = sent.attachments[0]
    assert filename == answer.filename and hashlib.sha256(attached).hexdigest() == answer.sha256
    assert content_type == XLSX
    # Sent once: a second press is refused and queues nothing.
    client.post(reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "email"})
    assert OutboundEmail.objects.filter(template="customer-answer").count() == 1
    assert AuditEntry.objects.filter(action="customers.answer_sent").count() == 1


def test_their_part_list_is_imported_with_a_bad_row_named_and_the_rest_kept(client, world):
    login(client, world["analyst"])
    register(client, scope="products")
    request = CustomerRequest.objects.get()
    upload = part_list(b"BC-1,P-000,Capacitor\n,P-001,no number\nBC-1,P-002,again\nBC-3,P-001,\n")
    page = client.post(reverse("customer_parts", args=[request.pk]), {"file": upload}, follow=True)
    shown = [str(m) for m in page.context["messages"]]
    assert "2 part numbers imported from bigco.csv." in shown
    assert "Row 3: no part number — left out." in shown
    assert "Row 4: part number BC-1 is listed already on row 2 — left out." in shown
    assert list(CustomerPart.objects.values_list("number", "our_number")) == [
        ("BC-1", "P-000"),
        ("BC-3", "P-001"),
    ]


def test_a_file_that_is_no_part_list_is_refused_in_words(client, world):
    login(client, world["analyst"])
    register(client, scope="products")
    request = CustomerRequest.objects.get()
    upload = SimpleUploadedFile("notes.csv", b"Colour,Size\nred,2\n")
    page = client.post(reverse("customer_parts", args=[request.pk]), {"file": upload}, follow=True)
    shown = [str(m) for m in page.context["messages"]][-1]
    assert shown.startswith("The part list was not imported:") and "part number column" in shown
    assert not CustomerPart.objects.exists()


def test_a_product_level_answer_for_three_parts_in_the_version_asked_for(client, world):
    """BC-1 is our P-000 (supplier 0), BC-2 our P-002 (supplier 2, no file), P-001 is ours as it is;
    the customer asks for CMRT 6.4, imported as a blank of its own."""
    login(client, world["analyst"])
    blank_64 = build_cmrt({"J3": "Revision 6.4\nApril 26, 2024"})
    page = client.post(
        reverse("customer_templates"),
        {"file": SimpleUploadedFile("RMI_CMRT_6.4.xlsx", blank_64)},
        follow=True,
    )
    assert str(BlankTemplate.objects.get()) == "CMRT 6.4", [str(m) for m in page.context["messages"]]
    register(client, scope="products", template_version="6.4")
    request = CustomerRequest.objects.get()
    upload = part_list(b"BC-1,P-000,Capacitor\nBC-2,P-002,\nP-001,,Board\n")
    client.post(reverse("customer_parts", args=[request.pk]), {"file": upload})
    page = client.get(reverse("customer_request", args=[request.pk]))
    assert page.context["derived"].suppliers == ("Supplier 0", "Supplier 1")
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    assert answer.generated.suppliers == ["Supplier 0", "Supplier 1"]
    back = read_template(answer.generated.file_bytes())
    assert back.version == "6.4" and back.scope == "B"
    assert [(p.number, p.name, p.comments) for p in back.products] == [
        ("BC-1", "Capacitor", "Our part number P-000"),
        ("BC-2", "Tantalum capacitor", "Our part number P-002"),
        ("P-001", "Board", None),
    ]


def test_without_the_blank_of_the_version_asked_for_it_says_which_to_import(client, world):
    login(client, world["analyst"])
    register(client, template_version="6.31")
    request = CustomerRequest.objects.get()
    page = client.post(reverse("customer_prepare", args=[request.pk]), follow=True)
    shown = [str(m) for m in page.context["messages"]][-1]
    assert "Import RMI's blank CMRT 6.31" in shown
    assert not CustomerAnswer.objects.exists()


def test_the_owner_is_reminded_before_the_due_date_once_per_step(client, world):
    login(client, world["analyst"])
    due = timezone.localdate() + dt.timedelta(days=5)
    register(client, owner=world["analyst"].pk, due_date=due.isoformat())
    request = CustomerRequest.objects.get()
    assert queue_due_customer_reminders() == 1
    assert queue_due_customer_reminders() == 0  # the 7-day reminder went already
    email = OutboundEmail.objects.get(template="customer-due")
    assert email.to == [world["analyst"].email]
    assert email.subject == "Big Co expects our CMRT in 5 days"
    assert reverse("customer_request", args=[request.pk]) in email.text
    on_the_day = timezone.now() + dt.timedelta(days=5)
    assert queue_due_customer_reminders(on_the_day) == 1
    # Once sent, nothing more is due.
    CustomerRequest.objects.filter(pk=request.pk).update(status="sent")
    assert queue_due_customer_reminders(on_the_day + dt.timedelta(days=3)) == 0


def test_send_reminders_queues_the_customers_due_dates_too(client, world):
    login(client, world["analyst"])
    register(client, owner=world["analyst"].pk, due_date=timezone.localdate().isoformat())
    call_command("send_reminders", "--once")
    assert OutboundEmail.objects.filter(template="customer-due").count() == 1


def test_a_smelter_status_change_lists_the_customer_for_an_update(client, world):
    login(client, world["analyst"])
    register(client, channel="portal", portal_url="https://portal.bigco.example/rfq/1")
    request = CustomerRequest.objects.get()
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    client.post(reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "portal"})
    answer.refresh_from_db()
    assert answer.sent_via == "portal" and answer.sent_to == ["https://portal.bigco.example/rfq/1"]
    assert client.get(reverse("customer_updates")).context["stale"] == []

    audit_statuses(world["admin"], {"CID900007": "Non Conformant"})
    page = client.get(reverse("customer_updates"))
    (stale,) = page.context["stale"]
    assert stale.request == request
    assert any(c.startswith("Tin smelter CID900007: status") for c in stale.changes), stale.changes
    client.post(reverse("customer_updates"))
    request.refresh_from_db()
    assert request.status == "needs_update" and "CID900007" in request.status_note
    assert client.get(reverse("customer_updates")).context["to_mark"] == 0  # listed, marked already
    # Prepared again, it holds again.
    client.post(reverse("customer_prepare", args=[request.pk]))
    assert CustomerAnswer.objects.count() == 2


def test_a_viewer_reads_and_downloads_but_every_write_is_refused(client, world):
    login(client, world["analyst"])
    register(client, scope="products")
    request = CustomerRequest.objects.get()
    client.post(reverse("customer_parts", args=[request.pk]), {"file": part_list(b"BC-1,P-000,\n")})
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    login(client, world["viewer"])
    assert client.get(reverse("customer_requests")).status_code == 200
    assert client.get(reverse("customer_request", args=[request.pk])).status_code == 200
    assert client.get(reverse("customer_answer_file", args=[request.pk, answer.pk])).status_code == 200
    before = (AuditEntry.objects.count(), OutboundEmail.objects.count(), CustomerAnswer.objects.count())
    writes = [
        (reverse("customer_request_new"), {}),
        (reverse("customer_request_edit", args=[request.pk]), {}),
        (reverse("customer_parts", args=[request.pk]), {"file": part_list(b"X,P-001,\n")}),
        (reverse("customer_prepare", args=[request.pk]), {}),
        (reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "email"}),
        (reverse("customer_acknowledge", args=[request.pk]), {}),
        (reverse("customer_updates"), {}),
        (reverse("customer_templates"), {}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("customer_request_new")).status_code == 403
    assert (
        AuditEntry.objects.count(),
        OutboundEmail.objects.count(),
        CustomerAnswer.objects.count(),
    ) == before
    assert list(CustomerPart.objects.values_list("number", flat=True)) == ["BC-1"]


def test_the_dashboard_shows_the_requests_by_status(client, world):
    login(client, world["analyst"])
    register(client)
    page = client.get(reverse("campaign", args=[world["campaign"].pk]))
    assert ("received", "Received", 1) in page.context["customer_counts"]
    assert f'href="{reverse("customer_requests")}?status=received&amp;kind=CMRT"' in page.content.decode()


def test_a_newer_campaign_lists_the_customers_who_got_last_years_answer(client, world):
    login(client, world["analyst"])
    register(client)
    request = CustomerRequest.objects.get()
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    client.post(reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "email"})
    client.post(reverse("customer_acknowledge", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == "acknowledged"
    year = ReportingYear.objects.create(year=2026)
    Campaign.objects.create(name="RCOI 2026", reporting_year=year, due_date=dt.date(2027, 3, 31))
    (stale,) = client.get(reverse("customer_updates")).context["stale"]
    assert stale.changes[0] == "our answers now come from RCOI 2026 (sent from RCOI 2025)"
    # Nobody answered the new campaign yet: tin is no longer declared.
    assert "Q1 Tin: Yes → (blank)" in stale.changes


def test_rmis_own_blank_of_the_version_asked_for_is_imported_and_filled_in(client, world):
    login(client, world["analyst"])
    blank = shared_file(TEMPLATES / "RMI_CMRT_6.31.xlsx").read_bytes()
    client.post(reverse("customer_templates"), {"file": SimpleUploadedFile("RMI_CMRT_6.31.xlsx", blank)})
    assert str(BlankTemplate.objects.get()) == "CMRT 6.31"
    register(client, template_version="6.31")
    request = CustomerRequest.objects.get()
    client.post(reverse("customer_prepare", args=[request.pk]))
    back = read_template(CustomerAnswer.objects.get().generated.file_bytes())
    assert (back.version, back.scope, back.company.name.value) == ("6.31", "A", "Acme Instruments")


def test_a_filled_in_template_is_not_taken_for_a_blank(client, world):
    login(client, world["analyst"])
    page = client.post(
        reverse("customer_templates"), {"file": SimpleUploadedFile("theirs.xlsx", cmrt_bytes("Other Co."))}
    )
    assert page.context["form"].errors["file"] == [
        "theirs.xlsx is filled in (by Other Co.); import RMI's blank CMRT 6.5."
    ]
    assert not BlankTemplate.objects.exists()


def test_a_sent_answer_is_not_prepared_again_and_only_a_sent_one_is_acknowledged(client, world):
    login(client, world["analyst"])
    register(client)
    request = CustomerRequest.objects.get()
    page = client.post(reverse("customer_acknowledge", args=[request.pk]), follow=True)
    assert [str(m) for m in page.context["messages"]][
        -1
    ] == "Only an answer that was sent can be acknowledged."
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    client.post(reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "portal"})
    page = client.post(reverse("customer_prepare", args=[request.pk]), follow=True)
    assert (
        "an answer is prepared again only once it needs an update"
        in [str(m) for m in page.context["messages"]][-1]
    )
    assert CustomerAnswer.objects.count() == 1
    request.refresh_from_db()
    assert request.status == "sent"


def test_the_list_filters_overdue_requests(client, world):
    login(client, world["analyst"])
    register(
        client, customer_name="Late Co", due_date=(timezone.localdate() - dt.timedelta(days=1)).isoformat()
    )
    register(
        client, customer_name="Early Co", due_date=(timezone.localdate() + dt.timedelta(days=90)).isoformat()
    )
    page = client.get(reverse("customer_requests"), {"due": "overdue"})
    assert [r.customer.name for r in page.context["rows"]] == ["Late Co"]
    page = client.get(reverse("customer_requests"), {"due": "30"})
    assert [r.customer.name for r in page.context["rows"]] == ["Late Co"]
    assert client.get(reverse("customer_requests")).context["rows"].count() == 2


def test_a_version_oretrace_does_not_fill_in_is_not_prepared_but_the_file_we_sent_is_kept(client, world):
    login(client, world["analyst"])
    register(client, template_version="7.0")
    request = CustomerRequest.objects.get()
    page = client.post(reverse("customer_prepare", args=[request.pk]), follow=True)
    assert "oretrace cannot fill in the CMRT 7.0" in [str(m) for m in page.context["messages"]][-1]
    ours = b"PK\x03\x04 our CMRT 7.0, made by hand"
    client.post(
        reverse("customer_sent_file", args=[request.pk]),
        {"file": SimpleUploadedFile("CMRT-7-Acme.xlsx", ours)},
    )
    answer = CustomerAnswer.objects.get()
    assert (answer.filename, answer.sha256, answer.sent_via) == (
        "CMRT-7-Acme.xlsx",
        hashlib.sha256(ours).hexdigest(),
        "outside",
    )
    request.refresh_from_db()
    assert request.status == "sent"
    download = client.get(reverse("customer_answer_file", args=[request.pk, answer.pk]))
    data = b"".join(download.streaming_content) if download.streaming else download.content
    assert data == ours
    unchecked = client.get(reverse("customer_updates")).context["unchecked"]
    assert unchecked == [(request, "CMRT-7-Acme.xlsx was made outside oretrace; compare it by hand")]


def sent_for_portal(client, world) -> CustomerRequest:
    login(client, world["analyst"])
    register(client, channel="portal", portal_url="https://portal.bigco.example/rfq/1")
    request = CustomerRequest.objects.get()
    client.post(reverse("customer_prepare", args=[request.pk]))
    answer = CustomerAnswer.objects.get()
    client.post(reverse("customer_answer_send", args=[request.pk, answer.pk]), {"via": "portal"})
    return request


def test_the_workers_scheduled_pass_marks_an_answer_a_status_list_changed_once(client, world):
    request = sent_for_portal(client, world)
    audit_statuses(world["admin"], {"CID900007": "Non Conformant"})
    lines = [line for n, line in queue_everything_due() if n]
    assert "Marked 1 customer request as needing an update: our answer changed." in lines
    request.refresh_from_db()
    assert request.status == "needs_update"
    assert request.status_note.startswith("Tin smelter CID900007: status")
    entry = AuditEntry.objects.filter(action="customers.status_changed").latest("pk")
    assert entry.actor_label == "scheduled check of customers' answers"
    assert entry.detail.startswith("Sent → Needs update; Tin smelter CID900007: status")
    assert all("customer request" not in line for n, line in queue_everything_due() if n)


def test_an_answer_the_analyst_judges_to_still_hold_is_not_marked_again_until_ours_changes(client, world):
    request = sent_for_portal(client, world)
    audit_statuses(world["admin"], {"CID900007": "Non Conformant"})
    call_command("check_customer_answers")
    (stale,) = client.get(reverse("customer_updates")).context["stale"]
    page = client.post(
        reverse("customer_answer_holds", args=[request.pk]), {"now": stale.now_key}, follow=True
    )
    assert [str(m) for m in page.context["messages"]][-1] == (
        "Big Co's answer is kept as sent; it is checked again when ours changes."
    )
    request.refresh_from_db()
    assert (request.status, request.status_note) == ("sent", "")
    assert "judged to still hold" in page.content.decode()
    call_command("check_customer_answers")
    request.refresh_from_db()
    assert request.status == "sent"
    # A newer campaign changes what we would send: the answer is marked again.
    year = ReportingYear.objects.create(year=2026)
    Campaign.objects.create(name="RCOI 2026", reporting_year=year, due_date=dt.date(2027, 3, 31))
    call_command("check_customer_answers")
    request.refresh_from_db()
    assert request.status == "needs_update"
    assert request.status_note.startswith("our answers now come from RCOI 2026 (sent from RCOI 2025)")


def test_check_customer_answers_lists_the_reasons_and_a_dry_run_marks_nothing(client, world):
    request = sent_for_portal(client, world)
    audit_statuses(world["admin"], {"CID900007": "Non Conformant"})
    out = io.StringIO()
    call_command("check_customer_answers", "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"{request}: sent"
    assert lines[1].startswith("  - Tin smelter CID900007: status")
    assert lines[-1] == "1 request would be marked."
    request.refresh_from_db()
    assert request.status == "sent"
    out = io.StringIO()
    call_command("check_customer_answers", stdout=out)
    assert out.getvalue().splitlines()[-1] == "Marked 1 request as needing an update."
