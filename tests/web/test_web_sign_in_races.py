"""Signing in is race-free (SQLite and PostgreSQL): one app code sent twice at the same moment logs in
once, and the same person's first single sign-on in two tabs at once makes one account."""

from __future__ import annotations

import threading

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from staff_data import staff
from test_web_single_sign_on import ANA, ROLE_MAP

from oretrace.web.accounts import two_factor
from oretrace.web.accounts.oidc import SingleSignOnBackend, SingleSignOnIdentity
from oretrace.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(action, times: int = 2) -> list:
    start = threading.Barrier(times)
    outcomes = []

    def run():
        try:
            start.wait()
            outcomes.append(action())
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_one_app_code_sent_twice_at_the_same_moment_logs_in_once():
    _, bob, _ = staff()
    secret = two_factor.new_secret()
    totp = pyotp.TOTP(secret)
    two_factor.enrol(bob, secret, totp.at(timezone.now().timestamp() - 30))
    code = totp.now()
    outcomes = at_once(lambda: two_factor.verify_second_factor(bob, code))
    assert sorted(map(str, outcomes)) == ["None", "authenticator"]


def test_a_first_single_sign_on_in_two_tabs_at_once_makes_one_account(settings):
    settings.OIDC_ROLE_MAP = ROLE_MAP
    outcomes = at_once(lambda: SingleSignOnBackend().create_user(dict(ANA)).pk)
    assert len(set(outcomes)) == 1 and isinstance(outcomes[0], int), outcomes
    assert get_user_model().objects.filter(username="ana.sso").count() == 1
    assert SingleSignOnIdentity.objects.count() == 1
    assert AuditEntry.objects.filter(action="user.created").count() == 1


def test_an_account_the_other_tab_committed_between_the_two_checks_is_this_persons(settings):
    """The interleaving the test above meets only now and then on PostgreSQL: this tab's look-up by
    identity ran before the other tab committed, its look-up by name after. It is the same person's
    account, not a name taken by someone else."""
    settings.OIDC_ROLE_MAP = ROLE_MAP
    made_by_the_other_tab = SingleSignOnBackend().create_user(dict(ANA))
    this_tab = SingleSignOnBackend()
    by_identity = this_tab.filter_users_by_claims
    missed = []

    def first_look_misses(claims):
        if not missed:
            missed.append(True)
            return get_user_model().objects.none()
        return by_identity(claims)

    this_tab.filter_users_by_claims = first_look_misses
    assert this_tab.create_user(dict(ANA)) == made_by_the_other_tab
    assert AuditEntry.objects.filter(action="user.created").count() == 1
