"""A supplier's personal links: every e-mail carries its own, each kept as a hash in a RequestLink, and
every one of them opens the request until it expires, so the invitation still works after a reminder."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from supplier_requests import link_in, make_campaign, make_supplier, sent_request

from oretrace.web.campaigns.models import Request, RequestLink
from oretrace.web.outbox.mail import send_campaign_email

pytestmark = pytest.mark.django_db


def page(client, token: str):
    return client.get(reverse("portal:request", kwargs={"token": token}))


@pytest.fixture
def kaifa():
    return sent_request(make_campaign(), make_supplier("kaifa", "Kaifa Precision Ltd"))


def test_the_invitation_link_still_opens_after_a_reminder_was_sent(client, kaifa):
    invitation = link_in(send_campaign_email(kaifa, "invitation"))
    reminder = link_in(send_campaign_email(kaifa, "reminder"))
    assert invitation != reminder and kaifa.links.count() == 2
    for token in (invitation, reminder):
        opened = page(client, token)
        assert opened.status_code == 200 and "Kaifa Precision Ltd" in opened.content.decode()


def test_an_expired_link_shows_the_expired_page_while_a_newer_one_opens(client, kaifa):
    invitation = link_in(send_campaign_email(kaifa, "invitation"))
    reminder = link_in(send_campaign_email(kaifa, "reminder"))
    kaifa.links.filter(token_hash=hashlib.sha256(invitation.encode()).hexdigest()).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = page(client, invitation)
    assert expired.status_code == 410
    html = expired.content.decode()
    assert "This link has expired" in html and "Kaifa" not in html
    assert page(client, reminder).status_code == 200


def test_another_requests_token_reveals_nothing_of_this_one(client, kaifa):
    other = sent_request(kaifa.campaign, make_supplier("wistron", "Wistron Components"))
    kaifa_token = link_in(send_campaign_email(kaifa, "invitation"))
    other_token = link_in(send_campaign_email(other, "invitation"))
    send_campaign_email(kaifa, "reminder")
    assert Request.for_token(other_token) == other
    html = page(client, other_token).content.decode()
    assert "Wistron Components" in html and "Kaifa" not in html
    html = page(client, kaifa_token).content.decode()
    assert "Kaifa Precision Ltd" in html and "Wistron" not in html
    # The portal's pages take the request from the token only: another request's file stays hidden.
    files = client.get(reverse("portal:file_review", kwargs={"token": other_token, "version": 1}))
    assert files.status_code == 404 and "Kaifa" not in files.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_link_each_request_had():
    executor = MigrationExecutor(connection)
    before = [("campaigns", "0003_covering_smelter_indexes")]
    after = [("campaigns", "0004_request_links")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    year = old.get_model("suppliers", "ReportingYear").objects.create(year=2025)
    campaign = old.get_model("campaigns", "Campaign").objects.create(
        name="RCOI 2025", reporting_year=year, due_date=dt.date(2026, 3, 31)
    )
    supplier_model = old.get_model("suppliers", "Supplier")
    request_model = old.get_model("campaigns", "Request")
    expires = timezone.now() + dt.timedelta(days=30)
    linked = request_model.objects.create(
        campaign=campaign,
        supplier=supplier_model.objects.create(key="V1", name="Kaifa"),
        token_hash=hashlib.sha256(b"the-invitation-token").hexdigest(),
        token_expires_at=expires,
    )
    request_model.objects.create(
        campaign=campaign, supplier=supplier_model.objects.create(key="V2", name="W")
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    old_link = executor.loader.project_state(after).apps.get_model("campaigns", "RequestLink").objects.get()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app at its latest, as the other tests expect
    link = RequestLink.objects.get(pk=old_link.pk)
    assert (link.request_id, link.expires_at, link.revoked) == (linked.pk, expires, False)
    assert Request.for_token("the-invitation-token").pk == linked.pk
