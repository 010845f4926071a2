"""Settings read from the environment, each in a fresh process as a server would start: bad values
are refused with the variable's name."""

from __future__ import annotations

import pytest
from processes import django_process


@pytest.mark.parametrize(("value", "days"), [(None, "7"), ("30", "30"), ("1", "1")])
def test_the_outbox_retries_for_the_days_the_environment_says(tmp_path, value, days):
    env = {"ORETRACE_DEBUG": "1"} | ({"ORETRACE_OUTBOX_RETRY_DAYS": value} if value else {})
    done = django_process(tmp_path, "print(settings.OUTBOX_RETRY_DAYS)", **env)
    assert done.stdout.strip() == days, done.stderr


def test_a_retry_period_of_no_days_is_refused_by_name(tmp_path):
    done = django_process(tmp_path, "pass", ORETRACE_DEBUG="1", ORETRACE_OUTBOX_RETRY_DAYS="0")
    assert done.returncode != 0
    assert "ORETRACE_OUTBOX_RETRY_DAYS='0': expected at least 1" in done.stderr


def test_the_login_lock_comes_from_the_environment(tmp_path):
    code = "print(settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCK_MINUTES)"
    assert django_process(tmp_path, code, ORETRACE_DEBUG="1").stdout.strip() == "5 15"
    done = django_process(
        tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_LOGIN_FAILURE_LIMIT="3", ORETRACE_LOGIN_LOCK_MINUTES="60"
    )
    assert done.stdout.strip() == "3 60", done.stderr
    refused = django_process(tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_LOGIN_FAILURE_LIMIT="none")
    assert "ORETRACE_LOGIN_FAILURE_LIMIT='none': expected a whole number" in refused.stderr


SSO = {
    "ORETRACE_DEBUG": "1",
    "ORETRACE_OIDC_CLIENT_ID": "oretrace",
    "ORETRACE_OIDC_CLIENT_SECRET": "s3cret",
    "ORETRACE_OIDC_AUTHORIZATION_ENDPOINT": "https://id.acme.example/authorize",
    "ORETRACE_OIDC_TOKEN_ENDPOINT": "https://id.acme.example/token",
    "ORETRACE_OIDC_USERINFO_ENDPOINT": "https://id.acme.example/userinfo",
    "ORETRACE_OIDC_JWKS_ENDPOINT": "https://id.acme.example/jwks",
    "ORETRACE_OIDC_ROLE_MAP": "oretrace-admins=admin, compliance=analyst,Audit Team=viewer",
}


def test_single_sign_on_is_configured_from_the_environment_with_its_group_to_role_map(tmp_path):
    code = "print(settings.OIDC_ENABLED, settings.OIDC_RP_CLIENT_ID, sorted(settings.OIDC_ROLE_MAP.items()))"
    done = django_process(tmp_path, code, **SSO)
    assert done.stdout.strip() == (
        "True oretrace [('Audit Team', 'viewer'), ('compliance', 'analyst'), ('oretrace-admins', 'admin')]"
    ), done.stderr
    assert (
        django_process(tmp_path, "print(settings.OIDC_ENABLED)", ORETRACE_DEBUG="1").stdout.strip() == "False"
    )


def test_single_sign_on_without_its_endpoints_is_refused_naming_them(tmp_path):
    env = SSO | {"ORETRACE_OIDC_JWKS_ENDPOINT": "", "ORETRACE_OIDC_ROLE_MAP": ""}
    done = django_process(tmp_path, "pass", **env)
    assert done.returncode != 0
    assert (
        "ORETRACE_OIDC_CLIENT_ID is set: set ORETRACE_OIDC_JWKS_ENDPOINT, ORETRACE_OIDC_ROLE_MAP too"
        in done.stderr
    )


@pytest.mark.parametrize(
    ("role_map", "message"),
    [
        (
            "compliance=analyst,auditors=reader",
            "ORETRACE_OIDC_ROLE_MAP: reader is not admin, analyst or viewer",
        ),
        ("compliance", "ORETRACE_OIDC_ROLE_MAP: 'compliance' is not key=value"),
    ],
)
def test_a_role_map_naming_no_role_is_refused(tmp_path, role_map, message):
    done = django_process(tmp_path, "pass", **SSO | {"ORETRACE_OIDC_ROLE_MAP": role_map})
    assert done.returncode != 0
    assert message in done.stderr


def test_two_factor_for_admins_comes_from_the_environment(tmp_path):
    code = "print(settings.REQUIRE_2FA_FOR_ADMINS)"
    assert django_process(tmp_path, code, ORETRACE_DEBUG="1").stdout.strip() == "False"
    on = django_process(tmp_path, code, ORETRACE_DEBUG="1", ORETRACE_REQUIRE_2FA_FOR_ADMINS="yes")
    assert on.stdout.strip() == "True", on.stderr
