"""A person's own account: the password change page (any logged-in user, any role)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from oretrace.web.audit.models import AuditEntry


@sensitive_post_parameters()
@login_required
def password_change(request):
    # Django's form: the old password, and the new one twice, through the settings' validators.
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            AuditEntry.record(user, "user.password_changed", user)
        update_session_auth_hash(request, user)  # this session stays logged in; others end
        messages.success(request, "Your password is changed.")
        return redirect("password_change")
    return render(request, "accounts/password_change.html", {"form": form})
