"""User management: the users page shows each account's role, sign-in method, second factor and last
log-in; an administrator deactivates an account (every session ends at once), reactivates it, removes its
authenticator, or e-mails it a password reset link; every change is in the audit log."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from staff_data import PASSWORD, staff

from oretrace.web.accounts import two_factor
from oretrace.web.accounts.deactivation import AlreadyInactive, deactivate_user
from oretrace.web.accounts.oidc import SingleSignOnIdentity
from oretrace.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return staff()


def logged_in_client(user) -> Client:
    other = Client()
    assert other.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return other


def test_the_users_page_shows_role_sign_in_method_two_factor_and_last_log_in(client, people):
    alice, bob, vera = people
    bob.last_login = timezone.make_aware(dt.datetime(2026, 11, 30, 9, 15))
    bob.save()
    secret = two_factor.new_secret()
    two_factor.enrol(vera, secret, pyotp.TOTP(secret).now())
    sso = get_user_model().objects.create_user("sam.sso", "sam@acme.example")
    SingleSignOnIdentity.objects.create(user=sso, subject="sub-1")
    client.force_login(alice)
    page = client.get(reverse("users")).content.decode()
    rows = {
        name: page[page.index(f">{name}</a>") :].split("</tr>", 1)[0] for name in ("bob", "vera", "sam.sso")
    }
    assert "2026-11-30 09:15" in rows["bob"] and "Password" in rows["bob"] and "<td>off</td>" in rows["bob"]
    assert "<td>on</td>" in rows["vera"] and "never" in rows["vera"]
    assert "<td>Single sign-on</td>" in rows["sam.sso"]
    assert "from the provider's groups" in rows["sam.sso"] and "<select" not in rows["sam.sso"]
    assert f'href="{reverse("user", args=[bob.pk])}"' in page


def test_deactivating_ends_every_session_of_the_account_at_once_and_is_logged(client, people):
    alice, bob, _ = people
    laptop, phone = logged_in_client(bob), logged_in_client(bob)
    vera_client = logged_in_client(people[2])
    client.force_login(alice)
    page = client.post(reverse("user_deactivate", args=[bob.pk]), follow=True).content.decode()
    assert "bob is deactivated; 2 sessions ended." in page
    assert laptop.session.session_key not in set(Session.objects.values_list("session_key", flat=True))
    assert laptop.get(reverse("suppliers")).status_code == 302
    assert phone.get(reverse("suppliers")).status_code == 302
    assert vera_client.get(reverse("suppliers")).status_code == 200  # nobody else's
    entry = AuditEntry.objects.get(action="user.deactivated")
    assert (entry.actor_label, entry.object_label, entry.detail) == (
        "alice",
        "bob",
        "2 sessions ended, 0 API tokens revoked",
    )
    refused = Client().post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Deactivated" in client.get(reverse("user", args=[bob.pk])).content.decode()


def test_a_second_deactivation_says_so_and_logs_nothing(client, people):
    alice, bob, _ = people
    client.force_login(alice)
    client.post(reverse("user_deactivate", args=[bob.pk]))
    page = client.post(reverse("user_deactivate", args=[bob.pk]), follow=True).content.decode()
    assert "bob is deactivated already." in page
    assert AuditEntry.objects.filter(action="user.deactivated").count() == 1


def test_an_admin_cannot_deactivate_their_own_account(client, people):
    alice, _, _ = people
    client.force_login(alice)
    page = client.post(reverse("user_deactivate", args=[alice.pk]), follow=True).content.decode()
    assert "You cannot change your own account here" in page
    alice.refresh_from_db()
    assert alice.is_active


def test_reactivating_lets_the_account_log_in_again(client, people):
    alice, bob, _ = people
    deactivate_user(bob, alice)
    client.force_login(alice)
    client.post(reverse("user_reactivate", args=[bob.pk]))
    assert logged_in_client(bob).get(reverse("suppliers")).status_code == 200
    assert AuditEntry.objects.filter(action="user.reactivated", object_label="bob").count() == 1


def test_an_admin_removes_the_authenticator_of_someone_who_lost_the_phone(client, people):
    alice, bob, _ = people
    secret = two_factor.new_secret()
    two_factor.enrol(bob, secret, pyotp.TOTP(secret).now())
    client.force_login(alice)
    assert "Remove the authenticator" in client.get(reverse("user", args=[bob.pk])).content.decode()
    client.post(reverse("user_remove_authenticator", args=[bob.pk]))
    assert not two_factor.has_two_factor(bob)
    entry = AuditEntry.objects.get(action="user.two_factor_removed")
    assert (entry.actor_label, entry.detail) == ("alice", "by an administrator")
    assert logged_in_client(bob).get(reverse("suppliers")).status_code == 200  # the password alone


def test_the_user_page_shows_the_accounts_history(client, people):
    alice, bob, _ = people
    deactivate_user(bob, alice)
    client.force_login(alice)
    page = client.get(reverse("user", args=[bob.pk])).content.decode()
    assert "user.deactivated" in page and "0 sessions ended" in page


def test_the_deactivate_user_command_ends_the_sessions_and_logs_the_command_line(people):
    _, bob, _ = people
    laptop = logged_in_client(bob)
    out = StringIO()
    call_command("deactivate_user", "BOB", stdout=out)
    assert out.getvalue().strip() == "bob is deactivated; 1 session ended."
    assert laptop.get(reverse("suppliers")).status_code == 302
    assert AuditEntry.objects.get(action="user.deactivated").actor_label == "command line"
    with pytest.raises(CommandError, match=r"bob is deactivated already\."):
        call_command("deactivate_user", "bob")
    with pytest.raises(CommandError, match=r"No account is named 'mallory'\."):
        call_command("deactivate_user", "mallory")


def test_the_role_of_a_single_sign_on_account_is_the_providers(client, people):
    alice, _, _ = people
    sso = get_user_model().objects.create_user("sam.sso")
    SingleSignOnIdentity.objects.create(user=sso, subject="sub-1")
    client.force_login(alice)
    page = client.post(reverse("users"), {"user": sso.pk, "role": "admin"}, follow=True).content.decode()
    assert "role comes from the identity provider" in page
    assert not AuditEntry.objects.filter(action="user.role_changed").exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_deactivating_at_once_deactivate_once():
    alice, bob, _ = staff()
    start = threading.Barrier(2)
    outcomes = []

    def press():
        try:
            start.wait()
            deactivate_user(bob, alice)
            outcomes.append("deactivated")
        except AlreadyInactive:
            outcomes.append("already")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "deactivated"]
    assert AuditEntry.objects.filter(action="user.deactivated").count() == 1
