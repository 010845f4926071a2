"""With ORETRACE_REQUIRE_2FA_FOR_ADMINS on, an administrator without an authenticator sees only the
enrolment page (and can log out) until one is set up."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from oretrace.web.accounts.two_factor import must_enrol


class RequireTwoFactorForAdmins:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_2FA_FOR_ADMINS
            and request.user.is_authenticated
            and not request.path.startswith((reverse("two_factor"), reverse("logout"), settings.STATIC_URL))
            and must_enrol(request.user)
        ):
            messages.warning(request, "Administrators must set up two-factor log-in before anything else.")
            return redirect("two_factor")
        return self.get_response(request)
