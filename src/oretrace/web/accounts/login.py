"""Logging in: the password, then (for those who enrolled an authenticator) the second factor.

Between the two steps the session holds only who typed the right password and until when; nobody is
logged in until the code is right. Wrong codes count against the user name in LoginThrottle, the same
run that counts wrong passwords, so a lock stops both.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from oretrace.web.accounts.forms import LoginForm, SecondFactorForm, locked_error
from oretrace.web.accounts.models import LoginThrottle
from oretrace.web.accounts.two_factor import has_two_factor, recovery_codes_left, verify_second_factor
from oretrace.web.audit.models import AuditEntry

PENDING = "two_factor_pending"


class PasswordLogin(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": settings.OIDC_ENABLED,
            "sso_name": settings.OIDC_PROVIDER_NAME,
        }

    def form_valid(self, form):
        user = form.get_user()
        if not has_two_factor(user):
            return super().form_valid(form)
        until = timezone.now() + dt.timedelta(minutes=settings.TWO_FACTOR_PENDING_MINUTES)
        self.request.session.cycle_key()  # a new session for the half-way state, as a log-in would get
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "until": until.isoformat(),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not pending or dt.datetime.fromisoformat(pending["until"]) < timezone.now():
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@sensitive_post_parameters()
@never_cache
def login_code(request):
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.error(request, "Log in again: the log-in was not finished in time.")
        return redirect("login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if until := LoginThrottle.locked_until_for(user.username):
            form.add_error(None, locked_error(until))
        elif how := verify_second_factor(user, form.cleaned_data["code"]):
            return _finish(request, user, pending, how)
        else:
            run = LoginThrottle.record_failure(user.username)
            if run.locked_until is not None:
                request.session.pop(PENDING, None)  # the password is asked again after the lock
                form.add_error(None, locked_error(run.locked_until))
            else:
                form.add_error("code", "That code is not right, or was used already. Try the next one.")
    return render(request, "accounts/login_code.html", {"form": form})


def _finish(request, user, pending, how: str):
    del request.session[PENDING]
    LoginThrottle.clear(user.username)
    login(request, user, backend=pending["backend"])
    if how == "recovery code":
        left = recovery_codes_left(user)
        AuditEntry.record(user, "login.recovery_code_used", user, f"{left} left")
        messages.warning(
            request,
            f"You logged in with a recovery code; {left} left. Set up your authenticator again if the "
            "phone is lost.",
        )
    return redirect(pending["next"])
