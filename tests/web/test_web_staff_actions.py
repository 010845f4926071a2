"""The remaining staff actions: settings, users, campaigns (create, scope, send), suppliers and contacts,
the requests table, the audit log; each leaves an audit entry."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import PASSWORD, campaign_with_suppliers, staff

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Campaign, Facility, State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.suppliers.models import Contact, Organisation, Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return staff()


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_it_saves_the_organisation_and_its_company_answers(client, people):
    client.force_login(people[0])
    client.post(
        reverse("organisation"),
        {
            "name": "Acme Instruments",
            "address": "1 Main St",
            "policy_url": "acme.example/policy",
            "q_A": "Yes",
        },
    )
    org = Organisation.current()
    assert (org.name, org.policy_url, org.company_answers) == (
        "Acme Instruments",
        "https://acme.example/policy",
        {"A": "Yes"},
    )
    assert AuditEntry.objects.filter(action="organisation.saved").exists()


def test_it_creates_users_and_changes_roles_but_not_ones_own(client, people):
    alice, bob, _ = people
    client.force_login(alice)
    client.post(reverse("users"), {"username": "carol", "email": "", "role": "viewer", "password": PASSWORD})
    carol = get_user_model().objects.get(username="carol")
    assert carol.profile.role == "viewer" and carol.check_password(PASSWORD)
    client.post(reverse("users"), {"user": bob.pk, "role": "viewer"})
    bob.profile.refresh_from_db()
    assert bob.profile.role == "viewer"
    client.post(reverse("users"), {"user": alice.pk, "role": "viewer"})
    alice.profile.refresh_from_db()
    assert alice.profile.role == "admin"


def test_it_creates_a_campaign_with_its_blank_template_and_reference_list(client, people, settings):
    client.force_login(people[1])
    blank = build_cmrt({})
    response = client.post(
        reverse("campaign_new"),
        {
            **_campaign_fields(),
            "blank_template": _file(blank, "RMI_CMRT_6.5.xlsx"),
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("campaign", args=[campaign.pk])
    assert (campaign.reporting_year.year, campaign.reminder_days) == (2025, [14, 28])
    assert campaign.blank_template_bytes() == blank
    assert Facility.objects.count() == 48
    assert client.get(reverse("campaign_template", args=[campaign.pk])).content == blank


def test_it_explains_bad_campaign_input_and_saves_nothing(client, people):
    client.force_login(people[1])
    response = client.post(
        reverse("campaign_new"),
        {
            **_campaign_fields(),
            "reminder_days_text": "two weeks",
            "blank_template": _file(b"hello", "t.xlsx"),
        },
    )
    assert "Write whole numbers of days" in response.content.decode()
    response = client.post(
        reverse("campaign_new"), {**_campaign_fields(), "blank_template": _file(b"hello", "t.xlsx")}
    )
    assert "not an Excel workbook" in response.content.decode()
    assert not Campaign.objects.exists()


def _campaign_fields():
    fields = {
        "name": "RCOI 2025",
        "year": "2025",
        "template_kind": "CMRT",
        "minimum_version": "6.4",
        "due_date": "2026-03-31",
        "reminder_days_text": "28, 14",
        "escalation_days": "42",
    }
    from oretrace.web.campaigns.models import DEFAULT_TEXTS

    fields.update(DEFAULT_TEXTS)
    return fields


def test_it_puts_suppliers_in_scope_and_sends_drafts_through_the_outbox(client, people):
    client.force_login(people[1])
    campaign, _requests = campaign_with_suppliers(2)
    campaign.store_blank_template(build_cmrt({}), "RMI_CMRT_6.5.xlsx")
    campaign.save()
    lonely = Supplier.objects.create(key="V999", name="No Contact Ltd", tier="direct")
    scope = reverse("campaign_scope", args=[campaign.pk])
    plan = client.get(scope, {"by": "tier", "tier": "direct"}).context["chosen"].plan
    client.post(scope, {"action": "add", "by": "tier", "tier": "direct", "plan": plan})
    assert campaign.requests.filter(supplier=lonely).exists()
    drafts = list(campaign.requests.values_list("pk", flat=True))
    response = client.post(reverse("campaign_send", args=[campaign.pk]), {"request": drafts}, follow=True)
    text = response.content.decode()
    assert "2 requests sent to the outbox." in text and "No Contact Ltd" in text
    assert campaign.requests.filter(state=State.SENT).count() == 2
    assert OutboundEmail.objects.filter(template="invitation").count() == 2
    assert campaign.requests.get(supplier=lonely).state == State.DRAFT


def test_it_creates_and_edits_suppliers_and_their_contacts(client, people):
    client.force_login(people[1])
    client.post(
        reverse("supplier_new"), {"key": "V1", "name": "Kyoei Crystal", "tier": "indirect", "active": "on"}
    )
    supplier = Supplier.objects.get(key="V1")
    client.post(
        reverse("supplier_edit", args=[supplier.pk]),
        {"key": "V1", "name": "Kyoei Crystal Ltd.", "tier": "direct", "country": "Japan", "active": "on"},
    )
    supplier.refresh_from_db()
    assert (supplier.name, supplier.tier) == ("Kyoei Crystal Ltd.", "direct")
    client.post(
        reverse("contact_add", args=[supplier.pk]),
        {"name": "Sato", "email": "sato@kyoei.example", "language": "en", "is_primary": "on"},
    )
    response = client.post(
        reverse("contact_add", args=[supplier.pk]),
        {"email": "sato@kyoei.example", "language": "en"},
        follow=True,
    )
    assert "already has a contact with that e-mail" in response.content.decode()
    contact = Contact.objects.get()
    assert supplier.recipients() == ["sato@kyoei.example"]
    client.post(reverse("contact_remove", args=[supplier.pk, contact.pk]))
    assert not Contact.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"supplier.saved", "contact.added", "contact.removed"} <= actions


def test_it_filters_and_exports_the_requests_of_a_campaign(client, people):
    client.force_login(people[1])
    campaign, requests = campaign_with_suppliers(3)
    requests[0].transition(State.SENT, people[1])
    url = reverse("campaign_requests", args=[campaign.pk])
    assert "Supplier 1" not in client.get(url, {"state": "sent"}).content.decode()
    assert "Supplier 0" in client.get(url, {"state": "overdue"}).content.decode()
    csv_text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Supplier number,Supplier,Tier,State")
    assert len(csv_text.splitlines()) == 4


def test_it_sends_again_and_marks_no_response(client, people):
    client.force_login(people[1])
    _, requests = campaign_with_suppliers(1)
    req = requests[0]
    req.transition(State.SENT, people[1])
    client.post(reverse("request_action", args=[req.pk, "no-response"]))
    req.refresh_from_db()
    assert req.state == State.NO_RESPONSE
    client.post(reverse("request_action", args=[req.pk, "resend"]))
    req.refresh_from_db()
    assert req.state == State.SENT and OutboundEmail.objects.filter(template="invitation").count() == 1


def test_it_does_not_send_again_without_the_blank_template_the_invitation_promises(client, people):
    client.force_login(people[1])
    campaign, requests = campaign_with_suppliers(1)
    req = requests[0]
    req.transition(State.SENT, people[1])
    req.transition(State.NO_RESPONSE, people[1])
    Campaign.objects.filter(pk=campaign.pk).update(blank_template_sha256="")
    page = client.post(reverse("request_action", args=[req.pk, "resend"]), follow=True).content.decode()
    req.refresh_from_db()
    assert req.state == State.NO_RESPONSE and not OutboundEmail.objects.filter(template="invitation").exists()
    assert "No blank template is uploaded for this campaign" in page


def test_it_searches_and_exports_the_audit_log(client, people):
    alice, _, vera = people
    AuditEntry.record(alice, "supplier.saved", None, "name changed to =cmd|' /C calc'!A0")
    AuditEntry.record(alice, "campaign.saved", None, "due date")
    client.force_login(vera)
    page = client.get(reverse("audit"), {"q": "supplier"}).content.decode()
    assert "supplier.saved" in page and "campaign.saved" not in page
    text = client.get(reverse("audit"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=cmd" not in text  # the detail does not start with "="; only cells that do are escaped
    assert "name changed to =cmd" in text


def test_it_exports_the_campaign_list_and_a_suppliers_history(client, people):
    client.force_login(people[2])
    _, requests = campaign_with_suppliers(1)
    requests[0].transition(State.SENT, people[1])
    campaigns = client.get(reverse("campaigns"), {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert campaigns[1].startswith("RCOI 2025,2025,CMRT,6.4,2026-03-31,1,0")
    history = client.get(reverse("supplier", args=[requests[0].supplier_id]), {"format": "xlsx"})
    assert history["Content-Disposition"].startswith('attachment; filename="supplier-V000-history-')
