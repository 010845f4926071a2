"""The retention page: every record kind's periods, each campaign's expiry and what the purge deletes
today, from grouped queries; admins change periods and legal holds, and erase a contact's data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from retention_data import old_campaign
from staff_data import staff, submitted

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Request
from oretrace.web.retention.models import LegalHold, RetentionPeriod
from oretrace.web.suppliers.models import Contact, Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    alice, bob, vera = staff()
    return {"admin": alice, "analyst": bob, "viewer": vera}


def page(client) -> str:
    response = client.get(reverse("retention"))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_the_page_shows_each_kind_s_periods_and_what_the_purge_deletes_today(client, users):
    old_campaign(2)
    client.force_login(users["viewer"])
    text = page(client)
    assert (
        '<td>Supplier answers (request, files, follow-ups, e-mails)</td><td class="num">5 years</td>'
        '<td class="num">5 years</td><td class="num">10 years</td><td class="num">2</td><td>–</td>'
    ) in text
    assert "<td>2019-03-31</td> <td>2024-04-01</td>" in text
    assert "<b>2 answers (2 files), 1 package</b>" in text
    assert "No active legal hold: every record expires on schedule." in text
    assert "Change periods" not in text  # a viewer reads only


def test_a_held_campaign_shows_as_held_and_nothing_due(client, users):
    campaign, _ = old_campaign(1)
    LegalHold.place(campaign, "Authority inquiry.", users["admin"])
    client.force_login(users["admin"])
    text = page(client)
    assert '<span class="tag">held</span> nothing' in text
    assert "Authority inquiry." in text and "Release</a>" in text


def test_the_page_s_queries_do_not_grow_with_the_answers_and_files(client, users):
    campaign, _requests = old_campaign(2)
    client.force_login(users["viewer"])
    with CaptureQueriesContext(connection) as few:
        page(client)
    for i in range(6):
        supplier = Supplier.objects.create(key=f"X{i}", name=f"Extra {i}")
        submitted(Request.objects.create(campaign=campaign, supplier=supplier))
    with CaptureQueriesContext(connection) as many:
        text = page(client)
    assert "<b>8 answers (8 files), 1 package</b>" in text
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_admin_lengthens_a_period_and_the_change_is_logged(client, users):
    old_campaign(1)
    client.force_login(users["admin"])
    response = client.post(
        reverse("retention_periods"),
        {"supplier-answer": 5, "evidence-package": 5, "eu-2017-821": 7, "eu-2023-1542": 10},
    )
    assert response.status_code == 302
    assert dict(RetentionPeriod.objects.values_list("key", "years")) == {"eu-2017-821": 7}
    assert AuditEntry.objects.get(action="retention.period_set").detail == "eu-2017-821: 7 years"
    assert "<td>2019-03-31</td> <td>2026-04-01</td>" in page(client)


def test_a_period_of_no_years_is_refused_on_the_form(client, users):
    client.force_login(users["admin"])
    response = client.post(
        reverse("retention_periods"),
        {"supplier-answer": 0, "evidence-package": 5, "eu-2017-821": 5, "eu-2023-1542": 10},
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not RetentionPeriod.objects.exists()


def test_an_admin_holds_a_supplier_by_its_number_and_releases_it_once(client, users):
    _campaign, requests = old_campaign(1)
    client.force_login(users["admin"])
    response = client.post(reverse("retention_hold_new"), {"supplier": "V000", "reason": "Customs inquiry."})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.supplier, hold.placed_by_label, hold.reason) == (
        requests[0].supplier,
        "alice",
        "Customs inquiry.",
    )
    assert AuditEntry.objects.filter(action="retention.hold_placed", object_id=str(hold.pk)).exists()
    assert '<td class="num">1 <span class="muted small">(1 held)</span></td>' in page(client)
    release = reverse("retention_hold_release", args=[hold.pk])
    assert "Release the hold on Supplier 0?" in client.get(release).content.decode()
    client.post(release)
    again = client.post(release, follow=True)
    assert "was released already, by alice." in again.content.decode()
    assert AuditEntry.objects.filter(action="retention.hold_released").count() == 1


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"supplier": "NOPE", "reason": "x"}, "No supplier has the number NOPE."),
        ({"reason": "x"}, "Choose either a campaign or a supplier to hold, not both and not neither."),
        ({"supplier": "V000"}, "This field is required."),
    ],
)
def test_a_hold_without_one_subject_or_a_reason_is_refused_by_name(client, users, data, problem):
    old_campaign(1)
    client.force_login(users["admin"])
    response = client.post(reverse("retention_hold_new"), data)
    assert response.status_code == 200 and problem in response.content.decode()
    assert not LegalHold.objects.exists()


def test_an_admin_erases_a_contact_from_the_supplier_page_after_confirming(client, users):
    _, requests = old_campaign(2)
    contact = Contact.objects.get(email="li.wei@tianma.example", supplier=requests[0].supplier)
    client.force_login(users["admin"])
    erase = reverse("contact_erase", args=[contact.supplier_id, contact.pk])
    assert erase in client.get(reverse("supplier", args=[contact.supplier_id])).content.decode()
    confirm = client.get(erase).content.decode()
    assert "Erase this contact's personal data?" in confirm and "This cannot be undone." in confirm
    # Li Wei is a contact of both suppliers of the fixture: the page links the other one.
    other = Contact.objects.get(email="li.wei@tianma.example", supplier=requests[1].supplier)
    other_erase = reverse("contact_erase", args=[other.supplier_id, other.pk])
    assert f'The same address is also a contact of <a href="{other_erase}">Supplier 1</a>' in confirm
    assert Contact.objects.filter(
        pk=contact.pk, email="li.wei@tianma.example"
    ).exists()  # a GET erases nothing
    done = client.post(erase, follow=True)
    assert f"Personal data erased. Replaced by Erased contact {contact.pk}" in done.content.decode()
    assert Contact.objects.get(pk=contact.pk).email == f"erased-contact-{contact.pk}@erased.invalid"


def test_erasing_a_held_supplier_s_contact_says_which_hold_refuses_it(client, users):
    campaign, requests = old_campaign(1)
    contact = requests[0].supplier.contacts.first()
    LegalHold.place(campaign, "Authority inquiry.", users["admin"])
    client.force_login(users["admin"])
    erase = reverse("contact_erase", args=[contact.supplier_id, contact.pk])
    assert "A legal hold keeps this contact's records" in client.get(erase).content.decode()
    refused = client.post(erase, follow=True).content.decode()
    assert (
        "Not erased: A legal hold keeps this contact&#x27;s records (RCOI 2025: Authority inquiry.)"
        in refused
    )
    assert Contact.objects.get(pk=contact.pk).email == contact.email


def test_an_analyst_can_neither_erase_nor_hold(client, users):
    _, requests = old_campaign(1)
    contact = requests[0].supplier.contacts.first()
    client.force_login(users["analyst"])
    assert client.post(reverse("contact_erase", args=[contact.supplier_id, contact.pk])).status_code == 403
    assert client.post(reverse("retention_hold_new"), {"supplier": "V000", "reason": "x"}).status_code == 403
    erase = reverse("contact_erase", args=[contact.supplier_id, contact.pk])
    assert erase not in client.get(reverse("supplier", args=[contact.supplier_id])).content.decode()


def test_an_admin_places_a_hold_from_the_campaign_and_the_supplier_page_which_then_show_it(client, users):
    campaign, requests = old_campaign(1)
    supplier = requests[0].supplier
    client.force_login(users["admin"])
    new = reverse("retention_hold_new")
    campaign_page = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert f'href="{new}?campaign={campaign.pk}">Place a legal hold</a>' in campaign_page
    supplier_page = client.get(reverse("supplier", args=[supplier.pk])).content.decode()
    assert f'href="{new}?supplier={supplier.key}">Place a legal hold</a>' in supplier_page
    # The links open the form with the page's campaign or supplier chosen.
    assert client.get(f"{new}?campaign={campaign.pk}").context["form"]["campaign"].value() == str(campaign.pk)
    assert client.get(f"{new}?supplier={supplier.key}").context["form"]["supplier"].value() == supplier.key
    LegalHold.place(campaign, "Dispute with a customer.", users["admin"])
    held = LegalHold.place(supplier, "Customs inquiry.", users["admin"])
    campaign_page = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert "<b>Legal hold</b>" in campaign_page and "Dispute with a customer." in campaign_page
    assert "Customs inquiry." not in campaign_page
    supplier_page = " ".join(client.get(reverse("supplier", args=[supplier.pk])).content.decode().split())
    assert (
        "Customs inquiry. The purge deletes none of this supplier's records in any campaign" in supplier_page
    )
    assert reverse("retention_hold_release", args=[held.pk]) in supplier_page
    held.release(users["admin"])
    assert "Customs inquiry." not in client.get(reverse("supplier", args=[supplier.pk])).content.decode()


@pytest.mark.parametrize("role", ["analyst", "viewer"])
def test_only_admins_see_the_hold_link_but_everyone_sees_the_hold(client, users, role):
    campaign, requests = old_campaign(1)
    LegalHold.place(campaign, "Dispute with a customer.", users["admin"])
    client.force_login(users[role])
    new = reverse("retention_hold_new")
    campaign_page = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert new not in campaign_page and "Dispute with a customer." in campaign_page
    assert "Release the hold" not in campaign_page
    assert new not in client.get(reverse("supplier", args=[requests[0].supplier.pk])).content.decode()
