"""The README's exit-status table lists every error code with the status the command line exits with."""

from __future__ import annotations

import re
from pathlib import Path

from oretrace.errors import ALL_ERRORS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_error_code_is_in_the_readme_with_its_exit_status():
    documented = dict(re.findall(r"^\| (\d+) \| `([a-z-]+)`", README.read_text(encoding="utf-8"), re.M))
    assert {code: int(status) for status, code in documented.items()} == {
        error.code: error.exit_status for error in ALL_ERRORS
    }
