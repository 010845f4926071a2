"""``oretrace serve``: the web application in production, under gunicorn.

Checks the settings (every system check, the deployment ones included), applies migrations, then
replaces itself with gunicorn, so that systemd or a container's stop signal reaches gunicorn directly.
Static files are served by WhiteNoise inside the application; the reverse proxy in front terminates TLS
(README: Deployment). E-mail goes out through the outbox worker, and evidence packages are built by the
evidence worker: two more processes beside this one.
"""

from __future__ import annotations

import os
import sys

import typer

from oretrace.cli import app

WORKER = "python -m oretrace.web deliver_outbox --reminders"
EVIDENCE_WORKER = "python -m oretrace.web build_evidence"
REIDENTIFY_WORKER = "python -m oretrace.web reidentify"


def gunicorn_command(bind: str, *, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "oretrace.web.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        # Reading large workbooks leaves a worker's memory fragmented: start a fresh one now and then.
        "--max-requests",
        "1000",
        "--max-requests-jitter",
        "100",
        "--access-logfile",
        "-",
        # No gunicornc control socket: it would be made in $HOME, which a service user may not have.
        "--no-control-socket",
    ]


def available_cores() -> int:
    """The cores this process may run on (a container's or a service's CPU set), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(cores: int) -> int:
    """Two worker processes per core. Reading and reviewing a workbook is Python work, which one process
    does on one core at a time (the GIL): cores are put to work by processes, not threads. The second
    per core keeps the core busy while a worker waits for PostgreSQL or for an upload to arrive."""
    return 2 * max(cores, 1)


# Threads per worker: a page is answered while an upload is read in the same process, but the threads
# share the process's one core at a time, so a few are enough; more only make each request wait longer.
DEFAULT_THREADS = 2


@app.command()
def serve(
    bind: str = typer.Option(
        "127.0.0.1:8000", help="Where to listen: HOST:PORT, or unix:PATH for a socket the proxy reads."
    ),
    workers: int = typer.Option(
        None, min=1, show_default=False, help="Worker processes [default: two per core available]."
    ),
    threads: int = typer.Option(DEFAULT_THREADS, min=1, help="Threads per worker process."),
    timeout: int = typer.Option(
        120, min=10, help="Seconds a request may take (a large upload, a report) before its worker restarts."
    ),
) -> None:
    """Serve the web application in production: gunicorn, static files, migrations applied.

    Needs ORETRACE_SITE_URL, the address people open oretrace at. Put it behind a reverse proxy that
    terminates TLS (and set ORETRACE_HTTPS=1), and run the two workers beside it:
    python -m oretrace.web deliver_outbox --reminders (e-mail) and python -m oretrace.web build_evidence
    (evidence packages). README: Deployment.
    """
    workers = workers or default_workers(available_cores())
    if not os.environ.get("ORETRACE_SITE_URL"):
        typer.echo(
            "ORETRACE_SITE_URL is not set: the links in e-mails to suppliers are built on it. Set it to "
            "the address people open oretrace at, e.g. https://oretrace.example.com.",
            err=True,
        )
        raise typer.Exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except (ValueError, ImproperlyConfigured) as exc:  # a setting from the environment that is wrong
        typer.echo(f"Cannot start: {exc}", err=True)
        raise typer.Exit(2) from None
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        # Errors stop the start; the deployment warnings (no HTTPS, say) are printed and it goes on.
        call_command("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    call_command("migrate", interactive=False, verbosity=1)
    typer.echo(f"oretrace serves {settings.SITE_URL} from {bind} ({workers} workers x {threads} threads).")
    typer.echo(f"E-mail goes out while the outbox worker runs beside it: {WORKER}")
    typer.echo(f"Evidence packages are built while the evidence worker runs beside it: {EVIDENCE_WORKER}")
    typer.echo(
        f"Stored files are identified again after a reference list loads while this runs: {REIDENTIFY_WORKER}"
    )
    sys.stdout.flush()
    sys.stderr.flush()
    argv = gunicorn_command(bind, workers=workers, threads=threads, timeout=timeout)
    os.execv(argv[0], argv)
