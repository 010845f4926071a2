"""WSGI entry point: ``oretrace serve`` runs it under gunicorn (``gunicorn oretrace.web.wsgi`` by hand)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oretrace.web.settings")
application = get_wsgi_application()

# `oretrace serve` ran every system check before starting; a server started by hand checks this much.
from oretrace.web.checks import site_url_problems  # noqa: E402

if problems := site_url_problems():
    raise ImproperlyConfigured(" ".join(problems))
