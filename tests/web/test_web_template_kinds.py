"""An EMRT 2.1, a CRT 2.21 and an AMRT 1.3 campaign walked through the app as a CMRT campaign is: created with its
minerals, a filled file uploaded through the supplier's link, its findings, its smelters identified
against the blank template's look-up, the dashboard per mineral, the smelter list, risk and evidence.

The files are built from RMI's blank templates in ../shared (tests/filled_templates.py); without
them these tests skip, saying why."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from staff_data import built_evidence_package, staff

from filled_templates import AMRT13, CRT221, EMRT21, amrt13_bytes, blank, crt221_bytes, emrt21_bytes
from oretrace.evidence import verify_evidence_package
from oretrace.survey import ResultsRule
from oretrace.web.campaigns.models import DEFAULT_TEXTS, Campaign, Facility, ReportedSmelter, Request, State
from oretrace.web.suppliers.models import Contact, Organisation, Supplier

pytestmark = pytest.mark.django_db

ADVANCED = "CID003875"  # Advanced Materials Production Plant (Qingyuan Industrial Park), cobalt, China
CHEMAF = "CID003264"  # Chemaf Etoile, cobalt, the DRC
IMPALA = "CID004716"  # Impala Platinum - Platinum Metals Refinery (PMR), palladium, South Africa


@pytest.fixture
def analyst(client):
    _, bob, _ = staff()
    client.force_login(bob)
    Organisation.objects.create(
        name="Acme Instruments", contact_email="rci@acme.example", policy_url="https://acme.example/policy"
    )
    return bob


def _file(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _new_campaign(client, kind: str, version: str, template: str, minerals: str) -> Campaign:
    fields = {
        **DEFAULT_TEXTS,
        "name": f"{kind} 2025",
        "year": "2025",
        "template_kind": kind,
        "minimum_version": version,
        "minerals_text": minerals,
        "due_date": "2026-03-31",
        "reminder_days_text": "14, 28",
        "escalation_days": "42",
        "blank_template": _file(blank(template), template),
    }
    response = client.post(reverse("campaign_new"), fields)
    assert response.status_code == 302, response.content.decode()
    campaign = Campaign.objects.get(template_kind=kind)
    # Every file received counts here; acceptance has its own tests.
    campaign.results_rule = ResultsRule.RECEIVED
    campaign.save(update_fields=["results_rule"])
    return campaign


def _tianma_request(campaign: Campaign) -> Request:
    supplier = Supplier.objects.create(key="V001", name="Tianma Components Co., Ltd.", country="China")
    Contact.objects.create(supplier=supplier, name="Li Wei", email="li.wei@tianma.example", is_primary=True)
    request = Request.objects.create(campaign=campaign, supplier=supplier)
    request.transition(State.SENT, "test")
    return request


def _upload_through_the_link(client, request: Request, data: bytes, name: str):
    token = request.issue_link()
    page = client.get(reverse("portal:request", kwargs={"token": token})).content.decode()
    response = client.post(reverse("portal:upload", kwargs={"token": token}), {"file": _file(data, name)})
    assert response.status_code == 302, response.content.decode()
    request.refresh_from_db()
    assert request.state == State.SUBMITTED
    return page, request.latest_submission


def test_an_emrt_campaign_asks_about_its_minerals_and_reviews_and_rolls_up_by_them(client, analyst):
    campaign = _new_campaign(client, "EMRT", "2.1", EMRT21, "nickel, Cobalt, mica")
    assert campaign.minerals == ["Cobalt", "Mica", "Nickel"]
    assert Facility.objects.filter(metal="Cobalt", smelter_id=ADVANCED).exists()
    request = _tianma_request(campaign)
    # Cobalt and mica answered, lithium picked but left unanswered, nickel (asked about) not picked.
    unanswered_lithium = {f"D{header + 2}": None for header in (29, 41, 53, 65, 77, 89, 101)} | {"D121": None}
    data = emrt21_bytes(
        picked=("Cobalt", "Lithium", "Mica"),
        smelters=[(ADVANCED, None), ("Mica", "Jharkhand Mica Works", "INDIA")],
        **unanswered_lithium,
    )
    portal_page, submission = _upload_through_the_link(client, request, data, "EMRT_2025.xlsx")
    assert "cobalt, mica and nickel" in portal_page

    findings = {(f["code"], f["mineral"]) for f in submission.findings}
    assert ("asked-mineral-not-picked", "Nickel") in findings
    assert ("required-field-missing", None) in findings  # the contact's phone
    # Lithium is outside the campaign: its blank answers are nobody's concern.
    assert not [f for f in submission.findings if f["mineral"] == "Lithium"]
    staff_page = client.get(reverse("request", args=[request.pk])).content.decode()
    assert "EMRT 2.1" in staff_page and "Cobalt, Mica, Nickel" in staff_page
    assert "says nothing about Nickel" in staff_page

    rows = {r.smelter_id or r.reported_name: (r.metal, r.status) for r in ReportedSmelter.objects.all()}
    assert rows[ADVANCED][0] == "Cobalt" and rows[ADVANCED][1] != "unidentified"
    assert rows["Jharkhand Mica Works"] == ("Mica", "unidentified")

    dashboard = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    for mineral in ("Cobalt", "Mica", "Nickel"):
        assert f'?metal={mineral}">{mineral}</a>' in dashboard, mineral
    assert "?metal=Tin" not in dashboard
    smelters = client.get(reverse("smelters", args=[campaign.pk])).content.decode()
    assert ADVANCED in smelters and "Advanced Materials Production Plant" in smelters
    unidentified = client.get(reverse("unidentified", args=[campaign.pk])).content.decode()
    assert "Jharkhand Mica Works" in unidentified
    # Mica is no 3TG metal: a mica works cannot be left out as "not 3TG".
    assert 'value="not-3tg"' not in unidentified
    answer = client.post(
        reverse("unidentified", args=[campaign.pk]),
        {"metal": "Mica", "name": "Jharkhand Mica Works", "action": "not-3tg"},
        follow=True,
    ).content.decode()
    assert "and Mica is no 3TG metal: recording it as not 3TG would leave nothing out" in answer
    assert ReportedSmelter.objects.get(reported_name="Jharkhand Mica Works").status == "unidentified"
    assert client.get(reverse("risk", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("risk_summary", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("reports", args=[campaign.pk])).status_code == 200
    ours = client.get(reverse("report_declaration", args=[campaign.pk])).content.decode()
    assert "Our declaration: our EMRT for 2025" in ours and "Our EMRT cannot be derived yet" in ours

    package = built_evidence_package(client, campaign)
    assert verify_evidence_package(package) == []
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert any(name.endswith("EMRT_2025.xlsx") for name in archive.namelist())


def test_a_crt_campaign_asks_about_cobalt_and_flags_a_drc_refiner(client, analyst):
    campaign = _new_campaign(client, "CRT", "2.21", CRT221, "")
    assert campaign.minerals == [] and campaign.minerals_in_scope() == ("Cobalt",)
    request = _tianma_request(campaign)
    portal_page, submission = _upload_through_the_link(
        client, request, crt221_bytes(smelters=[(CHEMAF, None)]), "CRT_2025.xlsx"
    )
    assert "cobalt" in portal_page and "3TG" not in portal_page
    assert (submission.template_kind, submission.template_version) == ("CRT", "2.2")
    assert {(f["code"], f["cell"]) for f in submission.findings} >= {("required-field-missing", "D17")}

    dashboard = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    assert '?metal=Cobalt">Cobalt</a>' in dashboard and "?metal=Gold" not in dashboard
    assert "CRT 2.21 or later" in dashboard
    smelters = client.get(reverse("smelters", args=[campaign.pk])).content.decode()
    assert CHEMAF in smelters and "Chemaf Etoile" in smelters
    risk = client.get(reverse("risk", args=[campaign.pk])).content.decode()
    assert "Chemaf Etoile" in risk

    package = built_evidence_package(client, campaign)
    assert verify_evidence_package(package) == []


def test_an_amrt_campaign_asks_about_the_minerals_it_chose_from_the_amrts_list(client, analyst):
    campaign = _new_campaign(client, "AMRT", "1.3", AMRT13, "Silver, Palladium, Zinc")
    assert campaign.minerals == ["Palladium", "Silver", "Zinc"]
    request = _tianma_request(campaign)
    portal_page, submission = _upload_through_the_link(
        client, request, amrt13_bytes(picked=("Palladium", "Silver"), smelters=[(IMPALA, None)]), "AMRT.xlsx"
    )
    assert "palladium, silver and zinc" in portal_page
    findings = {(f["code"], f["mineral"]) for f in submission.findings}
    assert {("asked-mineral-not-picked", "Zinc"), ("required-field-missing", "Silver")} <= findings
    dashboard = client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    for mineral in ("Palladium", "Silver", "Zinc"):
        assert f'?metal={mineral}">{mineral}</a>' in dashboard, mineral
    smelters = client.get(reverse("smelters", args=[campaign.pk])).content.decode()
    assert IMPALA in smelters and "Impala Platinum" in smelters


def test_a_campaign_refuses_minerals_its_template_does_not_ask_about(client, analyst):
    fields = {
        **DEFAULT_TEXTS,
        "name": "CRT 2025",
        "year": "2025",
        "template_kind": "CRT",
        "minimum_version": "2.2",
        "minerals_text": "Cobalt, Mica",
        "due_date": "2026-03-31",
    }
    page = client.post(reverse("campaign_new"), fields).content.decode()
    assert "The CRT 2.2 does not ask about mica; it asks about Cobalt." in page
    page = client.post(reverse("campaign_new"), {**fields, "minimum_version": "6.4", "minerals_text": ""})
    assert "oretrace does not read the CRT version &#x27;6.4&#x27;; it reads 2.2." in page.content.decode()
    assert not Campaign.objects.exists()


def test_the_emails_of_an_emrt_campaign_name_its_template_and_minerals_in_the_contacts_language(
    django_user_model,
):
    from supplier_requests import make_campaign, make_supplier, sent_request

    from oretrace.web.outbox.models import OutboundEmail
    from oretrace.web.outbox.reminders import queue_due_reminders

    # A campaign made as the form makes it: the standard texts, its kind and minerals.
    campaign = make_campaign(template_kind="EMRT", minimum_version="2.1", minerals=["Cobalt", "Lithium"])
    english = Request.objects.create(campaign=campaign, supplier=make_supplier("kaifa", "Kaifa"))
    english.send(django_user_model.objects.create_user("bob"))
    invitation = OutboundEmail.objects.get(template="invitation")
    assert invitation.subject == "Acme Instruments: Extended Minerals Reporting Template for 2024"
    sent_request(campaign, make_supplier("tianma", "Tianma", language="zh-hans"))
    queue_due_reminders(timezone.now() + dt.timedelta(days=15))
    reminder = OutboundEmail.objects.get(template="reminder", language="zh-hans")
    assert "如果贵司产品不含这些矿产（钴和锂），您可以在同一页面上说明。" in reminder.text
    assert "If your products contain none of these minerals (cobalt and lithium)" in reminder.text
    assert "3TG" not in invitation.text + reminder.text


def test_a_crt_supplier_declines_in_the_words_of_its_campaign(client, analyst):
    campaign = _new_campaign(client, "CRT", "2.21", CRT221, "")
    request = _tianma_request(campaign)
    token = request.issue_link()
    client.logout()
    page = client.get(reverse("portal:decline", kwargs={"token": token})).content.decode()
    assert "(cobalt)" in page
    client.post(
        reverse("portal:decline", kwargs={"token": token}),
        {"name": "Li Wei", "title": "Sales", "reason": "not-necessary", "explanation": "", "confirm": "on"},
    )
    request.refresh_from_db()
    assert request.state == State.DECLINED
    assert request.decline_statement == (
        "Cobalt is not necessary to the functionality or production of our products."
    )
