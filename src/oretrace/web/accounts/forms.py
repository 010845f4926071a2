"""The log-in form: Django's, behind a lock on user names that keep failing (LoginThrottle)."""

from __future__ import annotations

import math

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from oretrace.web.accounts.models import LoginThrottle
from oretrace.web.accounts.two_factor import has_two_factor
from oretrace.web.audit.models import AuditEntry


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your user name and password did not match. Please try again.",
        "locked": (
            "Too many failed log-ins for this user name: it is locked for the next %(minutes)s "
            "(until %(until)s). Try again then, or ask an administrator to reset your password."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        # A locked name is refused before its password is checked: the right one too.
        if until := LoginThrottle.locked_until_for(username):
            raise self.locked_error(until)
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if self.user_cache is not None:
                raise  # the right password for an inactive account: not a guess
            run = LoginThrottle.record_failure(username)
            if run.locked_until is None:
                raise
            if run.failures == settings.LOGIN_FAILURE_LIMIT:
                AuditEntry.record(
                    run.username,
                    "login.locked",
                    None,
                    f"{run.failures} failed log-ins from {self.request.META.get('REMOTE_ADDR', '?')}; "
                    f"locked for {settings.LOGIN_LOCK_MINUTES} minutes",
                )
            raise self.locked_error(run.locked_until) from None
        # With a second factor the run of failures goes on until the code is right too: else the right
        # password, typed again, would wipe the count of wrong codes and let guessing go on for ever.
        if not has_two_factor(self.user_cache):
            LoginThrottle.clear(username)
        return cleaned

    def locked_error(self, until) -> forms.ValidationError:
        return locked_error(until)


def locked_error(until) -> forms.ValidationError:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    local = timezone.localtime(until)
    return forms.ValidationError(
        LoginForm.error_messages["locked"],
        code="locked",
        params={
            "minutes": f"{minutes} minute{'s' if minutes != 1 else ''}",
            "until": f"{local:%H:%M} {local.tzname()}",
        },
    )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        max_length=40,
        strip=True,
        label="Code",
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        max_length=10,
        label="Code from the app",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ConfirmPasswordForm(forms.Form):
    """Removing one's own authenticator asks for the password: a session left open must not do it."""

    password = forms.CharField(widget=forms.PasswordInput, strip=False, label="Your password")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password.")
        return self.cleaned_data["password"]
