"""Staff accounts and their role. Suppliers have no account: they use a personal link (see campaigns)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"  # settings, users, and everything an analyst does
    ANALYST = "analyst", "Analyst"  # does the work: suppliers, campaigns, reviews, follow-ups
    VIEWER = "viewer", "Viewer"  # read-only: auditors, management


# What each role may do; a view asks for one of these, never for a role name.
CAN_EDIT = {Role.ADMIN, Role.ANALYST}
CAN_ADMINISTER = {Role.ADMIN}
CAN_READ_AUDIT = {Role.ADMIN, Role.VIEWER}


class Notify(models.TextChoices):
    OFF = "off", "No e-mails"
    AT_ONCE = "at_once", "An e-mail for each"
    DAILY = "daily", "A daily digest"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    # E-mails about suppliers' uploads, replies and declines (outbox.notifications).
    notify = models.CharField(max_length=10, choices=Notify.choices, default=Notify.OFF)

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"


def role_of(user) -> str | None:
    """The staff role of a logged-in user, or None (anonymous, or an account without a role)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        return user.profile.role
    except Profile.DoesNotExist:
        return None


def can_edit(user) -> bool:
    return role_of(user) in CAN_EDIT


def can_administer(user) -> bool:
    return role_of(user) in CAN_ADMINISTER


def can_read_audit(user) -> bool:
    return role_of(user) in CAN_READ_AUDIT


class LoginThrottle(models.Model):
    """A run of failed log-ins for one user name (lower-cased), and the lock it led to.

    After ``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_LOCK_MINUTES`` of the first, the name is
    locked for ``LOGIN_LOCK_MINUTES``: no password is checked for it, the right one included. Names
    nobody has are counted and locked alike, so a lock tells nobody which names exist. A successful
    log-in deletes the row. Counts go up with a conditional UPDATE, so every worker process of the
    server sees one count and a burst of parallel guesses cannot slip past it.

    The lock is per user name, not per address: behind the reverse proxy every request comes from the
    proxy's address, and a lock by address would lock out everyone at once.
    """

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.username}: {self.failures} failed log-ins"

    @staticmethod
    def key(username: str) -> str:
        return username.strip().lower()[:150]

    @staticmethod
    def lock_time() -> dt.timedelta:
        return dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)

    @classmethod
    def locked_until_for(cls, username: str) -> dt.datetime | None:
        """When the lock on ``username`` ends, or None when it is not locked."""
        until = (
            cls.objects.filter(username=cls.key(username), locked_until__gt=timezone.now())
            .values_list("locked_until", flat=True)
            .first()
        )
        return until

    @classmethod
    def record_failure(cls, username: str) -> LoginThrottle:
        """Count one failed log-in for ``username``; lock it when the count reaches the limit."""
        key, now = cls.key(username), timezone.now()
        window_start = now - cls.lock_time()
        with transaction.atomic():
            cls.objects.get_or_create(username=key, defaults={"first_failure_at": now})
            # A run older than the window, or one whose lock has ended, starts again from this failure.
            restarted = cls.objects.filter(
                Q(locked_until__lte=now) | Q(locked_until=None, first_failure_at__lt=window_start),
                username=key,
            ).update(failures=1, first_failure_at=now, locked_until=None)
            if not restarted:
                cls.objects.filter(username=key).update(failures=F("failures") + 1)
            cls.objects.filter(
                username=key, locked_until=None, failures__gte=settings.LOGIN_FAILURE_LIMIT
            ).update(locked_until=now + cls.lock_time())
            # Runs that ended long ago are of no use: keep the table to the names tried lately.
            cls.objects.filter(
                Q(locked_until=None) | Q(locked_until__lt=window_start), first_failure_at__lt=window_start
            ).exclude(username=key).delete()
        return cls.objects.get(username=key)

    @classmethod
    def clear(cls, username: str) -> None:
        cls.objects.filter(username=cls.key(username)).delete()


# Models kept in their own modules, registered with the app here.
from oretrace.web.accounts.oidc import SingleSignOnIdentity  # noqa: E402, F401

# The API's tokens live in their own module; imported here so that Django finds the model.
from oretrace.web.accounts.tokens import ApiToken  # noqa: E402, F401
from oretrace.web.accounts.two_factor import Authenticator, RecoveryCode  # noqa: E402, F401
