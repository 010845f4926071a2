"""One staff account, for administrators: its sign-in method, last log-in and second factor; deactivate
or reactivate it, e-mail it a password reset, remove its authenticator; its history from the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from oretrace.web.accounts import two_factor
from oretrace.web.accounts.access import admin_required
from oretrace.web.accounts.deactivation import (
    AlreadyActive,
    AlreadyInactive,
    deactivate_user,
    reactivate_user,
)
from oretrace.web.accounts.oidc import SingleSignOnIdentity, is_single_sign_on
from oretrace.web.accounts.password_reset import queue_reset_email
from oretrace.web.audit.models import AuditEntry


def sign_in_method(user) -> str:
    return "Single sign-on" if is_single_sign_on(user) else "Password"


def user_rows() -> list[dict]:
    """The users page's table: one row per account, in three queries whatever the number of accounts."""
    people = get_user_model().objects.select_related("profile").order_by("username")
    sso = set(SingleSignOnIdentity.objects.values_list("user_id", flat=True))
    enrolled = set(two_factor.Authenticator.objects.values_list("user_id", flat=True))
    return [
        {
            "person": person,
            "role": role_of_account(person),
            "sso": person.pk in sso,
            "method": "Single sign-on" if person.pk in sso else "Password",
            "two_factor": person.pk in enrolled,
        }
        for person in people
    ]


def role_of_account(person) -> str:
    """The role the account holds, active or not (role_of answers None for a deactivated account)."""
    if person.is_superuser:
        return "admin"
    profile = getattr(person, "profile", None)
    return profile.role if profile else ""


def _other_user(request, pk: int):
    """The account to change; an administrator never locks themself out from this page."""
    user = get_object_or_404(get_user_model(), pk=pk)
    if user == request.user:
        messages.error(request, "You cannot change your own account here; ask another administrator.")
        return None
    return user


@require_safe
@admin_required
def user_detail(request, pk: int):
    person = get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk)
    history = AuditEntry.objects.filter(object_type="user", object_id=str(person.pk))[:50]
    return render(
        request,
        "accounts/user.html",
        {
            "person": person,
            "method": sign_in_method(person),
            "sso": is_single_sign_on(person),
            "two_factor": two_factor.has_two_factor(person),
            "codes_left": two_factor.recovery_codes_left(person),
            "history": history,
            "is_self": person == request.user,
        },
    )


@require_POST
@admin_required
def user_deactivate(request, pk: int):
    if user := _other_user(request, pk):
        try:
            ended = deactivate_user(user, request.user)
        except AlreadyInactive as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{user.username} is deactivated; {ended} session{'s' if ended != 1 else ''} ended.",
            )
    return redirect("user", pk=pk)


@require_POST
@admin_required
def user_reactivate(request, pk: int):
    if user := _other_user(request, pk):
        try:
            reactivate_user(user, request.user)
        except AlreadyActive as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{user.username} can log in again.")
    return redirect("user", pk=pk)


@require_POST
@admin_required
def user_password_reset(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    if is_single_sign_on(user):
        messages.error(request, f"{user.username} signs in through the identity provider: no password here.")
    elif not user.is_active:
        messages.error(request, f"{user.username} is deactivated: reactivate the account first.")
    elif not user.email:
        messages.error(request, f"{user.username} has no e-mail address to send the link to.")
    else:
        queue_reset_email(user, request.user)
        messages.success(request, f"A password reset link is queued for {user.email}.")
    return redirect("user", pk=pk)


@require_POST
@admin_required
def user_remove_authenticator(request, pk: int):
    user = get_object_or_404(get_user_model(), pk=pk)
    with transaction.atomic():
        removed = two_factor.remove(user)
        if removed:
            AuditEntry.record(request.user, "user.two_factor_removed", user, "by an administrator")
    if removed:
        messages.success(request, f"{user.username}'s authenticator is removed; the password alone logs in.")
    else:
        messages.error(request, f"{user.username} has no authenticator.")
    return redirect("user", pk=pk)
