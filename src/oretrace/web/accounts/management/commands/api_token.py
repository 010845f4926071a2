"""``manage api_token alice --name "SAP export"``: make an API token for a user and print it, once.

``--revoke NAME`` revokes the user's tokens of that name instead, ``--list`` lists them (never the
tokens themselves: only their hash is stored).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from oretrace.web.accounts.models import role_of
from oretrace.web.accounts.tokens import ApiToken


class Command(BaseCommand):
    help = "Make an API token for a staff user (printed once), list a user's tokens, or revoke them."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help='What the token is for, e.g. "SAP nightly export".')
        parser.add_argument("--revoke", metavar="NAME", help="Revoke the user's tokens of this name.")
        parser.add_argument("--list", action="store_true", help="List the user's tokens.")

    def handle(self, *args, username: str, name: str, revoke: str | None, list: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if list:
            for token in user.api_tokens.all():
                state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.is_revoked else "active"
                self.stdout.write(f"{token.shown}…  {token.name}  made {token.created_at:%Y-%m-%d}  {state}")
            return
        if revoke is not None:
            tokens = [t for t in user.api_tokens.filter(name=revoke, revoked_at=None)]
            if not tokens:
                raise CommandError(f"{username} has no active token named {revoke!r}.")
            done = sum(t.revoke(by="manage api_token") for t in tokens)
            self.stdout.write(f"Revoked {done} token(s) of {username} named {revoke!r}.")
            return
        if not user.is_active:
            raise CommandError(f"{username} is deactivated; a token of theirs would not work.")
        if role_of(user) is None:
            raise CommandError(f"{username} has no staff role; give them one on the Users page first.")
        if not name.strip():
            raise CommandError('Say what the token is for: --name "SAP nightly export".')
        token, raw = ApiToken.issue(user, name.strip()[:100], by="manage api_token")
        self.stderr.write(
            f"API token {token.name!r} for {username} ({role_of(user)}). It is shown this once; "
            "oretrace keeps only its hash."
        )
        self.stdout.write(raw)
