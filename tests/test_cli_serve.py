"""``oretrace serve``: the web application under gunicorn, migrations applied, static files by WhiteNoise."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from oretrace.cli.serve_cmd import DEFAULT_THREADS, available_cores, default_workers, gunicorn_command

ORETRACE = Path(sys.executable).with_name("oretrace")


def environment(tmp_path: Path, **env: str) -> dict[str, str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("ORETRACE_", "DATABASE_URL", "DJANGO_"))
    }
    return {**clean, "ORETRACE_VAR_DIR": str(tmp_path / "var"), **env}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_runs_gunicorn_with_the_options_given():
    assert gunicorn_command("0.0.0.0:9000", workers=3, threads=8, timeout=90) == [
        sys.executable,
        "-m",
        "gunicorn",
        "oretrace.web.wsgi:application",
        "--bind",
        "0.0.0.0:9000",
        "--workers",
        "3",
        "--threads",
        "8",
        "--timeout",
        "90",
        "--max-requests",
        "1000",
        "--max-requests-jitter",
        "100",
        "--access-logfile",
        "-",
        "--no-control-socket",
    ]


def test_it_starts_two_workers_per_core_it_may_use_with_two_threads_each():
    # The cores of the process's CPU set (a container's, a service's CPUAffinity), not the machine's.
    assert available_cores() == len(os.sched_getaffinity(0))
    assert [default_workers(n) for n in (1, 2, 8)] == [2, 4, 16]
    assert DEFAULT_THREADS == 2


def test_it_refuses_to_start_without_the_site_url(tmp_path):
    done = subprocess.run(
        [str(ORETRACE), "serve"], env=environment(tmp_path), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "ORETRACE_SITE_URL is not set" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var").exists()  # refused before anything was made


def test_it_names_a_bad_setting_without_a_traceback(tmp_path):
    env = environment(tmp_path, ORETRACE_SITE_URL="https://oretrace.acme.example", ORETRACE_HTTPS="maybe")
    done = subprocess.run([str(ORETRACE), "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "ORETRACE_HTTPS='maybe': expected true/false, yes/no, on/off or 1/0" in done.stderr
    assert "Traceback" not in done.stderr


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_it_migrates_and_serves_pages_and_the_stylesheet(tmp_path):
    port = free_port()
    env = environment(
        tmp_path,
        ORETRACE_SITE_URL=f"http://127.0.0.1:{port}",
        ORETRACE_SECRET_KEY=secrets.token_urlsafe(50),
    )
    server = subprocess.Popen(
        [str(ORETRACE), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, headers, body = fetch(f"http://127.0.0.1:{port}/login/")
                break
            except (ConnectionError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oretrace serve did not answer:\n{server.stdout.read()}")
                time.sleep(0.3)
        assert status == 200
        assert headers["Server"] == "gunicorn"
        assert b'<link rel="stylesheet" href="/static/oretrace.css">' in body
        status, headers, css = fetch(f"http://127.0.0.1:{port}/static/oretrace.css")
        assert (status, headers["Content-Type"]) == (200, 'text/css; charset="utf-8"')
        assert b"--accent" in css
        with sqlite3.connect(tmp_path / "var" / "oretrace.sqlite3") as db:
            applied = {app for (app,) in db.execute("select app from django_migrations")}
        assert {"accounts", "campaigns", "outbox", "risk", "reports"} <= applied
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "python -m oretrace.web deliver_outbox --reminders" in output  # how to run the mail worker
    assert "python -m oretrace.web build_evidence" in output  # and the evidence worker
    assert "python -m oretrace.web reidentify" in output  # and the re-identification worker
