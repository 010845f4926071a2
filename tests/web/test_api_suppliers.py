"""Suppliers, contacts, parts and links through the API: written by the web's own rules (its forms and
its import), answered with RFC 9457 problems when the input is wrong, listed in pages with filters."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from api_data import client_with_token
from staff_data import staff

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.api.suppliers import SupplierSerializer
from oretrace.web.audit.models import AuditEntry
from oretrace.web.suppliers.models import Contact, Part, Supplier, SupplierPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients():
    _, bob, vera = staff()
    return {
        "analyst": client_with_token(ApiToken.issue(bob, "ERP", by=bob)[1]),
        "viewer": client_with_token(ApiToken.issue(vera, "BI", by=vera)[1]),
    }


def test_a_supplier_created_by_the_api_stores_its_country_as_the_supplier_form_does(clients):
    made = clients["analyst"].post(
        "/api/v1/suppliers/",
        {
            "key": "V-100",
            "name": "Tianma Components",
            "country": "CN",
            "tier": "direct",
            "internal_owner": "bob",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["country"] == "China"
    supplier = Supplier.objects.get(key="V-100")
    assert (supplier.country, supplier.tier, supplier.internal_owner.username) == ("China", "direct", "bob")
    assert AuditEntry.objects.filter(action="supplier.saved", object_id=str(supplier.pk)).count() == 1


def test_a_country_nobody_knows_is_a_problem_naming_the_field(clients):
    refused = clients["analyst"].post(
        "/api/v1/suppliers/", {"key": "V-101", "name": "X", "country": "Atlantis"}, format="json"
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    body = refused.json()
    assert body["type"] == "urn:oretrace:problem:invalid-input"
    assert body["errors"] == [
        {
            "field": "country",
            "message": '"Atlantis" is not a country oretrace knows: write its ISO 3166 code (DE or DEU) '
            'or its English name ("Germany").',
        }
    ]
    assert not Supplier.objects.filter(key="V-101").exists()


def test_a_second_supplier_with_the_same_number_is_refused(clients):
    Supplier.objects.create(key="V-100", name="First")
    refused = clients["analyst"].post("/api/v1/suppliers/", {"key": "V-100", "name": "Second"}, format="json")
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["key"]
    assert Supplier.objects.get(key="V-100").name == "First"


def test_a_partial_update_changes_only_what_it_sends(clients):
    supplier = Supplier.objects.create(key="V-100", name="Tianma", country="China", notes="Keep")
    changed = clients["analyst"].patch(f"/api/v1/suppliers/{supplier.pk}/", {"country": "DE"}, format="json")
    assert changed.status_code == 200, changed.json()
    supplier.refresh_from_db()
    assert (supplier.name, supplier.country, supplier.notes) == ("Tianma", "Germany", "Keep")


def test_a_viewer_reads_but_cannot_write(clients):
    Supplier.objects.create(key="V-100", name="Tianma")
    assert clients["viewer"].get("/api/v1/suppliers/").json()["count"] == 1
    refused = clients["viewer"].post("/api/v1/suppliers/", {"key": "V-200", "name": "X"}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "Your role may read but not change anything (viewers are read-only).",
        "instance": "/api/v1/suppliers/",
    }
    assert not Supplier.objects.filter(key="V-200").exists()


def test_suppliers_come_in_pages_and_filter_by_number_country_and_part(clients):
    for i in range(60):
        Supplier.objects.create(
            key=f"V{i:03d}", name=f"Supplier {i:03d}", country="China" if i % 2 else "Germany"
        )
    SupplierPart.objects.create(
        supplier=Supplier.objects.get(key="V007"), part=Part.objects.create(number="P-1")
    )
    first = clients["viewer"].get("/api/v1/suppliers/").json()
    assert (first["count"], len(first["results"])) == (60, 50)
    assert first["next"].endswith("/api/v1/suppliers/?page=2")
    assert len(clients["viewer"].get(first["next"]).json()["results"]) == 10
    assert clients["viewer"].get("/api/v1/suppliers/?country=Germany").json()["count"] == 30
    assert [s["key"] for s in clients["viewer"].get("/api/v1/suppliers/?key=V042").json()["results"]] == [
        "V042"
    ]
    assert [s["key"] for s in clients["viewer"].get("/api/v1/suppliers/?part=P-1").json()["results"]] == [
        "V007"
    ]
    assert clients["viewer"].get("/api/v1/suppliers/?page=9").status_code == 404


def test_a_contact_with_an_address_the_supplier_has_is_refused(clients):
    supplier = Supplier.objects.create(key="V-100", name="Tianma")
    Contact.objects.create(supplier=supplier, email="li.wei@tianma.example")
    refused = clients["analyst"].post(
        "/api/v1/contacts/", {"supplier": supplier.pk, "email": "LI.WEI@tianma.example"}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "email", "message": "This supplier already has a contact with that e-mail address."}
    ]
    made = clients["analyst"].post(
        "/api/v1/contacts/",
        {"supplier": supplier.pk, "email": "zhang.min@tianma.example", "language": "zh-hans"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert supplier.contacts.get(email="zhang.min@tianma.example").language == "zh-hans"


def test_a_part_link_names_the_supplier_and_the_part_by_their_numbers(clients):
    Supplier.objects.create(key="V-100", name="Tianma")
    Part.objects.create(number="P-1")
    made = clients["analyst"].post(
        "/api/v1/supplier-parts/",
        {"supplier": "V-100", "part": "P-1", "supplier_part_number": "TM-9"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    again = clients["analyst"].post(
        "/api/v1/supplier-parts/", {"supplier": "V-100", "part": "P-1"}, format="json"
    )
    assert again.status_code == 400
    assert "already" in again.json()["detail"]
    unknown = clients["analyst"].post(
        "/api/v1/supplier-parts/", {"supplier": "V-999", "part": "P-1"}, format="json"
    )
    assert unknown.json()["errors"] == [
        {"field": "supplier", "message": "Object with key=V-999 does not exist."}
    ]


def test_an_update_read_before_another_change_writes_only_what_it_sends(clients):
    """The API read the supplier, someone renamed it on the web, then the API's PATCH of the country is
    saved: the new name stays (the row is locked and read again, not saved from the stale copy)."""
    supplier = Supplier.objects.create(key="V-100", name="Tianma", country="China")
    stale = Supplier.objects.get(pk=supplier.pk)
    bob = ApiToken.objects.get(name="ERP").user
    patch = SupplierSerializer(
        stale, data={"country": "DE"}, partial=True, context={"request": SimpleNamespace(user=bob)}
    )
    assert patch.is_valid(), patch.errors
    Supplier.objects.filter(pk=supplier.pk).update(name="Tianma Components Co., Ltd.")
    patch.save()
    supplier.refresh_from_db()
    assert (supplier.name, supplier.country) == ("Tianma Components Co., Ltd.", "Germany")
