"""Password reset by e-mail, through the outbox: asked for on the log-in page or by an administrator; the
link is on ORETRACE_SITE_URL, works once, and only for an active account with a password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from staff_data import PASSWORD, staff

from oretrace.web.accounts.deactivation import deactivate_user
from oretrace.web.accounts.models import LoginThrottle
from oretrace.web.accounts.oidc import SingleSignOnIdentity
from oretrace.web.audit.models import AuditEntry
from oretrace.web.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-password-42"


@pytest.fixture
def people(settings):
    settings.SITE_URL = "https://oretrace.acme.example"
    return staff()


def link_in(email: OutboundEmail) -> str:
    return re.search(r"https://oretrace\.acme\.example(/password/reset/\S+/)", email.text).group(1)


def set_password_through(client, path: str, password: str = NEW_PASSWORD):
    form = client.get(path, follow=True)  # Django moves the token out of the address into the session
    assert "Set a new password" in form.content.decode()
    return client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )


def test_a_person_who_forgot_the_password_gets_a_link_that_sets_a_new_one_once(client, people):
    LoginThrottle.record_failure("bob")
    sent = client.post(reverse("password_reset"), {"email": "BOB@acme.example"}, follow=True)
    assert "Check your e-mail" in sent.content.decode()
    email = OutboundEmail.objects.get()
    assert (email.to, email.subject, email.template) == (
        ["bob@acme.example"],
        "Reset your oretrace password",
        "password-reset",
    )
    assert "Someone (we hope you) asked to reset the password" in email.text
    assert "for 3 days at most" in email.text
    path = link_in(email)
    done = set_password_through(client, path)
    assert "Your new password is set" in done.content.decode()
    bob = get_user_model().objects.get(username="bob")
    assert bob.check_password(NEW_PASSWORD)
    assert not LoginThrottle.objects.filter(username="bob").exists()
    assert [e.action for e in AuditEntry.objects.filter(object_label="bob").order_by("id")] == [
        "user.password_reset_sent",
        "user.password_reset",
    ]
    again = client.get(path, follow=True).content.decode()
    assert "This link does not work any more" in again


def test_the_page_sends_one_e_mail_an_hour_to_an_account_however_often_it_is_asked(client, people):
    for _ in range(5):
        page = client.post(reverse("password_reset"), {"email": "bob@acme.example"}, follow=True)
        assert "Check your e-mail" in page.content.decode()
    assert OutboundEmail.objects.count() == 1
    assert AuditEntry.objects.filter(action="user.password_reset_sent").count() == 1
    alice = people[0]
    client.force_login(alice)  # an administrator may still send one at once
    client.post(reverse("user_password_reset", args=[people[1].pk]))
    assert OutboundEmail.objects.count() == 2


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, people):
    sent = client.post(reverse("password_reset"), {"email": "mallory@evil.example"}, follow=True)
    assert "Check your e-mail" in sent.content.decode()
    assert not OutboundEmail.objects.exists()


def test_no_link_goes_to_a_deactivated_or_single_sign_on_account(client, people):
    alice, bob, _ = people
    deactivate_user(bob, alice)
    sso = get_user_model().objects.create_user("sam.sso", "sam@acme.example")
    sso.set_unusable_password()
    sso.save()
    SingleSignOnIdentity.objects.create(user=sso, subject="sub-1")
    for address in ("bob@acme.example", "sam@acme.example"):
        client.post(reverse("password_reset"), {"email": address})
    assert not OutboundEmail.objects.exists()


def test_an_admin_e_mails_a_reset_link_and_the_log_names_the_admin(client, people):
    alice, bob, _ = people
    client.force_login(alice)
    page = client.post(reverse("user_password_reset", args=[bob.pk]), follow=True).content.decode()
    assert "A password reset link is queued for bob@acme.example." in page
    email = OutboundEmail.objects.get()
    assert "An administrator of" in email.text
    entry = AuditEntry.objects.get(action="user.password_reset_sent")
    assert (entry.actor_label, entry.object_label) == ("alice", "bob")
    client.logout()
    set_password_through(client, link_in(email))
    assert client.post(reverse("login"), {"username": "bob", "password": PASSWORD}).status_code == 200
    assert client.post(reverse("login"), {"username": "bob", "password": NEW_PASSWORD}).status_code == 302


def test_a_new_password_from_the_link_passes_the_password_rules(client, people):
    client.post(reverse("password_reset"), {"email": "bob@acme.example"})
    refused = set_password_through(client, link_in(OutboundEmail.objects.get()), "12345678901")
    assert "This password is entirely numeric." in refused.content.decode()
    assert get_user_model().objects.get(username="bob").check_password(PASSWORD)
