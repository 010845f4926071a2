"""URLs: staff pages at the root, the supplier portal under /p/, the outbox under /outbox/, the public
grievance form under /concerns/."""

from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path

from oretrace.web.api import pages as api_pages
from oretrace.web.api import webhook_pages

urlpatterns = [
    path("", include("oretrace.web.accounts.urls")),
    path("api-tokens/", api_pages.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", api_pages.api_token_revoke, name="api_token_revoke"),
    path("webhooks/", webhook_pages.webhooks, name="webhooks"),
    path("webhooks/new/", webhook_pages.webhook_new, name="webhook_new"),
    path("webhooks/<int:pk>/remove/", webhook_pages.webhook_remove, name="webhook_remove"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("oretrace.web.staff.urls")),
    path("", include("oretrace.web.risk.urls")),
    path("", include("oretrace.web.reports.urls")),
    path("", include("oretrace.web.grievances.urls")),
    # The public grievance form and the reporters' links: no account.
    path("concerns/", include("oretrace.web.grievances.public_urls")),
    path("", include("oretrace.web.customers.urls")),
    path("", include("oretrace.web.retention.urls")),
    # The REST API (issue #15): a token per staff member, the web's roles.
    path("api/v1/", include("oretrace.web.api.urls")),
]
# The portal and the outbox are separate apps (settings.OPTIONAL_APPS); mounted once they have URLs.
for _prefix, _app in (("p/", "portal"), ("outbox/", "outbox")):
    if _app in settings.OPTIONAL_APPS and find_spec(f"oretrace.web.{_app}.urls") is not None:
        urlpatterns.append(path(_prefix, include(f"oretrace.web.{_app}.urls")))
