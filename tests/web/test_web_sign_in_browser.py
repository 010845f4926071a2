"""Signing in, in a real browser: through the loopback OpenID Connect provider (the browser follows the
redirects to the provider and back), and with a password and an authenticator app set up on the way.
Screenshots of the log-in, enrolment and users pages at desktop and phone widths go to
ORETRACE_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pyotp
import pytest
from django.contrib.auth import get_user_model
from oidc_provider import LoopbackProvider
from staff_data import PASSWORD, staff
from test_web_e2e_browser import browser, demo  # noqa: F401  (fixtures)
from test_web_single_sign_on import ANA, ROLE_MAP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def shoot(page, name: str) -> None:
    if folder := os.environ.get("ORETRACE_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        for label, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_a_person_signs_in_through_the_identity_provider_in_a_browser(demo, browser, settings):  # noqa: F811
    with LoopbackProvider() as provider:
        found = provider.discovery()
        settings.OIDC_ENABLED = True
        settings.OIDC_PROVIDER_NAME = "Acme ID"
        settings.OIDC_RP_CLIENT_ID = provider.client_id
        settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
        settings.OIDC_ROLE_MAP = ROLE_MAP
        provider.person = dict(ANA)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{demo.url}/login/?next=/suppliers/")
        shoot(page, "login-with-sso")
        page.click("text=Sign in with Acme ID")
        page.wait_for_url(f"{demo.url}/suppliers/")
        assert page.inner_text("header .who").startswith("ana.sso")
        assert "analyst" in page.inner_text("header .who .role")
    assert get_user_model().objects.get(username="ana.sso").sso.subject == ANA["sub"]


def test_an_admin_sets_up_an_authenticator_and_logs_in_with_it_in_a_browser(demo, browser, settings):  # noqa: F811
    settings.REQUIRE_2FA_FOR_ADMINS = True
    _, bob, _ = staff()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{demo.url}/login/")
    shoot(page, "login")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    # Required for admins: the enrolment page, whatever page was asked for.
    page.wait_for_url(f"{demo.url}/account/two-factor/")
    shoot(page, "two-factor-enrol")
    secret = page.inner_text(".secret")
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("button:has-text('Turn on two-factor log-in')")
    page.wait_for_selector("text=they are shown this once")
    assert (
        len(re.findall(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", page.inner_text(".codes"))) == 10
    )
    shoot(page, "two-factor-recovery-codes")
    page.goto(f"{demo.url}/users/")
    shoot(page, "users")
    page.click(f"a[href='/users/{bob.pk}/']")
    page.wait_for_selector("text=Deactivate and log out everywhere")
    shoot(page, "user")
    page.click("button:has-text('Log out')")
    page.goto(f"{demo.url}/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{demo.url}/login/code/")
    shoot(page, "login-code")
    # The code of the next step: the one typed to enrol is taken.
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button:has-text('Log in')")
    page.wait_for_selector("header .who")
    assert page.inner_text("header .who").startswith("alice")
