"""Password reset by e-mail: Django's views and token generator, the e-mail queued in the outbox.

The link is built on ORETRACE_SITE_URL, never on the request's Host header, which whoever asks for the
reset controls. Django's form only mails active accounts with a usable password, so a single sign-on
account (no password here) never gets one. The token dies once the password is changed or the person
logs in, and opening the link shows the form before anything changes, so a mail scanner that
follows the link uses nothing up.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from oretrace.web.accounts.models import LoginThrottle
from oretrace.web.audit.models import AuditEntry
from oretrace.web.outbox.mail import send_email
from oretrace.web.outbox.models import OutboundEmail


def reset_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def queue_reset_email(user, by, key: str | None = None) -> bool:
    """Queue the reset e-mail for ``user`` and log who asked (the person, or an administrator).

    With a ``key`` the e-mail is queued once for it (the outbox's unique key): False when it was already.
    """
    with transaction.atomic():
        if key is not None and OutboundEmail.objects.filter(key=key).exists():
            return False
        send_email(
            "password-reset",
            [user.email],
            {
                "user": user,
                "link": reset_link(user),
                "by_admin": by != "password reset page",
                "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            },
            language="en",  # staff e-mail: oretrace's staff pages are in English
            key=key,
        )
        AuditEntry.record(by, "user.password_reset_sent", user)
    return True


class OutboxPasswordResetForm(PasswordResetForm):
    def save(self, *args, **kwargs):
        # Anyone may type an address here: one e-mail an hour per account, so the page cannot be used to
        # flood a colleague's inbox. The page says the same whether or not anything was sent.
        hour = timezone.now().strftime("%Y%m%d%H")
        for user in self.get_users(self.cleaned_data["email"]):
            queue_reset_email(user, "password reset page", key=f"password-reset:{user.pk}:{hour}")


class ResetRequest(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("password_reset_sent")


class ResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            AuditEntry.record(form.user, "user.password_reset", form.user, "through the e-mailed link")
        LoginThrottle.clear(form.user.username)  # the lock's message sends people here
        return response


class ResetDone(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
