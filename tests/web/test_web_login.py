"""Logging in: a user name is locked after a run of wrong passwords, and says for how long; every
password a person sets passes Django's password validators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from staff_data import PASSWORD, staff

from oretrace.web.accounts.models import LoginThrottle
from oretrace.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

WRONG = "Your user name and password did not match. Please try again."


@pytest.fixture
def people(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_LOCK_MINUTES = 15
    return staff()


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(client) -> bool:
    return client.get(reverse("suppliers")).status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_the_lock_out_message(client, people):
    for _ in range(4):
        page = log_in(client, "bob", "guess-123456").content.decode()
        assert WRONG in page
        assert "locked" not in page
    fifth = log_in(client, "bob", "guess-123456").content.decode()
    locked_until = timezone.localtime(LoginThrottle.objects.get(username="bob").locked_until)
    message = (
        "Too many failed log-ins for this user name: it is locked for the next 15 minutes "
        f"(until {locked_until:%H:%M} UTC). Try again then, or ask an administrator to reset your password."
    )
    assert message in fifth
    right = log_in(client, "bob", PASSWORD)
    assert right.status_code == 200
    assert message in right.content.decode()
    assert WRONG not in right.content.decode()
    assert not logged_in(client)


def test_a_hundred_guesses_at_three_a_second_check_five_passwords(client, people, monkeypatch):
    checked = []
    original = get_user_model().check_password
    monkeypatch.setattr(
        get_user_model(), "check_password", lambda user, raw: checked.append(raw) or original(user, raw)
    )
    for n in range(100):
        log_in(client, "bob", f"guess-{n:06d}")
    assert len(checked) == 5
    assert LoginThrottle.objects.get(username="bob").failures == 5


def test_the_message_says_how_long_is_left(client, people):
    LoginThrottle.objects.create(
        username="bob",
        failures=5,
        first_failure_at=timezone.now() - dt.timedelta(minutes=8),
        locked_until=timezone.now() + dt.timedelta(minutes=7, seconds=30),
    )
    page = log_in(client, "bob", PASSWORD).content.decode()
    assert "it is locked for the next 8 minutes" in page


def test_the_lock_ends_after_its_time(client, people):
    for _ in range(5):
        log_in(client, "bob", "guess-123456")
    LoginThrottle.objects.filter(username="bob").update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert log_in(client, "bob", PASSWORD).status_code == 302
    assert logged_in(client)
    assert not LoginThrottle.objects.exists()


def test_the_count_starts_again_after_a_quiet_spell(client, people):
    for _ in range(4):
        log_in(client, "bob", "guess-123456")
    LoginThrottle.objects.update(first_failure_at=timezone.now() - dt.timedelta(minutes=16))
    page = log_in(client, "bob", "guess-123456").content.decode()
    assert WRONG in page
    assert LoginThrottle.objects.get(username="bob").failures == 1


def test_the_right_password_clears_the_count(client, people):
    for _ in range(4):
        log_in(client, "bob", "guess-123456")
    assert log_in(client, "bob", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert WRONG in log_in(client, "bob", "guess-123456").content.decode()
    assert log_in(client, "bob", PASSWORD).status_code == 302


def test_the_user_name_is_locked_whatever_its_case_and_others_are_not(client, people):
    for name in ("bob", "Bob", "BOB", " bob", "bOb"):
        log_in(client, name, "guess-123456")
    assert "locked for the next 15 minutes" in log_in(client, "bob", PASSWORD).content.decode()
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_user_name_nobody_has_is_locked_the_same_way(client, people):
    # Otherwise the lock would tell an attacker which names exist.
    for _ in range(5):
        page = log_in(client, "mallory", "guess-123456").content.decode()
    assert "Too many failed log-ins for this user name" in page


def test_the_lock_is_in_the_audit_log(client, people):
    for _ in range(5):
        log_in(client, "bob", "guess-123456")
    entry = AuditEntry.objects.get(action="login.locked")
    assert entry.actor_label == "bob"
    assert entry.detail == "5 failed log-ins from 127.0.0.1; locked for 15 minutes"


# --- passwords a person sets -----------------------------------------------------------------------


def test_an_admin_cannot_give_a_new_user_a_weak_password(client, people):
    alice = people[0]
    client.force_login(alice)
    for password, messages in (
        ("password123", ["This password is too common."]),
        ("12345678901", ["This password is too common.", "This password is entirely numeric."]),
        ("short-pw", ["This password is too short. It must contain at least 10 characters."]),
        ("carol.smith1", ["The password is too similar to the username."]),
    ):
        page = client.post(
            reverse("users"),
            {"username": "carol.smith", "email": "", "role": "viewer", "password": password},
        ).content.decode()
        for message in messages:
            assert message in page, (password, message)
    assert not get_user_model().objects.filter(username="carol.smith").exists()
    client.post(
        reverse("users"),
        {"username": "carol.smith", "email": "", "role": "viewer", "password": "quartz-lantern-47"},
    )
    assert get_user_model().objects.get(username="carol.smith").check_password("quartz-lantern-47")


def test_everyone_changes_their_own_password_past_the_validators(client, people):
    vera = people[2]
    client.force_login(vera)
    page = client.get(reverse("password_change")).content.decode()
    assert 'name="old_password"' in page
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    ).content.decode()
    assert "This password is too common." in weak
    wrong_old = client.post(
        reverse("password_change"),
        {
            "old_password": "guess-123456",
            "new_password1": "quartz-lantern-47",
            "new_password2": "quartz-lantern-47",
        },
    ).content.decode()
    assert "Your old password was entered incorrectly. Please enter it again." in wrong_old
    vera.refresh_from_db()
    assert vera.check_password(PASSWORD)
    done = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "quartz-lantern-47",
            "new_password2": "quartz-lantern-47",
        },
        follow=True,
    )
    assert "Your password is changed." in done.content.decode()
    assert logged_in(client)  # the session survives its own password change
    vera.refresh_from_db()
    assert vera.check_password("quartz-lantern-47")
    assert AuditEntry.objects.filter(action="user.password_changed", actor=vera).count() == 1


def test_changing_a_password_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
