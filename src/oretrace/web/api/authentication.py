"""``Authorization: Bearer ot_...``: a staff member's API token (accounts.tokens.ApiToken)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from oretrace.web.accounts.tokens import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        words = authentication.get_authorization_header(request).split()
        if not words or words[0].decode(errors="replace").lower() != self.keyword.lower():
            return None  # no token: the session, or anonymous (401)
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Write the header as: Authorization: Bearer <token>.")
        try:
            raw = words[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token has characters no token has.") from None
        user = ApiToken.user_for(raw)
        if user is None:
            raise exceptions.AuthenticationFailed(
                "This token is unknown, revoked, or its owner's account is deactivated."
            )
        return user, raw

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on the API tokens page or with `manage api_token`.",
        }
