"""API tokens: a secret per staff member for scripts and integrations (the REST API under /api/v1/).

Only the SHA-256 of a token is stored; the token itself is shown once, when it is made (on the API
tokens page or by ``manage api_token``). A token acts with its owner's role, so a viewer's token reads
and never writes. It stops working when it is revoked, and when its owner is deactivated
(``is_active=False``): the first request with it then revokes it for good, so re-activating the
account does not bring old tokens back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

# "ot_" makes a leaked token recognisable to secret scanners and to a person reading a log.
PREFIX = "ot_"
# A token's first characters, kept in clear so that its owner can tell tokens apart on the page.
SHOWN_CHARS = 10


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text='What the token is for, e.g. "SAP nightly export".')
    token_hash = models.CharField(max_length=64, unique=True)
    shown = models.CharField(max_length=SHOWN_CHARS)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.shown}…) of {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, user, name: str, by) -> tuple[ApiToken, str]:
        """A new token for ``user``: the row, and the token itself, which is never stored."""
        from oretrace.web.audit.models import AuditEntry

        raw = PREFIX + secrets.token_urlsafe(32)
        with transaction.atomic():
            token = cls.objects.create(
                user=user, name=name, token_hash=token_hash(raw), shown=raw[:SHOWN_CHARS]
            )
            AuditEntry.record(by, "api_token.created", token, f"for {user.get_username()}")
        return token, raw

    def revoke(self, by) -> bool:
        """Revoke the token; False when it was revoked already (by someone else, or a moment ago)."""
        from oretrace.web.audit.models import AuditEntry

        with transaction.atomic():
            done = ApiToken.objects.filter(pk=self.pk, revoked_at=None).update(revoked_at=timezone.now())
            if done:
                AuditEntry.record(by, "api_token.revoked", self, f"of {self.user.get_username()}")
        self.refresh_from_db(fields=["revoked_at"])
        return bool(done)

    @classmethod
    def user_for(cls, raw: str):
        """The active user a token belongs to, or None (unknown, revoked, or its owner deactivated)."""
        token = cls.objects.select_related("user").filter(token_hash=token_hash(raw), revoked_at=None).first()
        if token is None:
            return None
        if not token.user.is_active:
            token.revoke(by="deactivated account")
            return None
        now = timezone.now()
        # Written at most once a minute: a script making thousands of calls does not write thousands of rows.
        cls.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - dt.timedelta(minutes=1)).update(
            last_used_at=now
        )
        return token.user
