"""URLs: staff pages at the root, the supplier portal under /p/, the outbox under /outbox/, the public
grievance form under /concerns/."""

from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("oretrace.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("oretrace.web.staff.urls")),
    path("", include("oretrace.web.risk.urls")),
    path("", include("oretrace.web.reports.urls")),
    path("", include("oretrace.web.grievances.urls")),
    # The public grievance form and the reporters' links: no account.
    path("concerns/", include("oretrace.web.grievances.public_urls")),
    path("", include("oretrace.web.customers.urls")),
    path("", include("oretrace.web.retention.urls")),
]
# The portal and the outbox are separate apps (settings.OPTIONAL_APPS); mounted once they have URLs.
for _prefix, _app in (("p/", "portal"), ("outbox/", "outbox")):
    if _app in settings.OPTIONAL_APPS and find_spec(f"oretrace.web.{_app}.urls") is not None:
        urlpatterns.append(path(_prefix, include(f"oretrace.web.{_app}.urls")))
