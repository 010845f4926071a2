"""A customer who asks for our EMRT, CRT or AMRT gets it from our campaign of that kind, derived for the
questions of the version asked for and written into RMI's blank of that version, at company level or for
their part numbers (customers.answers with reports.documents.derivation and rmi.writer)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from test_web_customers import register
from test_web_own_templates import campaign_of, crt_file, emrt_file

from builders import build_amrt13
from oretrace.rmi import read_template
from oretrace.rmi.model import TemplateKind
from oretrace.web.campaigns.models import Campaign
from oretrace.web.customers.models import BlankTemplate, CustomerAnswer, CustomerRequest
from samples import TEMPLATES, shared_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _declarations_in_tmp(settings, tmp_path):
    settings.DECLARATIONS_DIR = tmp_path / "declarations"


def import_blank(client, name: str) -> BlankTemplate:
    blank = shared_file(TEMPLATES / name).read_bytes()
    client.post(reverse("customer_templates"), {"file": SimpleUploadedFile(name, blank)})
    return BlankTemplate.objects.get(filename=name)


def prepared(client, request: CustomerRequest):
    page = client.post(reverse("customer_prepare", args=[request.pk]), follow=True)
    answer = CustomerAnswer.objects.filter(request=request).first()
    assert answer is not None, [str(m) for m in page.context["messages"]]
    return read_template(answer.generated.file_bytes())


def test_an_emrt_20_request_is_answered_from_our_emrt_21_campaign_in_the_version_asked_for(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    client.force_login(analyst)
    assert str(import_blank(client, "RMI_EMRT_2.0.xlsx")) == "EMRT 2.0"
    register(client, template_kind="EMRT", template_version="2.0")
    request = CustomerRequest.objects.get()
    page = client.get(reverse("customer_request", args=[request.pk]))
    assert page.context["campaign"] == campaign
    assert page.context["table"][0][:3] == ("Q1", "Cobalt", "Yes")
    ours = prepared(client, request)
    assert (ours.kind, ours.version, ours.scope) == (TemplateKind.EMRT, "2.0", "A")
    assert ours.company.name.value == "Acme Instruments"
    assert ours.answers["Cobalt"]["Q1"].value == "Yes"
    assert [s.smelter_id for s in ours.smelters] == ["CID003264"]


def test_a_crt_request_for_three_part_numbers_reads_back_with_its_product_list(client):
    _campaign, analyst = campaign_of("CRT", "RMI_CRT_2.2.xlsx", crt_file())
    client.force_login(analyst)
    register(client, template_kind="CRT", template_version="2.2", scope="products")
    request = CustomerRequest.objects.get()
    rows = (
        b"Customer part number,Supplier part number,Description\nBC-1,P-000,Cell\nBC-2,P-001,\nBC-3,,Pack\n"
    )
    client.post(reverse("customer_parts", args=[request.pk]), {"file": SimpleUploadedFile("bc.csv", rows)})
    ours = prepared(client, request)  # the campaign's own blank is RMI's CRT 2.2: no import needed
    assert (ours.kind, ours.version, ours.scope) == (TemplateKind.CRT, "2.2", "B")
    assert [(p.number, p.name, p.comments) for p in ours.products] == [
        ("BC-1", "Cell", "Our part number P-000"),
        ("BC-2", "Tantalum capacitor", "Our part number P-001"),
        ("BC-3", "Pack", None),
    ]
    assert ours.answers["Cobalt"]["Q1"].value == "Yes"
    assert CustomerAnswer.objects.get().generated.suppliers == ["Supplier 0", "Supplier 1"]


def test_an_amrt_request_is_answered_in_rmis_amrt_of_the_version_asked_for(client, tmp_path):
    supplier = build_amrt13(tmp_path / "amrt.xlsx", picked=("Zinc",), answers={"Q1": "Yes"}).read_bytes()
    _campaign, analyst = campaign_of("AMRT", "RMI_AMRT_1.3.xlsx", supplier)
    client.force_login(analyst)
    import_blank(client, "RMI_AMRT_1.21.xlsx")
    register(client, template_kind="AMRT", template_version="1.21")
    ours = prepared(client, CustomerRequest.objects.get())
    assert (ours.kind, ours.version) == (TemplateKind.AMRT, "1.21")
    assert ours.answers["Zinc"]["Q1"].value == "Yes"


def test_an_emrt_request_is_not_answered_from_a_cmrt_campaign(client, tmp_path):
    _campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    Campaign.objects.filter(pk=_campaign.pk).update(template_kind="CMRT", name="RCOI 2025 CMRT")
    client.force_login(analyst)
    register(client, template_kind="EMRT", template_version="2.1")
    request = CustomerRequest.objects.get()
    page = client.get(reverse("customer_request", args=[request.pk]))
    assert page.context["problem"] == (
        "There is no EMRT campaign yet: our EMRT is derived from our suppliers' answers in our EMRT campaign."
    )
    chosen = register(client, template_kind="EMRT", template_version="2.1", campaign=_campaign.pk)
    assert chosen.context["form"].errors["campaign"] == [
        "RCOI 2025 CMRT collects the CMRT; the customer asks for the EMRT. Choose one of our EMRT "
        "campaigns, or leave it blank for the latest one."
    ]


def test_a_version_oretrace_cannot_fill_in_is_named_with_the_versions_it_knows(client, tmp_path):
    _campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    client.force_login(analyst)
    register(client, template_kind="EMRT", template_version="3.0")
    request = CustomerRequest.objects.get()
    page = client.post(reverse("customer_prepare", args=[request.pk]), follow=True)
    assert [str(m) for m in page.context["messages"]][-1] == (
        "The answer was not prepared: oretrace cannot fill in the EMRT 3.0: it knows the EMRT versions "
        "1.1, 1.11, 1.2, 1.3, 2.0, 2.1. Send a file made another way and record it below."
    )
    assert not CustomerAnswer.objects.exists()


def test_an_emrt_campaigns_dashboard_counts_and_names_the_requests_for_our_emrt(client, tmp_path):
    campaign, analyst = campaign_of("EMRT", "RMI_EMRT_2.1.xlsx", emrt_file(tmp_path))
    client.force_login(analyst)
    register(client, template_kind="EMRT", template_version="2.1")
    register(client, customer_name="Other Co")  # a CMRT request: not this dashboard's
    page = client.get(reverse("campaign", args=[campaign.pk]))
    html = page.content.decode()
    assert "Our customers' requests for our EMRT" in html and "requests for our CMRT" not in html
    assert ("received", "Received", 1) in page.context["customer_counts"]
    assert f'href="{reverse("customer_requests")}?status=received&amp;kind=EMRT"' in html
    listed = client.get(reverse("customer_requests") + "?status=received&kind=EMRT")
    assert [str(r.customer) for r in listed.context["rows"]] == ["Big Co"]
