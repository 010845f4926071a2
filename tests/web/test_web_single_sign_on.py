"""Single sign-on end to end: the app signs people in through a real OpenID Connect provider on loopback
(oidc_provider.py), configured from its discovery document; the provider's groups give the role."""

from __future__ import annotations

from html import unescape
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.urls import reverse
from oidc_provider import LoopbackProvider
from staff_data import staff

from oretrace.web.accounts.deactivation import deactivate_user
from oretrace.web.accounts.models import Profile
from oretrace.web.accounts.oidc import SingleSignOnIdentity, role_for_groups
from oretrace.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ROLE_MAP = {"oretrace-admins": "admin", "compliance": "analyst", "auditors": "viewer"}
ANA = {
    "sub": "248289761001",
    "preferred_username": "ana.sso",
    "email": "ana@acme.example",
    "groups": ["staff", "compliance"],
}


@pytest.fixture
def provider(settings):
    with LoopbackProvider() as running:
        # Configured as an administrator would: from the provider's discovery document.
        found = requests.get(f"{running.url}/.well-known/openid-configuration", timeout=5).json()
        settings.OIDC_ENABLED = True
        settings.OIDC_PROVIDER_NAME = "Acme ID"
        settings.OIDC_RP_CLIENT_ID = running.client_id
        settings.OIDC_RP_CLIENT_SECRET = running.client_secret
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
        settings.OIDC_ISSUER = found["issuer"]
        settings.OIDC_ROLE_MAP = ROLE_MAP
        running.person = dict(ANA)
        yield running


def sign_in(client, provider, next_page: str = "/suppliers/"):
    """The browser's round trip: our start page, the provider's authorize page, back to our callback."""
    start = client.get(reverse("oidc_authentication_init"), {"next": next_page})
    assert start.status_code == 302
    assert start.url.startswith(f"{provider.url}/authorize?")
    at_provider = requests.get(start.url, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == reverse("oidc_authentication_callback")
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_a_person_in_the_compliance_group_signs_in_through_the_provider_as_an_analyst(client, provider):
    page = sign_in(client, provider)
    assert page.redirect_chain[-1] == ("/suppliers/", 302)
    assert page.status_code == 200
    ana = get_user_model().objects.get(username="ana.sso")
    assert page.context["user"] == ana
    assert ana.email == "ana@acme.example"
    assert not ana.has_usable_password()
    assert ana.sso.subject == "248289761001"
    assert ana.profile.role == "analyst"
    assert ana.last_login is not None
    created = AuditEntry.objects.get(action="user.created")
    assert (created.actor_label, created.object_label, created.detail) == (
        "single sign-on",
        "ana.sso",
        "analyst, from the identity provider",
    )
    assert provider.token_requests == 1


def test_the_providers_groups_set_the_role_again_at_every_sign_in(client, provider):
    sign_in(client, provider)
    client.logout()
    provider.person["groups"] = ["compliance", "oretrace-admins"]
    sign_in(client, provider)
    assert Profile.objects.get(user__username="ana.sso").role == "admin"
    changed = AuditEntry.objects.get(action="user.role_changed")
    assert changed.detail == "admin, from the identity provider"
    assert SingleSignOnIdentity.objects.count() == 1
    client.logout()
    sign_in(client, provider)  # the same groups again: nothing changes, nothing is logged
    assert AuditEntry.objects.filter(action="user.role_changed").count() == 1


def test_someone_in_no_mapped_group_is_refused_and_told_why(client, provider):
    provider.person["groups"] = ["staff"]
    page = sign_in(client, provider)
    assert page.redirect_chain[-1][0] == reverse("login")
    assert "in none of the groups that give a role in oretrace" in page.content.decode()
    assert not get_user_model().objects.filter(username="ana.sso").exists()
    assert client.get(reverse("suppliers")).status_code == 302


def test_a_password_account_of_the_same_name_is_not_taken_over(client, provider):
    staff()  # bob has a password account
    provider.person.update(preferred_username="bob", email="bob@acme.example")
    page = sign_in(client, provider)
    assert (
        "An oretrace account named bob already exists and signs in with a password" in page.content.decode()
    )
    assert not SingleSignOnIdentity.objects.exists()
    assert client.get(reverse("suppliers")).status_code == 302


def test_a_second_identity_with_the_same_user_name_gets_no_account_of_its_own(client, provider):
    sign_in(client, provider)
    client.logout()
    provider.person.update(sub="another-subject")
    page = sign_in(client, provider)
    assert "An oretrace account named ana.sso already exists and signs in with another identity" in (
        page.content.decode()
    )
    assert SingleSignOnIdentity.objects.count() == 1


def test_a_deactivated_single_sign_on_account_stays_refused_whatever_the_provider_says(client, provider):
    sign_in(client, provider)
    ana = get_user_model().objects.get(username="ana.sso")
    deactivate_user(ana, "command line")
    assert client.get(reverse("suppliers")).status_code == 302  # the session ended with it
    page = sign_in(client, provider)
    assert "This account is deactivated. Ask an administrator." in page.content.decode()
    assert client.get(reverse("suppliers")).status_code == 302


def test_an_id_token_issued_to_another_application_signs_nobody_in(client, provider):
    provider.audience = "another-app"
    page = sign_in(client, provider)
    assert "The identity provider's token was issued to another application." in unescape(
        page.content.decode()
    )
    assert not get_user_model().objects.filter(username="ana.sso").exists()


def test_an_id_token_from_another_issuer_signs_nobody_in(client, provider, settings):
    settings.OIDC_ISSUER = "https://id.elsewhere.example"
    page = sign_in(client, provider)
    assert "The sign-in token comes from another identity provider than the one configured." in (
        page.content.decode()
    )
    assert client.get(reverse("suppliers")).status_code == 302


def test_a_single_sign_on_account_has_no_password_or_two_factor_page(client, provider):
    sign_in(client, provider)
    assert client.get(reverse("password_change")).status_code == 404
    assert client.get(reverse("two_factor")).status_code == 404
    assert reverse("two_factor") not in client.get(reverse("suppliers")).content.decode()


def test_the_login_page_offers_the_provider_by_its_name(client, provider):
    page = client.get(reverse("login") + "?next=/campaigns/").content.decode()
    assert "Sign in with Acme ID" in page
    assert f"{reverse('oidc_authentication_init')}?next=/campaigns/" in page


def test_without_a_provider_configured_the_sign_in_pages_do_not_exist(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "Sign in with" not in client.get(reverse("login")).content.decode()


def test_several_mapped_groups_give_the_strongest_role():
    assert role_for_groups(["auditors", "compliance"], ROLE_MAP) == "analyst"
    assert role_for_groups("oretrace-admins", ROLE_MAP) == "admin"
    assert role_for_groups(["staff"], ROLE_MAP) is None
    assert role_for_groups(None, ROLE_MAP) is None
