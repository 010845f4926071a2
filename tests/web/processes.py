"""Oretrace's settings as a server reads them: Django in a fresh process with only the ORETRACE_*
variables a test gives (a SQLite database in the test's folder)."""

from __future__ import annotations

import os
import subprocess
import sys


def environment(tmp_path, **env: str) -> dict[str, str]:
    """This process's environment without any ORETRACE_* variable or DATABASE_URL, plus ``env``: a
    SQLite database in ``tmp_path``/var."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ORETRACE_", "DATABASE_URL"))}
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "oretrace.web.settings",
        "ORETRACE_VAR_DIR": str(tmp_path / "var"),
        **env,
    }


def django_process(tmp_path, code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` after django.setup() with only the given ORETRACE_* variables set."""
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m oretrace.web ARGS`` with only the given ORETRACE_* variables set."""
    return subprocess.run(
        [sys.executable, "-m", "oretrace.web", *args],
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )
