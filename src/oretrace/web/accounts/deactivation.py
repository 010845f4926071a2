"""Deactivating a staff account: it can no longer log in, and every session it has ends at once.

One function for the users page, the ``deactivate_user`` command and anything else that revokes access
(the account's API tokens are revoked here too), so no path forgets a part of it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from oretrace.web.accounts.tokens import ApiToken
from oretrace.web.audit.models import AuditEntry


class AlreadyInactive(Exception):
    """The account is deactivated already."""


class AlreadyActive(Exception):
    """The account is active already."""


def end_sessions(user) -> int:
    """Delete every live session logged in as ``user``; returns how many.

    Sessions are stored signed and encoded, not by user: each live one is decoded to find its user. A
    staff app has few, and this runs only when access is taken away.
    """
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500)
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def deactivate_user(user, by) -> int:
    """Deactivate ``user``, end its sessions and revoke its API tokens; returns the number of sessions
    ended.

    ``by`` is the User or the words ("command line") the audit log names. The conditional UPDATE makes
    two administrators pressing the button at once log one deactivation, not two.
    """
    with transaction.atomic():
        if get_user_model().objects.filter(pk=user.pk, is_active=True).update(is_active=False) != 1:
            raise AlreadyInactive(f"{user.get_username()} is deactivated already.")
        ended = end_sessions(user)
        revoked = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
        AuditEntry.record(
            by,
            "user.deactivated",
            user,
            f"{ended} session{'s' if ended != 1 else ''} ended, "
            f"{revoked} API token{'s' if revoked != 1 else ''} revoked",
        )
    user.is_active = False
    return ended


def reactivate_user(user, by) -> None:
    with transaction.atomic():
        if get_user_model().objects.filter(pk=user.pk, is_active=False).update(is_active=True) != 1:
            raise AlreadyActive(f"{user.get_username()} is active already.")
        AuditEntry.record(by, "user.reactivated", user)
    user.is_active = True
