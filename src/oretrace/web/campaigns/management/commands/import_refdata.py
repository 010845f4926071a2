"""Import the reference lists dropped in a folder: the refresh a scheduler runs (a systemd timer, cron).

Each file is imported once, by its SHA-256: run it as often as you like. Two runs at once on the same
folder would both see a new file as new, so a run holds a lock on the folder (.import_refdata.lock)
and a second run leaves at once. A file that cannot be imported is named with its reason and the
others go on; nothing of it is kept, so it is tried again at the next run. After a facility list or a template's reference list, the stored supplier files are
identified again (the reidentify worker takes over when they are many).
"""

from __future__ import annotations

import fcntl
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oretrace.errors import OretraceError
from oretrace.refdata import FOLDER_HELP, Family
from oretrace.web.campaigns import reidentify
from oretrace.web.campaigns.refdata import import_folder

SYSTEM = "import_refdata"
LOCK_NAME = ".import_refdata.lock"  # hidden: the folder's scan skips it


class Command(BaseCommand):
    help = (
        "Import every reference list in FOLDER not imported before (by SHA-256). " + FOLDER_HELP + " "
        "Exit status 1 when a file could not be imported (named with its reason)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", type=Path, help="The folder new lists are dropped in.")

    def handle(self, *args, folder: Path, **options) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            lock = (folder / LOCK_NAME).open("a")
        except OSError as error:
            raise CommandError(
                f"{folder}: the lock file cannot be written there ({error.strerror})."
            ) from None
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.stdout.write(f"Another import_refdata is importing from {folder}; nothing done.")
                return
            try:
                run = import_folder(folder, by=SYSTEM)
            except OretraceError as error:
                raise CommandError(error.message) from None
        self._report(run, folder)

    def _report(self, run, folder: Path) -> None:
        for imported in run.imported:
            self.stdout.write(imported.summary())
            for note in imported.notes:
                self.stdout.write(f"  note: {note}")
        changed = [
            i.filename
            for i in run.imported
            if not i.already and i.kind.family in (Family.AUDIT_STATUS, Family.REFERENCE)
        ]
        if changed:
            reidentify.after_change(f"reference lists {', '.join(changed)}"[:300], SYSTEM)
        for name, problem in run.problems:
            self.stderr.write(f"{name}: {problem}")
        if not run.imported and not run.problems:
            self.stdout.write(f"No new list in {folder}.")
        if run.problems:
            raise CommandError(f"{len(run.problems)} file(s) in {folder} could not be imported.")
