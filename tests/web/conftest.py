"""Django settings for the tests of the web app only (the core's tests never load Django)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
# Production has no default address for the links in e-mails; the tests use the demo's.
os.environ.setdefault("ORETRACE_SITE_URL", "http://127.0.0.1:8000")
# Keep the secret key file and any stray upload out of the checkout, and out of /tmp after the run.
if "ORETRACE_VAR_DIR" not in os.environ:
    os.environ["ORETRACE_VAR_DIR"] = tempfile.mkdtemp(prefix="oretrace-test-var-")
    atexit.register(shutil.rmtree, os.environ["ORETRACE_VAR_DIR"], ignore_errors=True)
# pytest-django configured itself before this folder was reached: load Django before the test modules
# import models (its session fixtures see the settings module from here on).
django.setup()


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Every test stores uploaded files, blank templates, risk evidence, CAHRA files, generated CMRTs and
    evidence packages in its own folder."""
    settings.SUBMISSIONS_DIR = tmp_path / "submissions"
    settings.TEMPLATES_DIR = tmp_path / "templates"
    settings.RISK_EVIDENCE_DIR = tmp_path / "evidence"
    settings.CAHRA_DIR = tmp_path / "cahra"
    settings.DECLARATIONS_DIR = tmp_path / "declarations"
    settings.REFERENCE_DIR = tmp_path / "reference"
    settings.EVIDENCE_PACKAGES_DIR = tmp_path / "packages"
    settings.GRIEVANCE_DIR = tmp_path / "grievances"


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """The tests create hundreds of users and log in thousands of times; PBKDF2's deliberate slowness
    (hundreds of milliseconds each) would dominate the suite. Production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _language_of_its_own():
    """Each test starts in the default language. The test client serves a request in the test's own
    thread, and LocaleMiddleware leaves the language it activated (a page asked for in Chinese) active
    after the response; in production each request activates its own, and the worker serves none."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
