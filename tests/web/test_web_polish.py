"""Small things a new user notices: error pages in the app's layout, a favicon, no "Co., Ltd..", counts in
proper English, one spelling of RMI's "Non-Conformant"."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from staff_data import campaign_with_suppliers, cmrt_bytes, staff, submitted

from oretrace.smelters import AuditStatus, StatusGroup
from oretrace.web.campaigns.models import SmelterStatus, State
from oretrace.web.suppliers.models import Supplier

pytestmark = pytest.mark.django_db

STYLESHEET = '<link rel="stylesheet" href="/static/oretrace.css">'
FAVICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_a_forbidden_action_gets_a_styled_403_that_names_the_role(client):
    _, _, vera = staff()
    _campaign, [req] = campaign_with_suppliers(1)
    client.force_login(vera)
    response = client.post(reverse("request_action", args=[req.pk, "accept"]))
    page = response.content.decode()
    assert response.status_code == 403
    assert STYLESHEET in page and 'class="card error-page"' in page
    assert "You do not have access to this page" in page
    assert "with the role <b>viewer</b>" in page


def test_an_unknown_address_gets_a_styled_404_with_the_header(client):
    _, bob, _ = staff()
    client.force_login(bob)
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "This page does not exist" in page and STYLESHEET in page
    assert '<a href="/campaigns/"' in page  # the app's own navigation, to go on from there


def test_a_server_error_gets_a_styled_500():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and STYLESHEET in page


def test_a_form_without_its_csrf_token_gets_a_styled_403():
    _, bob, _ = staff()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)
    response = browser.post(reverse("logout"))
    assert response.status_code == 403
    assert "This form could not be accepted" in response.content.decode()


def test_staff_and_portal_pages_link_the_favicon_and_it_is_served(client):
    assert FAVICON in client.get(reverse("login")).content.decode()
    assert FAVICON in client.get(reverse("portal:request", kwargs={"token": "nope"})).content.decode()
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


def test_a_name_ending_in_a_period_gets_no_second_one():
    template = Template("{% load oretrace_text %}{{ a|period }} {{ b|period }}")
    assert (
        template.render(Context({"a": "Zhenhua Co., Ltd.", "b": "Supplier 0"}))
        == "Zhenhua Co., Ltd. Supplier 0."
    )


def test_the_identity_banner_ends_a_company_name_with_one_period(client):
    _, bob, _ = staff()
    client.force_login(bob)
    _campaign, [req] = campaign_with_suppliers(1)
    Supplier.objects.filter(pk=req.supplier_id).update(name="Shenzhen Zhenhua Electronics Co., Ltd.")
    req.refresh_from_db()
    submitted(
        req, data=cmrt_bytes(company="SK hynix Inc.", D16="kim@skhynix.example", D20="lee@skhynix.example")
    )
    page = client.get(reverse("request", args=[req.pk])).content.decode()
    assert "not Shenzhen Zhenhua Electronics Co., Ltd.</b>" in page
    assert "Ltd.." not in page


def test_counts_in_messages_are_in_proper_english(client):
    _, bob, _ = staff()
    client.force_login(bob)
    _campaign, [req] = campaign_with_suppliers(1)
    submission = submitted(req, data=cmrt_bytes(D16="li.wei@tianma,example"))
    url = reverse("request_action", args=[req.pk, "follow-up"])
    one = client.post(url, {"finding": ["0"], "file": submission.pk}, follow=True).content.decode()
    assert "Follow-up with 1 question queued for Supplier 0." in one
    assert "question(s)" not in one
    req.refresh_from_db()
    assert req.state == State.FOLLOW_UP


def test_non_conformant_is_spelt_as_rmi_spells_it_everywhere():
    assert StatusGroup.NON_CONFORMANT.label == AuditStatus.NON_CONFORMANT.value == "Non-Conformant"
    assert SmelterStatus.NON_CONFORMANT.label == "Non-Conformant"
