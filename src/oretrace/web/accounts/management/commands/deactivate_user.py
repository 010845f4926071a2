"""``deactivate_user NAME``: take a person's access away from the command line (a lost laptop at night)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from oretrace.web.accounts.deactivation import AlreadyInactive, deactivate_user


class Command(BaseCommand):
    help = "Deactivate a staff account and end all its sessions at once (logged in the audit log)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account's user name")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        try:
            ended = deactivate_user(user, "command line")
        except AlreadyInactive as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{user.get_username()} is deactivated; {ended} session{'s' if ended != 1 else ''} ended."
        )
