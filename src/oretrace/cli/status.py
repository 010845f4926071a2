"""What the commands share: the exit status of a run with unreadable files, and a console that does not
cut its lines when the output goes to a file or a pipe."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich.console import Console

from oretrace.errors import exit_status_for

# Wide enough for any table of ours: when the output is not a terminal, Rich would otherwise wrap every
# line at 80 columns and a script reading the output would get cut words.
PIPE_WIDTH = 10_000


def console(*, stderr: bool = False) -> Console:
    """A Rich console: the terminal's width on a terminal, lines never cut in a file or a pipe."""
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False)
    return Console(stderr=stderr, highlight=False, width=PIPE_WIDTH, soft_wrap=True)


def unreadable_status(error_codes: Iterable[str | None]) -> int:
    """0 when every file was read, else the documented status of the last unreadable file's error
    (10 not a spreadsheet ... 16 archive too large), as ``review``, ``rollup`` and ``report`` exit."""
    status = 0
    for code in error_codes:
        if code is not None:
            status = exit_status_for(code)
    return status
