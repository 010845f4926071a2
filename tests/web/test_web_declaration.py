"""Our own CMRT in the web app: the derivation shown with its reasons, answers changed with a reason and
logged, the file generated into the campaign's blank template and kept, and product-level CMRTs for a
customer's list of part numbers. The answers themselves come from oretrace.declaration."""

from __future__ import annotations

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import PASSWORD, campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.rmi import read_template
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.campaigns.models import State
from oretrace.web.reports.models import DeclarationOverride, GeneratedDeclaration, ReportSettings
from oretrace.web.suppliers.models import Organisation, Part, Product, Supplier, SupplierPart

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _declarations_in_tmp(settings, tmp_path):
    settings.DECLARATIONS_DIR = tmp_path / "declarations"


def company_settings(year) -> ReportSettings:
    settings = ReportSettings.for_year(year)
    settings.contact_name = "Jane Doe"
    settings.contact_email = "jane.doe@acme.example"
    settings.contact_phone = "+1 503 555 0100"
    settings.authorizer_name = "John Roe"
    settings.authorizer_email = "john.roe@acme.example"
    settings.save()
    return settings


@pytest.fixture
def world():
    """Suppliers 0 and 1 sent a complete CMRT 6.5, supplier 2 did not; the blank template is imported."""
    alice, bob, vera = staff()
    blank = build_cmrt({})
    reference.load_reference_from_template(blank, "blank.xlsx")
    campaign, requests = campaign_with_suppliers(3)
    campaign.store_blank_template(blank, "RMI_CMRT_6.5.xlsx")
    campaign.save()
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.company_answers = dict.fromkeys("ABCDFG", "Yes") | {
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "H": "Yes, with the SEC",
    }
    org.save()
    company_settings(campaign.reporting_year)
    submitted(requests[0])
    submitted(requests[1], data=cmrt_bytes("Other Co."))
    requests[2].transition(State.SENT, bob)  # asked, and silent
    return {"admin": alice, "analyst": bob, "viewer": vera, "campaign": campaign, "requests": requests}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def url(name, world, *args):
    return reverse(name, args=[world["campaign"].pk, *args])


def test_it_shows_every_derived_answer_with_its_reason_to_every_role(client, world):
    for role in ("admin", "analyst", "viewer"):
        login(client, world[role])
        page = client.get(url("report_declaration", world))
        assert page.status_code == 200
        html = page.content.decode()
        # Q6: 2 of 3 surveyed suppliers responded, "Greater than 50%" in CMRT 6.x's words.
        assert "2 of 3 surveyed suppliers responded (66%)" in html
        assert "Greater than 50%" in html
        assert "Jane Doe" in html and "Yes, with the SEC" in html
        assert ("Generate our CMRT" in html) == (role != "viewer")


def test_it_sends_anonymous_people_to_log_in(client, world):
    for name in ("report_declaration", "report_products", "reports"):
        page = client.get(url(name, world))
        assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_our_declaration_has_its_own_address_for_every_kind(client, world):
    pk = world["campaign"].pk
    assert url("report_declaration", world) == f"/campaigns/{pk}/reports/declaration/"
    login(client, world["analyst"])
    html = client.get(url("report_declaration", world)).content.decode()
    assert "<b>Our declaration</b>" in html and "Our declaration: our CMRT for 2025" in html


def test_the_old_cmrt_addresses_go_on_to_our_declaration_keeping_a_post(client, world):
    pk = world["campaign"].pk
    for old, new in (
        (f"/campaigns/{pk}/reports/cmrt/", f"/campaigns/{pk}/reports/declaration/"),
        (f"/campaigns/{pk}/reports/cmrt/products/", f"/campaigns/{pk}/reports/declaration/products/"),
        (f"/campaigns/{pk}/reports/cmrt/?generated=4", f"/campaigns/{pk}/reports/declaration/?generated=4"),
    ):
        moved = client.get(old)
        assert (moved.status_code, moved["Location"]) == (308, new)
    # A form posted to an old address reaches the page that checks the role: a viewer is still refused.
    login(client, world["viewer"])
    posted = client.post(
        f"/campaigns/{pk}/reports/cmrt/",
        {"metal": "Tin", "question": "Q7", "answer": "Yes", "reason": "x"},
        follow=True,
    )
    assert posted.redirect_chain == [(f"/campaigns/{pk}/reports/declaration/", 308)]
    assert posted.status_code == 403 and not DeclarationOverride.objects.exists()


