"""Bulk upsert from an ERP export: the rows go through the supplier import's rules, keyed by the
supplier number and the part number, so sending them twice changes nothing and a problem keeps out
what the import keeps out."""

from __future__ import annotations

import json

import pytest
from api_data import client_with_token
from staff_data import staff

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.audit.models import AuditEntry
from oretrace.web.suppliers.models import Contact, Part, Supplier, SupplierPart

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "supplier_key": "100234",
        "supplier_name": "Tianma Components Co., Ltd.",
        "tier": "direct",
        "country": "CN",
        "contact_email": "Li Wei <li.wei@tianma.example>",
        "contact_language": "zh-hans",
        "part_number": "CAP-10UF",
        "part_description": "Tantalum capacitor 10 µF",
        "supplier_part_number": "TM-T10",
    },
    {"supplier_key": "100234", "part_number": "CAP-22UF", "part_description": "Tantalum capacitor 22 µF"},
    {"supplier_key": "100777", "supplier_name": "Nordic Metals AB", "country": "Sweden"},
]


@pytest.fixture
def analyst():
    _, bob, _ = staff()
    return client_with_token(ApiToken.issue(bob, "SAP", by=bob)[1])


def upsert(client, rows, **more):
    return client.post("/api/v1/suppliers/upsert/", {"rows": rows, **more}, format="json")


def test_rows_create_suppliers_contacts_parts_and_links_and_sending_them_again_changes_nothing(analyst):
    first = upsert(analyst, ROWS)
    assert first.status_code == 200, first.json()
    assert {k: first.json()[k] for k in ("suppliers_created", "contacts_created", "part_links_added")} == {
        "suppliers_created": 2,
        "contacts_created": 1,
        "part_links_added": 2,
    }
    tianma = Supplier.objects.get(key="100234")
    assert (tianma.name, tianma.tier, tianma.country) == ("Tianma Components Co., Ltd.", "direct", "China")
    contact = Contact.objects.get(supplier=tianma)
    assert (contact.name, contact.email, contact.language, contact.is_primary) == (
        "Li Wei",
        "li.wei@tianma.example",
        "zh-hans",
        True,
    )
    assert SupplierPart.objects.get(supplier=tianma, part__number="CAP-10UF").supplier_part_number == "TM-T10"
    assert Part.objects.get(number="CAP-22UF").description == "Tantalum capacitor 22 µF"

    again = upsert(analyst, ROWS).json()
    assert again["summary"] == (
        "3 rows: 3 imported, 0 skipped. Suppliers: 0 created, 0 updated. "
        "Contacts: 0 created, 0 updated, 0 left out. Part links: 0 added, 0 left out"
    )
    assert (Supplier.objects.count(), Contact.objects.count(), SupplierPart.objects.count()) == (2, 1, 2)
    assert AuditEntry.objects.filter(action="suppliers.imported", actor_label="bob").count() == 2


def test_a_problem_keeps_out_what_the_file_import_keeps_out_and_says_so_per_row(analyst):
    rows = [
        {"supplier_key": "200001", "supplier_name": "Atlantis Mining", "country": "Atlantis"},
        {"supplier_key": "200002", "supplier_name": "Good Co", "contact_email": "not-an-address"},
        {"supplier_key": "200003", "supplier_name": "Parts Co", "supplier_part_number": "X-1"},
    ]
    answer = upsert(analyst, rows).json()
    assert (answer["imported"], answer["imported_in_part"], answer["skipped"]) == (2, 2, 1)
    assert answer["problems"] == [
        {
            "row": 1,
            "field": "country",
            "message": '"Atlantis" is not a country oretrace knows: write its ISO 3166 code (DE or DEU) '
            'or its English name ("Germany").',
            "consequence": "row skipped",
        },
        {
            "row": 2,
            "field": "contact_email",
            "message": '"not-an-address" is not an e-mail address.',
            "consequence": "contact left out",
        },
        {
            "row": 3,
            "field": "supplier_part_number",
            "message": 'The supplier\'s part number "X-1" has no part number of ours to go with.',
            "consequence": "part link left out",
        },
    ]
    assert sorted(Supplier.objects.values_list("key", flat=True)) == ["200002", "200003"]
    assert not Contact.objects.exists()


def test_a_dry_run_checks_the_rows_and_writes_nothing(analyst):
    answer = upsert(analyst, ROWS, dry_run=True).json()
    assert (answer["dry_run"], answer["imported"], answer["suppliers_created"]) == (True, 3, None)
    assert answer["summary"] == "3 rows: 3 imported, 0 skipped"
    assert not Supplier.objects.exists()


def test_a_field_the_import_does_not_know_is_refused_naming_it(analyst):
    refused = upsert(analyst, [{"supplier_key": "1", "supplier_name": "X", "vat_number": "DE123"}])
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "rows"
    assert refused.json()["errors"][0]["message"].startswith("Unknown field(s) vat_number; the fields are: ")
    assert not Supplier.objects.exists()


def test_a_row_without_a_supplier_number_is_refused_before_anything_is_written(analyst):
    refused = upsert(analyst, [ROWS[2], {"supplier_name": "No number"}])
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "rows.1.supplier_key", "message": "This field is required."}
    ]
    assert not Supplier.objects.exists()


def test_a_large_export_goes_in_one_request_and_a_too_large_one_is_refused_unread(analyst):
    rows = [
        {
            "supplier_key": f"{i:06d}",
            "supplier_name": f"Supplier {i} " + "x" * 250,
            "part_number": f"P-{i}",
            "part_description": "Tantalum capacitor " + "y" * 200,
        }
        for i in range(3000)
    ]
    body = json.dumps({"rows": rows, "dry_run": True})
    assert len(body) > 1024 * 1024  # more than any other address of the app accepts
    answer = analyst.post("/api/v1/suppliers/upsert/", body, content_type="application/json")
    assert answer.status_code == 200, answer.content[:300]
    assert answer.json()["imported"] == 3000
    refused = analyst.generic(
        "POST",
        "/api/v1/suppliers/upsert/",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(17 * 1024 * 1024),
    )
    assert refused.status_code == 413
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == (
        "The body is 17.0 MB; this address accepts at most 16.0 MB. Send fewer rows at a time."
    )


def test_a_body_that_is_not_json_is_a_problem_saying_so(analyst):
    refused = analyst.post("/api/v1/suppliers/upsert/", "supplier_key;name", content_type="application/json")
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"].startswith("The body is not JSON: Expecting value: line 1 column 1")
