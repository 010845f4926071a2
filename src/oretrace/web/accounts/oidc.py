"""Single sign-on through the organisation's OpenID Connect provider (mozilla-django-oidc does the flow).

An account is tied to the provider's subject (``sub``), never matched by e-mail address: someone who
controls an address at the provider must not take over the password account that shares it. The
provider's groups decide the role at every sign-in (settings.OIDC_ROLE_MAP); someone in no mapped group
is refused, and an account deactivated here stays refused whatever the provider says.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from oretrace.web.accounts.models import Profile, Role
from oretrace.web.audit.models import AuditEntry

LOGGER = logging.getLogger(__name__)
SSO_ACTOR = "single sign-on"
# A person in several mapped groups gets the strongest role among them.
ROLE_STRENGTH = [Role.VIEWER, Role.ANALYST, Role.ADMIN]


class SingleSignOnIdentity(models.Model):
    """The provider's subject an account signs in as. An account with one has no password."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso")
    subject = models.CharField(max_length=255, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user.username} = {self.subject}"


def is_single_sign_on(user) -> bool:
    return SingleSignOnIdentity.objects.filter(user_id=user.pk).exists()


def role_for_groups(groups, role_map: dict[str, str]) -> str | None:
    """The role the provider's groups give, or None when no group is mapped."""
    if isinstance(groups, str):
        groups = [groups]
    roles = {role_map[group] for group in groups or [] if group in role_map}
    return max(roles, key=ROLE_STRENGTH.index) if roles else None


class Refused(Exception):
    """A sign-in the provider vouched for that oretrace does not accept; the message says why."""


class SingleSignOnBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except Refused as refusal:
            request.sso_refusal = str(refusal)
        except requests.RequestException as error:
            # The provider is down, or refused the code (its answer is in the log, not on the page).
            LOGGER.warning("single sign-on: the identity provider failed: %s", error)
            request.sso_refusal = (
                f"{settings.OIDC_PROVIDER_NAME} did not answer as expected, so you are not signed in. "
                "Try again in a minute; if it keeps failing, tell an administrator."
            )
        except SuspiciousOperation as error:
            LOGGER.warning("single sign-on: the identity provider's token was refused: %s", error)
            request.sso_refusal = (
                "The identity provider's answer could not be verified, so you are not signed in."
            )
        return None

    def get_user(self, user_id):
        # The library's get_user ignores is_active (Django's own backend does not): a deactivated account
        # is logged out by any session it still has, even one deactivate_user could not find.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library leaves the audience unchecked: a token the provider issued to another application
        # must not sign anyone in here.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise Refused("The identity provider's token was issued to another application.")
        if settings.OIDC_ISSUER and payload.get("iss") != settings.OIDC_ISSUER:
            raise Refused("The sign-in token comes from another identity provider than the one configured.")
        return payload

    def verify_claims(self, claims) -> bool:
        if not claims.get("sub"):
            raise Refused("The identity provider did not say who you are (no subject).")
        if self.role(claims) is None:
            raise Refused(
                "Your account at the identity provider is in none of the groups that give a role in "
                "oretrace. Ask an administrator to add you to one."
            )
        return True

    def role(self, claims) -> str | None:
        return role_for_groups(claims.get(settings.OIDC_GROUPS_CLAIM), settings.OIDC_ROLE_MAP)

    def filter_users_by_claims(self, claims):
        return get_user_model().objects.filter(sso__subject=claims["sub"])

    def create_user(self, claims):
        username = (claims.get("preferred_username") or claims.get("email") or claims["sub"])[:150]
        role = self.role(claims)
        User = get_user_model()
        try:
            with transaction.atomic():
                # The same person's first sign-in in two tabs: the other one may have made the account.
                if existing := self.filter_users_by_claims(claims).first():
                    return existing
                if taken := User.objects.filter(username__iexact=username).first():
                    # The other tab's account, committed between this query and the one above.
                    if self.filter_users_by_claims(claims).filter(pk=taken.pk).exists():
                        return taken
                    how = "another identity" if is_single_sign_on(taken) else "a password"
                    raise Refused(
                        f"An oretrace account named {username} already exists and signs in with {how}. "
                        "Ask an administrator to rename or deactivate it."
                    )
                user = User.objects.create_user(username, email=claims.get("email", ""))
                user.set_unusable_password()
                user.save(update_fields=["password"])
                SingleSignOnIdentity.objects.create(user=user, subject=claims["sub"])
                Profile.objects.create(user=user, role=role)
                AuditEntry.record(SSO_ACTOR, "user.created", user, f"{role}, from the identity provider")
        except IntegrityError:
            # ... or made it while this one was checking (PostgreSQL: the insert waited, then failed).
            return self.filter_users_by_claims(claims).get()
        return user

    def update_user(self, user, claims):
        role = self.role(claims)
        with transaction.atomic():
            # Conditional: two sign-ins at once log one change, not two.
            if Profile.objects.filter(user=user).exclude(role=role).update(role=role) == 1:
                AuditEntry.record(SSO_ACTOR, "user.role_changed", user, f"{role}, from the identity provider")
        return user


class SingleSignOnStart(OIDCAuthenticationRequestView):
    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return super().get(request)


class SingleSignOnCallback(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        state = request.GET.get("state")
        if state and state not in request.session.get("oidc_states", {}):
            # A sign-in this browser did not start, or finished already (a reloaded or shared callback
            # address): the library would answer "400 Bad Request"; nobody is signed in, and we say why.
            request.sso_refusal = "This sign-in was already used or was started elsewhere. Sign in again."
            return self.login_failure()
        return super().get(request)

    @property
    def failure_url(self) -> str:
        return reverse("login")

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            reason = "This account is deactivated. Ask an administrator."
        else:
            reason = getattr(self.request, "sso_refusal", None) or (
                f"Signing in through {settings.OIDC_PROVIDER_NAME} did not succeed. Try again."
            )
        messages.error(self.request, reason)
        return super().login_failure()
