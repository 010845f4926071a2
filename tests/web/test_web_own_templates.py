"""The report page of an EMRT or AMRT campaign: our own declaration is that template, derived from the
suppliers' files and generated into the campaign's imported blank (oretrace.declaration, rmi.writer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from staff_data import PASSWORD, campaign_with_suppliers, staff, submitted
from test_web_declaration import company_settings

from builders import build_amrt13, build_emrt2
from oretrace.rmi import read_template
from oretrace.rmi.model import TemplateKind
from oretrace.rmi.writer import CompanyDeclaration, DeclaredSmelter, write_declaration
from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns import reference
from oretrace.web.reports.models import DeclarationOverride, GeneratedDeclaration
from oretrace.web.suppliers.models import Organisation
from samples import TEMPLATES, shared_file

pytestmark = pytest.mark.django_db

USED = {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "No", "Q6": "Yes", "Q7": "Yes"}
COBALT = {"metal": "Cobalt", "lookup_name": "Chemaf Etoile", "smelter_id": "CID003264", "country": "CHINA"}


@pytest.fixture(autouse=True)
def _declarations_in_tmp(settings, tmp_path):
    settings.DECLARATIONS_DIR = tmp_path / "declarations"


def campaign_of(kind: str, blank_name: str, supplier_file: bytes):
    """A campaign collecting ``kind`` with RMI's blank imported, and two suppliers' files of that kind."""
    blank = shared_file(TEMPLATES / blank_name).read_bytes()
    _alice, bob, _vera = staff()
    reference.load_reference_from_template(blank, blank_name)
    campaign, requests = campaign_with_suppliers(2)
    campaign.template_kind = kind
    campaign.minimum_version = "1.0"
    campaign.store_blank_template(blank, blank_name)
    campaign.save()
    org = Organisation.objects.get()
    org.policy_url = "https://acme.example/policy"
    org.company_answers = dict.fromkeys("ABCDFG", "Yes") | {
        "E": "Yes, in conformance with IPC1755 (e.g., CMRT)",
        "H": "Yes, with the SEC",
    }
    org.save()
    company_settings(campaign.reporting_year)
    for request in requests:
        submitted(request, data=supplier_file)
    return campaign, bob


def emrt_file(tmp_path) -> bytes:
    path = build_emrt2(
        tmp_path / "emrt.xlsx",
        picked=("Cobalt",),
        company={"name": "Alpha Parts"},
        answers=USED,
        smelters=[COBALT],
    )
    return path.read_bytes()


def test_an_emrt_campaign_shows_and_generates_our_emrt(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    assert client.login(username=analyst.username, password=PASSWORD)
    page = client.get(reverse("report_declaration", args=[campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Our declaration: our EMRT for" in html and "Generate our EMRT" in html
    assert "2 of 2 suppliers declared cobalt intentionally added or used" in html
    assert "Company questions of our EMRT" in html

    changed = client.post(
        reverse("report_declaration", args=[campaign.pk]),
        {"metal": "Cobalt", "question": "Q6", "answer": "Unknown", "reason": "a refiner is being confirmed"},
    )
    assert changed.status_code == 302
    assert DeclarationOverride.objects.get().metal == "Cobalt"
    assert client.post(reverse("report_generate", args=[campaign.pk])).status_code == 302
    generated = GeneratedDeclaration.objects.get()
    assert generated.filename.startswith("EMRT-2025-company-")
    ours = read_template(generated.file_bytes())
    assert ours.kind is TemplateKind.EMRT
    assert ours.answers["Cobalt"]["Q1"].value == "Yes"
    assert ours.answers["Cobalt"]["Q6"].value == "Unknown"
    assert [s.smelter_id for s in ours.smelters] == ["CID003264"]


def test_our_emrt_declares_the_minerals_the_campaign_asked_about(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    campaign.minerals = ["Cobalt", "Nickel"]
    campaign.save()
    assert client.login(username=analyst.username, password=PASSWORD)
    assert client.post(reverse("report_generate", args=[campaign.pk])).status_code == 302
    ours = read_template(GeneratedDeclaration.objects.get().file_bytes())
    assert sorted(ours.answers) == ["Cobalt", "Nickel"]


def test_an_amrt_campaign_generates_our_amrt_for_the_minerals_its_suppliers_answered(client, tmp_path):
    supplier = build_amrt13(tmp_path / "amrt.xlsx", picked=("Zinc",), answers={"Q1": "Yes"}).read_bytes()
    campaign, analyst = campaign_of("AMRT", "RMI_AMRT_1.3.xlsx", supplier)
    assert client.login(username=analyst.username, password=PASSWORD)
    assert (
        "Our declaration: our AMRT for"
        in client.get(reverse("report_declaration", args=[campaign.pk])).content.decode()
    )
    assert client.post(reverse("report_generate", args=[campaign.pk])).status_code == 302
    ours = read_template(GeneratedDeclaration.objects.get().file_bytes())
    assert ours.kind is TemplateKind.AMRT
    assert ours.minerals == ("Zinc",)
    assert ours.answers["Zinc"]["Q1"].value == "Yes"
    assert ours.answers["Zinc"]["Q2"].value == "100%"


def test_a_blank_of_another_kind_than_the_campaign_is_named_before_generating(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    campaign.store_blank_template(
        shared_file(TEMPLATES / "RMI_CRT_2.2.xlsx").read_bytes(), "RMI_CRT_2.2.xlsx"
    )
    campaign.save()
    assert client.login(username=analyst.username, password=PASSWORD)
    page = client.post(reverse("report_generate", args=[campaign.pk]), follow=True)
    assert "This campaign collects the EMRT, but its blank template is the CRT" in page.content.decode()
    assert not GeneratedDeclaration.objects.exists()


def test_the_analyst_changes_a_company_question_of_our_emrt(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    assert client.login(username=analyst.username, password=PASSWORD)
    declaration = reverse("report_declaration", args=[campaign.pk])
    refused = client.post(declaration, {"metal": "", "question": "Q1", "answer": "No", "reason": "x"})
    assert "Q1 is not a company question" in refused.content.decode()
    changed = client.post(
        declaration,
        {"metal": "", "question": "E", "answer": "Yes, Using Other Format (Describe)", "reason": "own form"},
        follow=True,
    )
    assert "changed by the analyst: own form" in changed.content.decode()
    assert (
        AuditEntry.objects.filter(action="declaration.answer_changed")
        .get()
        .detail.startswith(
            "E company: Yes, in conformance with IPC1755 (e.g. EMRT) → Yes, Using Other Format (Describe)"
        )
    )
    client.post(reverse("report_generate", args=[campaign.pk]))
    ours = read_template(GeneratedDeclaration.objects.get().file_bytes())
    assert ours.company_questions["E"].value == "Yes, Using Other Format (Describe)"


def crt_file() -> bytes:
    """A supplier's CRT 2.2: RMI's blank, filled in by our own writer as a supplier would fill it."""
    company = {
        "name": "Alpha Parts",
        "declaration_scope": "A",
        "contact_name": "Li Wei",
        "contact_email": "li.wei@alpha.example",
        "contact_phone": "+86 755 1234 5678",
        "authorizer_name": "Zhang Min",
        "authorizer_email": "zhang.min@alpha.example",
        "effective_date": dt.date(2026, 1, 15),
    }
    answers = {"Q1": "Yes", "Q2": "No", "Q3": "No", "Q4": "100%", "Q5": "Yes", "Q6": "Yes"}
    declaration = CompanyDeclaration(
        company=company,
        answers={"Cobalt": answers},
        company_questions=dict.fromkeys("ABCDEFHI", "Yes") | {"G": "Yes, CRT"},
        policy_url="https://alpha.example/cobalt",
        smelters=(DeclaredSmelter("Cobalt", "CID003264"),),
        kind=TemplateKind.CRT,
    )
    return write_declaration(shared_file(TEMPLATES / "RMI_CRT_2.2.xlsx").read_bytes(), declaration)


def test_a_crt_campaign_generates_our_crt_once_the_analyst_answers_what_the_cmrt_does_not_ask(client):
    campaign, analyst = campaign_of("CRT", "RMI_CRT_2.2.xlsx", crt_file())
    assert client.login(username=analyst.username, password=PASSWORD)
    declaration = reverse("report_declaration", args=[campaign.pk])
    assert "give our CRT&#x27;s answer" in client.get(declaration).content.decode()
    for letter in "BDF":
        client.post(declaration, {"metal": "", "question": letter, "answer": "Yes", "reason": "policy 2026"})
    assert "Checker will count them missing" not in client.get(declaration).content.decode()
    assert client.post(reverse("report_generate", args=[campaign.pk])).status_code == 302
    ours = read_template(GeneratedDeclaration.objects.get().file_bytes())
    assert ours.kind is TemplateKind.CRT
    assert ours.answers["Cobalt"]["Q1"].value == "Yes"
    assert {letter: ours.company_questions[letter].value for letter in "BDFG"} == {
        "B": "Yes",
        "D": "Yes",
        "F": "Yes",
        "G": "Yes, CRT",
    }
    assert [s.smelter_id for s in ours.smelters] == ["CID003264"]


def test_our_crts_company_questions_are_settings_kept_for_every_crt_campaign(client):
    campaign, analyst = campaign_of("CRT", "RMI_CRT_2.2.xlsx", crt_file())
    assert client.login(username=analyst.username, password=PASSWORD)
    declaration = reverse("report_declaration", args=[campaign.pk])
    page = client.get(declaration).content.decode()
    assert "Company questions of our CRT" in page and "Save our CRT's answers" in page
    saved = client.post(
        reverse("report_kind_answers", args=[campaign.pk]),
        {"B": "Yes", "D": "Yes", "F": "No", "A": ""},
        follow=True,
    )
    html = saved.content.decode()
    assert "Our CRT&#x27;s company questions are saved" in html
    assert "set for the CRT in the settings" in html
    assert "Checker will count them missing" not in html
    assert Organisation.objects.get().kind_company_answers == {"CRT": {"B": "Yes", "D": "Yes", "F": "No"}}
    assert AuditEntry.objects.get(action="declaration.kind_questions_changed").detail == (
        "CRT company questions: B derived → Yes; D derived → Yes; F derived → No"
    )
    client.post(reverse("report_generate", args=[campaign.pk]))
    ours = read_template(GeneratedDeclaration.objects.get().file_bytes())
    assert {letter: ours.company_questions[letter].value for letter in "BDF"} == {
        "B": "Yes",
        "D": "Yes",
        "F": "No",
    }


def test_an_answer_the_crt_does_not_offer_is_refused_and_nothing_is_kept(client):
    campaign, analyst = campaign_of("CRT", "RMI_CRT_2.2.xlsx", crt_file())
    assert client.login(username=analyst.username, password=PASSWORD)
    refused = client.post(reverse("report_kind_answers", args=[campaign.pk]), {"B": "Maybe"}, follow=True)
    assert (
        "B. Does the policy cover the OECD Annex II risks and child labour? (CRT): Select a valid choice. Maybe is not one of the available choices."
        in (refused.content.decode())
    )
    assert Organisation.objects.get().kind_company_answers == {}


def test_a_viewer_reads_our_emrts_company_questions_but_cannot_change_them(client, tmp_path):
    campaign, _analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    vera = get_user_model().objects.get(username="vera")  # campaign_of made alice, bob and vera
    assert client.login(username=vera.username, password=PASSWORD)
    page = client.get(reverse("report_declaration", args=[campaign.pk])).content.decode()
    assert "Company questions of our EMRT" in page and "Save our EMRT" not in page
    assert client.post(reverse("report_kind_answers", args=[campaign.pk]), {"A": "No"}).status_code == 403
    assert Organisation.objects.get().kind_company_answers == {}


def test_a_cmrt_campaign_has_no_kind_company_questions_to_set(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    campaign.template_kind = "CMRT"
    campaign.save()
    assert client.login(username=analyst.username, password=PASSWORD)
    moved = client.post(reverse("report_kind_answers", args=[campaign.pk]), {"A": "No"}, follow=True)
    assert "Our CMRT has no company questions of its own to set here." in moved.content.decode()
    assert Organisation.objects.get().kind_company_answers == {}


def test_each_kinds_declaration_page_names_the_cmrts_company_questions_as_the_cmrts(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    assert client.login(username=analyst.username, password=PASSWORD)
    declaration = reverse("report_declaration", args=[campaign.pk])
    emrt = client.get(declaration).content.decode()
    assert "<h2>Our CMRT's company questions A–H</h2>" in emrt
    assert "Not part of our EMRT: it asks company questions of its own (below)" in emrt
    assert "Company questions A–H of our CMRT" not in emrt
    settings = client.get(reverse("report_settings", args=[campaign.pk])).content.decode()
    assert "<h2>Company block of our EMRT</h2>" in settings and "who signs our EMRT." in settings
    campaign.template_kind = "CMRT"
    campaign.save()
    cmrt = client.get(declaration).content.decode()
    assert "<h2>Company questions A–H of our CMRT</h2>" in cmrt and "Not part of our" not in cmrt


def test_an_amrt_declaration_page_says_the_amrt_asks_no_company_questions(client, tmp_path):
    supplier = build_amrt13(tmp_path / "amrt.xlsx", picked=("Zinc",), answers={"Q1": "Yes"}).read_bytes()
    campaign, analyst = campaign_of("AMRT", "RMI_AMRT_1.3.xlsx", supplier)
    assert client.login(username=analyst.username, password=PASSWORD)
    page = client.get(reverse("report_declaration", args=[campaign.pk])).content.decode()
    assert "Not part of our AMRT, which asks no company questions; kept for our CMRT." in page
