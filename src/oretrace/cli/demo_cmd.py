"""``oretrace demo``: migrate, load the demo once, start the workers (outbox, evidence packages), and serve
the app."""

from __future__ import annotations

import os
import subprocess
import sys

import typer

from oretrace.cli import app


@app.command()
def demo(
    port: int = typer.Option(8000, help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
) -> None:
    """Start the campaign workspace on a demo organisation: ~260 suppliers and a 2025 CMRT campaign.

    Data lives in ./var (SQLite) unless DATABASE_URL says otherwise; e-mails stay in the in-app outbox.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
    os.environ.setdefault("ORETRACE_DEMO", "1")
    os.environ.setdefault("ORETRACE_SITE_URL", f"http://{host}:{port}")
    import django
    from django.core.management import call_command

    django.setup()
    from oretrace.web.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
    from oretrace.web.suppliers.models import Supplier

    call_command("migrate", interactive=False, verbosity=0)
    if not Supplier.objects.exists():
        typer.echo("Loading the demo (about 260 suppliers and their CMRTs; this takes one or two minutes) …")
        # The loader itself, not the load_demo command: that one ends with the login too, and the login
        # is printed once, below, whether the demo was loaded now or before.
        result = load_demo(log=typer.echo)
        typer.echo(
            f"Demo loaded: {result.suppliers} suppliers, {result.requests} requests, "
            f"{result.responded} responded, {result.submissions} files ({result.source})."
        )
    manage = [sys.executable, "-m", "oretrace.web"]
    workers = [
        subprocess.Popen([*manage, "deliver_outbox", "--reminders"]),
        subprocess.Popen([*manage, "build_evidence"]),
        subprocess.Popen([*manage, "reidentify"]),
    ]
    typer.echo(f"\noretrace is at http://{host}:{port}/")
    typer.echo(f"Log in as {', '.join(n for n, _ in DEMO_USERS)} with the password {DEMO_PASSWORD}\n")
    try:
        status = subprocess.call([*manage, "runserver", f"{host}:{port}", "--noreload"])
    except KeyboardInterrupt:
        status = 0
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
    raise typer.Exit(status)
