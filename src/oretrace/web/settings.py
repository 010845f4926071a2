"""Settings of the campaign workspace, read from the environment (README: Deployment lists them).

The demo and a development machine (ORETRACE_DEMO, ORETRACE_DEBUG) need nothing else: the app runs on
a SQLite file under ./var. Production needs ORETRACE_SITE_URL at least; a wrong value stops the start
with the variable's name.
``DATABASE_URL`` switches to PostgreSQL; ``ORETRACE_SMTP_*`` configure the mail server; ``ORETRACE_DEMO``
keeps every e-mail inside the app (the outbox page shows them) so a person can click a supplier link.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from oretrace.web.campaigns.storage import private_dir

BASE_DIR = Path(__file__).resolve().parent


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={value!r}: expected true/false, yes/no, on/off or 1/0")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a whole number") from None
    if minimum is not None and number < minimum:
        raise ValueError(f"{name}={value!r}: expected at least {minimum}")
    return number


VAR_DIR = Path(envstr("ORETRACE_VAR_DIR", "var")).resolve()
# Every uploaded supplier file, stored byte for byte under its SHA-256 name and never overwritten.
SUBMISSIONS_DIR = Path(envstr("ORETRACE_SUBMISSIONS_DIR", str(VAR_DIR / "submissions"))).resolve()
# The blank templates an organisation imported for its campaigns (also content-addressed).
TEMPLATES_DIR = Path(envstr("ORETRACE_TEMPLATES_DIR", str(VAR_DIR / "templates"))).resolve()
# Reference files imported as they were (a CFSI v2-to-CID table), content-addressed.
REFERENCE_DIR = VAR_DIR / "reference"
# A reference list (a status list, a sanctions list) older than this many days is flagged on the
# reference data page: a sanctions list a quarter old misses every designation since.
REFDATA_MAX_AGE_DAYS = envint("ORETRACE_REFDATA_MAX_AGE_DAYS", 90, minimum=1)
MAX_UPLOAD_BYTES = envint("ORETRACE_MAX_UPLOAD_BYTES", 30 * 1024 * 1024)
# The files one request takes. Every version is kept and goes into the evidence package: without a bound
# a leaked link or a script filled the disk (a load test left a 1.1 GB package).
MAX_VERSIONS_PER_REQUEST = envint("ORETRACE_MAX_VERSIONS_PER_REQUEST", 20, minimum=1)


def _secret_key() -> str:
    """ORETRACE_SECRET_KEY, else a random key kept in ./var so sessions survive a restart."""
    if key := envstr("ORETRACE_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_dir(VAR_DIR)
    key = secrets.token_urlsafe(50)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = envbool("ORETRACE_DEBUG", False)
DEMO = envbool("ORETRACE_DEMO", False)
ALLOWED_HOSTS = [
    h for h in envstr("ORETRACE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
# Links in e-mails to suppliers are built on this address. Production has no default: without it the
# system checks (oretrace.web.checks) refuse to start the server, the worker and every command.
SITE_URL = envstr("ORETRACE_SITE_URL").rstrip("/") or ("http://127.0.0.1:8000" if DEBUG or DEMO else "")
CSRF_TRUSTED_ORIGINS = [o for o in envstr("ORETRACE_CSRF_TRUSTED_ORIGINS").split(",") if o]
if SITE_URL and (origin := "/".join(SITE_URL.split("/", 3)[:3])) not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS.append(origin)  # scheme://host[:port]: the proxy may not pass the Host on
# How long a supplier's personal link stays valid after it is issued.
LINK_VALID_DAYS = envint("ORETRACE_LINK_VALID_DAYS", 120)
# What one supplier link may send as answers to follow-up questions: a bound on a link that leaked, or a
# script posting to it (50 answers of 5,000 characters once went through in under 3 seconds).
PORTAL_ANSWERS_PER_DAY = envint("ORETRACE_ANSWERS_PER_DAY", 10)
PORTAL_ANSWER_MAX_CHARS = envint("ORETRACE_ANSWER_MAX_CHARS", 5000)
# The public grievance form (grievances app) is open to anyone: bounds on what one address may send.
GRIEVANCE_REPORTS_PER_HOUR = envint("ORETRACE_GRIEVANCE_REPORTS_PER_HOUR", 5, minimum=1)
GRIEVANCE_MESSAGES_PER_DAY = envint("ORETRACE_GRIEVANCE_MESSAGES_PER_DAY", 10, minimum=1)
GRIEVANCE_MAX_CHARS = envint("ORETRACE_GRIEVANCE_MAX_CHARS", 10000, minimum=100)
GRIEVANCE_MAX_FILES = envint("ORETRACE_GRIEVANCE_MAX_FILES", 3, minimum=0)
GRIEVANCE_MAX_FILE_BYTES = envint("ORETRACE_GRIEVANCE_MAX_FILE_BYTES", 5 * 1024 * 1024, minimum=1024)
# Behind a reverse proxy every request comes from the proxy: name the header it puts the client's
# address in (e.g. HTTP_X_REAL_IP) so that the per-address limits count each sender, not all at once.
CLIENT_IP_HEADER = envstr("ORETRACE_CLIENT_IP_HEADER")
# The grievance pages' rate limits are counted here: files under the var folder, which every worker
# process of the server shares (the default in-memory cache would give each process its own count).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

INSTALLED_APPS = [
    # WhiteNoise serves the static files under runserver too, as it does under gunicorn.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "oretrace.web.accounts",
    "oretrace.web.audit",
    "oretrace.web.suppliers",
    "oretrace.web.campaigns",
    "oretrace.web.staff",
    "oretrace.web.risk",
    "oretrace.web.reports",
    "oretrace.web.grievances",
    "oretrace.web.customers",
    "oretrace.web.retention",
    # The REST API under /api/v1/ (issue #15): Django REST framework, its OpenAPI schema and filters.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oretrace.web.api",
]
# The outbox and the supplier portal are separate apps; the project starts without them.
OPTIONAL_APPS = [app for app in ("outbox", "portal") if (BASE_DIR / app / "apps.py").exists()]
INSTALLED_APPS += [f"oretrace.web.{app}" for app in OPTIONAL_APPS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a body (the CSRF check reads every form): refuses oversized requests unread.
    "oretrace.web.request_limits.RequestSizeLimit",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "oretrace.web.accounts.middleware.RequireTwoFactorForAdmins",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "oretrace.web.urls"
WSGI_APPLICATION = "oretrace.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oretrace.web.accounts.context.role",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'oretrace.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked" (web + outbox worker).
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The test database is a file too: an in-memory one is shared between threads with table locks that
    # ignore the timeout, so the concurrency tests would measure SQLite's test mode, not the app.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-oretrace.sqlite3")}
    # Created here, readable by its owner only (SQLite gives its journals the database's mode);
    # SQLite takes an empty file for an empty database.
    if (database := Path(DATABASES["default"]["NAME"])) != Path(":memory:") and not database.exists():
        private_dir(database.parent)
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every password a person sets passes these: the staff user form, the password change page,
# createsuperuser and changepassword.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A user name is locked for LOGIN_LOCK_MINUTES after LOGIN_FAILURE_LIMIT failed log-ins within as many
# minutes (accounts.models.LoginThrottle).
LOGIN_FAILURE_LIMIT = envint("ORETRACE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCK_MINUTES = envint("ORETRACE_LOGIN_LOCK_MINUTES", 15, minimum=1)
# Two-factor log-in (accounts.two_factor): with this on, an administrator who logs in with a password
# must enrol an authenticator app before any other page opens. Single sign-on accounts are the identity
# provider's to protect.
REQUIRE_2FA_FOR_ADMINS = envbool("ORETRACE_REQUIRE_2FA_FOR_ADMINS", False)
# Wrong second-factor codes count against the user name in LoginThrottle, as wrong passwords do; the
# half-finished log-in (password right, code not yet given) lapses after this many minutes.
TWO_FACTOR_PENDING_MINUTES = envint("ORETRACE_2FA_PENDING_MINUTES", 5, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (README: Deployment).
HTTPS = envbool("ORETRACE_HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
# A year, as browsers' HTTPS lists ask; ORETRACE_HSTS_SECONDS=3600 to try HTTPS out first.
SECURE_HSTS_SECONDS = envint("ORETRACE_HSTS_SECONDS", 365 * 24 * 3600, minimum=0) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and envbool("ORETRACE_HSTS_INCLUDE_SUBDOMAINS", True)
# Asking browsers to hard-code HTTPS for the whole domain is the domain owner's decision: off unless
# ORETRACE_HSTS_PRELOAD=1, and check --deploy's reminder about it (security.W021) silenced meanwhile.
SECURE_HSTS_PRELOAD = HTTPS and envbool("ORETRACE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS or envbool("ORETRACE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


def envmap(name: str) -> dict[str, str]:
    """``key=value,key=value`` (ORETRACE_OIDC_ROLE_MAP): a value-less or empty key stops the start."""
    pairs = {}
    for item in filter(None, (part.strip() for part in envstr(name).split(","))):
        key, sep, value = item.rpartition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{name}: {item!r} is not key=value")
        pairs[key.strip()] = value.strip()
    return pairs


# Single sign-on through an OpenID Connect provider (mozilla-django-oidc; accounts.oidc). Off unless
# ORETRACE_OIDC_CLIENT_ID is set; then the provider's endpoints (its discovery document lists them) are
# required, and ORETRACE_OIDC_ROLE_MAP names the role each of the provider's groups gives
# ("oretrace-admins=admin,compliance=analyst,auditors=viewer"). Someone in no mapped group is refused.
OIDC_ENABLED = bool(envstr("ORETRACE_OIDC_CLIENT_ID"))
OIDC_PROVIDER_NAME = envstr("ORETRACE_OIDC_PROVIDER_NAME", "single sign-on")
OIDC_RP_CLIENT_ID = envstr("ORETRACE_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = envstr("ORETRACE_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("ORETRACE_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = envstr("ORETRACE_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = envstr("ORETRACE_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = envstr("ORETRACE_OIDC_JWKS_ENDPOINT")
# The provider's "issuer" (its discovery document's): when set, an ID token from any other is refused.
OIDC_ISSUER = envstr("ORETRACE_OIDC_ISSUER")
OIDC_RP_SIGN_ALGO = envstr("ORETRACE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = envstr("ORETRACE_OIDC_SCOPES", "openid email profile groups")
OIDC_GROUPS_CLAIM = envstr("ORETRACE_OIDC_GROUPS_CLAIM", "groups")
OIDC_ROLE_MAP = envmap("ORETRACE_OIDC_ROLE_MAP")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = envint("ORETRACE_OIDC_TIMEOUT", 10, minimum=1)
if OIDC_ENABLED:
    _missing = [
        name
        for name, value in (
            ("ORETRACE_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("ORETRACE_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("ORETRACE_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("ORETRACE_OIDC_USERINFO_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            ("ORETRACE_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
            ("ORETRACE_OIDC_ROLE_MAP", OIDC_ROLE_MAP),
        )
        if not value
    ]
    if _missing:
        raise ValueError(f"ORETRACE_OIDC_CLIENT_ID is set: set {', '.join(_missing)} too")
    if _unknown := sorted(set(OIDC_ROLE_MAP.values()) - {"admin", "analyst", "viewer"}):
        raise ValueError(f"ORETRACE_OIDC_ROLE_MAP: {', '.join(_unknown)} is not admin, analyst or viewer")
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "oretrace.web.accounts.oidc.SingleSignOnBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = envstr("ORETRACE_TIME_ZONE", "UTC")
USE_TZ = True

# A request's body outside the upload pages (a form, a login): RequestSizeLimit refuses anything larger
# before it is read; the upload pages take MAX_UPLOAD_BYTES (see request_limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The stylesheet lives in the installed package (staff/static/); WhiteNoise finds it there at start-up
# and serves it with caching headers, so there is no collectstatic step and no copy in the var folder.
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail: SMTP from the environment; in the demo every message stays in the outbox table and this process.
DEFAULT_FROM_EMAIL = envstr("ORETRACE_MAIL_FROM", "oretrace <compliance@localhost>")
EMAIL_HOST = envstr("ORETRACE_SMTP_HOST", "localhost")
EMAIL_PORT = envint("ORETRACE_SMTP_PORT", 25)
EMAIL_HOST_USER = envstr("ORETRACE_SMTP_USER")
EMAIL_HOST_PASSWORD = envstr("ORETRACE_SMTP_PASSWORD")
EMAIL_USE_TLS = envbool("ORETRACE_SMTP_TLS", False)
EMAIL_USE_SSL = envbool("ORETRACE_SMTP_SSL", False)
EMAIL_TIMEOUT = envint("ORETRACE_SMTP_TIMEOUT", 20)
# The outbox keeps trying an e-mail this long after it was queued while the mail server is down.
OUTBOX_RETRY_DAYS = envint("ORETRACE_OUTBOX_RETRY_DAYS", 7, minimum=1)
EMAIL_BACKEND = envstr(
    "ORETRACE_EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)

# The REST API (oretrace.web.api): a staff member's token, the web's roles, RFC 9457 problem details.
REST_FRAMEWORK = {
    # The token first: an anonymous request is answered 401 with a WWW-Authenticate header naming it.
    # The session serves the API documentation page to someone logged in to the web app.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oretrace.web.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["oretrace.web.api.permissions.StaffRole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "oretrace.web.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "oretrace.web.api.problems.problem_response",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "oretrace API",
    "DESCRIPTION": "Suppliers, parts, campaigns, requests, findings, smelters, risk ratings and report "
    "files of an oretrace installation. Authenticate with a personal API token: "
    "`Authorization: Bearer ot_...`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the documentation pages answer staff only, like the API itself.
    "SERVE_PERMISSIONS": ["oretrace.web.api.permissions.StaffRole"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "oretrace.web.api.schema.add_problem_responses",
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page's scripts come with the installed package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A request's state and its history's from/to states are one choice set.
    "ENUM_NAME_OVERRIDES": {"RequestStateEnum": "oretrace.web.campaigns.models.State"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("ORETRACE_LOG_LEVEL", "WARNING")},
}
