"""The command line: thin commands over the core. Each command lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="oretrace",
    help="Read, review and roll up RMI reporting templates (CMRT, EMRT, CRT, AMRT).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Read, review and roll up RMI reporting templates (CMRT, EMRT, CRT, AMRT)."""


def _register_commands() -> None:
    # Imported for their side effect: each module adds its command(s) to ``app``.
    from oretrace.cli import (  # noqa: F401
        customers_cmd,
        demo_cmd,
        inspect_cmd,
        refdata_cmd,
        report_cmd,
        review_cmd,
        rollup_cmd,
        serve_cmd,
    )


def main() -> None:
    _register_commands()
    app()
