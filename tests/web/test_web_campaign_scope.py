"""A campaign's scope: one supplier added, drafts removed (a sent request never), suppliers added by
part or product after a preview of who; sending shows the e-mail and the count before anything goes
out, and refuses while the campaign has no blank template (the file the invitation promises)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from fictional_template import build_cmrt
from staff_data import campaign_with_suppliers, staff

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import InvalidTransition, Request, RequestLink, State
from oretrace.web.outbox.models import OutboundEmail
from oretrace.web.suppliers.models import Contact, Part, Product, Supplier, SupplierPart

pytestmark = pytest.mark.django_db

BLANK = build_cmrt({})


@pytest.fixture
def world(client):
    _, bob, _ = staff()
    client.force_login(bob)
    campaign, requests = campaign_with_suppliers(3)
    campaign.store_blank_template(BLANK, "RMI_CMRT_6.5.xlsx")
    campaign.save()
    return campaign, requests


def _scope(campaign):
    return reverse("campaign_scope", args=[campaign.pk])


def _send(campaign):
    return reverse("campaign_send", args=[campaign.pk])


def _supplier(key: str, name: str, *, active: bool = True, parts=(), email: str | None = "") -> Supplier:
    supplier = Supplier.objects.create(key=key, name=name, active=active)
    if email is not None:
        Contact.objects.create(
            supplier=supplier, email=email or f"rfq@{key.lower()}.example", is_primary=True
        )
    for part in parts:
        SupplierPart.objects.create(supplier=supplier, part=part)
    return supplier


def _texts(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- scope ----------------------------------------------------------------------------------------
def test_it_adds_one_supplier_found_by_name_as_a_draft_and_logs_it(client, world):
    campaign, _ = world
    kyoei = _supplier("V900", "Kyoei Crystal")
    page = client.get(_scope(campaign), {"q": "kyoei"})
    (found,) = page.context["found"]
    assert found == kyoei and found.request is None
    response = client.post(
        _scope(campaign),
        {"action": "add", "by": "supplier", "supplier": kyoei.pk, "plan": found.plan},
        follow=True,
    )
    assert "1 supplier added to the scope by supplier Kyoei Crystal" in _texts(response)
    assert campaign.requests.get(supplier=kyoei).state == State.DRAFT
    entry = AuditEntry.objects.get(action="campaign.scope_added")
    assert "Kyoei Crystal" in entry.detail
    # Found again, it is shown in scope, with no second "Add".
    assert client.get(_scope(campaign), {"q": "kyoei"}).context["found"][0].request is not None


def test_it_removes_chosen_draft_requests_after_a_confirm_and_logs_it(client, world):
    campaign, requests = world
    ids = [requests[0].pk, requests[1].pk]
    confirm = client.get(_scope(campaign), {"confirm": "remove", "request": ids})
    assert [r.pk for r in confirm.context["removing"]] == ids
    assert "Remove 2 draft requests" in confirm.content.decode()
    assert campaign.requests.count() == 3  # the confirm page removes nothing
    response = client.post(_scope(campaign), {"action": "remove", "request": ids}, follow=True)
    assert "2 draft requests removed: Supplier 0, Supplier 1." in _texts(response)
    assert list(campaign.requests.values_list("pk", flat=True)) == [requests[2].pk]
    entry = AuditEntry.objects.get(action="campaign.scope_removed")
    assert entry.detail == "2 draft requests removed from scope: Supplier 0, Supplier 1"


def test_it_never_removes_a_request_that_was_sent(client, world):
    campaign, requests = world
    requests[0].send("test")
    page = client.get(_scope(campaign), {"confirm": "remove", "all": "1"})
    assert [r.supplier.name for r in page.context["not_removable"]] == ["Supplier 0"]
    assert len(page.context["removing"]) == 2
    response = client.post(
        _scope(campaign), {"action": "remove", "request": [requests[0].pk, requests[1].pk]}, follow=True
    )
    text = _texts(response)
    assert "1 draft request removed: Supplier 1." in text
    assert "Not removed, because already sent: Supplier 0." in text
    assert Request.objects.get(pk=requests[0].pk).state == State.SENT
    assert "only a draft can be removed" in response.content.decode().lower()


def test_a_draft_sent_meanwhile_is_kept_by_the_removal(world, django_user_model):
    campaign, requests = world
    stale = Request.objects.get(pk=requests[0].pk)  # a page showed it as a draft ...
    requests[0].send("test")  # ... and someone sent it meanwhile
    removed, refused = campaign.remove_drafts([stale.pk], "test")
    assert (removed, refused) == ([], ["Supplier 0"])
    assert Request.objects.filter(pk=stale.pk, state=State.SENT).exists()


def test_scope_by_part_adds_exactly_the_suppliers_linked_to_those_parts(client, world):
    campaign, _ = world
    capacitor = Part.objects.create(number="CAP-100", description="Tantalum capacitor")
    solder = Part.objects.create(number="SLD-7", description="Solder paste")
    other = Part.objects.create(number="PCB-1")
    kemet = _supplier("K1", "Kemet", parts=[capacitor])
    alpha = _supplier("A1", "Alpha Assembly", parts=[solder, capacitor])
    _supplier("OLD", "Old Capacitors", active=False, parts=[capacitor])
    _supplier("P1", "Board Maker", parts=[other])
    preview = client.get(_scope(campaign), {"by": "parts", "parts": "cap-100\nSLD-7, NOPE-9"})
    chosen = preview.context["chosen"]
    assert chosen.to_add == [alpha, kemet]
    assert [s.name for s in chosen.inactive] == ["Old Capacitors"] and chosen.unknown == ["NOPE-9"]
    text = preview.content.decode()
    assert "2 suppliers will be added" in text and "No part has the number NOPE-9" in text
    assert "CAP-100, SLD-7" in text  # which of the parts links Alpha Assembly
    assert campaign.requests.count() == 3  # the preview adds nothing
    client.post(_scope(campaign), {"action": "add", "plan": chosen.plan, **dict(chosen.criteria)})
    added = set(
        campaign.requests.exclude(supplier__key__startswith="V").values_list("supplier__name", flat=True)
    )
    assert added == {"Alpha Assembly", "Kemet"}
    assert "by parts cap-100, SLD-7, NOPE-9" in AuditEntry.objects.get(action="campaign.scope_added").detail


def test_scope_by_product_adds_the_suppliers_of_its_parts(client, world):
    campaign, _ = world
    meter = Product.objects.create(number="FM-200", name="Flow meter")
    sensor = Part.objects.create(number="SNS-1")
    sensor.products.add(meter)
    loose = Part.objects.create(number="LOOSE-1")
    maker = _supplier("S1", "Sensor Maker", parts=[sensor])
    _supplier("L1", "Loose Parts", parts=[loose])
    chosen = client.get(_scope(campaign), {"by": "products", "product": meter.pk}).context["chosen"]
    assert chosen.to_add == [maker]
    client.post(
        _scope(campaign), {"action": "add", "by": "products", "product": meter.pk, "plan": chosen.plan}
    )
    assert campaign.requests.filter(supplier=maker, state=State.DRAFT).exists()
    assert not campaign.requests.filter(supplier__name="Loose Parts").exists()


def test_it_adds_nothing_when_the_suppliers_changed_since_the_preview(client, world):
    campaign, _ = world
    capacitor = Part.objects.create(number="CAP-100")
    _supplier("K1", "Kemet", parts=[capacitor])
    plan = client.get(_scope(campaign), {"by": "parts", "parts": "CAP-100"}).context["chosen"].plan
    _supplier("K2", "Vishay", parts=[capacitor])  # linked after the preview was shown
    response = client.post(
        _scope(campaign), {"action": "add", "by": "parts", "parts": "CAP-100", "plan": plan}, follow=True
    )
    assert "changed since the preview, and nothing was added" in _texts(response)
    assert campaign.requests.count() == 3
    assert [s.name for s in response.context["chosen"].to_add] == ["Kemet", "Vishay"]


# --- sending --------------------------------------------------------------------------------------
def test_the_send_preview_shows_the_email_in_the_suppliers_language_and_how_many_go_out(client, world):
    campaign, requests = world
    Contact.objects.filter(supplier=requests[1].supplier).update(language="zh-hans")
    lonely = _supplier("V999", "No Contact Ltd", email=None)
    campaign.add_suppliers([lonely], "test")
    page = client.get(_send(campaign), {"example": requests[1].pk})
    text = page.content.decode()
    assert [r.supplier.name for r in page.context["going"]] == ["Supplier 0", "Supplier 1", "Supplier 2"]
    assert "3 invitations will go out" in text and "1 cannot be sent" in text
    assert "Cannot be sent, no contact e-mail" in text and "No Contact Ltd" in text
    email = page.context["email"]
    assert email.to == ["rep1@s1.example"] and page.context["language"] == "简体中文"
    # The contact reads Chinese: the e-mail is in Chinese with the English below (outbox.mail).
    assert email.subject == (
        "Acme Instruments：2025 年度冲突矿产报告模板 / Acme Instruments: Conflict Minerals Reporting Template for 2025"
    )
    assert "Dear Rep 1," in email.text and "Supplier 1" in email.text
    assert "http://127.0.0.1:8000/p/(personal-link)/" in email.text
    assert "Send 3 invitations" in text
    # Nothing of the preview is kept: no e-mail, no link, every request still a draft.
    assert not OutboundEmail.objects.exists() and not RequestLink.objects.exists()
    assert set(campaign.requests.values_list("state", flat=True)) == {State.DRAFT}


def test_confirming_sends_exactly_the_previewed_drafts(client, world):
    campaign, requests = world
    chosen = [requests[0].pk, requests[2].pk]
    page = client.get(_send(campaign), {"request": chosen})
    assert [r.pk for r in page.context["going"]] == chosen
    response = client.post(_send(campaign), {"request": chosen}, follow=True)
    assert "2 requests sent to the outbox." in _texts(response)
    assert set(campaign.requests.filter(state=State.SENT).values_list("pk", flat=True)) == set(chosen)
    assert Request.objects.get(pk=requests[1].pk).state == State.DRAFT
    assert OutboundEmail.objects.filter(template="invitation").count() == 2
    assert AuditEntry.objects.get(action="campaign.sent").detail == "2 invitations sent"
    # Sent twice (a second tab), nothing goes out again.
    again = client.post(_send(campaign), {"request": chosen}, follow=True)
    assert "0 requests sent" in _texts(again) and "already sent" in _texts(again)
    assert OutboundEmail.objects.count() == 2


def test_sending_all_drafts_skips_those_without_a_contact_and_names_them(client, world):
    campaign, _ = world
    lonely = _supplier("V999", "No Contact Ltd", email=None)
    campaign.add_suppliers([lonely], "test")
    ids = [r.pk for r in client.get(_send(campaign)).context["going"]]
    response = client.post(
        _send(campaign), {"request": [*ids, campaign.requests.get(supplier=lonely).pk]}, follow=True
    )
    text = _texts(response)
    assert (
        "3 requests sent to the outbox." in text and "Not sent (no contact e-mail): No Contact Ltd." in text
    )
    assert campaign.requests.get(supplier=lonely).state == State.DRAFT


def test_one_request_is_sent_from_its_page_through_the_preview(client, world):
    _, requests = world
    page = client.get(reverse("request", args=[requests[0].pk])).content.decode()
    preview_url = f"{_send(requests[0].campaign)}?request={requests[0].pk}"
    assert preview_url in page
    preview = client.get(preview_url)
    assert "Send the request to Supplier 0" in preview.content.decode()
    response = client.post(_send(requests[0].campaign), {"request": requests[0].pk})
    assert response["Location"] == reverse("request", args=[requests[0].pk])
    assert Request.objects.get(pk=requests[0].pk).state == State.SENT


def test_a_campaign_without_its_blank_template_cannot_send(client, world):
    campaign, requests = world
    campaign.blank_template_sha256 = ""
    campaign.save()
    page = client.get(_send(campaign)).content.decode()
    assert "No blank template is uploaded for this campaign" in page
    assert "Upload the blank RMI CMRT 6.4 (or later) template" in page
    assert "Send 3 invitations" not in page  # no confirm button
    assert "cannot be sent yet" in client.get(reverse("campaign", args=[campaign.pk])).content.decode()
    response = client.post(_send(campaign), {"request": [r.pk for r in requests]}, follow=True)
    assert "No blank template is uploaded" in _texts(response)
    with pytest.raises(InvalidTransition, match=r"Upload the blank RMI CMRT 6\.4"):
        requests[0].send("test")
    assert not OutboundEmail.objects.exists()
    assert set(campaign.requests.values_list("state", flat=True)) == {State.DRAFT}


def test_a_campaign_whose_blank_template_file_is_gone_cannot_send(world, settings):
    campaign, requests = world
    for path in settings.TEMPLATES_DIR.rglob("*"):
        if path.is_file():
            path.unlink()
    assert "missing from the templates folder" in campaign.cannot_send()
    with pytest.raises(InvalidTransition):
        requests[0].send("test")


def test_the_link_of_a_sent_request_opens_it_and_downloads_the_blank_template(client, world):
    campaign, requests = world
    client.post(_send(campaign), {"request": [r.pk for r in requests]})
    for email in OutboundEmail.objects.filter(template="invitation"):
        link = re.search(r"http://127\.0\.0\.1:8000(/p/[\w-]+/)", email.text).group(1)
        assert client.get(link).status_code == 200
        template = client.get(link + "template/")
        assert template.status_code == 200
        assert b"".join(template.streaming_content) == BLANK
