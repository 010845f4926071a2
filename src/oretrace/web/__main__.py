"""``python -m oretrace.web <command>``: Django's manage.py for the campaign workspace."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["python -m oretrace.web", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
