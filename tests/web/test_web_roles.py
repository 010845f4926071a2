"""Every staff URL for every role: anonymous people are sent to log in, viewers change nothing,
analysts cannot administer, and only admins and viewers read the audit log."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from staff_data import PASSWORD, campaign_with_suppliers, staff, submitted

from oretrace.web.audit.models import AuditEntry
from oretrace.web.campaigns.models import Request, SmelterAlias, Submission
from oretrace.web.demo import build_cmrt
from oretrace.web.suppliers.models import Contact, Supplier

pytestmark = pytest.mark.django_db

# Pages only admins open; the audit log is for admins and viewers (issue 4).
ADMIN_ONLY = {"organisation", "users"}
AUDIT = {"audit"}
PUBLIC = {"login", "logout", "stylesheet", "set_language"}
EDITOR_ONLY = {
    "campaign_new",
    "campaign_edit",
    "campaign_scope",
    "campaign_send",
    "supplier_new",
    "supplier_edit",
    "supplier_import",
    "supplier_import_preview",
    "contact_add",
    "contact_remove",
    "request_upload",
    "request_action",
}


def staff_patterns():
    """(name, pattern) of every named URL outside the portal and the outbox (they test their own)."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) in ("p/", "outbox/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                yield p.name, p

    return dict(walk(get_resolver().url_patterns))


@pytest.fixture
def world(client):
    alice, bob, vera = staff()
    campaign, requests = campaign_with_suppliers(2)
    campaign.store_blank_template(build_cmrt({}), "RMI_CMRT_6.5.xlsx")
    campaign.save()
    submission = submitted(requests[0])
    contact = Contact.objects.first()
    kwargs = {
        "campaign": {"pk": campaign.pk},
        "campaign_edit": {"pk": campaign.pk},
        "campaign_scope": {"pk": campaign.pk},
        "campaign_send": {"pk": campaign.pk},
        "campaign_template": {"pk": campaign.pk},
        "campaign_requests": {"pk": campaign.pk},
        "smelters": {"pk": campaign.pk},
        "unidentified": {"pk": campaign.pk},
        "supplier": {"pk": contact.supplier_id},
        "supplier_edit": {"pk": contact.supplier_id},
        "contact_add": {"pk": contact.supplier_id},
        "contact_remove": {"pk": contact.supplier_id, "contact_pk": contact.pk},
        "supplier_import_preview": {"digest": "0" * 64},
        "request": {"pk": requests[0].pk},
        "request_upload": {"pk": requests[0].pk},
        "request_action": {"pk": requests[0].pk, "action": "accept"},
        "submission_download": {"pk": submission.pk},
    }
    return {"users": {"admin": alice, "analyst": bob, "viewer": vera}, "kwargs": kwargs, "campaign": campaign}


def urls(world):
    for name in staff_patterns():
        if name in PUBLIC:
            continue
        yield name, reverse(name, kwargs=world["kwargs"].get(name))


def snapshot():
    return (
        AuditEntry.objects.count(),
        Supplier.objects.count(),
        Contact.objects.count(),
        Submission.objects.count(),
        SmelterAlias.objects.count(),
        sorted(Request.objects.values_list("state", flat=True)),
    )


def test_it_covers_every_staff_url(world):
    names = set(staff_patterns()) - PUBLIC
    assert names == set(world["kwargs"]) | {
        "dashboard",
        "campaigns",
        "campaign_new",
        "suppliers",
        "supplier_new",
        "supplier_import",
        "audit",
        "organisation",
        "users",
        "reference",
    }


def test_it_sends_anonymous_people_to_log_in_from_every_page(client, world):
    for name, url in urls(world):
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code == 405:
                continue  # a page that only reads refuses a POST before anything else
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("login")), name


def test_it_lets_viewers_read_but_never_change_anything(client, world):
    client.force_login(world["users"]["viewer"])
    before = snapshot()
    for name, url in urls(world):
        response = client.get(url)
        if name in ADMIN_ONLY or name in EDITOR_ONLY:
            assert response.status_code in (403, 405), name
        elif name == "supplier_import_preview":
            assert response.status_code == 403
        else:
            assert response.status_code in (200, 302), (name, response.status_code)
        assert client.post(url, {"note": "x", "name": "Mallory"}).status_code in (403, 405), name
    assert snapshot() == before


def test_it_keeps_analysts_out_of_settings_users_and_the_audit_log(client, world):
    client.force_login(world["users"]["analyst"])
    for name, url in urls(world):
        response = client.get(url)
        if name in ADMIN_ONLY | AUDIT:
            assert response.status_code == 403, name
        elif name in {
            "campaign_scope",
            "campaign_send",
            "contact_add",
            "contact_remove",
            "request_upload",
            "request_action",
        }:
            assert response.status_code == 405, name  # actions are POST only
        elif name == "supplier_import_preview":
            assert response.status_code == 404  # an import this session never uploaded
        else:
            assert response.status_code in (200, 302), (name, response.status_code)


def test_it_opens_every_page_for_admins(client, world):
    client.force_login(world["users"]["admin"])
    for name, url in urls(world):
        response = client.get(url)
        if name in {
            "campaign_scope",
            "campaign_send",
            "contact_add",
            "contact_remove",
            "request_upload",
            "request_action",
        }:
            assert response.status_code == 405, name
        elif name == "supplier_import_preview":
            assert response.status_code == 404
        else:
            assert response.status_code in (200, 302), (name, response.status_code)


def test_it_logs_in_with_a_password(client, world):
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("suppliers")).status_code == 200


def test_it_refuses_an_account_without_a_role(client, world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password=PASSWORD)
    client.force_login(nobody)
    assert client.get(reverse("suppliers")).status_code == 403
