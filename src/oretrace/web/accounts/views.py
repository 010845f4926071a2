"""A person's own account: the password change page and two-factor log-in (any logged-in user, any role).

Accounts that sign in through the identity provider have neither: their password and second factor
are the provider's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from oretrace.web.accounts import two_factor
from oretrace.web.accounts.forms import ConfirmPasswordForm, EnrolForm
from oretrace.web.accounts.oidc import is_single_sign_on
from oretrace.web.audit.models import AuditEntry

ENROL_SECRET = "two_factor_enrol_secret"


def _password_account(request):
    if is_single_sign_on(request.user):
        raise Http404("Your account signs in through the identity provider, which keeps its password.")


@sensitive_post_parameters()
@login_required
def password_change(request):
    _password_account(request)
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


@sensitive_post_parameters()
@never_cache
@login_required
def two_factor_page(request):
    _password_account(request)
    user = request.user
    if two_factor.has_two_factor(user):
        return _enrolled(request, user)
    # The secret lives in this session until a code from it is typed: an abandoned enrolment stores nothing.
    secret = request.session.get(ENROL_SECRET) or two_factor.new_secret()
    request.session[ENROL_SECRET] = secret
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                codes = two_factor.enrol(user, secret, form.cleaned_data["code"])
                AuditEntry.record(user, "user.two_factor_enrolled", user)
        except two_factor.WrongCode as wrong:
            form.add_error("code", str(wrong))
        else:
            del request.session[ENROL_SECRET]
            # Shown in this response only: the codes are stored hashed and can never be shown again.
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    uri = two_factor.provisioning_uri(secret, user.get_username())
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {"form": form, "secret": secret, "qr": two_factor.qr_svg(uri)},
    )


def _enrolled(request, user):
    form = ConfirmPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            two_factor.remove(user)
            AuditEntry.record(user, "user.two_factor_removed", user, "by the user")
        messages.success(request, "Two-factor log-in is off. Your password alone logs you in now.")
        return redirect("two_factor")
    return render(
        request,
        "accounts/two_factor_on.html",
        {
            "form": form,
            "codes_left": two_factor.recovery_codes_left(user),
            "enrolled_at": user.authenticator.enrolled_at,
        },
    )
