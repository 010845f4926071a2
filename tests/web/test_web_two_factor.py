"""Two-factor log-in for password accounts: enrolment with a QR code and recovery codes shown once, the
code asked after the password, codes that work once, the log-in lock counting wrong codes, and
administrators made to enrol when ORETRACE_REQUIRE_2FA_FOR_ADMINS is on."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pyotp
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from staff_data import PASSWORD, staff

from oretrace.web.accounts import two_factor
from oretrace.web.accounts.models import LoginThrottle
from oretrace.web.accounts.two_factor import Authenticator, RecoveryCode
from oretrace.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_LOCK_MINUTES = 15
    return staff()


def previous_code(secret: str) -> str:
    """A code of the step before this one: still accepted (a phone's clock a little behind), and not the
    one ``now()`` gives, so a test can use two different right codes."""
    totp = pyotp.TOTP(secret)
    return totp.at(timezone.now() - dt.timedelta(seconds=30))


def enrolled(user) -> tuple[str, list[str]]:
    """Enrolled with the previous step's code, so that the code of now is still free for a log-in."""
    secret = two_factor.new_secret()
    return secret, two_factor.enrol(user, secret, previous_code(secret))


def log_in(client, username="bob", password=PASSWORD, next_page=""):
    url = reverse("login") + (f"?next={next_page}" if next_page else "")
    return client.post(url, {"username": username, "password": password})


def give_code(client, code: str):
    return client.post(reverse("login_code"), {"code": code})


def logged_in(client) -> bool:
    return client.get(reverse("suppliers")).status_code == 200


def test_enrolling_shows_a_qr_code_stores_the_app_and_shows_ten_hashed_recovery_codes_once(client, people):
    _, bob, _ = people
    client.force_login(bob)
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in page
    secret = re.search(r'<span class="mono secret">([A-Z2-7]+)</span>', page).group(1)
    assert client.get(reverse("two_factor")).content.decode().count(secret) == 1  # the same key on reload
    assert not Authenticator.objects.exists()
    shown = client.post(reverse("two_factor"), {"code": pyotp.TOTP(secret).now()}).content.decode()
    codes = re.findall(r"<li>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert Authenticator.objects.get(user=bob).secret == secret
    stored = set(RecoveryCode.objects.filter(user=bob).values_list("digest", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert AuditEntry.objects.filter(action="user.two_factor_enrolled", object_label="bob").count() == 1
    after = client.get(reverse("two_factor")).content.decode()
    assert "10 recovery codes left" in after
    assert not any(code in after for code in codes)
    # The code typed to enrol is taken: someone who watched it typed cannot log in with it.
    client.logout()
    log_in(client)
    assert "was used already" in give_code(client, pyotp.TOTP(secret).now()).content.decode()


def test_a_wrong_enrolment_code_stores_nothing_and_says_so(client, people):
    _, bob, _ = people
    client.force_login(bob)
    client.get(reverse("two_factor"))
    page = client.post(reverse("two_factor"), {"code": "000000"}).content.decode()
    assert "That code does not match." in page
    assert not Authenticator.objects.exists() and not RecoveryCode.objects.exists()


def test_after_the_password_the_code_is_asked_and_only_then_is_the_person_logged_in(client, people):
    _, bob, _ = people
    secret, _ = enrolled(bob)
    response = log_in(client, next_page="/campaigns/")
    assert response["Location"] == reverse("login_code")
    assert not logged_in(client)
    assert "Open your authenticator app" in client.get(reverse("login_code")).content.decode()
    done = give_code(client, pyotp.TOTP(secret).now())
    assert done["Location"] == "/campaigns/"
    assert logged_in(client)


def test_a_code_is_taken_once_so_a_seen_code_cannot_log_in_again(client, people):
    _, bob, _ = people
    secret, _ = enrolled(bob)
    code = pyotp.TOTP(secret).now()
    log_in(client)
    give_code(client, code)
    client.logout()
    log_in(client)
    page = give_code(client, code).content.decode()
    assert "That code is not right, or was used already." in page
    assert not logged_in(client)
    # An older code than the one accepted is refused too: the steps only go forward.
    assert "was used already" in give_code(client, previous_code(secret)).content.decode()


def test_a_recovery_code_logs_in_once_and_is_logged_with_the_number_left(client, people):
    _, bob, _ = people
    _, codes = enrolled(bob)
    log_in(client)
    give_code(client, codes[3].lower())  # typed in lower case: still the code
    assert logged_in(client)
    used = AuditEntry.objects.get(action="login.recovery_code_used")
    assert (used.object_label, used.detail) == ("bob", "9 left")
    client.logout()
    log_in(client)
    assert "was used already" in give_code(client, codes[3]).content.decode()
    assert not logged_in(client)


def test_wrong_codes_count_with_wrong_passwords_and_retyping_the_password_does_not_reset_them(client, people):
    _, bob, _ = people
    secret, _ = enrolled(bob)
    log_in(client, password="guess-123456")  # one wrong password
    log_in(client)
    for _ in range(3):
        give_code(client, "123456")
    log_in(client)  # the right password again: the count goes on
    assert LoginThrottle.objects.get(username="bob").failures == 4
    locked = give_code(client, "654321").content.decode()
    assert "Too many failed log-ins for this user name" in locked
    # Locked: the password is asked again, and is refused while the lock lasts.
    assert give_code(client, pyotp.TOTP(secret).now())["Location"] == reverse("login")
    assert "Too many failed log-ins" in log_in(client).content.decode()
    assert not logged_in(client)


def test_a_half_finished_log_in_lapses(client, people, settings):
    _, bob, _ = people
    secret, _ = enrolled(bob)
    log_in(client)
    session = client.session
    pending = session["two_factor_pending"]
    pending["until"] = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    session["two_factor_pending"] = pending
    session.save()
    response = give_code(client, pyotp.TOTP(secret).now())
    assert response["Location"] == reverse("login")
    assert not logged_in(client)


def test_turning_it_off_asks_for_the_password(client, people):
    _, bob, _ = people
    enrolled(bob)
    client.force_login(bob)
    refused = client.post(reverse("two_factor"), {"password": "not-it-at-all"}).content.decode()
    assert "That is not your password." in refused
    assert Authenticator.objects.filter(user=bob).exists()
    client.post(reverse("two_factor"), {"password": PASSWORD})
    assert not Authenticator.objects.exists() and not RecoveryCode.objects.exists()
    assert AuditEntry.objects.get(action="user.two_factor_removed").detail == "by the user"


def test_with_2fa_required_an_admin_without_an_app_sees_only_the_enrolment_page(client, people, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True
    alice, bob, _ = people
    client.force_login(alice)
    response = client.get(reverse("suppliers"))
    assert response["Location"] == reverse("two_factor")
    assert client.get(reverse("two_factor")).status_code == 200
    enrolled(alice)
    assert client.get(reverse("suppliers")).status_code == 200
    client.force_login(bob)  # an analyst is not made to
    assert client.get(reverse("suppliers")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_one_recovery_code_sent_twice_at_the_same_moment_logs_in_once():
    _, bob, _ = staff()
    _, codes = enrolled(bob)
    start = threading.Barrier(2)
    outcomes = []

    def use():
        try:
            start.wait()
            outcomes.append(two_factor.use_recovery_code(bob, codes[0]))
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    assert RecoveryCode.objects.filter(user=bob).exclude(used_at=None).count() == 1