def test_a_viewer_cannot_change_an_answer_or_generate(client, world):
    login(client, world["viewer"])
    posted = client.post(
        url("report_declaration", world), {"metal": "Tin", "question": "Q7", "answer": "Yes", "reason": "x"}
    )
    assert posted.status_code == 403
    assert client.post(url("report_generate", world)).status_code == 403
    assert not DeclarationOverride.objects.exists() and not GeneratedDeclaration.objects.exists()


def test_an_analyst_changes_an_answer_with_a_reason_and_the_audit_log_records_it(client, world):
    login(client, world["analyst"])
    page = client.post(
        url("report_declaration", world),
        {"metal": "Tin", "question": "Q7", "answer": "Yes", "reason": "confirmed with procurement"},
        follow=True,
    )
    assert page.status_code == 200
    override = DeclarationOverride.objects.get()
    assert (override.metal, override.question, override.answer) == ("Tin", "Q7", "Yes")
    assert override.by == world["analyst"]
    entry = AuditEntry.objects.get(action="declaration.answer_changed")
    assert entry.actor == world["analyst"]
    assert entry.detail == "Q7 Tin: No → Yes; confirmed with procurement"
    assert "changed by the analyst: confirmed with procurement" in page.content.decode()


def test_an_answer_the_question_does_not_allow_is_refused(client, world):
    login(client, world["analyst"])
    page = client.post(
        url("report_declaration", world), {"metal": "Tin", "question": "Q7", "answer": "100%", "reason": "x"}
    )
    assert page.status_code == 200
    assert "is not an answer to Q7" in page.content.decode()
    assert not DeclarationOverride.objects.exists()


def test_the_generated_cmrt_reads_back_with_the_changed_answer_and_is_kept(client, world):
    login(client, world["analyst"])
    client.post(
        url("report_declaration", world),
        {"metal": "Tin", "question": "Q7", "answer": "Yes", "reason": "confirmed with procurement"},
    )
    generated = client.post(url("report_generate", world))
    assert generated.status_code == 302
    first = GeneratedDeclaration.objects.get()
    assert first.created_by == world["analyst"] and first.scope == "A"
    download = client.get(url("report_declaration_file", world, first.pk))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert "attachment" in download["Content-Disposition"]
    back = read_template(download.content, name=first.filename)
    assert back.answers["Tin"]["Q7"].value == "Yes"
    assert back.answers["Tin"]["Q6"].value == "Greater than 50%"
    assert back.company.name.value == "Acme Instruments"
    assert back.company.contact_email.value == "jane.doe@acme.example"
    assert AuditEntry.objects.filter(action="declaration.generated", actor=world["analyst"]).count() == 1

    # Back to the derived answer; a second file is a new row and the first file is untouched.
    client.post(url("report_override_remove", world, DeclarationOverride.objects.get().pk))
    client.post(url("report_generate", world))
    assert GeneratedDeclaration.objects.count() == 2
    second = GeneratedDeclaration.objects.exclude(pk=first.pk).get()
    assert second.sha256 != first.sha256
    assert read_template(second.file_bytes()).answers["Tin"]["Q7"].value == "No"
    assert read_template(first.file_bytes()).answers["Tin"]["Q7"].value == "Yes"
    assert AuditEntry.objects.filter(action="declaration.answer_restored").count() == 1


