"""Running in production: HTTPS from the environment, no start without ORETRACE_SITE_URL, owner-only
files, and a `check --deploy` with nothing to say."""

from __future__ import annotations

import secrets
import sqlite3
import stat

import pytest
from processes import django_process, manage

from oretrace.web.campaigns import storage

PRODUCTION = {
    "ORETRACE_ALLOWED_HOSTS": "oretrace.acme.example",
    "ORETRACE_SITE_URL": "https://oretrace.acme.example",
    "ORETRACE_HTTPS": "1",
}


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- HTTPS -----------------------------------------------------------------------------------------

SECURITY = (
    "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    " settings.SECURE_HSTS_PRELOAD, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,"
    " settings.SECURE_PROXY_SSL_HEADER, settings.CSRF_TRUSTED_ORIGINS)"
)


def test_oretrace_https_turns_on_hsts_the_redirect_secure_cookies_and_the_proxy_header(tmp_path):
    done = django_process(tmp_path, SECURITY, **PRODUCTION)
    assert done.stdout.strip() == (
        "True 31536000 True False True True ('HTTP_X_FORWARDED_PROTO', 'https') "
        "['https://oretrace.acme.example']"
    ), done.stderr
    shorter = django_process(tmp_path, SECURITY, **PRODUCTION, ORETRACE_HSTS_SECONDS="3600")
    assert shorter.stdout.split()[1] == "3600"


def test_without_oretrace_https_nothing_assumes_https(tmp_path):
    done = django_process(tmp_path, SECURITY, ORETRACE_SITE_URL="http://oretrace.lan:8000")
    assert done.stdout.strip() == "False 0 False False False False None ['http://oretrace.lan:8000']"


def test_behind_the_proxy_http_is_redirected_and_https_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/login/", headers={"X-Forwarded-Proto": "http"})
    assert (plain.status_code, plain["Location"]) == (301, "https://testserver/login/")
    secure = client.get("/login/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_check_deploy_has_nothing_to_say_about_a_production_setup(tmp_path):
    done = manage(tmp_path, "check", "--deploy", ORETRACE_SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_check_deploy_names_what_is_missing_without_https(tmp_path):
    env = {**PRODUCTION, "ORETRACE_HTTPS": "0", "ORETRACE_SECRET_KEY": secrets.token_urlsafe(50)}
    done = manage(tmp_path, "check", "--deploy", **env)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


# --- the site's address ----------------------------------------------------------------------------


def test_it_refuses_to_start_in_production_without_the_site_url(tmp_path):
    done = manage(tmp_path, "check", ORETRACE_ALLOWED_HOSTS="oretrace.acme.example")
    assert done.returncode == 1
    assert (
        "ORETRACE_SITE_URL is not set: the links in e-mails to suppliers are built on it. Set it to the "
        "address people open oretrace at, e.g. https://oretrace.example.com." in done.stderr
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("mode_variable", ["ORETRACE_DEMO", "ORETRACE_DEBUG"])
def test_the_demo_and_development_run_without_the_site_url(tmp_path, mode_variable):
    done = django_process(tmp_path, "print(settings.SITE_URL)", **{mode_variable: "1"})
    assert done.stdout.strip() == "http://127.0.0.1:8000", done.stderr
    assert manage(tmp_path, "check", **{mode_variable: "1"}).returncode == 0


def test_https_with_a_plain_http_site_url_is_refused(tmp_path):
    done = manage(tmp_path, "check", **{**PRODUCTION, "ORETRACE_SITE_URL": "http://oretrace.acme.example"})
    assert done.returncode == 1
    assert "ORETRACE_HTTPS is on but ORETRACE_SITE_URL is http://oretrace.acme.example" in done.stderr


def test_the_wsgi_application_refuses_to_load_without_the_site_url(tmp_path):
    done = django_process(tmp_path, "import oretrace.web.wsgi")
    assert done.returncode == 1
    assert "ORETRACE_SITE_URL is not set" in done.stderr


# --- files only their owner reads ------------------------------------------------------------------


def test_the_var_folder_and_the_sqlite_database_are_the_owners_only(tmp_path):
    done = manage(tmp_path, "migrate", "--verbosity", "0", ORETRACE_SITE_URL="https://oretrace.acme.example")
    assert done.returncode == 0, done.stderr
    var = tmp_path / "var"
    assert mode(var) == 0o700
    assert mode(var / "oretrace.sqlite3") == 0o600
    assert mode(var / "secret_key") == 0o600
    with sqlite3.connect(var / "oretrace.sqlite3") as db:
        assert db.execute("select count(*) from django_migrations").fetchone()[0] > 20


def test_stored_files_and_their_folders_are_the_owners_only(tmp_path):
    folder = tmp_path / "files" / "submissions"
    digest = storage.store_bytes(folder, b"PK\x03\x04 a supplier's CMRT")
    stored = storage.path_for(folder, digest)
    assert [mode(p) for p in (tmp_path / "files", folder, stored.parent)] == [0o700, 0o700, 0o700]
    assert mode(stored) == 0o600
