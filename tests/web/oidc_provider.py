"""A small OpenID Connect provider on loopback, for the single sign-on tests: a real server the app talks
to over HTTP, not a mock of mozilla-django-oidc.

Built on Authlib's pieces (joserfc, Authlib's JOSE library, for the RS256 key, the JWKS and the signed
ID token; Authlib's PKCE S256 and token helpers) behind the standard library's HTTP server, run in a
thread. It serves the discovery document, the authorization endpoint (it signs in ``person`` without a
form, as a provider with a remembered session does), the token endpoint (client secret, single-use code,
redirect URI and PKCE checked) and the userinfo endpoint.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey


class LoopbackProvider:
    def __init__(self, client_id: str = "oretrace", client_secret: str = "s3cret-for-tests"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "alg": "RS256", "use": "sig"})
        # The claims of whoever is signed in at the provider; a test sets them before the sign-in.
        self.person: dict = {}
        # The audience the ID token names: a test sets another to play a token meant for another app.
        self.audience: str | None = None
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.token_requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
        }

    # --- the endpoints ------------------------------------------------------------------------------
    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, b'{"error": "unauthorized_client"}'
        if "openid" not in query.get("scope", "").split():
            return 400, {}, b'{"error": "invalid_scope"}'
        code = generate_token(32)
        self.codes[code] = {
            "claims": dict(self.person),
            "nonce": query.get("nonce"),
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
        }
        back = urlencode({"code": code, "state": query["state"]})
        return 302, {"Location": f"{query['redirect_uri']}?{back}"}, b""

    def token(self, form: dict) -> tuple[int, dict, bytes]:
        self.token_requests += 1
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
            or create_s256_code_challenge(form.get("code_verifier", "")) != grant["challenge"]
        ):
            return 400, {}, b'{"error": "invalid_grant"}'
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": grant["claims"]["sub"],
            "aud": self.audience or self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, self.key)
        access_token = generate_token(40)
        self.tokens[access_token] = grant["claims"]
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        return 200, {}, json.dumps(body).encode()

    def userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {}, b'{"error": "invalid_token"}'
        return 200, {}, json.dumps(claims).encode()

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self.reply(200, {}, json.dumps(provider.discovery()).encode())
                elif url.path == "/jwks":
                    keys = {"keys": [provider.key.as_dict(private=False)]}
                    self.reply(200, {}, json.dumps(keys).encode())
                elif url.path == "/authorize":
                    self.reply(*provider.authorize(query))
                elif url.path == "/userinfo":
                    self.reply(*provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self.reply(404, {}, b"{}")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self.reply(*provider.token(form))
                else:
                    self.reply(404, {}, b"{}")

            def reply(self, status: int, headers: dict, body: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass  # quiet test output

        return Handler