def test_without_a_blank_template_it_says_so_and_generates_nothing(client, world):
    campaign = world["campaign"]
    campaign.blank_template_sha256 = ""
    campaign.save()
    login(client, world["analyst"])
    assert (
        "This campaign has no blank template" in client.get(url("report_declaration", world)).content.decode()
    )
    page = client.post(url("report_generate", world), follow=True)
    assert "This campaign has no blank template" in page.content.decode()
    assert not GeneratedDeclaration.objects.exists()


def test_a_template_that_is_not_a_cmrt_6_is_refused_with_the_cores_message(client, world):
    campaign = world["campaign"]
    old = cmrt_bytes(J3="Revision 5.12")  # a CMRT 5 revision line: the writer fills CMRT 6.x only
    campaign.store_blank_template(old, "RMI_CMRT_5.12.xlsx")
    campaign.save()
    login(client, world["analyst"])
    page = client.post(url("report_generate", world), follow=True)
    assert "oretrace fills in the CMRT 6.x, EMRT" in page.content.decode()
    assert not GeneratedDeclaration.objects.exists()


def test_missing_company_block_is_named(client, world):
    ReportSettings.objects.update(contact_phone="")
    login(client, world["viewer"])
    page = client.get(url("report_declaration", world))
    assert "company.contact_phone is empty" in page.content.decode()


def test_a_product_level_cmrt_uses_only_the_linked_suppliers(client, world):
    """P-000 is supplier 0's part; PRD-1 is a product built from P-001 (supplier 1); X-9 is unknown."""
    product = Product.objects.create(number="PRD-1", name="Oscilloscope")
    Part.objects.get(number="P-001").products.add(product)
    login(client, world["analyst"])
    page = client.post(
        url("report_products", world), {"numbers": "P-000\nPRD-1, X-9", "action": "generate"}, follow=True
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 of 3 numbers linked to a supplier" in html
    assert "no part or product with this number" in html
    assert page.context["unmatched"][0].number == "X-9"
    assert [m.suppliers for m in page.context["matched"]] == [("Supplier 0",), ("Supplier 1",)]
    generated = GeneratedDeclaration.objects.get()
    assert generated.scope == "B" and generated.parts == ["P-000", "PRD-1", "X-9"]
    assert generated.suppliers == ["Supplier 0", "Supplier 1"]
    back = read_template(generated.file_bytes())
    assert back.scope == "B"
    assert [p.number for p in back.products] == ["P-000", "PRD-1", "X-9"]


def test_a_product_list_linked_to_one_supplier_derives_from_that_suppliers_file_only(client, world):
    login(client, world["viewer"])
    page = client.post(url("report_products", world), {"numbers": "P-001", "action": "match"})
    assert page.status_code == 403  # viewers read; matching posts a form
    login(client, world["analyst"])
    page = client.post(url("report_products", world), {"numbers": "P-002", "action": "match"})
    # Supplier 2 is linked but sent no file: the core says so, Q1 has nothing to derive from.
    assert "1 linked supplier sent no file: Supplier 2" in page.content.decode()
    assert page.context["derived"].suppliers == ()
    assert not GeneratedDeclaration.objects.exists()


def test_a_list_with_no_linked_part_gets_the_cores_message(client, world):
    login(client, world["analyst"])
    page = client.post(url("report_products", world), {"numbers": "X-1\nX-2", "action": "generate"})
    assert "None of the part numbers is linked to a supplier: X-1, X-2" in page.content.decode()
    assert not GeneratedDeclaration.objects.exists()


def test_part_numbers_can_be_uploaded_as_a_csv(client, world):
    Supplier.objects.get(name="Supplier 1")
    login(client, world["analyst"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("customer.csv", b"Customer,Part number\nBig Co,P-001\nBig Co,P-000\n")
    page = client.post(url("report_products", world), {"file": upload, "action": "match"})
    assert [m.number for m in page.context["matches"]] == ["P-001", "P-000"]
    assert SupplierPart.objects.count() == 3
