"""Revoking a supplier's links from the request page: analysts and admins may, viewers may not; every
link stops opening the request, the audit log says who did it, and the next e-mail brings a link that
works (a reminder, or the invitation sent again with "Send a new link")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from staff_data import staff
from supplier_requests import link_in, make_campaign, make_supplier, sent_request

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Request, State
from oretrace.web.outbox.mail import send_campaign_email
from oretrace.web.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


def portal(client, token: str):
    return client.get(reverse("portal:request", kwargs={"token": token}))


def action(name: str, req) -> str:
    return reverse("request_action", kwargs={"pk": req.pk, "action": name})


@pytest.fixture
def people():
    alice, bob, vera = staff()
    return {"admin": alice, "analyst": bob, "viewer": vera}


@pytest.fixture
def kaifa():
    """A sent request whose supplier has the invitation and one reminder, each with its own link."""
    req = sent_request(make_campaign(), make_supplier("kaifa", "Kaifa Precision Ltd"))
    req.tokens = [link_in(send_campaign_email(req, w)) for w in ("invitation", "reminder")]
    return req


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_an_analyst_or_admin_revokes_every_link_and_the_portal_refuses_them(client, people, kaifa, role):
    client.force_login(people[role])
    page = client.post(action("revoke-links", kaifa), follow=True)
    html = page.content.decode()
    assert "2 links revoked: the links in earlier e-mails to Kaifa Precision Ltd no longer open" in html
    assert (
        "The next e-mail to the supplier (a reminder, or “Send a new link” below) carries a new link." in html
    )
    assert "No valid link" in html and "2 revoked." in html
    entry = AuditEntry.objects.get(action="request.links_revoked")
    assert (entry.actor, entry.object_id, entry.detail) == (people[role], str(kaifa.pk), "2 links revoked")
    supplier = Client()
    for token in kaifa.tokens:
        refused = portal(supplier, token)
        assert refused.status_code == 404
        assert "This link does not work" in refused.content.decode()
        assert "Kaifa" not in refused.content.decode()
    kaifa.refresh_from_db()
    assert kaifa.state == State.SENT


def test_revoking_again_says_no_link_was_left_and_logs_nothing_more(client, people, kaifa):
    client.force_login(people["analyst"])
    client.post(action("revoke-links", kaifa))
    html = client.post(action("revoke-links", kaifa), follow=True).content.decode()
    assert "No link was left to revoke." in html
    assert AuditEntry.objects.filter(action="request.links_revoked").count() == 1


def test_a_viewer_can_neither_revoke_links_nor_send_a_new_one(client, people, kaifa):
    client.force_login(people["viewer"])
    emails = OutboundEmail.objects.count()
    assert client.post(action("revoke-links", kaifa)).status_code == 403
    assert client.post(action("new-link", kaifa)).status_code == 403
    assert kaifa.valid_links().count() == 2 and OutboundEmail.objects.count() == emails
    assert not AuditEntry.objects.filter(action__in=["request.links_revoked", "request.new_link_sent"])
    assert portal(Client(), kaifa.tokens[0]).status_code == 200
    # The page shows the viewer how many links are valid, without the buttons.
    html = client.get(reverse("request", args=[kaifa.pk])).content.decode()
    assert "Supplier's link" in html and "2 valid links" in html
    assert "revoke-links" not in html and "Send a new link" not in html


def test_revoking_is_a_post_with_the_csrf_token(people, kaifa):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["analyst"])
    assert browser.get(action("revoke-links", kaifa)).status_code == 405
    assert browser.post(action("revoke-links", kaifa)).status_code == 403
    assert kaifa.valid_links().count() == 2
    page = browser.get(reverse("request", args=[kaifa.pk]))
    html = page.content.decode()
    assert f'action="{action("revoke-links", kaifa)}"' in html and "Revoke every link now" in html
    token = browser.cookies["csrftoken"].value
    assert browser.post(action("revoke-links", kaifa), {"csrfmiddlewaretoken": token}).status_code == 302
    assert kaifa.valid_links().count() == 0


def test_send_a_new_link_queues_the_invitation_with_a_link_that_opens_the_request(client, people, kaifa):
    client.force_login(people["analyst"])
    client.post(action("revoke-links", kaifa))
    page = client.post(action("new-link", kaifa), follow=True)
    assert "The invitation with a new link to li.wei@kaifa.example is in the outbox." in page.content.decode()
    email = OutboundEmail.objects.filter(request=kaifa, template="invitation").latest("pk")
    assert email.to == ["li.wei@kaifa.example"]
    fresh = link_in(email)
    assert fresh not in kaifa.tokens
    opened = portal(Client(), fresh)
    assert opened.status_code == 200 and "Kaifa Precision Ltd" in opened.content.decode()
    assert portal(Client(), kaifa.tokens[0]).status_code == 404
    entry = AuditEntry.objects.get(action="request.new_link_sent")
    assert (entry.actor, entry.detail) == (
        people["analyst"],
        "invitation with a new link to li.wei@kaifa.example",
    )


def test_the_next_reminder_after_revoking_carries_a_link_that_works(client, people, kaifa):
    client.force_login(people["admin"])
    client.post(action("revoke-links", kaifa))
    reminder = link_in(send_campaign_email(kaifa, "reminder"))
    assert portal(Client(), reminder).status_code == 200
    assert [portal(Client(), t).status_code for t in kaifa.tokens] == [404, 404]


def test_a_draft_request_has_no_link_to_revoke_or_send_again(client, people):
    req = Request.objects.create(campaign=make_campaign(), supplier=make_supplier("wistron", "Wistron"))
    client.force_login(people["analyst"])
    assert "Supplier's link" not in client.get(reverse("request", args=[req.pk])).content.decode()
    html = client.post(action("new-link", req), follow=True).content.decode()
    assert "This request was never sent: send the request itself." in html
    assert not OutboundEmail.objects.exists()


def test_it_warns_that_an_e_mail_still_in_the_outbox_carries_an_old_link(client, people, kaifa):
    # The fixture's invitation and reminder are queued, never delivered: their links are now revoked.
    client.force_login(people["analyst"])
    html = client.post(action("revoke-links", kaifa), follow=True).content.decode()
    assert "2 e-mails still waiting in the outbox carry an old link, which will not open the request." in html
    OutboundEmail.objects.update(status=OutboundEmail.Status.SENT)
    client.post(action("new-link", kaifa))
    OutboundEmail.objects.update(status=OutboundEmail.Status.SENT)
    html = client.post(action("revoke-links", kaifa), follow=True).content.decode()
    assert "1 link revoked" in html and "still waiting in the outbox" not in html
