"""Staff accounts and their role. Suppliers have no account: they use a personal link (see campaigns)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"  # settings, users, and everything an analyst does
    ANALYST = "analyst", "Analyst"  # does the work: suppliers, campaigns, reviews, follow-ups
    VIEWER = "viewer", "Viewer"  # read-only: auditors, management


# What each role may do; a view asks for one of these, never for a role name.
CAN_EDIT = {Role.ADMIN, Role.ANALYST}
CAN_ADMINISTER = {Role.ADMIN}
CAN_READ_AUDIT = {Role.ADMIN, Role.VIEWER}


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

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
